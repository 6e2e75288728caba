/**
 * Deployment as hospital IT does it: the built dist/ copied under a sub-path, smart-config.json
 * edited after the build (no rebuild), served with the security headers generated from it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { parseSmartConfig } from "../../src/session/config";
import { securityHeaders } from "../../src/session/security-headers";
import { ehrLaunch, ehrLaunchUrl, newPage, openBrowser, waitForAppPhase } from "./harness";
import { serveStatic, type StaticServer } from "./support/static-server";

let browser: Browser;
const copies: string[] = [];
const servers: StaticServer[] = [];

/** A copy of the build under /calcinosis/, with its smart-config.json changed by `edit`. */
async function deploy(edit: (config: Record<string, unknown>) => void): Promise<StaticServer> {
  const dir = mkdtempSync(join(tmpdir(), "calcinosis-deploy-"));
  copies.push(dir);
  cpSync("dist", dir, { recursive: true });
  const configPath = join(dir, "smart-config.json");
  const config = JSON.parse(readFileSync(configPath, "utf8")) as Record<string, unknown>;
  edit(config);
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  const headers = securityHeaders(parseSmartConfig(config), { frameAncestors: ["'self'"] });
  const server = await serveStatic(dir, { basePath: "/calcinosis/", headers });
  servers.push(server);
  return server;
}

beforeAll(async () => {
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((server) => server.close()));
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

describe("a static deployment under a sub-path", () => {
  it("launches and loads the record from /calcinosis/", async () => {
    const app = await deploy(() => undefined);
    const { page, context } = await newPage(browser);
    await ehrLaunch(page, "modena-3", { appUrl: app.appUrl });
    expect(page.url()).toMatch(/\/calcinosis\/index\.html/);
    await expect.poll(() => page.locator("[data-testid=patient-banner]").first().textContent()).toMatch(/modena-3/);
    await context.close();
  });

  it("follows smart-config.json as edited after the build: an EHR taken out is refused", async () => {
    const app = await deploy((config) => {
      config.ehrs = (config.ehrs as { name: string }[]).filter((ehr) => !ehr.name.startsWith("Local sandbox"));
    });
    const { page, context } = await newPage(browser);
    await page.goto(ehrLaunchUrl("modena-3", { appUrl: app.appUrl }));
    await page.waitForSelector('[data-problem="unknown-issuer"]');
    await context.close();
  });

  it("sends the client id the edited config names", async () => {
    const app = await deploy((config) => {
      const [local] = config.ehrs as { clientId: string }[];
      local.clientId = "hospital-edited-client";
    });
    const { page, context } = await newPage(browser);
    const authorizeRequests: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/authorize")) authorizeRequests.push(request.url());
    });
    await page.goto(ehrLaunchUrl("modena-3", { appUrl: app.appUrl }));
    await waitForAppPhase(page, "ready");
    expect(new URL(authorizeRequests[0]).searchParams.get("client_id")).toBe("hospital-edited-client");
    await context.close();
  });
});
