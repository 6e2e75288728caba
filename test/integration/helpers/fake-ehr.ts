/**
 * A fake EHR for the loader tests (test/integration/loader-*.test.ts), behind msw, in front of a
 * real fhirclient Client and the app's own transport. It implements just enough FHIR search
 * (patient, code, category, _count, paging by `next`) to behave like a server; each test bends one
 * behaviour and checks what the loader returns and what it reports. `useFakeEhr()` starts it for
 * the test file that calls it.
 */
import { http, HttpResponse, delay } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";
import { OBSERVATION_CODE_GROUPS } from "../../../src/clinical/codes";
import { buildSearchPlan, resolveQuirks, startRecordLoad, observationParts, type LoadOptions, type RecordLoad } from "../../../src/fhir";
import type { LoadSnapshot } from "../../../src/fhir/types";
import { createFhirClient, fhirJson, operationOutcome } from "./fhir-client";

export const BASE = "https://ehr.test/fhir";
export const PATIENT = "p1";
export const LOINC = "http://loinc.org";
export const UCUM = "http://unitsofmeasure.org";

export type Res = { resourceType: string; id: string; [k: string]: unknown };

// ---- a fake EHR -----------------------------------------------------------------------------------

export interface Logged {
  url: URL;
  type: string;
  /** Requests the server had answered when this one arrived. */
  answeredBefore: number;
  /** With the round clock: the round in which it was answered (1 = the first). */
  round?: number;
}

/**
 * A deterministic clock for scheduling tests: time runs in rounds, one round trip each. The server
 * holds every request until the client has as many in flight as it can (`concurrency`, or fewer when
 * fewer searches are still open), then answers them all at once. A load's duration is then a count
 * of round trips, the same on any machine; which requests share a round is the client's choice.
 * Not for fault tests: an error answer counts as the end of its search, retried or not.
 */
export interface RoundClock {
  /** Searches the client will run (each ends with a page without a `next` link, or a read). */
  searches: number;
  concurrency: number;
}

export interface FakeEhr {
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
  /** Answer in rounds instead of after `latencyMs` (see RoundClock; the CapabilityStatement is not held). */
  rounds?: RoundClock;
  /** Rounds answered so far. */
  round: number;
  log: Logged[];
  answered: number;
  inFlight: number;
  maxInFlight: number;
  metadataCalls: number;
  metadata: () => Response | undefined;
}

export interface Bundle {
  resourceType: "Bundle";
  type: "searchset";
  total?: number;
  link: { relation: string; url: string }[];
  entry: { resource: unknown; search?: { mode: string }; fullUrl?: string }[];
}

export let ehr: FakeEhr;

export function resetEhr(resources: Res[], overrides: Partial<FakeEhr> = {}): FakeEhr {
  ehr = {
    resources,
    maxPageSize: 1000,
    latencyMs: 0,
    round: 0,
    log: [],
    answered: 0,
    inFlight: 0,
    maxInFlight: 0,
    metadataCalls: 0,
    metadata: () => undefined,
    ...overrides,
  };
  held = [];
  openSearches = ehr.rounds?.searches ?? 0;
  return ehr;
}

export function codes(resource: Res, field: "code" | "category"): string[] {
  const value = resource[field] as
    { coding?: { system?: string; code?: string }[] } | { coding?: { system?: string; code?: string }[] }[] | undefined;
  const concepts = Array.isArray(value) ? value : value ? [value] : [];
  return concepts.flatMap((c) => (c.coding ?? []).flatMap((x) => [`${x.system}|${x.code}`, `${x.code}`]));
}

export function matchesToken(resource: Res, field: "code" | "category", param: string | null): boolean {
  if (param === null) return true;
  const have = new Set(codes(resource, field));
  return param.split(",").some((token) => have.has(token));
}

export function search(url: URL, type: string): Response {
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

interface Held {
  logged: Logged;
  /** The answer ends its search (not a Bundle, or no `next` link). */
  last: boolean;
  release: () => void;
}
let held: Held[] = [];
let openSearches = 0;

/** Holds an answer for the round clock; answers the round once the client cannot send more. */
async function holdForRound(logged: Logged, response: Response): Promise<void> {
  const clock = ehr.rounds!;
  const body = (await response.clone().json()) as { resourceType?: string; link?: { relation?: string }[] };
  const last = body.resourceType !== "Bundle" || !body.link?.some((l) => l.relation === "next");
  await new Promise<void>((release) => {
    held.push({ logged, last, release });
    if (held.length < Math.min(clock.concurrency, openSearches)) return;
    const round = held;
    held = [];
    ehr.round++;
    for (const h of round) {
      h.logged.round = ehr.round;
      if (h.last) openSearches--;
      h.release();
    }
  });
}

export async function answer(url: URL, type: string, build: () => Response): Promise<Response> {
  const logged: Logged = { url, type, answeredBefore: ehr.answered };
  ehr.log.push(logged);
  ehr.inFlight++;
  ehr.maxInFlight = Math.max(ehr.maxInFlight, ehr.inFlight);
  try {
    if (ehr.latencyMs > 0) await delay(ehr.latencyMs);
    const count = ehr.log.filter((l) => l.type === type).length;
    const response = (await ehr.fault?.({ url, type, count })) ?? build();
    if (ehr.rounds) await holdForRound(logged, response);
    return response;
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
  // Binary read: the raw bytes with their type, or the FHIR Binary resource when FHIR JSON is asked for.
  http.get(`${BASE}/Binary/:id`, ({ request, params }) => {
    const url = new URL(request.url);
    return answer(url, "Binary", () => {
      const binary = ehr.resources.find((r) => r.resourceType === "Binary" && r.id === params.id) as
        (Res & { contentType: string; data: string }) | undefined;
      if (!binary) return fhirJson(operationOutcome("not-found", "no such Binary"), { status: 404 });
      if (/fhir\+json|application\/json/.test(request.headers.get("accept") ?? "")) return fhirJson(binary);
      return new HttpResponse(Buffer.from(binary.data, "base64"), { headers: { "content-type": binary.contentType } });
    });
  }),
  // HAPI-style paging: `base?_getpages=<token>`; here the token is the plain next URL, encoded.
  http.get(BASE, ({ request }) => {
    const token = new URL(request.url).searchParams.get("_getpages");
    if (!token) return fhirJson(operationOutcome("not-supported", "GET on the base"), { status: 400 });
    const url = new URL(token);
    const type = url.pathname.split("/").pop()!;
    return answer(url, type, () => search(url, type));
  }),
  http.get(`${BASE}/:type`, ({ request, params }) => {
    const url = new URL(request.url);
    return answer(url, String(params.type), () => search(url, String(params.type)));
  }),
);

/** Starts the fake EHR for the calling test file. */
export function useFakeEhr(): void {
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
}

// ---- data -----------------------------------------------------------------------------------------

export const CALCIUM = "17861-6";
export const CREATININE = "2160-0";
export const SCL70 = "47322-3";

export function patient(id = PATIENT): Res {
  return { resourceType: "Patient", id, gender: "female", birthDate: "1972-03-01" };
}

export function observation(id: string, code: string, day: number, subject = PATIENT): Res {
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

export function condition(id: string, subject = PATIENT): Res {
  return {
    resourceType: "Condition",
    id,
    code: { coding: [{ system: "http://snomed.info/sct", code: "89155008" }], text: "Systemic sclerosis" },
    subject: { reference: `Patient/${subject}` },
  };
}

export function imagingStudy(id: string, subject = PATIENT): Res {
  return { resourceType: "ImagingStudy", id, status: "available", subject: { reference: `Patient/${subject}` } };
}

export function report(id: string, subject = PATIENT): Res {
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
export function record(
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

export interface Run {
  result: LoadSnapshot;
  snapshots: LoadSnapshot[];
  sleeps: number[];
}

/** Starts a load (retries recorded, no real sleeping); `run.result` once it has finished. */
export function start(options: LoadOptions = {}): { handle: RecordLoad; snapshots: LoadSnapshot[]; sleeps: number[] } {
  const client = createFhirClient({ serverUrl: BASE, patientId: PATIENT });
  const snapshots: LoadSnapshot[] = [];
  const sleeps: number[] = [];
  const handle = startRecordLoad(client, { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, ...options }, (s) =>
    snapshots.push(s),
  );
  return { handle, snapshots, sleeps };
}

export async function load(options: LoadOptions = {}): Promise<Run> {
  const { handle, snapshots, sleeps } = start(options);
  return { result: await handle.finished, snapshots, sleeps };
}

export const ids = (s: LoadSnapshot, type?: string) =>
  s.resources
    .filter((r) => !type || r.resourceType === type)
    .map((r) => `${r.resourceType}/${r.id}`)
    .sort();
export const progressOf = (s: LoadSnapshot, key: string) => {
  const p = s.progress.find((x) => x.key === key);
  if (!p) throw new Error(`no progress for ${key}`);
  return p;
};
export const searchRequests = (type: string) => ehr.log.filter((l) => l.type === type);
export const groupOf = (labCode: string) => OBSERVATION_CODE_GROUPS.find((g) => g.codes.includes(`${LOINC}|${labCode}`))!.key;
export const observationKeys = (split: "analyte" | "group" = "analyte") =>
  OBSERVATION_CODE_GROUPS.flatMap((g) => observationParts(g, split));
/** Key of the (default, per-analyte) Observation search that asks for this LOINC code. */
export const searchOf = (labCode: string) => observationKeys().find((p) => p.codes.includes(`${LOINC}|${labCode}`))!.key;
export const calciumKey = () => searchOf(CALCIUM);
/** The round clock for a default load (Patient, Condition, DiagnosticReport, ImagingStudy, the Observation searches). */
/** A round clock for the loader's whole plan (every search of buildSearchPlan). */
export const roundClock = (concurrency = 6): RoundClock => ({
  searches: buildSearchPlan(PATIENT, {
    observationGroups: OBSERVATION_CODE_GROUPS,
    quirks: resolveQuirks(undefined),
    pageSize: 1000,
    today: "2026-11-21",
  }).length,
  concurrency,
});
export const kidneyKey = () => searchOf(CREATININE);
