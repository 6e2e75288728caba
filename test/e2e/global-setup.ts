/**
 * End-to-end stack, started once for all e2e files: the production build of the app served
 * statically, and the local SMART sandbox on its own origin (CORS is real).
 */
import { readFileSync } from "node:fs";
import { build } from "vite";
import type { TestProject } from "vitest/node";
import { startSandbox } from "../../sandbox/server";
import { parseSmartConfig } from "../../src/session/config";
import { securityHeaders } from "../../src/session/security-headers";
import { serveStatic } from "./support/static-server";

declare module "vitest" {
  export interface ProvidedContext {
    stack: { appUrl: string; appOrigin: string; sandboxUrl: string; fhirBase: string };
  }
}

export default async function setup(project: TestProject) {
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build: test the
  // production build that ships.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ mode: "production", logLevel: "warn", build: { outDir: "dist", emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  // Served with the headers a deployment sends (CSP included), so every e2e test runs under them.
  const config = parseSmartConfig(JSON.parse(readFileSync("dist/smart-config.json", "utf8")));
  const app = await serveStatic("dist", { headers: securityHeaders(config, { frameAncestors: ["'self'"] }) });
  const sandbox = await startSandbox({ port: 0, appOrigin: app.origin });
  project.provide("stack", { appUrl: app.appUrl, appOrigin: app.origin, sandboxUrl: sandbox.url, fhirBase: sandbox.fhirBase });
  return async () => {
    await Promise.allSettled([app.close(), sandbox.close()]);
  };
}
