/**
 * The ways of loading one record that the load bench compares, each timed from the token to the
 * first assessment the app could show and to the assessment of the complete record.
 *
 * Peers (smart-on-fhir growth-chart-app `load-fhir-data.js`, cardiac-risk-app `load_data.js`):
 * one fhirclient `client.request(url, { pageLimit: 0 })` per search, with the codes of a search in
 * one `code=` parameter, run one after another or all at once under `Promise.all`. They send the
 * very URLs of the loader's plan (same codes, `_count`, `_sort`, categories), so only the way the
 * requests are driven differs. They show nothing before everything is in: first = full.
 *
 * The loader streams: its first assessment is on the first snapshot `readyToAssess` accepts (the
 * app's own rule, src/ui/record/useRecord.ts), assessed as the app assesses it.
 */
import { assess } from "../../src/clinical";
import { OBSERVATION_CODE_GROUPS } from "../../src/clinical/codes";
import { buildSearchPlan, DEFAULT_PAGE_SIZE, resolveQuirks, startRecordLoad, type LoadOptions, type SearchSpec } from "../../src/fhir";
import type { ObservationSplit } from "../../src/fhir/searchPlan";
import type { LoadSnapshot } from "../../src/fhir/types";
import { readyToAssess, unavailableFor } from "../../src/ui/record/useRecord";
import type { FhirClient } from "../../test/integration/helpers/fhir-client";

export interface LoadTiming {
  /** Token → first assessment on screen. */
  firstMs: number;
  /** Token → assessment of the complete record. */
  fullMs: number;
  requests: number;
  /** Requests of the longest chain of pages. */
  longestChain: number;
  resources: number;
}

const asOf = () => new Date().toISOString().slice(0, 10);
type Resources = LoadSnapshot["resources"];

/** The loader's searches for `patientId`, split as asked (what the peers send, too). */
export function searchesOf(patientId: string, split: ObservationSplit): SearchSpec[] {
  return buildSearchPlan(patientId, {
    observationGroups: OBSERVATION_CODE_GROUPS,
    quirks: resolveQuirks(undefined),
    pageSize: DEFAULT_PAGE_SIZE,
    split,
    today: asOf(),
  });
}

interface Bundle {
  resourceType: "Bundle";
  entry?: { resource?: Resources[number] }[];
}

/** One search through fhirclient, every page (`pageLimit: 0`), as the peers write it. */
async function peerSearch(client: FhirClient, spec: SearchSpec): Promise<{ pages: number; resources: Resources }> {
  if (spec.kind === "read") return { pages: 1, resources: [await client.request<Resources[number]>(spec.url)] };
  // Without `flat`, a list of the Bundles (cardiac-risk flattens them itself): the page count is its length.
  const pages = await client.request<Bundle[]>(spec.url, { pageLimit: 0 });
  return { pages: pages.length, resources: pages.flatMap((b) => (b.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []))) };
}

/** (a) sequential, (b) `Promise.all`: the peers' two ways; one assessment at the end. */
export async function peerLoad(client: FhirClient, searches: SearchSpec[], mode: "sequential" | "parallel"): Promise<LoadTiming> {
  const t0 = performance.now();
  const results: Awaited<ReturnType<typeof peerSearch>>[] = [];
  if (mode === "parallel") results.push(...(await Promise.all(searches.map((s) => peerSearch(client, s)))));
  else for (const s of searches) results.push(await peerSearch(client, s));
  const resources = results.flatMap((r) => r.resources);
  assess(resources, { asOf: asOf(), patientId: client.patient.id ?? undefined, unavailable: [] });
  const fullMs = performance.now() - t0;
  const pages = results.map((r) => r.pages);
  return {
    firstMs: fullMs,
    fullMs,
    requests: pages.reduce((a, b) => a + b, 0),
    longestChain: Math.max(...pages),
    resources: resources.length,
  };
}

/** The app's loader with `options`; the first and the complete snapshot assessed as useRecord does. */
export async function loaderLoad(client: FhirClient, options: LoadOptions): Promise<LoadTiming> {
  const t0 = performance.now();
  let firstMs = -1;
  let fullMs = -1;
  const assessAt = (s: LoadSnapshot) => {
    assess(s.resources, {
      asOf: asOf(),
      patientId: s.patientId,
      unavailable: unavailableFor(s),
      attachments: s.attachments,
      attachmentsPending: !!s.documents && s.documents.settled < s.documents.total,
    });
    return performance.now() - t0;
  };
  const load = startRecordLoad(client, options, (s) => {
    if (firstMs < 0 && readyToAssess(s)) firstMs = assessAt(s);
    // The app assesses the complete record as soon as it is emitted; the CapabilityStatement (for
    // write-back) may still be on its way, and `finished` waits for it.
    if (fullMs < 0 && s.complete) fullMs = assessAt(s);
  });
  const final = await load.finished;
  if (final.unavailable.length > 0) throw new Error(`loader: ${final.unavailable.map((u) => u.message).join("; ")}`);
  return {
    firstMs,
    fullMs,
    // The searches' requests and the Binaries the attachment reader fetched.
    requests: final.stats!.requests + (final.documents?.fetches ?? 0),
    longestChain: final.stats!.longestChain,
    resources: final.resources.length,
  };
}
