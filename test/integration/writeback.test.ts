import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { setupServer } from "msw/node";
import type { DocumentReference, Provenance, Resource, ServiceRequest } from "fhir/r4";
import { createFhirClient } from "./helpers/fhir-client";
import { createFakeEhr, type FakeEhr, type FakeEhrOptions } from "./writeback-fake-ehr";
import { readCapabilities } from "../../src/fhir/capabilities";
import { executeWriteBack, itemOutcomes, type WriteResult } from "../../src/fhir/submit";
import { draftNotice } from "../../src/writeback/draftNotice";
import { planWriteBack } from "../../src/writeback/plan";
import { decodeBase64Utf8 } from "../../src/writeback/identifiers";
import { ALL_WRITE_V2, context, modena3 } from "../unit/writeback/fixtures";
import { indexR4, r4Issues } from "../unit/writeback/validate";

const BASE = "https://ehr.test/fhir";
const server = setupServer();
let ehr: FakeEhr | null = null;

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
// Index the R4 definitions once, before the clock of the first test starts (it takes seconds).
beforeAll(() => indexR4(), 60_000);
vi.setConfig({ testTimeout: 30_000 });
afterEach(() => {
  ehr?.release();
  ehr = null;
  server.resetHandlers();
});
afterAll(() => server.close());

function setup(options: Omit<FakeEhrOptions, "base"> & { granted?: string }) {
  const granted = options.granted ?? ALL_WRITE_V2;
  ehr = createFakeEhr({ base: BASE, scopes: granted, ...options });
  server.use(...ehr.handlers);
  const client = createFhirClient({ serverUrl: BASE, patientId: "modena-3", scope: granted });
  return { ehr, client, granted };
}

/** Capabilities read from the fake EHR's /metadata by the loader's own reader, then plan + send. */
async function send(s: ReturnType<typeof setup>, options: { includeCondition?: boolean; timeoutMs?: number } = {}): Promise<WriteResult> {
  const capabilities = await readCapabilities(s.client);
  const submission = planWriteBack({
    assessment: modena3(),
    context: context("modena-3"),
    choices: { includeCondition: options.includeCondition ?? true },
    capabilities,
    grantedScopes: s.granted,
  });
  return executeWriteBack(s.client, submission, { timeoutMs: options.timeoutMs ?? 5_000 });
}

const ALL_COUNTS = { DocumentReference: 1, Condition: 1, DetectedIssue: 2, ServiceRequest: 3, Provenance: 1 };

async function expectStoredWellFormedAndLinked(fake: FakeEhr) {
  const stored: Resource[] = [];
  for (const type of ["DocumentReference", "Condition", "DetectedIssue", "ServiceRequest", "Provenance"])
    stored.push(...(await fake.all(type)));
  const ids = new Set(stored.map((r) => `${r.resourceType}/${r.id}`));
  for (const resource of stored) {
    expect(r4Issues(resource)).toEqual([]);
    const json = JSON.stringify(resource);
    expect(json).not.toContain("urn:uuid:");
    // Every reference to a written-back type points to a stored resource.
    for (const m of json.matchAll(/"reference":"((DocumentReference|Condition|DetectedIssue|ServiceRequest|Provenance)\/[^"]+)"/g)) {
      if (m[1].startsWith("Condition/modena-")) continue; // evidence in the chart
      expect(ids.has(m[1]), m[1]).toBe(true);
    }
  }
  const [prov] = (await fake.all<Provenance>("Provenance")) as Provenance[];
  expect(prov.target.map((t) => t.reference).sort()).toEqual([...ids].filter((id) => !id.startsWith("Provenance/")).sort());
}

describe("transaction supported", () => {
  test("one transaction, everything created and linked; sending again duplicates nothing", async () => {
    const s = setup({ transaction: true, conditionalCreate: true });
    const first = await send(s);
    expect(first.mode).toBe("transaction");
    expect(s.ehr.writes()).toHaveLength(1);
    expect(s.ehr.writes()[0]).toMatchObject({
      path: "/",
      entries: [
        "Condition",
        "DetectedIssue",
        "DetectedIssue",
        "ServiceRequest",
        "ServiceRequest",
        "ServiceRequest",
        "DocumentReference",
        "Provenance",
      ],
    });
    expect(first.created).toHaveLength(8);
    expect(first.created.every((c) => !c.existed)).toBe(true);
    expect(first.refused).toEqual([]);
    expect(first.complete).toBe(true);
    expect(first.noteWritten).toBe(true);
    expect(await s.ehr.counts()).toEqual(ALL_COUNTS);
    await expectStoredWellFormedAndLinked(s.ehr);
    const conditionId = first.created.find((c) => c.resourceType === "Condition")!.id;
    for (const sr of await s.ehr.all<ServiceRequest>("ServiceRequest"))
      expect(sr.reasonReference).toEqual([{ reference: `Condition/${conditionId}` }]);

    const second = await send(s);
    expect(second.created.map((c) => c.existed)).toEqual(Array(8).fill(true));
    expect(second.created.map((c) => c.reference)).toEqual(first.created.map((c) => c.reference));
    expect(await s.ehr.counts()).toEqual(ALL_COUNTS);
  });
});

describe("only single creates (no transaction)", () => {
  test("ordered, one at a time, each with If-None-Exist; links use server ids; no duplicate on resend", async () => {
    const s = setup({ transaction: false, conditionalCreate: true });
    const first = await send(s);
    expect(first.mode).toBe("single");
    const writes = s.ehr.writes();
    expect(writes.map((w) => w.path)).toEqual([
      "/Condition",
      "/DetectedIssue",
      "/DetectedIssue",
      "/ServiceRequest",
      "/ServiceRequest",
      "/ServiceRequest",
      "/DocumentReference",
      "/Provenance",
    ]);
    for (const w of writes)
      expect(w.ifNoneExist).toMatch(/^(identifier|_tag)=https%3A%2F%2Fcalcinosis-app\.example\.org%2Ffhir%2Ffinding%7C[0-9a-f]{64}$/);
    expect(s.ehr.maxInFlight).toBe(1);
    expect(await s.ehr.counts()).toEqual(ALL_COUNTS);
    await expectStoredWellFormedAndLinked(s.ehr);

    const second = await send(s);
    expect(second.created.every((c) => c.existed)).toBe(true);
    expect(await s.ehr.counts()).toEqual(ALL_COUNTS);
    expect(s.ehr.maxInFlight).toBe(1);
  });
});

describe("no conditional create", () => {
  test("the fake EHR really ignores If-None-Exist (so the test below means something)", async () => {
    const s = setup({ transaction: false, conditionalCreate: false });
    const doc = {
      resourceType: "DocumentReference",
      status: "current",
      identifier: [{ system: "https://x.example/id", value: "v" }],
      content: [{ attachment: { contentType: "text/plain", data: "eA==" } }],
    };
    for (let i = 0; i < 2; i++) {
      await s.client.request({
        url: "DocumentReference",
        method: "POST",
        body: JSON.stringify(doc),
        headers: { "content-type": "application/fhir+json", "if-none-exist": "identifier=https://x.example/id|v" },
      });
    }
    expect((await s.ehr.counts()).DocumentReference).toBe(2);
  });

  test("search by identifier before each create; sending again writes nothing", async () => {
    const s = setup({ transaction: true, conditionalCreate: false });
    const first = await send(s);
    expect(first.mode).toBe("single");
    const sequence = s.ehr.log
      .filter((r) => r.path !== "/metadata")
      .map((r) => `${r.method} ${r.path}${r.method === "GET" ? (r.search.includes("_tag=") ? "?_tag" : "?identifier") : ""}`);
    expect(sequence.slice(0, 4)).toEqual([
      "GET /Condition?identifier",
      "POST /Condition",
      "GET /DetectedIssue?identifier",
      "POST /DetectedIssue",
    ]);
    expect(sequence.slice(-2)).toEqual(["GET /Provenance?_tag", "POST /Provenance"]);
    expect(await s.ehr.counts()).toEqual(ALL_COUNTS);

    const before = s.ehr.writes().length;
    const second = await send(s);
    expect(s.ehr.writes().length).toBe(before); // found every one: no POST at all
    expect(second.created.every((c) => c.existed)).toBe(true);
    expect(await s.ehr.counts()).toEqual(ALL_COUNTS);
  });
});

describe("422 on the Condition", () => {
  const message = "Condition.code: SNOMED 61778004 is not in the problem list value set of this EHR";
  const outcome = { resourceType: "OperationOutcome", issue: [{ severity: "error", code: "invalid", diagnostics: message }] } as const;

  test("single creates: refused with the server's message, the rest written, links re-pointed, folded into the note", async () => {
    const s = setup({ transaction: false, conditionalCreate: true });
    s.ehr.fault({ kind: "refuse", type: "Condition", status: 422, outcome: outcome as never });
    const result = await send(s);
    expect(result.refused).toEqual([
      {
        key: "condition",
        resourceType: "Condition",
        description: "Provisional diagnosis: tumoral calcinosis (right back/chest wall)",
        status: 422,
        message,
        foldedIntoNote: true,
      },
    ]);
    expect(await s.ehr.counts()).toEqual({ ...ALL_COUNTS, Condition: 0 });
    await expectStoredWellFormedAndLinked(s.ehr);
    const issueId = result.created.find((c) => c.key.startsWith("issue:PC-SIZE"))!.id;
    for (const sr of await s.ehr.all<ServiceRequest>("ServiceRequest"))
      expect(sr.reasonReference).toEqual([{ reference: `DetectedIssue/${issueId}` }]);
    const [doc] = await s.ehr.all<DocumentReference>("DocumentReference");
    const text = decodeBase64Utf8(doc.content[0].attachment.data!);
    expect(text).toContain(
      `- Provisional diagnosis: tumoral calcinosis (right back/chest wall). Not written: The EHR refused it (HTTP 422): ${message}.`,
    );
    expect(result.noteText).toBe(text);
  });

  test("transaction: the refused transaction is sent one by one instead; same outcome", async () => {
    const s = setup({ transaction: true, conditionalCreate: true });
    s.ehr.fault({ kind: "refuse", type: "Condition", status: 422, outcome: outcome as never });
    const result = await send(s);
    expect(result.notes[0]).toMatch(/^The EHR refused to save everything together \(HTTP 422: Condition\.code: SNOMED 61778004/);
    expect(result.refused.map((r) => [r.resourceType, r.status, r.message])).toEqual([["Condition", 422, message]]);
    expect(await s.ehr.counts()).toEqual({ ...ALL_COUNTS, Condition: 0 });
    await expectStoredWellFormedAndLinked(s.ehr);
  });

  test("405 and 403 are refusals too, with the server's text", async () => {
    const s = setup({ transaction: false, conditionalCreate: true });
    s.ehr.fault({ kind: "refuse", type: "ServiceRequest", status: 405, text: "Method Not Allowed for ServiceRequest" });
    s.ehr.fault({
      kind: "refuse",
      type: "Provenance",
      status: 403,
      outcome: {
        resourceType: "OperationOutcome",
        issue: [{ severity: "error", code: "forbidden", details: { text: "Provenance is written by the EHR only" } }],
      },
    });
    const result = await send(s, { includeCondition: false });
    expect(result.refused.map((r) => [r.resourceType, r.status, r.message])).toEqual([
      ["ServiceRequest", 405, "Method Not Allowed for ServiceRequest"],
      ["ServiceRequest", 405, "Method Not Allowed for ServiceRequest"],
      ["ServiceRequest", 405, "Method Not Allowed for ServiceRequest"],
      ["Provenance", 403, "Provenance is written by the EHR only"],
    ]);
    expect(result.noteWritten).toBe(true);
    expect(result.refused.filter((r) => r.foldedIntoNote).map((r) => r.resourceType)).toEqual([
      "ServiceRequest",
      "ServiceRequest",
      "ServiceRequest",
    ]);
  });
});

describe("a timeout after the server committed", () => {
  test("single create: the timeout is followed by a search, not a repeat; retry duplicates nothing", async () => {
    const s = setup({ transaction: false, conditionalCreate: true });
    s.ehr.fault({ kind: "hang-after-commit", type: "DetectedIssue" });
    const first = await send(s, { timeoutMs: 150 });
    const issue = first.created.find((c) => c.resourceType === "DetectedIssue")!;
    expect(issue.confirmedAfterFailure).toBe(true);
    const posts = s.ehr.writes().filter((w) => w.path === "/DetectedIssue");
    expect(posts).toHaveLength(2); // two different DetectedIssues, each POSTed once
    const afterTimeout = s.ehr.log.findIndex((r) => r.method === "POST" && r.path === "/DetectedIssue");
    expect(s.ehr.log[afterTimeout + 1]).toMatchObject({ method: "GET", path: "/DetectedIssue" });
    expect(first.complete).toBe(true);
    expect(await s.ehr.counts()).toEqual(ALL_COUNTS);

    const retry = await send(s, { timeoutMs: 150 });
    expect(retry.created.every((c) => c.existed)).toBe(true);
    expect(await s.ehr.counts()).toEqual(ALL_COUNTS);
  });

  test("transaction: a search shows it committed; nothing is sent again", async () => {
    const s = setup({ transaction: true, conditionalCreate: true });
    s.ehr.fault({ kind: "hang-after-commit", type: "transaction" });
    const result = await send(s, { timeoutMs: 150 });
    expect(s.ehr.writes()).toHaveLength(1);
    expect(result.created).toHaveLength(8);
    expect(result.created.every((c) => c.confirmedAfterFailure)).toBe(true);
    expect(result.pending).toEqual([]);
    expect(await s.ehr.counts()).toEqual(ALL_COUNTS);
  });

  test("a dropped connection after the commit is handled the same way", async () => {
    const s = setup({ transaction: false, conditionalCreate: false });
    s.ehr.fault({ kind: "drop-after-commit", type: "DocumentReference" });
    const result = await send(s);
    expect(result.created.find((c) => c.key === "note")?.confirmedAfterFailure).toBe(true);
    expect(await s.ehr.counts()).toEqual(ALL_COUNTS);
  });

  test("no commit: the search shows nothing was saved, the run stops, Retry writes it once", async () => {
    const s = setup({ transaction: false, conditionalCreate: true });
    s.ehr.fault({ kind: "hang-before-commit", type: "ServiceRequest" });
    const first = await send(s, { timeoutMs: 150 });
    expect(first.complete).toBe(false);
    expect(first.pending.map((p) => p.resourceType)).toEqual([
      "ServiceRequest",
      "ServiceRequest",
      "ServiceRequest",
      "DocumentReference",
      "Provenance",
    ]);
    expect(first.pending[0].reason).toMatch(/did not answer within 0\.2 s\. A search shows the EHR did not save it\. Retry is safe/);
    expect(await s.ehr.counts()).toEqual({ DocumentReference: 0, Condition: 1, DetectedIssue: 2, ServiceRequest: 0, Provenance: 0 });

    const retry = await send(s, { timeoutMs: 150 });
    expect(retry.complete).toBe(true);
    expect(retry.created.filter((c) => c.existed).map((c) => c.resourceType)).toEqual(["Condition", "DetectedIssue", "DetectedIssue"]);
    expect(await s.ehr.counts()).toEqual(ALL_COUNTS);
    await expectStoredWellFormedAndLinked(s.ehr);
  });
});

describe("a timeout when the app may create but not search (least privilege: `.c` only)", () => {
  const CREATE_ONLY = "launch openid fhirUser patient/Patient.r patient/*.c";

  test("single create committed, answer lost: asked again with If-None-Exist, found, no copy", async () => {
    const s = setup({ transaction: false, conditionalCreate: true, granted: CREATE_ONLY });
    s.ehr.fault({ kind: "hang-after-commit", type: "DetectedIssue" });
    const result = await send(s, { timeoutMs: 150 });
    expect(s.ehr.log.some((r) => r.method === "GET" && r.path !== "/metadata")).toBe(false); // no search: not allowed
    const posts = s.ehr.writes().filter((w) => w.path === "/DetectedIssue");
    expect(posts).toHaveLength(3); // two issues, the first asked twice
    expect(posts.every((p) => p.ifNoneExist?.startsWith("identifier="))).toBe(true);
    const issue = result.created.find((c) => c.resourceType === "DetectedIssue")!;
    expect(issue).toMatchObject({ existed: true, confirmedAfterFailure: true });
    expect(result.complete).toBe(true);
    expect(await s.ehr.counts()).toEqual(ALL_COUNTS);
  });

  test("not committed: asking again creates it, once", async () => {
    const s = setup({ transaction: false, conditionalCreate: true, granted: CREATE_ONLY });
    s.ehr.fault({ kind: "hang-before-commit", type: "DocumentReference" });
    const result = await send(s, { timeoutMs: 150 });
    expect(result.created.find((c) => c.key === "note")).toMatchObject({ existed: false, confirmedAfterFailure: true });
    expect(await s.ehr.counts()).toEqual(ALL_COUNTS);
  });

  test("transaction committed, answer lost: the conditional transaction is sent once more, nothing doubles", async () => {
    const s = setup({ transaction: true, conditionalCreate: true, granted: CREATE_ONLY });
    s.ehr.fault({ kind: "hang-after-commit", type: "transaction" });
    const result = await send(s, { timeoutMs: 150 });
    expect(s.ehr.writes()).toHaveLength(2);
    expect(result.created.every((c) => c.existed && c.confirmedAfterFailure)).toBe(true);
    expect(await s.ehr.counts()).toEqual(ALL_COUNTS);
  });

  test("still no answer the second time: left pending, and Retry later writes it once", async () => {
    const s = setup({ transaction: false, conditionalCreate: true, granted: CREATE_ONLY });
    s.ehr.fault({ kind: "hang-after-commit", type: "ServiceRequest", times: 2 });
    const first = await send(s, { timeoutMs: 150 });
    expect(first.pending.map((p) => p.resourceType)).toEqual([
      "ServiceRequest",
      "ServiceRequest",
      "ServiceRequest",
      "DocumentReference",
      "Provenance",
    ]);
    expect(first.pending[0].reason).toMatch(/Retry is safe/);
    const retry = await send(s, { timeoutMs: 150 });
    expect(retry.complete).toBe(true);
    expect(await s.ehr.counts()).toEqual(ALL_COUNTS);
  });
});

describe("scopes without .c", () => {
  test("copy-only: nothing is sent, the note is there to copy", async () => {
    const granted = "launch openid fhirUser patient/Patient.r patient/Observation.rs patient/Condition.rs patient/DocumentReference.rs";
    const s = setup({ transaction: true, conditionalCreate: true, granted });
    const result = await send(s);
    expect(result.mode).toBe("copy-only");
    expect(s.ehr.writes()).toEqual([]);
    expect(s.ehr.log.filter((r) => r.path !== "/metadata")).toEqual([]);
    expect(result.created).toEqual([]);
    expect(result.skipped.map((x) => x.resourceType)).toEqual([
      "Condition",
      "DetectedIssue",
      "DetectedIssue",
      "ServiceRequest",
      "ServiceRequest",
      "ServiceRequest",
      "DocumentReference",
      "Provenance",
    ]);
    expect(result.noteText).toContain("Finding id:");
    expect(result.noteWritten).toBe(false);
  });

  test("v1 patient/DocumentReference.write only: just the note, conditional", async () => {
    const s = setup({
      transaction: false,
      conditionalCreate: true,
      granted: "launch openid fhirUser patient/*.read patient/DocumentReference.write",
    });
    const result = await send(s);
    expect(result.created.map((c) => c.resourceType)).toEqual(["DocumentReference"]);
    expect(await s.ehr.counts()).toEqual({ DocumentReference: 1, Condition: 0, DetectedIssue: 0, ServiceRequest: 0, Provenance: 0 });
    const [doc] = await s.ehr.all<DocumentReference>("DocumentReference");
    expect(decodeBase64Utf8(doc.content[0].attachment.data!)).toContain("NOT RECORDED AS STRUCTURED DATA");
  });
});

describe("session expiry mid-run", () => {
  test("stops, keeps the rest pending, says so; a relaunch then completes without duplicates", async () => {
    const s = setup({ transaction: false, conditionalCreate: true });
    s.ehr.fault({ kind: "session-expired", type: "ServiceRequest" });
    const first = await send(s);
    expect(first.sessionExpired).toBe(true);
    expect(first.pending[0].reason).toMatch(/session expired/i);
    expect(first.created.map((c) => c.resourceType)).toEqual(["Condition", "DetectedIssue", "DetectedIssue"]);
    const relaunched = { ...s, client: createFhirClient({ serverUrl: BASE, patientId: "modena-3", scope: s.granted }) };
    const second = await send(relaunched);
    expect(second.complete).toBe(true);
    expect(await s.ehr.counts()).toEqual(ALL_COUNTS);
  });
});

describe("a server error (500) after the EHR may have saved it (issue 10)", () => {
  const CREATE_ONLY = "launch openid fhirUser patient/Patient.r patient/*.c";
  const notice = (result: WriteResult) =>
    draftNotice({
      version: 2,
      findingId: "f",
      choices: { includeCondition: true },
      state: "partial",
      items: itemOutcomes(result),
      updatedAt: "",
    });

  test("single create committed, answered 500: a search shows it saved; not sent again, reported as written", async () => {
    const s = setup({ transaction: false, conditionalCreate: true });
    s.ehr.fault({ kind: "error-after-commit", type: "DocumentReference" });
    const result = await send(s);
    const note = result.created.find((c) => c.key === "note")!;
    expect(note).toMatchObject({ existed: false, confirmedAfterFailure: true });
    expect(s.ehr.writes().filter((w) => w.path === "/DocumentReference")).toHaveLength(1);
    const afterError = s.ehr.log.findIndex((r) => r.method === "POST" && r.path === "/DocumentReference");
    expect(s.ehr.log[afterError + 1]).toMatchObject({ method: "GET", path: "/DocumentReference" });
    expect(result.complete).toBe(true);
    expect(itemOutcomes(result).note).toEqual({ state: "written", reference: note.reference });
    expect(await s.ehr.counts()).toEqual(ALL_COUNTS);
  });

  test("answered 500 and the app may not search: asked again with If-None-Exist, found, no copy", async () => {
    const s = setup({ transaction: false, conditionalCreate: true, granted: CREATE_ONLY });
    s.ehr.fault({ kind: "error-after-commit", type: "DocumentReference" });
    const result = await send(s);
    expect(result.created.find((c) => c.key === "note")).toMatchObject({ existed: true, confirmedAfterFailure: true });
    expect(await s.ehr.counts()).toEqual(ALL_COUNTS);
  });

  test("no way to confirm: 'may have been saved' (the EHR holds it), never 'nothing was written'; Retry finds it", async () => {
    const s = setup({ transaction: false, conditionalCreate: true, granted: CREATE_ONLY });
    s.ehr.fault({ kind: "error-after-commit", type: "Condition", times: 2 });
    const first = await send(s);
    expect(first.created).toEqual([]);
    expect(first.pending[0]).toMatchObject({ key: "condition", saved: "unknown" });
    expect(first.pending[0].reason).toMatch(
      /^The EHR answered with an error \(HTTP 500: Internal error after saving\) after receiving it: it may have been saved\./,
    );
    expect(first.pending.slice(1).every((p) => p.saved === "not-saved")).toBe(true);
    expect((await s.ehr.counts()).Condition).toBe(1); // the EHR does hold it
    expect(itemOutcomes(first).condition).toEqual({ state: "may-be-saved" });
    expect(notice(first)).toBe(
      "From an earlier send: 1 may have been saved (the EHR's answer was lost) and 7 were not sent. Sending again completes it and never makes a copy.",
    );
    const retry = await send(s);
    expect(retry.created.find((c) => c.key === "condition")?.existed).toBe(true);
    expect(await s.ehr.counts()).toEqual(ALL_COUNTS);
  });

  test("a 500 without a commit: the search shows it was not saved, so it is 'not sent', and Retry writes it once", async () => {
    const s = setup({ transaction: false, conditionalCreate: true });
    s.ehr.fault({ kind: "error-before-commit", type: "Condition" });
    const first = await send(s);
    expect(first.pending[0]).toMatchObject({ key: "condition", saved: "not-saved" });
    expect(first.pending[0].reason).toMatch(/A search shows the EHR did not save it\. Retry is safe/);
    expect(notice(first)).toBe(
      "Nothing from these findings was written to the EHR yet: 8 were not sent. Sending again is safe: it never makes a copy.",
    );
    expect((await s.ehr.counts()).Condition).toBe(0);
    const retry = await send(s);
    expect(retry.complete).toBe(true);
    expect(await s.ehr.counts()).toEqual(ALL_COUNTS);
  });

  test("transaction committed, answered 500: a search per resource shows it saved; nothing sent again", async () => {
    const s = setup({ transaction: true, conditionalCreate: true });
    s.ehr.fault({ kind: "error-after-commit", type: "transaction" });
    const result = await send(s);
    expect(s.ehr.writes()).toHaveLength(1);
    expect(result.created).toHaveLength(8);
    expect(result.created.every((c) => c.confirmedAfterFailure)).toBe(true);
    expect(Object.values(itemOutcomes(result)).every((o) => o.state === "written")).toBe(true);
    expect(await s.ehr.counts()).toEqual(ALL_COUNTS);
  });
});

describe("what the draft keeps after a session expiry", () => {
  test("expired at the first item: nothing was written, and the notice says so", async () => {
    const s = setup({ transaction: false, conditionalCreate: true });
    s.ehr.fault({ kind: "session-expired", type: "Condition" });
    const result = await send(s);
    expect(result.sessionExpired).toBe(true);
    expect(Object.values(itemOutcomes(result)).map((o) => o.state)).toEqual(Array(8).fill("not-sent"));
    const text = draftNotice({
      version: 2,
      findingId: "f",
      choices: { includeCondition: true },
      state: "partial",
      items: itemOutcomes(result),
      updatedAt: "",
    });
    expect(text).toMatch(/^Nothing from these findings was written to the EHR yet: 8 were not sent\./);
    expect(await s.ehr.counts()).toEqual({ DocumentReference: 0, Condition: 0, DetectedIssue: 0, ServiceRequest: 0, Provenance: 0 });
  });

  test("expired mid-run: what was written (with its reference) and what was not", async () => {
    const s = setup({ transaction: false, conditionalCreate: true });
    s.ehr.fault({ kind: "session-expired", type: "ServiceRequest" });
    const result = await send(s);
    const items = itemOutcomes(result);
    const written = Object.entries(items).filter(([, o]) => o.state === "written");
    expect(written.map(([key]) => key.split(":")[0])).toEqual(["condition", "issue", "issue"]);
    for (const [key, o] of written) expect(o.reference).toBe(result.created.find((c) => c.key === key)!.reference);
    expect(Object.values(items).filter((o) => o.state === "not-sent")).toHaveLength(5);
  });
});
