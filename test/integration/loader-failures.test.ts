import { describe, expect, it } from "vitest";
import { loadPatientRecord } from "../../src/fhir";
import { SessionExpiredError } from "../../src/fhir";
import { HttpResponse } from "msw";
import { fhirJson, operationOutcome, createFhirClient } from "./helpers/fhir-client";
import type { LoadSnapshot } from "../../src/fhir/types";
import {
  BASE,
  PATIENT,
  ehr,
  resetEhr,
  CALCIUM,
  CREATININE,
  record,
  load,
  ids,
  progressOf,
  groupOf,
  calciumKey,
  kidneyKey,
  start,
  searchRequests,
  useFakeEhr,
} from "./helpers/fake-ehr";

useFakeEhr();

describe("the loader each search fails on its own, and says why", () => {
  it("marks ImagingStudy unavailable on a 403 and loads everything else", async () => {
    resetEhr(record({ studies: 2 }), {
      fault: ({ type }) => (type === "ImagingStudy" ? fhirJson(operationOutcome("forbidden", "scope"), { status: 403 }) : undefined),
    });
    const { result, sleeps } = await load();

    expect(progressOf(result, "ImagingStudy")).toMatchObject({
      state: "failed",
      resources: 0,
      requests: 1,
      failure: { kind: "forbidden", httpStatus: 403 },
    });
    expect(result.unavailable).toEqual([
      { resourceType: "ImagingStudy", reason: "failed", label: "Imaging studies", message: expect.stringMatching(/did not grant access/) },
    ]);
    expect(ids(result, "ImagingStudy")).toEqual([]);
    expect(result.progress.filter((p) => p.state !== "done").map((p) => p.key)).toEqual(["ImagingStudy"]);
    expect(ids(result, "DiagnosticReport")).toEqual(["DiagnosticReport/dr-0"]);
    expect(sleeps).toEqual([]); // a 403 is not retried
    expect(result.complete).toBe(true);
  });

  it("marks a type the EHR does not offer (404) as unavailable", async () => {
    resetEhr(record(), {
      fault: ({ type }) => (type === "DiagnosticReport" ? fhirJson(operationOutcome("not-supported", "no"), { status: 404 }) : undefined),
    });
    const { result } = await load();
    expect(progressOf(result, "DiagnosticReport")).toMatchObject({ state: "failed", failure: { kind: "not-found", httpStatus: 404 } });
    expect(result.unavailable.map((u) => u.resourceType)).toEqual(["DiagnosticReport"]);
  });

  it("waits as long as Retry-After says on a 429, then loads", async () => {
    resetEhr(record({ conditions: 3 }), {
      fault: ({ type, count }) =>
        type === "Condition" && count <= 2
          ? fhirJson(operationOutcome("throttled", "slow down"), { status: 429, headers: { "retry-after": "2" } })
          : undefined,
    });
    const { result, sleeps } = await load();

    expect(sleeps).toEqual([2000, 2000]);
    expect(progressOf(result, "Condition")).toMatchObject({ state: "done", resources: 3, requests: 3, retries: 2 });
    expect(result.unavailable).toEqual([]);
  });

  it("gives up on 429 after the bounded retries, and on a Retry-After too long to wait", async () => {
    resetEhr(record(), {
      fault: ({ type }) => {
        if (type === "Condition") return fhirJson(operationOutcome("throttled", "x"), { status: 429, headers: { "retry-after": "1" } });
        if (type === "ImagingStudy")
          return fhirJson(operationOutcome("throttled", "x"), { status: 429, headers: { "retry-after": "3600" } });
        return undefined;
      },
    });
    const { result, sleeps } = await load({ retry: { maxRetries: 2 } });

    expect(progressOf(result, "Condition")).toMatchObject({
      state: "failed",
      requests: 3,
      retries: 2,
      failure: { kind: "rate-limited", httpStatus: 429 },
    });
    expect(progressOf(result, "ImagingStudy")).toMatchObject({ state: "failed", requests: 1, failure: { kind: "rate-limited" } });
    expect(sleeps).toEqual([1000, 1000]);
    expect(result.unavailable.map((u) => u.resourceType).sort()).toEqual(["Condition", "ImagingStudy"]);
  });

  it("retries a 500 with backoff and then succeeds", async () => {
    resetEhr(record({ reports: 2 }), {
      fault: ({ type, count }) =>
        type === "DiagnosticReport" && count === 1 ? fhirJson(operationOutcome("exception", "boom"), { status: 500 }) : undefined,
    });
    const { result, sleeps } = await load({ retry: { baseDelayMs: 400 } });

    expect(progressOf(result, "DiagnosticReport")).toMatchObject({ state: "done", resources: 2, requests: 2, retries: 1 });
    // First backoff: half fixed, half jitter (random() = 0.5 here) of 400 ms.
    expect(sleeps).toEqual([300]);
    expect(result.unavailable).toEqual([]);
  });

  it("gives up on a persistent 5xx after bounded, growing backoff", async () => {
    resetEhr(record(), {
      fault: ({ type }) => (type === "DiagnosticReport" ? new HttpResponse("bad gateway", { status: 502 }) : undefined),
    });
    const { result, sleeps } = await load({ retry: { baseDelayMs: 100, maxRetries: 3 } });

    expect(progressOf(result, "DiagnosticReport")).toMatchObject({
      state: "failed",
      requests: 4,
      failure: { kind: "server-error", httpStatus: 502 },
    });
    expect(sleeps).toEqual([75, 150, 300]);
    expect(result.unavailable).toEqual([
      {
        resourceType: "DiagnosticReport",
        reason: "failed",
        label: "Imaging and pathology reports",
        message: expect.stringMatching(/error/),
      },
    ]);
  });

  it("marks a group unavailable when the EHR sends malformed JSON, without retrying", async () => {
    resetEhr(record({ creatinine: 5 }), {
      fault: ({ type, url }) =>
        type === "Observation" && url.searchParams.get("code")?.includes(CREATININE)
          ? new HttpResponse('{"resourceType":"Bundle","entry":[{"resource":', { headers: { "content-type": "application/fhir+json" } })
          : undefined,
    });
    const { result, sleeps } = await load();

    expect(progressOf(result, kidneyKey())).toMatchObject({ state: "failed", requests: 1, failure: { kind: "malformed" } });
    expect(result.unavailable).toEqual([
      { resourceType: "Observation", group: groupOf(CREATININE), reason: "failed", message: expect.stringMatching(/not valid FHIR JSON/) },
    ]);
    expect(ids(result).filter((r) => r.startsWith("Observation/cr-"))).toEqual([]);
    expect(progressOf(result, calciumKey()).state).toBe("done");
    expect(sleeps).toEqual([]);
  });

  it("treats a 200 that is not a Bundle (an HTML error page) as malformed", async () => {
    resetEhr(record(), {
      fault: ({ type }) =>
        type === "Condition" ? new HttpResponse("<html>Login</html>", { headers: { "content-type": "text/html" } }) : undefined,
    });
    const { result } = await load();
    expect(progressOf(result, "Condition")).toMatchObject({ state: "failed", failure: { kind: "malformed" } });
  });

  it("marks a search unavailable after network errors, retrying a bounded number of times", async () => {
    resetEhr(record(), { fault: ({ type }) => (type === "ImagingStudy" ? HttpResponse.error() : undefined) });
    const { result, sleeps } = await load({ retry: { maxRetries: 1 } });
    expect(progressOf(result, "ImagingStudy")).toMatchObject({ state: "failed", requests: 2, failure: { kind: "network" } });
    expect(sleeps).toHaveLength(1);
  });

  it("keeps the pages loaded before a later page fails, and reports them as truncated", async () => {
    resetEhr(record({ calcium: 30 }), {
      maxPageSize: 10,
      fault: ({ type, url }) =>
        type === "Observation" && url.searchParams.get("_page") === "2"
          ? fhirJson(operationOutcome("forbidden", "x"), { status: 403 })
          : undefined,
    });
    const { result } = await load();
    expect(progressOf(result, calciumKey())).toMatchObject({ state: "failed", pages: 2, resources: 20, failure: { kind: "forbidden" } });
    expect(result.unavailable).toContainEqual(
      expect.objectContaining({ resourceType: "Observation", group: groupOf(CALCIUM), reason: "truncated" }),
    );
  });

  it("ends with SessionExpiredError on a 401 and stops the other searches", async () => {
    resetEhr(record({ calcium: 200 }), {
      maxPageSize: 10,
      latencyMs: 2,
      fault: ({ type, url }) =>
        type === "Observation" && url.searchParams.get("_page") === "3"
          ? fhirJson(operationOutcome("login", "expired"), { status: 401 })
          : undefined,
    });
    const client = createFhirClient({ serverUrl: BASE, patientId: PATIENT });
    const snapshots: LoadSnapshot[] = [];
    const error = await loadPatientRecord(client, {}, (s) => snapshots.push(s)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SessionExpiredError);
    const last = (error as SessionExpiredError).snapshot!;
    expect(progressOf(last, calciumKey())).toMatchObject({ state: "failed", failure: { kind: "session-expired" } });
    expect(progressOf(last, calciumKey()).resources).toBe(30);
    expect(snapshots.at(-1)).toEqual(last);
    const requestsAtEnd = ehr.log.length;
    await new Promise((r) => setTimeout(r, 30));
    expect(ehr.log.length).toBe(requestsAtEnd);
    expect(ehr.log.filter((l) => l.url.searchParams.get("_page") === "4")).toEqual([]);
  });

  it("honours an abort signal", async () => {
    resetEhr(record({ calcium: 100 }), { maxPageSize: 10, latencyMs: 2 });
    const controller = new AbortController();
    const client = createFhirClient({ serverUrl: BASE, patientId: PATIENT });
    const pending = loadPatientRecord(client, { signal: controller.signal }, (s) => {
      if (progressOf(s, calciumKey()).pages === 2) controller.abort();
    });
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    const sent = ehr.log.length;
    await new Promise((r) => setTimeout(r, 20));
    expect(ehr.log.length).toBe(sent);
    expect(ehr.log.filter((l) => l.type === "Observation" && l.url.searchParams.get("_page") === "5")).toEqual([]);
  });

  it("a search that never answers times out per attempt, is retried, then reported: the load always ends", async () => {
    resetEhr(record(), { fault: ({ type }) => (type === "DiagnosticReport" ? new Promise<Response>(() => {}) : undefined) });
    const { result, sleeps } = await load({ attemptTimeoutMs: 50, retry: { maxRetries: 2 } });
    expect(result.complete).toBe(true);
    expect(progressOf(result, "DiagnosticReport")).toMatchObject({ state: "failed", requests: 3, failure: { kind: "timeout" } });
    expect(progressOf(result, "DiagnosticReport").failure!.message).toMatch(/did not answer in time/);
    expect(sleeps).toHaveLength(2);
    expect(result.unavailable).toEqual([expect.objectContaining({ resourceType: "DiagnosticReport", reason: "failed" })]);
    expect(progressOf(result, "Condition").state).toBe("done");
  });

  it("retries one failed search on request, keeping the rest, and ends complete again", async () => {
    let broken = true;
    resetEhr(record({ reports: 2 }), {
      fault: ({ type }) =>
        type === "DiagnosticReport" && broken ? fhirJson(operationOutcome("forbidden", "no"), { status: 403 }) : undefined,
    });
    const { handle, snapshots } = start();
    const first = await handle.finished;
    expect(progressOf(first, "DiagnosticReport").state).toBe("failed");
    const before = snapshots.length;
    broken = false;
    const again = await handle.retry(["DiagnosticReport"]);
    expect(progressOf(again, "DiagnosticReport")).toMatchObject({ state: "done", resources: 2 });
    expect(again.unavailable).toEqual([]);
    expect(again.complete).toBe(true);
    expect(ids(again)).toEqual(expect.arrayContaining(ids(first)));
    // While it runs again the record is not complete, and the UI is told so.
    expect(snapshots.slice(before).some((s) => !s.complete)).toBe(true);
    expect(searchRequests("Condition")).toHaveLength(1);
  });
});
