/**
 * What to send: the demo resources in an order a server checking referential integrity accepts
 * (a resource after everything of the same upload it refers to; Patient and Practitioner first),
 * what differs from the server's copies, and the transactions (PUT <type>/<id>, chunked).
 */
import type { Bundle, BundleEntry, Resource } from "fhir/r4";
import { difference } from "./compare";

export const keyOf = (r: Resource) => `${r.resourceType}/${r.id}`;

/** Types sent first when nothing else decides: what others refer to most. */
const FIRST = ["Patient", "Practitioner", "Organization", "Location", "PractitionerRole", "Encounter"];

/**
 * Orders resources so that every resource comes after the resources of the list it refers to
 * (depth-first; a reference cycle is broken where it closes). Otherwise Patient, Practitioner,
 * Organization… first, then the original order.
 */
export function dependencyOrder(resources: readonly Resource[]): Resource[] {
  const rank = (r: Resource) => {
    const i = FIRST.indexOf(r.resourceType);
    return i < 0 ? FIRST.length : i;
  };
  const start = resources
    .map((r, i) => ({ r, i }))
    .sort((x, y) => rank(x.r) - rank(y.r) || x.i - y.i)
    .map((x) => x.r);
  const byKey = new Map(resources.map((r) => [keyOf(r), r]));
  const out: Resource[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (r: Resource) => {
    const key = keyOf(r);
    if (state.has(key)) return;
    state.set(key, "visiting");
    for (const ref of references(r)) {
      const target = byKey.get(ref);
      if (target && target !== r) visit(target);
    }
    state.set(key, "done");
    out.push(r);
  };
  start.forEach(visit);
  return out;
}

/** Relative references ("Type/id") anywhere in a resource. */
export function references(resource: Resource): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "reference" && typeof value === "string" && /^[A-Z][A-Za-z]+\/[^/]+$/.test(value)) out.push(value);
      else walk(value);
    }
  };
  walk(resource);
  return out;
}

export interface Change {
  resource: Resource;
  kind: "create" | "update";
  /** For an update: where the server's copy first differs ("valueQuantity.value"). */
  path?: string;
}

export interface PatientPlan {
  changes: Change[];
  unchanged: number;
}

/** Compares each demo resource (in dependency order) with the server's copy, if any. */
export function planChanges(resources: readonly Resource[], existing: ReadonlyMap<string, Resource>, fhirBase: string): PatientPlan {
  const changes: Change[] = [];
  let unchanged = 0;
  for (const resource of dependencyOrder(resources)) {
    const current = existing.get(keyOf(resource));
    if (!current) {
      changes.push({ resource, kind: "create" });
      continue;
    }
    const path = difference(resource, current, fhirBase);
    if (path) changes.push({ resource, kind: "update", path });
    else unchanged++;
  }
  return { changes, unchanged };
}

/** The public SMART launcher's FHIR proxy accepts bodies up to 1 MB: stay under it. */
export const MAX_TRANSACTION_BYTES = 900_000;

/**
 * Splits changes into transactions of at most `size` entries (and about MAX_TRANSACTION_BYTES),
 * keeping their order. Each entry is `PUT <type>/<id>` (update-as-create keeps the id).
 */
export function transactions(
  changes: readonly Change[],
  fhirBase: string,
  size: number,
  maxBytes = MAX_TRANSACTION_BYTES,
): { changes: Change[]; bundle: Bundle }[] {
  const out: { changes: Change[]; bundle: Bundle }[] = [];
  let current: Change[] = [];
  let entries: BundleEntry[] = [];
  let bytes = 0;
  const flush = () => {
    if (!current.length) return;
    out.push({ changes: current, bundle: { resourceType: "Bundle", type: "transaction", entry: entries } });
    current = [];
    entries = [];
    bytes = 0;
  };
  const base = fhirBase.replace(/\/+$/, "");
  for (const change of changes) {
    const { resource } = change;
    const entry: BundleEntry = {
      fullUrl: `${base}/${keyOf(resource)}`,
      resource: resource as BundleEntry["resource"],
      request: { method: "PUT", url: keyOf(resource) },
    };
    const entryBytes = Buffer.byteLength(JSON.stringify(entry)) + 1;
    if (current.length >= size || (current.length && bytes + entryBytes > maxBytes)) flush();
    current.push(change);
    entries.push(entry);
    bytes += entryBytes;
  }
  flush();
  return out;
}
