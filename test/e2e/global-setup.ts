/**
 * End-to-end stack, started once for all e2e files: the production build served by nginx with the
 * README's configuration (its location block, the headers `npm run security-headers` generates),
 * and the local SMART sandbox on its own origin (CORS is real).
 */
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "vite";
import type { TestProject } from "vitest/node";
import { startSandbox } from "../../sandbox/server";
import { DEVELOPMENT_CONFIG } from "../../scripts/dev-config";
import { findEhr, parseSmartConfig } from "../../src/session/config";
import { securityHeaders } from "../../src/session/security-headers";
import { freePort } from "../support/free-port";
import { findNginx, readmeNginxSample, serveWithNginx } from "./support/nginx";

declare module "vitest" {
  export interface ProvidedContext {
    stack: {
      /** Where launch.html and index.html are served (the README's nginx location, e.g. …/calcinosis/). */
      appUrl: string;
      appOrigin: string;
      sandboxUrl: string;
      fhirBase: string;
      /** The deployed copy of dist/ nginx serves, with the e2e smart-config.json. */
      siteDir: string;
    };
  }
}

/**
 * The development settings with the local sandbox's entry narrowed to this sandbox's exact issuer,
 * as hospital IT would list an EHR (connect-src then follows from it).
 */
export function e2eConfig(fhirBase: string): Record<string, unknown> {
  const config = JSON.parse(readFileSync(DEVELOPMENT_CONFIG, "utf8")) as { ehrs: Record<string, unknown>[] };
  const entry = config.ehrs.find((candidate) => findEhr(parseSmartConfig({ ehrs: [candidate] }), fhirBase));
  if (!entry) throw new Error(`${DEVELOPMENT_CONFIG} has no entry for the local sandbox (${fhirBase})`);
  entry.issMatch = [fhirBase];
  delete entry.connectOrigins;
  return config;
}

export default async function setup(project: TestProject) {
  findNginx(); // before the build: without nginx, say so at once
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build, and VITEST,
  // which vite.config.ts reads to leave the browser-only settings out: test the build that ships.
  const nodeEnv = process.env.NODE_ENV;
  const vitest = process.env.VITEST;
  process.env.NODE_ENV = "production";
  delete process.env.VITEST;
  try {
    await build({ mode: "production", logLevel: "warn", build: { outDir: "dist", emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
    if (vitest !== undefined) process.env.VITEST = vitest;
  }
  const port = await freePort();
  const appOrigin = `http://localhost:${port}`;
  const sandbox = await startSandbox({ port: 0, appOrigin, appLaunchPath: `${readmeNginxSample().basePath}launch.html` });
  // The deployment: a copy of dist/ with its smart-config.json edited, no rebuild.
  const siteDir = mkdtempSync(join(tmpdir(), "calcinosis-site-"));
  chmodSync(siteDir, 0o755);
  cpSync("dist", siteDir, { recursive: true });
  const config = e2eConfig(sandbox.fhirBase);
  writeFileSync(join(siteDir, "smart-config.json"), `${JSON.stringify(config, null, 2)}\n`);
  // The sandbox's page embeds the app in a frame, as EHRs do: it is a frame ancestor, as a
  // hospital would pass its EHR's origin to --frame-ancestors.
  const headers = securityHeaders(parseSmartConfig(config), { frameAncestors: ["'self'", sandbox.url] });
  const app = await serveWithNginx({ siteDir, port, headers }).catch(async (error: Error) => {
    await sandbox.close();
    rmSync(siteDir, { recursive: true, force: true });
    throw error;
  });
  project.provide("stack", { appUrl: app.appUrl, appOrigin: app.origin, sandboxUrl: sandbox.url, fhirBase: sandbox.fhirBase, siteDir });
  return async () => {
    await Promise.allSettled([app.close(), sandbox.close()]);
    rmSync(siteDir, { recursive: true, force: true });
  };
}
