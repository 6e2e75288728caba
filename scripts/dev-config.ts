/**
 * The development smart-config.json (the local sandbox on any loopback port, the public SMART
 * sandbox). `npm start` serves it as /smart-config.json in place of public/'s production template,
 * which is what dist/ ships; tests start from it too.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Plugin } from "vite";

export const DEVELOPMENT_CONFIG = resolve(import.meta.dirname, "smart-config.development.json");

/** Vite dev-server plugin: /smart-config.json answers with the development file, read anew each time (edits apply at once). */
export function developmentConfig(): Plugin {
  return {
    name: "calcinosis-development-config",
    configureServer(server) {
      // Added before Vite's own middlewares, so public/smart-config.json is never served in development.
      server.middlewares.use((request, response, next) => {
        if (new URL(request.url ?? "/", "http://localhost").pathname !== "/smart-config.json") return next();
        response.writeHead(200, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" });
        response.end(readFileSync(DEVELOPMENT_CONFIG));
      });
    },
  };
}
