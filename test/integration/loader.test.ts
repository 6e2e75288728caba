/**
 * The loader against an EHR stood in for by msw, through a real fhirclient Client. The fake EHR
 * below implements just enough FHIR search (patient, code, category, _count, paging by `next`) to
 * behave like a server; each test bends one behaviour and checks what the loader returns and what
 * it reports.
 */
import { http, HttpResponse, delay } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadDemoPatients } from "../../sandbox/data";
import { assess } from "../../src/clinical";
import { OBSERVATION_CODE_GROUPS } from "../../src/clinical/codes";
import { loadPatientRecord, observationParts, SessionExpiredError, type LoadOptions } from "../../src/fhir";
import type { LoadSnapshot } from "../../src/fhir/types";
import { createFhirClient, fhirJson, operationOutcome } from "./helpers/fhir-client";

const BASE = "https://ehr.test/fhir";
const PATIENT = "p1";
const LOINC = "http://loinc.org";
const UCUM = "http://unitsofmeasure.org";

type Res = { resourceType: string; id: string; [k: string]: unknown };

// ---- a fake EHR -----------------------------------------------------------------------------------

interface Logged {
  url: URL;
  type: string;
  /** Requests the server had answered when this one arrived. */
  answeredBefore: number;
}

interface FakeEhr {
  resources: Res[];
  /** Largest page the server returns (it caps `_count` silently). */
  maxPageSize: number;
  /** Page size used whatever `_count` says (a server that ignores `_count`). */
  fixedPageSize?: number;
  /** Answer 400 to Observation searches without this category. */
  requireCategory?: string;
  /** Answer 400 to any `_sort`. */
  rejectSort?: boolean;
  /** Answer 400 when `_count` is above this. */
  rejectCountAbove?: number;
  latencyMs: number;
  /** Fault injection: return a Response to answer instead of searching. */
  fault?: (req: { url: URL; type: string; count: number }) => Response | Promise<Response> | undefined;
  /** Rewrite a page before it is sent (bad next links, strays, OperationOutcome entries). */
  rewrite?: (bundle: Bundle, req: { url: URL; type: string; page: number }) => Bundle;
  log: Logged[];
  answered: number;
  inFlight: number;
  maxInFlight: number;
  metadataCalls: number;
  metadata: () => Response | undefined;
}

interface Bundle {
  resourceType: "Bundle";
  type: "searchset";
  total?: number;
  link: { relation: string; url: string }[];
  entry: { resource: unknown; search?: { mode: string }; fullUrl?: string }[];
}

let ehr: FakeEhr;

function resetEhr(resources: Res[], overrides: Partial<FakeEhr> = {}): FakeEhr {
  ehr = {
    resources,
    maxPageSize: 1000,
    latencyMs: 0,
    log: [],
    answered: 0,
    inFlight: 0,
    maxInFlight: 0,
    metadataCalls: 0,
    metadata: () => undefined,
    ...overrides,
  };
  return ehr;
}

function codes(resource: Res, field: "code" | "category"): string[] {
  const value = resource[field] as
    { coding?: { system?: string; code?: string }[] } | { coding?: { system?: string; code?: string }[] }[] | undefined;
  const concepts = Array.isArray(value) ? value : value ? [value] : [];
  return concepts.flatMap((c) => (c.coding ?? []).flatMap((x) => [`${x.system}|${x.code}`, `${x.code}`]));
}

function matchesToken(resource: Res, field: "code" | "category", param: string | null): boolean {
  if (param === null) return true;
  const have = new Set(codes(resource, field));
  return param.split(",").some((token) => have.has(token));
}

function search(url: URL, type: string): Response {
  const p = url.searchParams;
  if (!p.get("patient")) return fhirJson(operationOutcome("required", "patient is required"), { status: 400 });
  if (ehr.rejectSort && p.has("_sort")) return fhirJson(operationOutcome("not-supported", "_sort"), { status: 400 });
  if (ehr.requireCategory && type === "Observation" && p.get("category") !== ehr.requireCategory) {
    return fhirJson(operationOutcome("required", "category is required"), { status: 400 });
  }
  const count = Number(p.get("_count") ?? 10);
  if (ehr.rejectCountAbove !== undefined && count > ehr.rejectCountAbove) {
    return fhirJson(operationOutcome("too-costly", "_count too large"), { status: 400 });
  }
  const all = ehr.resources.filter(
    (r) =>
      r.resourceType === type &&
      (r.subject as { reference?: string } | undefined)?.reference === `Patient/${p.get("patient")}` &&
      matchesToken(r, "code", p.get("code")) &&
      matchesToken(r, "category", p.get("category")),
  );
  const size = ehr.fixedPageSize ?? Math.min(count, ehr.maxPageSize);
  const page = Number(p.get("_page") ?? 0);
  const slice = all.slice(page * size, page * size + size);
  const bundle: Bundle = {
    resourceType: "Bundle",
    type: "searchset",
    total: all.length,
    link: [{ relation: "self", url: url.href }],
    entry: slice.map((resource) => ({ resource, search: { mode: "match" }, fullUrl: `${BASE}/${type}/${resource.id}` })),
  };
  if ((page + 1) * size < all.length) {
    const next = new URL(url.href);
    next.searchParams.set("_page", String(page + 1));
    bundle.link.push({ relation: "next", url: next.href });
  }
  return fhirJson(ehr.rewrite ? ehr.rewrite(bundle, { url, type, page }) : bundle);
}

async function answer(url: URL, type: string, build: () => Response): Promise<Response> {
  ehr.log.push({ url, type, answeredBefore: ehr.answered });
  ehr.inFlight++;
  ehr.maxInFlight = Math.max(ehr.maxInFlight, ehr.inFlight);
  try {
    if (ehr.latencyMs > 0) await delay(ehr.latencyMs);
    const count = ehr.log.filter((l) => l.type === type).length;
    return (await ehr.fault?.({ url, type, count })) ?? build();
  } finally {
    ehr.inFlight--;
    ehr.answered++;
  }
}

const server = setupServer(
  http.get(`${BASE}/metadata`, async () => {
    ehr.metadataCalls++;
    return (
      ehr.metadata() ??
      fhirJson({
        resourceType: "CapabilityStatement",
        fhirVersion: "4.0.1",
        rest: [
          {
            mode: "server",
            interaction: [{ code: "transaction" }],
            resource: [
              { type: "DocumentReference", interaction: [{ code: "create" }, { code: "search-type" }], conditionalCreate: true },
              { type: "Observation", interaction: [{ code: "read" }, { code: "search-type" }], searchParam: [{ name: "code" }] },
            ],
          },
        ],
      })
    );
  }),
  http.get(`${BASE}/Patient/:id`, ({ request, params }) => {
    const url = new URL(request.url);
    return answer(url, "Patient", () => {
      const patient = ehr.resources.find((r) => r.resourceType === "Patient" && r.id === params.id);
      return patient ? fhirJson(patient) : fhirJson(operationOutcome("not-found", "no such patient"), { status: 404 });
    });
  }),
  http.get(`${BASE}/:type`, ({ request, params }) => {
    const url = new URL(request.url);
    return answer(url, String(params.type), () => search(url, String(params.type)));
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

// ---- data -----------------------------------------------------------------------------------------

const CALCIUM = "17861-6";
const CREATININE = "2160-0";
const SCL70 = "47322-3";

function patient(id = PATIENT): Res {
  return { resourceType: "Patient", id, gender: "female", birthDate: "1972-03-01" };
}

function observation(id: string, code: string, day: number, subject = PATIENT): Res {
  const date = new Date(Date.UTC(2026, 0, 1) - day * 86_400_000).toISOString();
  return {
    resourceType: "Observation",
    id,
    status: "final",
    category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "laboratory" }] }],
    code: { coding: [{ system: LOINC, code }] },
    subject: { reference: `Patient/${subject}` },
    effectiveDateTime: date,
    valueQuantity: { value: 9.2, unit: "mg/dL", system: UCUM, code: "mg/dL" },
  };
}

function condition(id: string, subject = PATIENT): Res {
  return {
    resourceType: "Condition",
    id,
    code: { coding: [{ system: "http://snomed.info/sct", code: "89155008" }], text: "Systemic sclerosis" },
    subject: { reference: `Patient/${subject}` },
  };
}

function imagingStudy(id: string, subject = PATIENT): Res {
  return { resourceType: "ImagingStudy", id, status: "available", subject: { reference: `Patient/${subject}` } };
}

function report(id: string, subject = PATIENT): Res {
  return {
    resourceType: "DiagnosticReport",
    id,
    status: "final",
    category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/v2-0074", code: "RAD" }] }],
    code: { text: "XR shoulder" },
    subject: { reference: `Patient/${subject}` },
    conclusion: "Periarticular calcified mass 12 x 11 cm.",
  };
}

/** A record with `n` of each kind; calcium results can be many to make a long chain. */
function record(
  n: { calcium?: number; creatinine?: number; conditions?: number; studies?: number; reports?: number; antibodies?: number } = {},
): Res[] {
  const out: Res[] = [patient()];
  for (let i = 0; i < (n.calcium ?? 3); i++) out.push(observation(`ca-${i}`, CALCIUM, i));
  for (let i = 0; i < (n.creatinine ?? 2); i++) out.push(observation(`cr-${i}`, CREATININE, i));
  for (let i = 0; i < (n.antibodies ?? 1); i++) out.push(observation(`ab-${i}`, SCL70, 400 + i));
  for (let i = 0; i < (n.conditions ?? 2); i++) out.push(condition(`cond-${i}`));
  for (let i = 0; i < (n.studies ?? 1); i++) out.push(imagingStudy(`is-${i}`));
  for (let i = 0; i < (n.reports ?? 1); i++) out.push(report(`dr-${i}`));
  return out;
}

// ---- running the loader ----------------------------------------------------------------------------

interface Run {
  result: LoadSnapshot;
  snapshots: LoadSnapshot[];
  sleeps: number[];
}

async function load(options: LoadOptions = {}): Promise<Run> {
  const client = createFhirClient({ serverUrl: BASE, patientId: PATIENT });
  const snapshots: LoadSnapshot[] = [];
  const sleeps: number[] = [];
  const result = await loadPatientRecord(client, { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, ...options }, (s) =>
    snapshots.push(s),
  );
  return { result, snapshots, sleeps };
}

const ids = (s: LoadSnapshot, type?: string) =>
  s.resources
    .filter((r) => !type || r.resourceType === type)
    .map((r) => `${r.resourceType}/${r.id}`)
    .sort();
const progressOf = (s: LoadSnapshot, key: string) => {
  const p = s.progress.find((x) => x.key === key);
  if (!p) throw new Error(`no progress for ${key}`);
  return p;
};
const searchRequests = (type: string) => ehr.log.filter((l) => l.type === type);
const groupOf = (labCode: string) => OBSERVATION_CODE_GROUPS.find((g) => g.codes.includes(`${LOINC}|${labCode}`))!.key;
const observationKeys = (split: "analyte" | "group" = "analyte") => OBSERVATION_CODE_GROUPS.flatMap((g) => observationParts(g, split));
/** Key of the (default, per-analyte) Observation search that asks for this LOINC code. */
const searchOf = (labCode: string) => observationKeys().find((p) => p.codes.includes(`${LOINC}|${labCode}`))!.key;
const calciumKey = () => searchOf(CALCIUM);
const kidneyKey = () => searchOf(CREATININE);

// ---- tests -------------------------------------------------------------------------------------------

describe("loadPatientRecord against a fake EHR", () => {
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
      ["Condition", "DiagnosticReport", "ImagingStudy", "Patient", ...observationKeys().map((p) => p.key)].sort(),
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

  it("reaches the first snapshot with Patient and Conditions before the last page is served", async () => {
    resetEhr(record({ calcium: 120 }), { maxPageSize: 10, latencyMs: 3 });
    let servedAtFirst = -1;
    const client = createFhirClient({ serverUrl: BASE, patientId: PATIENT });
    await loadPatientRecord(client, {}, (s) => {
      if (servedAtFirst < 0 && s.resources.some((r) => r.resourceType === "Patient") && progressOf(s, "Condition").state === "done") {
        servedAtFirst = ehr.answered;
      }
    });
    expect(servedAtFirst).toBeGreaterThan(0);
    expect(servedAtFirst).toBeLessThan(ehr.log.length / 2);
  });

  it("follows a server that ignores _count to the end", async () => {
    resetEhr(record({ conditions: 30, calcium: 40 }), { fixedPageSize: 7 });
    const { result } = await load();

    expect(progressOf(result, "Condition")).toMatchObject({ state: "done", pages: 5, resources: 30 });
    expect(progressOf(result, calciumKey())).toMatchObject({ state: "done", pages: 6, resources: 40 });
    expect(ids(result, "Condition")).toHaveLength(30);
    expect(result.unavailable).toEqual([]);
  });

  it("stops a looping next link and reports the data as truncated", async () => {
    resetEhr(record({ studies: 9 }), {
      maxPageSize: 3,
      rewrite: (bundle, { type, page, url }) => {
        if (type === "ImagingStudy" && page === 1) {
          // Page 2's next link points at page 2 again.
          bundle.link = bundle.link.map((l) => (l.relation === "next" ? { ...l, url: url.href } : l));
        }
        return bundle;
      },
    });
    const { result } = await load();

    const studies = progressOf(result, "ImagingStudy");
    expect(studies.state).toBe("truncated");
    expect(studies.truncatedReason).toMatch(/loops/);
    expect(studies).toMatchObject({ pages: 2, resources: 6 });
    expect(searchRequests("ImagingStudy")).toHaveLength(2);
    expect(result.unavailable).toEqual([{ resourceType: "ImagingStudy", reason: "truncated", message: expect.stringMatching(/loops/) }]);
    expect(progressOf(result, "Condition").state).toBe("done");
  });

  it("stops a next link that leads back to the first page", async () => {
    let first: string | undefined;
    resetEhr(record({ conditions: 9 }), {
      maxPageSize: 3,
      rewrite: (bundle, { type, page, url }) => {
        if (type === "Condition" && page === 0) first = url.href;
        if (type === "Condition" && page === 1) {
          bundle.link = bundle.link.map((l) => (l.relation === "next" ? { ...l, url: first! } : l));
        }
        return bundle;
      },
    });
    const { result } = await load();
    expect(progressOf(result, "Condition")).toMatchObject({ state: "truncated", pages: 2, resources: 6, requests: 2 });
    expect(result.unavailable).toEqual([expect.objectContaining({ resourceType: "Condition", reason: "truncated" })]);
  });

  it("stops at the page cap and says so", async () => {
    resetEhr(record({ calcium: 100 }), { maxPageSize: 10 });
    const { result } = await load({ maxPages: 4 });

    const calcium = progressOf(result, calciumKey());
    expect(calcium).toMatchObject({ state: "truncated", pages: 4, resources: 40, total: 100 });
    expect(calcium.truncatedReason).toMatch(/page cap of 4/);
    expect(result.unavailable).toEqual([
      { resourceType: "Observation", group: groupOf(CALCIUM), reason: "truncated", message: expect.stringMatching(/page cap/) },
    ]);
    // Newest first: what the cap kept is the most recent 40 days.
    expect(ids(result, "Observation").filter((r) => r.startsWith("Observation/ca-"))).toHaveLength(40);
  });

  it("uses the page cap from the EHR's quirks", async () => {
    resetEhr(record({ calcium: 100 }), { maxPageSize: 10 });
    const { result } = await load({ quirks: { maxPages: 2 } });
    expect(progressOf(result, calciumKey())).toMatchObject({ state: "truncated", pages: 2, resources: 20 });
  });

  it("drops and reports another patient's resources, and skips OperationOutcome and _include entries", async () => {
    resetEhr(record({ calcium: 2 }), {
      rewrite: (bundle, { type }) => {
        if (type === "Observation" && bundle.entry.some((e) => (e.resource as Res).id === "ca-0")) {
          bundle.entry.push({ resource: observation("other-ca", CALCIUM, 1, "p2"), search: { mode: "match" } });
          bundle.entry.push({ resource: operationOutcome("informational", "some results hidden"), search: { mode: "outcome" } });
          bundle.entry.push({ resource: patient("p1"), search: { mode: "include" } });
        }
        if (type === "Condition") {
          bundle.entry.push({ resource: { resourceType: "Condition", id: "no-subject", code: { text: "x" } }, search: { mode: "match" } });
          bundle.entry.push({ resource: condition("abs-ref", "p2"), search: { mode: "match" } });
          (bundle.entry.at(-1)!.resource as Res).subject = { reference: `${BASE}/Patient/p2` };
          bundle.entry.push({ resource: { ...condition("abs-own"), subject: { reference: `${BASE}/Patient/${PATIENT}/_history/3` } } });
        }
        return bundle;
      },
    });
    const { result } = await load();

    expect(result.strays.sort()).toEqual(["Condition/abs-ref", "Condition/no-subject", "Observation/other-ca"]);
    expect(ids(result)).not.toContain("Observation/other-ca");
    expect(ids(result)).not.toContain("Condition/no-subject");
    expect(ids(result)).toContain("Condition/abs-own");
    expect(ids(result, "OperationOutcome")).toEqual([]);
    expect(ids(result, "Patient")).toEqual(["Patient/p1"]);
    expect(progressOf(result, calciumKey())).toMatchObject({ state: "done", resources: 2, strays: 1 });
    expect(progressOf(result, "Condition")).toMatchObject({ state: "done", resources: 3, strays: 2 });
  });

  it("refuses a Patient read that returns another patient", async () => {
    resetEhr([...record().filter((r) => r.resourceType !== "Patient"), { ...patient("p2"), id: "p2" }], {
      fault: ({ type }) => (type === "Patient" ? fhirJson(patient("p2")) : undefined),
    });
    const { result } = await load();
    expect(ids(result, "Patient")).toEqual([]);
    expect(result.strays).toEqual(["Patient/p2"]);
    expect(progressOf(result, "Patient")).toMatchObject({ state: "failed", failure: { kind: "malformed" } });
    expect(result.unavailable).toContainEqual(expect.objectContaining({ resourceType: "Patient", reason: "failed" }));
  });

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
      { resourceType: "ImagingStudy", reason: "failed", message: expect.stringMatching(/did not grant access/) },
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
    expect(result.unavailable).toEqual([{ resourceType: "DiagnosticReport", reason: "failed", message: expect.stringMatching(/error/) }]);
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

  it("never follows a next link to another origin (the token stays with the EHR)", async () => {
    resetEhr(record({ conditions: 6 }), {
      maxPageSize: 3,
      rewrite: (bundle, { type }) => {
        if (type === "Condition") {
          bundle.link = bundle.link.map((l) => (l.relation === "next" ? { ...l, url: l.url.replace("ehr.test", "elsewhere.test") } : l));
        }
        return bundle;
      },
    });
    const { result } = await load();
    expect(progressOf(result, "Condition")).toMatchObject({ state: "truncated", pages: 1, resources: 3 });
    expect(progressOf(result, "Condition").truncatedReason).toMatch(/outside its FHIR base/);
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
