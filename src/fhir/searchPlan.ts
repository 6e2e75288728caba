import {
  DOCUMENT_LOINC,
  LAB_LABELS,
  LAB_LOINC,
  PATHOLOGY_CATEGORIES,
  RADIOLOGY_CATEGORIES,
  SYSTEM,
  type ObservationCodeGroup as ClinicalCodeGroup,
} from "../clinical/codes";
import type { LabKey, UnavailableData } from "../clinical/types";
import { HIGH_VOLUME_LABS, PRIORITY } from "./priority";
import type { ResolvedQuirks } from "./quirks";

/**
 * The searches that make up one patient's record: one read, one search per resource type, and
 * Observation searches by analyte group (see `observationParts`). Built by hand (not with
 * fhirclient's `patient.request`, which reads /metadata before each search to pick the patient
 * parameter): every type we read is in the R4 patient compartment with a `patient` search
 * parameter, so no round trip is needed.
 */

/**
 * What the plan reads of src/clinical/codes.ts's OBSERVATION_CODE_GROUPS (codes as "system|code").
 * `category`, when a group has one, replaces the EHR's `observationCategory` quirk for that group
 * (a lesion-size group is not "laboratory").
 */
export type ObservationCodeGroup = Pick<ClinicalCodeGroup, "key" | "label"> & {
  codes: readonly string[];
  /** The lab analytes the group covers (codes.ts); lets the plan split the group by analyte. */
  labs?: readonly LabKey[];
  category?: string;
};

/**
 * How finely Observation searches are split. "analyte" (default): each high-volume analyte
 * (priority.ts: calcium, albumin, creatinine, eGFR, phosphate, one result per visit) gets a search
 * of its own, and the rest of its group stays one search. A group holding two routine analytes
 * (calcium and phosphate, creatinine and eGFR) would double the longest paging chain, which is
 * what the full load waits for; splitting the rare analytes as well would only add requests.
 * "group": one search per group of codes.ts.
 */
export type ObservationSplit = "analyte" | "group";

export type LoadableType = UnavailableData["resourceType"];

export interface SearchSpec {
  /** Stable key: the resource type, "Observation:<group key>" or "Observation:<group key>:<analyte>". */
  key: string;
  resourceType: LoadableType;
  label: string;
  group?: string;
  /** "read" is a single GET of the Patient; "search" returns Bundles and follows `next`. */
  kind: "read" | "search";
  /** First request, relative to the FHIR base. */
  url: string;
  /** The same search without `_sort`, for servers that answer 400 to it. */
  urlWithoutSort?: string;
  /** Queue priority of the first page (priority.ts). */
  firstPagePriority: number;
  /**
   * A deliberate limit (the documents count cap): pages past it are not read, and the search ends
   * "done" with `limitNote`, not "truncated": the policy is stated, not a failure.
   */
  resourceLimit?: { count: number; note: string };
}

/**
 * DiagnosticReport categories searched: imaging reports carry the lesion text (PC-DOC, PC-SIZE,
 * PC-IMG); pathology reports are the biopsy/histology G-NEO asks about. The engine's lists
 * (codes.ts) come first; the search adds the modality-specific codes of HL7 v2 table 0074 (CT, NMR,
 * RUS…) and US Core's LOINC pathology part code, because an EHR may file a CT report under "CT"
 * rather than "RAD" and fetching it costs nothing extra (same search). Codes carry no system so the
 * token matches whichever system the EHR uses. Laboratory reports are left out: their results come
 * as Observations, and a lab-heavy record would page through thousands of them.
 */
const REPORT_SEARCH_EXTRA = ["RX", "CT", "NMR", "NMS", "RUS", "VUS", "OUS", "CUS", "LP7839-6"] as const;
export const REPORT_CATEGORIES: readonly string[] = [
  ...new Set([...RADIOLOGY_CATEGORIES, ...PATHOLOGY_CATEGORIES, ...REPORT_SEARCH_EXTRA]),
];

/** Sort parameter per type: newest first, so a page cap costs the oldest data. */
const SORT: Partial<Record<LoadableType, string>> = {
  Observation: "-date",
  DiagnosticReport: "-date",
  ImagingStudy: "-started",
  Condition: "-recorded-date",
  DocumentReference: "-date",
  Procedure: "-date",
  MedicationRequest: "-authoredon",
};

/** The US Core Clinical Notes types searched (codes.ts): imaging and pathology narratives, letters, notes. */
export const DOCUMENT_TYPES: readonly string[] = Object.values(DOCUMENT_LOINC).map((code) => `${SYSTEM.loinc}|${code}`);

/**
 * Encodes a query value completely, except `,` (the OR separator). System URLs must not travel as
 * `http://loinc.org|…`: proxies normalise `//` in URLs (the SMART launcher's FHIR proxy turns it
 * into `/`, and every code search then matches nothing), while servers decode `%3A%2F%2F` and
 * `%7C` before they split on `|`.
 */
export function encodeSearchValue(value: string): string {
  return encodeURIComponent(value).replace(/%2C/gi, ",");
}

function query(type: string, params: [string, string | undefined][]): string {
  const parts = params
    .filter((p): p is [string, string] => p[1] !== undefined && p[1] !== "")
    .map(([k, v]) => `${k}=${encodeSearchValue(v)}`);
  return `${type}?${parts.join("&")}`;
}

export interface PlanOptions {
  observationGroups: readonly ObservationCodeGroup[];
  quirks: ResolvedQuirks;
  /** `_count` to ask for; capped by quirks.maxPageSize. */
  pageSize: number;
  /** Default "analyte". */
  split?: ObservationSplit;
  /** Today, for the documents lookback (YYYY-MM-DD). */
  today: string;
}

interface ObservationPart {
  key: string;
  label: string;
  codes: readonly string[];
  /** Lab analytes the part covers (for the queue priority). */
  labs: readonly LabKey[];
}

/**
 * One group's searches. With "analyte", each high-volume analyte of the group gets a search with
 * its own codes (as listed in codes.ts, never copied here), and the group's other codes stay
 * together in one search, so every code of the group is searched exactly once.
 */
export function observationParts(group: ObservationCodeGroup, split: ObservationSplit): ObservationPart[] {
  const labs = group.labs ?? [];
  const whole = [{ key: `Observation:${group.key}`, label: group.label, codes: group.codes, labs }];
  const own = labs.filter((lab) => HIGH_VOLUME_LABS.includes(lab));
  if (split === "group" || own.length === 0 || (own.length === 1 && labs.length === 1)) return whole;
  const codesOf = (lab: LabKey) => new Set((LAB_LOINC[lab] ?? []).map((c) => `${SYSTEM.loinc}|${c}`));
  const parts: ObservationPart[] = [];
  const claimed = new Set<string>();
  for (const lab of own) {
    const mine = group.codes.filter((c) => codesOf(lab).has(c) && !claimed.has(c));
    if (mine.length === 0) continue;
    mine.forEach((c) => claimed.add(c));
    parts.push({ key: `Observation:${group.key}:${lab}`, label: `Labs: ${LAB_LABELS[lab] ?? lab}`, codes: mine, labs: [lab] });
  }
  const rest = group.codes.filter((c) => !claimed.has(c));
  if (rest.length > 0) {
    const restLabs = labs.filter((lab) => !own.includes(lab));
    const label = restLabs.length > 0 ? `Labs: ${restLabs.map((lab) => LAB_LABELS[lab] ?? lab).join(", ")}` : group.label;
    parts.push({ key: `Observation:${group.key}:other`, label, codes: rest, labs: restLabs });
  }
  return parts;
}

export function buildSearchPlan(patientId: string, options: PlanOptions): SearchSpec[] {
  const { quirks } = options;
  const count = String(Math.max(1, Math.min(options.pageSize, quirks.maxPageSize)));
  const patient = patientId;

  const search = (
    key: string,
    resourceType: LoadableType,
    label: string,
    params: [string, string | undefined][],
    group?: string,
    firstPagePriority: number = PRIORITY.context,
  ): SearchSpec => {
    const sort = quirks.noSort ? undefined : SORT[resourceType];
    const base: [string, string | undefined][] = [["patient", patient], ...params, ["_count", count]];
    const url = query(resourceType, [...base, ["_sort", sort]]);
    return {
      key,
      resourceType,
      label,
      kind: "search",
      url,
      firstPagePriority,
      ...(group ? { group } : {}),
      ...(sort ? { urlWithoutSort: query(resourceType, base) } : {}),
    };
  };

  // Order matters only for who gets the first connection: Patient and Condition decide whether the
  // assessment applies at all, so they come first; imaging, where lesions come from, next.
  const plan: SearchSpec[] = [
    {
      key: "Patient",
      resourceType: "Patient",
      label: "Patient",
      kind: "read",
      url: `Patient/${encodeURIComponent(patient)}`,
      firstPagePriority: PRIORITY.context,
    },
    search("Condition", "Condition", "Conditions (diagnoses)", []),
    search("DiagnosticReport", "DiagnosticReport", "Imaging and pathology reports", [["category", REPORT_CATEGORIES.join(",")]]),
    search("ImagingStudy", "ImagingStudy", "Imaging studies", []),
    documentSearch(search, options),
    search("Procedure", "Procedure", "Procedures (biopsies, excisions)", [], undefined, PRIORITY.otherFirstPage),
    search("MedicationRequest", "MedicationRequest", "Medications", [], undefined, PRIORITY.otherFirstPage),
  ];
  for (const group of options.observationGroups) {
    if (group.codes.length === 0) continue;
    for (const part of observationParts(group, options.split ?? "analyte")) {
      plan.push(
        search(
          part.key,
          "Observation",
          part.label,
          [
            ["code", part.codes.join(",")],
            // Only where the EHR insists (quirk): a category hides results filed under another one.
            ["category", quirks.observationCategory ? (group.category ?? quirks.observationCategory) : undefined],
          ],
          group.key,
          part.labs.some((lab) => HIGH_VOLUME_LABS.includes(lab)) ? PRIORITY.highVolumeFirstPage : PRIORITY.otherFirstPage,
        ),
      );
    }
  }
  return plan;
}

/** Clinical notes of the US Core types, newest first, within the lookback and count cap of the quirks. */
function documentSearch(
  search: (
    key: string,
    type: LoadableType,
    label: string,
    params: [string, string | undefined][],
    group?: string,
    priority?: number,
  ) => SearchSpec,
  options: PlanOptions,
): SearchSpec {
  const { documentLookbackYears: years, maxDocuments } = options.quirks;
  const since = `${Number(options.today.slice(0, 4)) - years}${options.today.slice(4, 10)}`;
  const spec = search("DocumentReference", "DocumentReference", "Clinical notes and report documents", [
    ["type", DOCUMENT_TYPES.join(",")],
    ["date", `ge${since}`],
  ]);
  return {
    ...spec,
    resourceLimit: {
      count: maxDocuments,
      note: `the ${maxDocuments} most recent notes of the last ${years} years were read (the documents cap of the EHR's settings); older ones were not`,
    },
  };
}
