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
import { ehrLaunch, ehrLaunchUrl, newPage, openBrowser, stack, waitForAppPhase } from "./harness";
import { serveStatic, type StaticServer } from "./support/static-server";

let browser: Browser;
const copies: string[] = [];
const servers: StaticServer[] = [];

/**
 * A copy of the e2e deployment (dist/ with a smart-config.json for the sandbox) under /calcinosis/,
 * its smart-config.json changed by `edit`, or replaced by a text as written (`edit` a string).
 */
async function deploy(edit: ((config: Record<string, unknown>) => void) | string, from = stack().siteDir): Promise<StaticServer> {
  const dir = mkdtempSync(join(tmpdir(), "calcinosis-deploy-"));
  copies.push(dir);
  cpSync(from, dir, { recursive: true });
  const configPath = join(dir, "smart-config.json");
  const config = JSON.parse(readFileSync(configPath, "utf8")) as Record<string, unknown>;
  if (typeof edit === "string") {
    writeFileSync(configPath, edit);
  } else {
    edit(config);
    writeFileSync(configPath, JSON.stringify(config, null, 2));
  }
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

  it("ships the production template: dist/ as built refuses the local sandbox", async () => {
    expect(readFileSync("dist/smart-config.json", "utf8")).toBe(readFileSync("public/smart-config.json", "utf8"));
    const app = await deploy(() => undefined, "dist");
    const { page, context } = await newPage(browser);
    await page.goto(ehrLaunchUrl("modena-3", { appUrl: app.appUrl }));
    await page.waitForSelector('[data-problem="unknown-issuer"]');
    await context.close();
  });

  it("names the line and column of a broken smart-config.json on the launch page", async () => {
    const app = await deploy('{\n  "allowOpenServer": false\n  "ehrs": []\n}\n');
    const { page, context } = await newPage(browser);
    await page.goto(ehrLaunchUrl("modena-3", { appUrl: app.appUrl }));
    const problem = page.locator('[data-problem="config-unreadable"]');
    await expect.poll(() => problem.textContent()).toContain('smart-config.json, line 3, column 3: a "," is missing before this');
    await context.close();
  });
});
