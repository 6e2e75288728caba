import { describe, expect, it } from "vitest";
import { OBSERVATION_CODE_GROUPS } from "../../src/clinical/codes";
import { loadPatientRecord } from "../../src/fhir";
import { assess } from "../../src/clinical";
import { loadDemoPatients } from "../../sandbox/data";
import { fhirJson, operationOutcome, createFhirClient } from "./helpers/fhir-client";
import type { LoadSnapshot } from "../../src/fhir/types";
import type { Assessment } from "../../src/clinical/types";
import { readyToAssess, unavailableFor } from "../../src/ui/record/useRecord";
import {
  BASE,
  PATIENT,
  ehr,
  resetEhr,
  codes,
  CALCIUM,
  CREATININE,
  record,
  load,
  ids,
  progressOf,
  searchRequests,
  groupOf,
  observationKeys,
  calciumKey,
  kidneyKey,
  roundClock,
  useFakeEhr,
  type Res,
} from "./helpers/fake-ehr";

useFakeEhr();

describe("the loader loads the whole record: every search at once, streamed, with the EHR's quirks", () => {
  it("loads every resource type, with the patient parameter built by hand and no per-search /metadata", async () => {
    resetEhr(record());
    const { result } = await load();

    expect(ids(result)).toEqual(ehr.resources.map((r) => `${r.resourceType}/${r.id}`).sort());
    expect(result.complete).toBe(true);
    expect(result.unavailable).toEqual([]);
    expect(result.strays).toEqual([]);
    expect(result.progress.every((p) => p.state === "done")).toBe(true);
    // One search per type, one per Observation analyte (within its group), one Patient read.
    expect(result.progress.map((p) => p.key).sort()).toEqual(
      [
        "Condition",
        "DiagnosticReport",
        "DocumentReference",
        "ImagingStudy",
        "MedicationRequest",
        "Patient",
        "Procedure",
        ...observationKeys().map((p) => p.key),
      ].sort(),
    );
    expect(calciumKey()).not.toBe(kidneyKey());
    expect(progressOf(result, calciumKey()).group).toBe(groupOf(CALCIUM));
    for (const l of ehr.log.filter((x) => x.type !== "Patient")) {
      expect(l.url.searchParams.get("patient")).toBe(PATIENT);
      expect(l.url.searchParams.get("_count")).toBe("1000");
    }
    for (const l of searchRequests("Observation")) {
      expect(l.url.searchParams.get("_sort")).toBe("-date");
      expect(l.url.searchParams.has("category")).toBe(false);
    }
    expect(searchRequests("Patient")[0].url.pathname).toBe(`/fhir/Patient/${PATIENT}`);
    // The CapabilityStatement is read once, beside the searches, and summarised for write-back.
    expect(ehr.metadataCalls).toBe(1);
    expect(result.capabilities).toEqual({
      fhirVersion: "4.0.1",
      transaction: true,
      batch: false,
      resources: {
        DocumentReference: { interactions: ["create", "search-type"], conditionalCreate: true, searchParams: [] },
        Observation: { interactions: ["read", "search-type"], conditionalCreate: false, searchParams: ["code"] },
      },
    });
  });

  it("pages over many pages, starting every search at once with at most 6 requests in flight", async () => {
    // 250 calcium results, 10 per page: a 25-page chain next to ten one-page searches.
    resetEhr(record({ calcium: 250, creatinine: 30 }), { maxPageSize: 10, latencyMs: 3 });
    const { result, snapshots } = await load();

    const calcium = progressOf(result, calciumKey());
    expect(calcium).toMatchObject({ state: "done", pages: 25, resources: 250, total: 250, requests: 25 });
    expect(progressOf(result, kidneyKey())).toMatchObject({ state: "done", pages: 3, resources: 30 });
    expect(ids(result, "Observation")).toHaveLength(250 + 30 + 1);
    expect(result.stats).toMatchObject({ longestChain: 25, retries: 0 });

    expect(ehr.maxInFlight).toBeLessThanOrEqual(6);
    expect(ehr.maxInFlight).toBe(6);
    // What the first assessment needs goes out in the first wave, beside the long chain's start.
    const firstWave = ehr.log.slice(0, 6);
    expect(firstWave.map((l) => l.type)).toEqual(expect.arrayContaining(["Patient", "Condition", "DiagnosticReport", "ImagingStudy"]));
    expect(firstWave.some((l) => l.url.searchParams.get("code")?.includes(CALCIUM))).toBe(true);
    // Every search has started long before the long chain ends (the small ones fill the gaps).
    const lastCalciumPage = ehr.log.findIndex((l) => l.url.searchParams.get("_page") === "24");
    const firstRequestOf = new Map<string, number>();
    ehr.log.forEach((l, i) => {
      const id = `${l.type}?${l.url.searchParams.get("code") ?? ""}`;
      if (!firstRequestOf.has(id)) firstRequestOf.set(id, i);
    });
    expect(firstRequestOf.size).toBe(result.progress.length);
    expect(Math.max(...firstRequestOf.values())).toBeLessThan(lastCalciumPage);

    // Streaming: one snapshot per page, and the first ones hold data before the chain ends.
    expect(snapshots.length).toBeGreaterThan(25);
    const early = snapshots.find((s) => s.resources.some((r) => r.resourceType === "Condition"));
    expect(early?.complete).toBe(false);
    expect(progressOf(early!, calciumKey()).pages).toBeLessThan(25);
    expect(snapshots.at(-1)?.complete).toBe(true);
    // Progress per resource type while loading: counts and pages grow.
    const calciumPages = snapshots.map((s) => progressOf(s, calciumKey()).pages);
    expect(calciumPages).toEqual([...calciumPages].sort((a, b) => a - b));
    expect(new Set(calciumPages).size).toBe(26);
  });

  it("streams: the app can assess a snapshot before the last page is served", async () => {
    // Round clock (fake-ehr.ts): six requests a round, so "before" counts round trips, not milliseconds.
    resetEhr(record({ calcium: 120 }), { maxPageSize: 10, rounds: roundClock() });
    const client = createFhirClient({ serverUrl: BASE, patientId: PATIENT });
    let first: { round: number; snapshot: LoadSnapshot; assessment: Assessment } | undefined;
    const final = await loadPatientRecord(client, { capabilities: false }, (s) => {
      // What the app does with each snapshot (src/ui/record/useRecord.ts).
      if (first || !readyToAssess(s)) return;
      const assessment = assess(s.resources, { asOf: "2026-11-21", patientId: s.patientId, unavailable: unavailableFor(s) });
      first = { round: ehr.round, snapshot: s, assessment };
    });

    expect(first).toBeDefined();
    const lastPage = ehr.log.find((l) => l.url.searchParams.get("code")?.includes(CALCIUM) && l.url.searchParams.get("_page") === "11");
    expect(lastPage?.round).toBe(ehr.round);
    expect(first!.round).toBeLessThan(lastPage!.round!);
    // It holds the diagnoses, so the assessment is about this SSc patient, with the calcium results
    // still on their way (reported as pending, not as missing).
    expect(first!.snapshot.complete).toBe(false);
    expect(progressOf(first!.snapshot, calciumKey()).state).toBe("loading");
    expect(first!.assessment.ssc.present).toBe(true);
    expect(first!.assessment.missingData).toContainEqual(expect.objectContaining({ group: groupOf(CALCIUM), reason: "pending" }));
    expect(ids(final, "Observation").filter((id) => id.startsWith("Observation/ca-"))).toHaveLength(120);
  });

  it("applies the Epic-style quirks: category on Observation searches, smaller pages, no _sort", async () => {
    const epic = { requireCategory: "laboratory", rejectSort: true, rejectCountAbove: 50, maxPageSize: 50 };
    resetEhr(record({ calcium: 120 }), epic);
    const { result } = await load({ quirks: { observationCategory: "laboratory", maxPageSize: 50, noSort: true } });

    expect(result.unavailable).toEqual([]);
    expect(progressOf(result, calciumKey())).toMatchObject({ state: "done", pages: 3, resources: 120 });
    for (const l of ehr.log.filter((x) => x.type !== "Patient")) {
      expect(l.url.searchParams.has("_sort")).toBe(false);
      expect(l.url.searchParams.get("_count")).toBe("50");
    }
    for (const l of searchRequests("Observation")) expect(l.url.searchParams.get("category")).toBe("laboratory");
    // Nothing was refused: one request per page.
    expect(result.stats?.requests).toBe(ehr.log.length);

    // The same EHR without the quirks refuses every Observation search, and the loader says so.
    resetEhr(record({ calcium: 120 }), epic);
    const bare = await load();
    const observationSearches = bare.result.progress.filter((p) => p.resourceType === "Observation");
    expect(observationSearches.every((p) => p.state === "failed" && p.failure?.kind === "bad-request")).toBe(true);
    expect(bare.result.unavailable.filter((u) => u.resourceType === "Observation")).toHaveLength(OBSERVATION_CODE_GROUPS.length);
  });

  it("drops _sort and retries once when the EHR refuses it", async () => {
    resetEhr(record({ calcium: 5 }), { rejectSort: true });
    const { result } = await load();
    expect(result.unavailable).toEqual([]);
    expect(progressOf(result, calciumKey())).toMatchObject({ state: "done", resources: 5, requests: 2 });
    expect(searchRequests("Observation").filter((l) => !l.url.searchParams.has("_sort")).length).toBe(observationKeys().length);
  });

  it("can search one Observation group at a time instead of one analyte", async () => {
    resetEhr(record({ calcium: 4, creatinine: 3 }));
    const { result } = await load({ observationSplit: "group" });
    const observation = result.progress.filter((p) => p.resourceType === "Observation");
    expect(observation.map((p) => p.key)).toEqual(OBSERVATION_CODE_GROUPS.map((g) => `Observation:${g.key}`));
    expect(progressOf(result, `Observation:${groupOf(CREATININE)}`)).toMatchObject({ state: "done", resources: 3 });
    expect(searchRequests("Observation")).toHaveLength(OBSERVATION_CODE_GROUPS.length);
  });

  it("loads even when /metadata fails; capabilities are then null", async () => {
    resetEhr(record(), { metadata: () => fhirJson(operationOutcome("forbidden", "x"), { status: 403 }) });
    const { result } = await load();
    expect(result.capabilities).toBeNull();
    expect(result.unavailable).toEqual([]);
    expect(result.complete).toBe(true);
  });

  it("gives the engine what it needs to say which rules a missing type leaves unevaluated", async () => {
    const demo = loadDemoPatients().find((p) => p.id === "modena-1")!;
    const all = demo.resources as unknown as Res[];
    const client = createFhirClient({ serverUrl: BASE, patientId: demo.id });
    const assessOf = (s: LoadSnapshot) => assess(s.resources, { asOf: "2026-11-21", patientId: s.patientId, unavailable: s.unavailable });

    resetEhr(all);
    const full = await loadPatientRecord(client, {});
    // Everything the demo patient has that the app asks for came through the searches (Observations
    // by code: an uncoded or unrelated result, such as this patient's TSH, is not asked for).
    const searchedCodes = new Set(OBSERVATION_CODE_GROUPS.flatMap((g) => g.codes));
    const wanted = all.filter((r) =>
      r.resourceType === "Observation"
        ? codes(r, "code").some((c) => searchedCodes.has(c))
        : ["Patient", "Condition", "ImagingStudy", "DiagnosticReport"].includes(r.resourceType),
    );
    expect(wanted.filter((r) => r.resourceType === "Observation").length).toBeGreaterThan(5);
    expect(ids(full)).toEqual(wanted.map((r) => `${r.resourceType}/${r.id}`).sort());
    const complete = assessOf(full);
    expect(complete.status).toBe(demo.expectedStatus);
    expect(complete.notEvaluated ?? []).toEqual([]);

    resetEhr(all, {
      fault: ({ type }) => (type === "ImagingStudy" ? fhirJson(operationOutcome("forbidden", "scope"), { status: 403 }) : undefined),
    });
    const partial = await loadPatientRecord(client, {});
    const assessment = assessOf(partial);
    expect(assessment.status).toBe(demo.expectedStatus);
    expect(assessment.notEvaluated?.map((n) => n.ruleId)).toEqual(expect.arrayContaining(["G-CT", "G-SPINE"]));
    expect(assessment.notEvaluated?.every((n) => /Imaging studies/.test(n.reason))).toBe(true);
    // Nothing filled in: no imaging study appears from anywhere.
    expect(ids(partial, "ImagingStudy")).toEqual([]);
  });
});
