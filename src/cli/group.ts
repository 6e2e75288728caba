/**
 * Grouping resources per patient. References in urn:uuid form (and any reference equal to a
 * Bundle entry's fullUrl) are rewritten to "Type/id", so the engine's evidence and links work.
 */
import type { Resource } from "fhir/r4";
import type { ReadResource } from "./input";

export interface PatientGroup {
  patientId: string;
  resources: Resource[];
}

export interface Grouped {
  groups: PatientGroup[];
  /** Resources that name no patient and could not be placed. */
  unplaced: number;
}

const PATIENT_REF_RE = /(?:^|\/)Patient\/([^/]+)(?:\/_history\/[^/]+)?$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Rewrite every `reference` found in the map (in place; the CLI owns what it parsed). */
function resolveReferences(value: unknown, map: Map<string, string>): void {
  if (Array.isArray(value)) {
    for (const v of value) resolveReferences(v, map);
    return;
  }
  if (!isObject(value)) return;
  for (const [k, v] of Object.entries(value)) {
    if (k === "reference" && typeof v === "string") {
      const target = map.get(v);
      if (target) value.reference = target;
    } else if (typeof v === "object" && v !== null) {
      resolveReferences(v, map);
    }
  }
}

export function groupByPatient(items: ReadResource[]): Grouped {
  // Give id-less resources with a urn:uuid fullUrl that uuid as id, then map fullUrls to Type/id.
  const map = new Map<string, string>();
  for (const it of items) {
    const r = it.resource;
    if (typeof r.id !== "string" && it.fullUrl?.startsWith("urn:uuid:")) r.id = it.fullUrl.slice("urn:uuid:".length);
    if (it.fullUrl && typeof r.id === "string") map.set(it.fullUrl, `${r.resourceType as string}/${r.id}`);
  }
  if (map.size) for (const it of items) resolveReferences(it.resource, map);

  const patientsByBundle = new Map<string, string[]>();
  for (const it of items) {
    if (it.resource.resourceType === "Patient" && typeof it.resource.id === "string" && it.bundle) {
      const list = patientsByBundle.get(it.bundle) ?? [];
      list.push(it.resource.id);
      patientsByBundle.set(it.bundle, list);
    }
  }
  const groups = new Map<string, Resource[]>();
  const add = (id: string, r: Resource) => {
    const list = groups.get(id);
    if (list) list.push(r);
    else groups.set(id, [r]);
  };
  let unplaced = 0;
  for (const it of items) {
    const r = it.resource;
    if (r.resourceType === "Patient") {
      if (typeof r.id === "string") add(r.id, r as unknown as Resource);
      else unplaced++;
      continue;
    }
    const ref = (isObject(r.subject) && r.subject) || (isObject(r.patient) && r.patient) || null;
    const m = ref && typeof ref.reference === "string" ? PATIENT_REF_RE.exec(ref.reference) : null;
    if (m) {
      add(m[1]!, r as unknown as Resource);
      continue;
    }
    // No patient reference: it belongs to the patient of its Bundle when the Bundle has exactly one.
    const only = it.bundle ? patientsByBundle.get(it.bundle) : undefined;
    if (!ref && only && only.length === 1) add(only[0]!, r as unknown as Resource);
    else unplaced++;
  }
  const ids = [...groups.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { groups: ids.map((patientId) => ({ patientId, resources: groups.get(patientId)! })), unplaced };
}
