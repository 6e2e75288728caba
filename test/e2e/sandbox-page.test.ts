/**
 * The sandbox's launch page as a tester uses it: the app's launch URL typed in (a deployment under
 * a sub-path), and the embedded launch, the app in a frame of a simulated EHR page as EHRs embed
 * SMART apps (the app's CSP frame-ancestors names the sandbox's origin, as a hospital's names its EHR).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { parseSmartConfig } from "../../src/session/config";
import { securityHeaders } from "../../src/session/security-headers";
import { axeSerious, newPage, openBrowser, stack, waitForAppPhase } from "./harness";
import { serveStatic, type StaticServer } from "./support/static-server";

let browser: Browser;
let subPath: StaticServer;
beforeAll(async () => {
  browser = await openBrowser();
  const config = parseSmartConfig(JSON.parse(readFileSync(join(stack().siteDir, "smart-config.json"), "utf8")));
  subPath = await serveStatic(stack().siteDir, {
    basePath: "/departments/rheumatology/calcinosis/",
    headers: securityHeaders(config, { frameAncestors: ["'self'"] }),
  });
});
afterAll(async () => {
  await browser?.close();
  await subPath?.close();
});

describe("the sandbox's launch page", () => {
  it("launches an app deployed under a sub-path, from a launch URL typed into the page", async () => {
    const { page, context } = await newPage(browser);
    await page.goto(`${stack().sandboxUrl}/`);
    const launchUrl = `${subPath.appUrl}launch.html`;
    await page.getByLabel("App launch URL").fill(launchUrl);
    await page.getByRole("button", { name: "Use this app" }).click();
    await page.waitForURL(/\?launch_uri=/);
    // Kept in the page's address: a reload keeps it.
    await page.reload();
    expect(await page.getByLabel("App launch URL").inputValue()).toBe(launchUrl);

    await page.getByRole("link", { name: "Launch (EHR) for modena-3" }).click();
    await waitForAppPhase(page, "ready");
    expect(new URL(page.url()).pathname).toBe("/departments/rheumatology/calcinosis/index.html");
    await expect.poll(() => page.locator("[data-testid=patient-banner]").first().textContent()).toMatch(/modena-3/);
    await context.close();
  });

  it("opens the app in a frame of a simulated EHR page, which reaches the record screen without a banner of its own", async () => {
    const { page, context, console } = await newPage(browser);
    await page.goto(`${stack().sandboxUrl}/`);
    await page.getByRole("link", { name: "Launch (embedded) for ssc-spine" }).click();
    expect(await page.getByTestId("ehr-patient").textContent()).toMatch(/ssc-spine/);

    const app = page.frameLocator("iframe.smart-app");
    await app.locator('[data-app-phase="ready"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => app.getByTestId("status-label").first().textContent()).toMatch(/\S/);
    await expect.poll(() => app.getByTestId("red-flag").count()).toBeGreaterThan(0);
    // The EHR's page shows the patient (need_patient_banner: false): the app does not repeat it.
    expect(await app.locator("[data-testid=patient-banner]").count()).toBe(0);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(new URL(frame!.url()).pathname).toBe(new URL("index.html", stack().appUrl).pathname);
    expect(console.filter((line) => /frame-ancestors|Refused to (frame|display)/i.test(line))).toEqual([]);
    expect(await axeSerious(page)).toEqual([]);
    await context.close();
  });
});
