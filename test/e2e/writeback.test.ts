/**
 * Write-back end to end against the local sandbox (issue 6): launch modena-3, review, confirm,
 * then ask the sandbox what arrived; confirm again and show that nothing was duplicated.
 *
 * 1. Through the page: the clinician's two clicks ("Send to EHR…", "Confirm and send") in the
 *    built app, then a reload (as after a session-expired relaunch) and the same two clicks again.
 * 2. With the app's own planner and executor in Node, holding the token of a real EHR launch: every
 *    planned resource arrives once (the sandbox's record of writes), validates as R4, carries its
 *    identifier; a second send writes nothing.
 * 3. A new launch in a fresh browser session (nothing kept in the browser): the notice names the
 *    date and the note the EHR holds.
 * 4. The review at 360 px (full screen, one proposal deselected), and a session that expires during
 *    a send (the record stays on screen; after a relaunch the notice says what the EHR holds).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { Bundle, FhirResource } from "fhir/r4";
import { artifactPath, axeSerious, ehrLaunch, newPage, openBrowser, stack, waitForAppPhase } from "./harness";
import { createFhirClient } from "../integration/helpers/fhir-client";
import { loadPatientRecord, readCapabilities } from "../../src/fhir";
import { assess } from "../../src/clinical";
import { executeWriteBack } from "../../src/fhir/submit";
import { planWriteBack } from "../../src/writeback/plan";
import { decodeBase64Utf8 } from "../../src/writeback/identifiers";
import { r4Issues } from "../unit/writeback/validate";

const WRITE_TYPES = new Set(["DocumentReference", "Condition", "DetectedIssue", "ServiceRequest", "Provenance"]);

let browser: Browser;
beforeAll(async () => {
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function resetSandbox(): Promise<void> {
  const response = await fetch(`${stack().sandboxUrl}/debug/reset`, { method: "POST" });
  expect(response.ok).toBe(true);
}

/** Every resource the sandbox recorded as created since the last reset. */
async function sandboxWrites(): Promise<FhirResource[]> {
  const response = await fetch(`${stack().sandboxUrl}/debug/writes`);
  const bundle = (await response.json()) as Bundle;
  return (bundle.entry ?? []).map((e) => e.resource as FhirResource).filter((r) => WRITE_TYPES.has(r.resourceType));
}

function countByType(resources: FhirResource[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of resources) out[r.resourceType] = (out[r.resourceType] ?? 0) + 1;
  return out;
}

/** fhirclient's state of the launched tab (server, token response with scope and patient). */
async function launchState(page: Page) {
  return page.evaluate(() => {
    const key = sessionStorage.getItem("SMART_KEY");
    const state = key ? JSON.parse(sessionStorage.getItem(JSON.parse(key)) ?? "{}") : {};
    return {
      serverUrl: state.serverUrl as string,
      tokenResponse: state.tokenResponse as Record<string, unknown>,
      // The session as the browser holds it: expiry and token endpoint, so fhirclient refreshes
      // only when the token is really about to expire.
      expiresAt: state.expiresAt as number | undefined,
      tokenUri: state.tokenUri as string | undefined,
      clientId: state.clientId as string | undefined,
    };
  });
}

function expectWellFormed(writes: FhirResource[], patientId: string) {
  const ids = new Set(writes.map((r) => `${r.resourceType}/${r.id}`));
  for (const resource of writes) {
    expect({ ref: `${resource.resourceType}/${resource.id}`, issues: r4Issues(resource) }).toEqual({
      ref: `${resource.resourceType}/${resource.id}`,
      issues: [],
    });
    const json = JSON.stringify(resource);
    expect(json).not.toContain("urn:uuid:");
    if (resource.resourceType !== "Provenance") expect(json).toContain(`"Patient/${patientId}"`);
    for (const m of json.matchAll(/"reference":"((?:DocumentReference|DetectedIssue|ServiceRequest|Provenance)\/[^"]+)"/g)) {
      expect(ids.has(m[1]), `${m[1]} points to a written resource`).toBe(true);
    }
  }
}

describe("write-back through the app (two clicks)", () => {
  it("sends modena-3's findings once; after a reload, confirming again duplicates nothing", async () => {
    await resetSandbox();
    const { page, context } = await newPage(browser);
    try {
      await ehrLaunch(page, "modena-3");

      const send = page.getByRole("button", { name: "Send to EHR…" });
      await send.waitFor({ state: "visible", timeout: 30_000 }).catch(() => {
        throw new Error("No 'Send to EHR…' button: the app shell must mount WriteBackContainer in RecordScreen's writeBackSlot");
      });
      await send.click();
      const dialog = page.getByRole("dialog", { name: "Send the findings to the EHR" });
      await expect.poll(() => dialog.getByTestId("writeback-note").textContent()).toContain("Patient/modena-3");
      await dialog.getByRole("button", { name: "Confirm and send" }).click();
      await page.getByText(/^Written to the EHR: \d+ created\.$/).waitFor({ timeout: 30_000 });

      const first = await sandboxWrites();
      expect(countByType(first).DocumentReference).toBe(1);
      expect(countByType(first).Provenance).toBe(1);
      expectWellFormed(first, "modena-3");
      const shownIds = await page.getByRole("dialog").locator("li span").allTextContents();
      for (const r of first) expect(shownIds).toContain(`${r.resourceType}/${r.id}`);

      // Reload (as after a session-expired relaunch): the draft says it was sent; confirming again is safe.
      await page.reload();
      await waitForAppPhase(page, "ready");
      await page.getByRole("button", { name: "Send to EHR…" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Confirm and send" }).click();
      await page.getByText(/^Written to the EHR: \d+ already in the EHR \(nothing duplicated\)\.$/).waitFor({ timeout: 30_000 });
      expect(await sandboxWrites()).toHaveLength(first.length);
    } finally {
      await context.close();
    }
  });
});

describe("write-back seen again on a later launch", () => {
  it("a new launch in a fresh browser session says when and by whom the findings were sent, from the EHR's own note", async () => {
    await resetSandbox();
    const sent = await newPage(browser);
    try {
      await ehrLaunch(sent.page, "modena-3");
      await sent.page.getByRole("button", { name: "Send to EHR…" }).click();
      await sent.page.getByRole("dialog").getByRole("button", { name: "Confirm and send" }).click();
      await sent.page.getByText(/^Written to the EHR: \d+ created\.$/).waitFor({ timeout: 30_000 });
    } finally {
      await sent.context.close();
    }
    const note = (await sandboxWrites()).find((r) => r.resourceType === "DocumentReference")!;
    // A new context: nothing of the first session is left in the browser, so only the EHR can tell.
    const { page, context } = await newPage(browser);
    try {
      await ehrLaunch(page, "modena-3");
      await waitForAppPhase(page, "ready");
      const notice = page.getByText(/These findings were already sent to the EHR on \d{4}-\d{2}-\d{2}/);
      await notice.waitFor({ timeout: 30_000 });
      expect(await notice.textContent()).toContain(`(the note is DocumentReference/${note.id})`);
    } finally {
      await context.close();
    }
  });
});

describe("write-back executor against the sandbox (token from a real launch)", () => {
  it("every planned resource arrives exactly once, valid and findable by its identifier; resending writes nothing", async () => {
    await resetSandbox();
    const { page, context } = await newPage(browser);
    await ehrLaunch(page, "modena-3");
    const state = await launchState(page);
    await context.close();

    const client = createFhirClient({
      serverUrl: state.serverUrl,
      accessToken: String(state.tokenResponse.access_token),
      patientId: String(state.tokenResponse.patient),
      scope: String(state.tokenResponse.scope ?? ""),
      tokenResponse: state.tokenResponse,
      expiresAt: state.expiresAt,
      tokenUri: state.tokenUri,
      clientId: state.clientId,
    });
    const snapshot = await loadPatientRecord(client);
    const assessment = assess(snapshot.resources, { asOf: new Date().toISOString().slice(0, 10), patientId: "modena-3" });
    expect(assessment.status).toBe("probable");
    const capabilities = snapshot.capabilities ?? (await readCapabilities(client));
    const prepare = () =>
      planWriteBack({
        assessment,
        context: {
          patientId: "modena-3",
          fhirUser: client.getFhirUser(),
          encounterId: client.getEncounterId(),
          appUrl: stack().appUrl,
          appVersion: "0.1.0",
          now: new Date().toISOString(),
        },
        choices: { includeCondition: true },
        capabilities,
        grantedScopes: String(state.tokenResponse.scope ?? ""),
      });

    const submission = prepare();
    expect(submission.plan.skip).toEqual([]);
    const first = await executeWriteBack(client, submission);
    expect(first.refused).toEqual([]);
    expect(first.complete).toBe(true);
    expect(first.created.every((c) => !c.existed)).toBe(true);

    const writes = await sandboxWrites();
    expect(countByType(writes)).toEqual(countByType(submission.plan.write.map((w) => ({ resourceType: w.resourceType }) as FhirResource)));
    expectWellFormed(writes, "modena-3");
    // The app's token may create these types but not search them (least privilege: `.c` only), so
    // the sandbox's own record of writes is the witness: each planned identifier arrived once.
    for (const planned of submission.plan.write) {
      const carrying = writes.filter((r) =>
        r.resourceType === "Provenance"
          ? r.meta?.tag?.some((t) => t.system === planned.identifier.system && t.code === planned.identifier.value)
          : (r as { identifier?: { system?: string; value?: string }[] }).identifier?.some(
              (i) => i.system === planned.identifier.system && i.value === planned.identifier.value,
            ),
      );
      expect(
        carrying.map((r) => `${r.resourceType}/${r.id}`),
        planned.description,
      ).toEqual([first.created.find((c) => c.key === planned.key)!.reference]);
    }

    const again = await executeWriteBack(client, prepare());
    // (A dropped keep-alive connection may make the executor ask again, conditionally; that is fine.)
    expect({ refused: again.refused, pending: again.pending }).toEqual({ refused: [], pending: [] });
    expect(
      again.created.filter((c) => !c.existed).map((c) => c.reference),
      "written again instead of found",
    ).toEqual([]);
    expect(again.created.map((c) => c.reference)).toEqual(first.created.map((c) => c.reference));
    expect(await sandboxWrites()).toHaveLength(writes.length);
  });
});

describe("the review at 360 px (an EHR side panel)", () => {
  it("is full screen; a deselected proposal is not written, and the note says the clinician deselected it", async () => {
    await resetSandbox();
    const { page, context } = await newPage(browser, { width: 360, height: 740 });
    try {
      await ehrLaunch(page, "modena-3");
      await page.getByRole("button", { name: "Send to EHR…" }).click();
      const dialog = page.getByRole("dialog", { name: "Send the findings to the EHR" });
      await dialog.waitFor();
      expect((await dialog.boundingBox())?.width).toBe(360);
      expect(await axeSerious(page)).toEqual([]);
      await page.screenshot({ path: artifactPath("writeback-review-360.png") });

      const proposals = dialog.locator("label").filter({ hasText: /^Order proposal/ });
      const offered = await proposals.count();
      expect(offered).toBeGreaterThan(0);
      const label = await proposals.first().textContent();
      const ruleId = /\[(G-[A-Z-]+)\]/.exec(label ?? "")?.[1];
      expect(ruleId, `rule id in "${label}"`).toBeTruthy();
      await proposals.first().getByRole("checkbox").uncheck();
      await expect.poll(() => dialog.getByTestId("writeback-note").textContent()).toContain("Not written: Deselected by the clinician.");
      await dialog.getByRole("button", { name: "Confirm and send" }).click();
      await page.getByText(/^Written to the EHR: \d+ created\.$/).waitFor({ timeout: 30_000 });

      const writes = await sandboxWrites();
      const requests = writes.filter((r) => r.resourceType === "ServiceRequest");
      expect(requests).toHaveLength(offered - 1);
      expect(requests.some((r) => JSON.stringify(r.reasonCode).includes(`[${ruleId}]`))).toBe(false);
      const note = writes.find((r) => r.resourceType === "DocumentReference");
      const text = note?.resourceType === "DocumentReference" ? decodeBase64Utf8(note.content[0].attachment.data ?? "") : "";
      expect(text).toMatch(new RegExp(`\\[${ruleId}\\][^\\n]*Not written: Deselected by the clinician\\.`));
    } finally {
      await context.close();
    }
  });
});

describe("a session that expires during a send", () => {
  it("keeps the record on screen, read-only, with the expiry banner; after a relaunch the notice says nothing was written", async () => {
    await resetSandbox();
    const { page, context } = await newPage(browser);
    try {
      await ehrLaunch(page, "modena-3");
      const send = page.getByRole("button", { name: "Send to EHR…" });
      await send.waitFor({ state: "visible", timeout: 30_000 });
      // From now on the EHR refuses this session's token, and its refresh: the session has ended.
      const { fhirBase, sandboxUrl, appOrigin } = stack();
      const cors = { "access-control-allow-origin": appOrigin, "access-control-expose-headers": "location, content-location" };
      await page.route(
        (url) => url.href.startsWith(fhirBase),
        (route) =>
          route.request().method() === "POST"
            ? route.fulfill({
                status: 401,
                headers: { ...cors, "content-type": "application/fhir+json" },
                body: JSON.stringify({
                  resourceType: "OperationOutcome",
                  issue: [{ severity: "error", code: "login", diagnostics: "Token expired" }],
                }),
              })
            : route.continue(),
      );
      await page.route(`${sandboxUrl}/auth/token`, (route) =>
        route.fulfill({
          status: 400,
          headers: { ...cors, "content-type": "application/json" },
          body: JSON.stringify({ error: "invalid_grant" }),
        }),
      );

      await send.click();
      await page.getByRole("dialog").getByRole("button", { name: "Confirm and send" }).click();
      await page.getByText(/^Your session with the EHR expired\./).waitFor({ timeout: 30_000 });
      await page.getByRole("dialog").getByRole("button", { name: "Close" }).click();
      const banner = page.getByRole("alert").filter({ hasText: "Session expired: relaunch from the EHR" });
      await banner.waitFor();
      await page.screenshot({ path: artifactPath("writeback-session-expired.png") });
      // The record is still on screen (not the expiry screen); an EHR launch can only be repeated by the EHR.
      expect(await page.locator('[data-app-phase="ready"]').count()).toBe(1);
      expect(await page.locator("#headline-heading").isVisible()).toBe(true);
      expect(await banner.textContent()).toContain("only the EHR can start that launch");
      expect(await banner.getByRole("link").count()).toBe(0);
      expect(await sandboxWrites()).toEqual([]);

      // Relaunched in this tab: the draft says exactly what the EHR holds.
      await page.unrouteAll();
      await page.reload();
      await waitForAppPhase(page, "ready");
      await page.getByText(/^Nothing from these findings was written to the EHR yet: \d+ were not sent\./).waitFor({ timeout: 30_000 });
    } finally {
      await context.close();
    }
  });
});
