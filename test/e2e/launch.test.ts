/**
 * SMART launch end to end: the built app in headless Chromium, launched through the local sandbox
 * the way a clinician (EHR launch) or a tester (standalone launch) would.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { Patient } from "fhir/r4";
import { demoPatient } from "../../sandbox/data";
import { axeSerious, ehrLaunch, ehrLaunchUrl, newPage, openBrowser, stack, standaloneLaunchUrl, waitForAppPhase } from "./harness";

let browser: Browser;
beforeAll(async () => {
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function problemKind(page: Page): Promise<string | null> {
  return page.locator("[data-problem]").first().getAttribute("data-problem");
}

describe("EHR launch", () => {
  it("shows the patient in context, and survives a reload", async () => {
    const { page, context } = await newPage(browser);
    await ehrLaunch(page, "modena-3");
    const banner = page.getByRole("banner").or(page.locator("[data-testid=patient-banner]")).first();
    await expect.poll(() => banner.textContent()).toMatch(/modena-3/);
    // fhirclient removed the code and state from the address.
    expect(page.url()).not.toMatch(/[?&](code|state)=/);

    await page.reload();
    await waitForAppPhase(page, "ready");
    await expect.poll(() => banner.textContent()).toMatch(/modena-3/);
    await context.close();
  });

  it("starts the record's load before React renders: the first search leaves before the screen appears", async () => {
    const { page, context } = await newPage(browser);
    // Stamps when the React tree first replaces index.html's "Signing in" markup.
    await page.addInitScript(() => {
      const w = window as unknown as { __rendered?: number };
      new MutationObserver(() => {
        if (w.__rendered === undefined && document.querySelector('[data-app-phase="ready"]')) w.__rendered = performance.now();
      }).observe(document, { subtree: true, childList: true });
    });
    await ehrLaunch(page, "modena-3");
    const { rendered, firstSearch, shell } = await page.evaluate((base) => {
      const entries = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
      const searches = entries.filter((e) => e.name.startsWith(base) && /[?&]patient=|\/Patient\//.test(e.name));
      return {
        rendered: (window as unknown as { __rendered: number }).__rendered,
        firstSearch: Math.min(...searches.map((e) => e.startTime)),
        shell: document.querySelectorAll('[data-app-phase="starting"]').length,
      };
    }, stack().fhirBase);
    expect(firstSearch).toBeLessThan(rendered);
    expect(shell, "React replaced the signing-in markup").toBe(0);
    await context.close();
  });

  it("keeps tokens and patient data out of localStorage, the console and the address bar", async () => {
    const { page, context, console } = await newPage(browser);
    await ehrLaunch(page, "modena-1");
    await page.waitForSelector('main[aria-busy="false"]', { timeout: 50_000 });
    const patient = demoPatient("modena-1")?.resources.find((r) => r.resourceType === "Patient") as Patient;
    const family = patient.name?.[0]?.family as string;
    await expect.poll(() => page.textContent("body")).toContain(family);
    const session = await page.evaluate(() => {
      const key = sessionStorage.getItem("SMART_KEY");
      const state = key ? JSON.parse(sessionStorage.getItem(JSON.parse(key)) ?? "{}") : {};
      return { access: state.tokenResponse?.access_token as string | undefined, local: JSON.stringify(localStorage) };
    });
    expect(session.access, "fhirclient keeps the token for this tab only").toBeTruthy();
    for (const secret of [session.access as string, family, "modena-1"]) {
      expect(session.local).not.toContain(secret);
      expect(console.join("\n")).not.toContain(secret);
    }
    expect(page.url()).not.toContain(session.access);
    expect(page.url()).not.toMatch(/[?&](code|state|launch|iss)=/);
    await context.close();
  });

  it("prints nothing of the session to the console even with fhirclient's debug logging switched on", async () => {
    const { page, context, console } = await newPage(browser);
    // What a curious user, a support script or a browser extension might set: the real `debug`
    // package would then print the token response and the authorization code.
    await context.addInitScript(() => localStorage.setItem("debug", "FHIR*"));
    await ehrLaunch(page, "modena-1");
    await page.waitForSelector('main[aria-busy="false"]', { timeout: 50_000 });
    const session = await page.evaluate(() => {
      const key = sessionStorage.getItem("SMART_KEY");
      const state = key ? JSON.parse(sessionStorage.getItem(JSON.parse(key)) ?? "{}") : {};
      return {
        access: state.tokenResponse?.access_token as string | undefined,
        refresh: state.tokenResponse?.refresh_token as string | undefined,
        debug: localStorage.getItem("debug"),
      };
    });
    expect(session.debug).toBe("FHIR*");
    expect(session.access).toBeTruthy();
    const printed = console.join("\n");
    for (const secret of [session.access, session.refresh].filter(Boolean) as string[]) expect(printed).not.toContain(secret);
    expect(printed).not.toMatch(/access_token|refresh_token|[?&]code=/);
    await context.close();
  });
});

describe("two tabs, two patients", () => {
  it("stops the older tab when a newer launch in the same browser is for another patient", async () => {
    const { page: first, context } = await newPage(browser);
    await ehrLaunch(first, "modena-1");
    const second = await context.newPage();
    await ehrLaunch(second, "modena-2");
    await waitForAppPhase(first, "problem");
    expect(await first.locator("[data-problem]").getAttribute("data-problem")).toBe("other-patient-tab");
    expect(await second.locator("[data-app-phase]").getAttribute("data-app-phase")).toBe("ready");
    await context.close();
  });
});

describe("standalone launch", () => {
  it("lets the user pick a patient at the EHR, then shows that patient", async () => {
    const { page, context } = await newPage(browser);
    await page.goto(standaloneLaunchUrl());
    await page
      .getByRole("button", { name: /modena-2/i })
      .or(page.getByRole("link", { name: /modena-2/i }))
      .first()
      .click();
    await waitForAppPhase(page, "ready");
    await expect.poll(() => page.locator("[data-testid=patient-banner]").first().textContent()).toMatch(/modena-2/);
    await context.close();
  });
});

describe("launch problems each end on their own screen", () => {
  it.each([
    ["auth_invalid_client_id", "authorization-refused", /client id/i],
    ["auth_invalid_scope", "authorization-refused", /scopes/i],
    ["token_invalid_token", "token-refused", /access token/i],
    ["request_invalid_token", "session-expired", /relaunch/i],
    // Tokens that expire within fhirclient's 10 s refresh margin: the first request refreshes, the
    // EHR refuses the refresh token, and the session is over.
    ["token_expired_refresh_token&expire_after_s=5", "session-expired", /relaunch/i],
    ["request_expired_token", "session-expired", /relaunch/i],
  ])("%s → %s", async (authError, kind, text) => {
    const { page, context } = await newPage(browser);
    const [name, ...extra] = authError.split("&");
    const params = Object.fromEntries(extra.map((pair) => pair.split("=")));
    await page.goto(ehrLaunchUrl("modena-3", { authError: name, params }));
    await waitForAppPhase(page, "problem");
    expect(await problemKind(page)).toBe(kind);
    await expect.poll(() => page.locator("main").first().textContent()).toMatch(text);
    expect(await axeSerious(page)).toEqual([]);
    await context.close();
  });

  it("auth_invalid_redirect_uri stops at the EHR, which says the redirect URI is not registered", async () => {
    const { page, context } = await newPage(browser);
    await page.goto(ehrLaunchUrl("modena-3", { authError: "auth_invalid_redirect_uri" }));
    await page.waitForURL((url) => url.href.startsWith(stack().sandboxUrl));
    await expect.poll(() => page.textContent("body")).toMatch(/redirect_uri|redirect URI/i);
    await context.close();
  });

  it("an unknown issuer is named, and no request is sent to it", async () => {
    const { page, context } = await newPage(browser);
    const contacted: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).hostname === "unknown-ehr.example") contacted.push(request.url());
    });
    await page.goto(new URL("launch.html?iss=https://unknown-ehr.example/fhir&launch=x", stack().appUrl).href);
    await page.waitForSelector('[data-problem="unknown-issuer"]');
    expect(await page.textContent("main")).toContain("https://unknown-ehr.example/fhir");
    expect(contacted).toEqual([]);
    expect(await axeSerious(page)).toEqual([]);
    await context.close();
  });

  it("opening the app page without a launch says to launch from the EHR", async () => {
    const { page, context } = await newPage(browser);
    await page.goto(new URL("index.html", stack().appUrl).href);
    await waitForAppPhase(page, "problem");
    expect(await problemKind(page)).toBe("state-missing");
    expect(await axeSerious(page)).toEqual([]);
    await context.close();
  });

  it("an open-server launch is refused when the config does not allow it", async () => {
    const { page, context } = await newPage(browser);
    await page.goto(new URL(`launch.html?fhirServiceUrl=${encodeURIComponent(stack().fhirBase)}`, stack().appUrl).href);
    await page.waitForSelector('[data-problem="open-server-not-allowed"]');
    await context.close();
  });
});

describe("the sandbox as an EHR", () => {
  it("refuses a FHIR request without a token", async () => {
    const response = await fetch(`${stack().fhirBase}/Patient/modena-3`);
    expect(response.status).toBe(401);
  });
});
