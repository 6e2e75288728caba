/**
 * Is the server's copy of a resource the demo resource? Compared as FHIR content, ignoring what a
 * server manages itself: meta.versionId, meta.lastUpdated and meta.source, tags, security labels
 * and profiles the server added (the demo's own must be there), a narrative the server generated
 * (when the demo resource has none), absolute references to the server itself, key order, and
 * empty elements.
 */
import type { Resource } from "fhir/r4";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** undefined when the server's copy has the demo content; otherwise the path of a difference ("valueQuantity.value"). */
export function difference(demo: Resource, server: Resource, fhirBase: string): string | undefined {
  const a = prune(clone(demo)) as JsonObject;
  const b = prune(clone(server)) as JsonObject;
  if (!("text" in a)) delete b.text;
  relativise(b, fhirBase.replace(/\/+$/, ""));
  alignMeta(a, b);
  return firstDifference(a, b, "");
}

function clone(resource: Resource): Json {
  return JSON.parse(JSON.stringify(resource)) as Json;
}

const SERVER_META = ["versionId", "lastUpdated", "source"];
const META_LISTS = ["tag", "security", "profile"];

/**
 * Drops the server-managed parts of both metas; in the server's lists keeps only the items the demo
 * has (in the demo's order when all are there), so added items and reordering are not differences.
 */
function alignMeta(demo: JsonObject, server: JsonObject): void {
  const a = (demo.meta ?? {}) as JsonObject;
  const b = (server.meta ?? {}) as JsonObject;
  for (const key of SERVER_META) {
    delete a[key];
    delete b[key];
  }
  for (const key of META_LISTS) {
    const mine = (a[key] ?? []) as Json[];
    const theirs = (b[key] ?? []) as Json[];
    const kept = theirs.filter((item) => mine.some((m) => firstDifference(m, item, "") === undefined));
    const complete = mine.every((m) => kept.some((item) => firstDifference(m, item, "") === undefined));
    if (complete) kept.splice(0, kept.length, ...mine);
    if (kept.length) b[key] = kept;
    else delete b[key];
  }
  for (const [resource, meta] of [
    [demo, a],
    [server, b],
  ] as const) {
    if (Object.keys(meta).length) resource.meta = meta;
    else delete resource.meta;
  }
}

/** Servers may answer references to themselves as absolute URLs: `<base>/Patient/x` means `Patient/x`. */
function relativise(node: Json, base: string): void {
  if (Array.isArray(node)) return node.forEach((n) => relativise(n, base));
  if (!node || typeof node !== "object") return;
  for (const [key, value] of Object.entries(node)) {
    if (key === "reference" && typeof value === "string" && value.startsWith(`${base}/`)) node[key] = value.slice(base.length + 1);
    else relativise(value, base);
  }
}

/** Removes null, empty arrays and empty objects (FHIR has no empty elements; servers drop them). */
function prune(node: Json): Json | undefined {
  if (node === null) return undefined;
  if (Array.isArray(node)) {
    const items = node.map(prune).filter((n): n is Json => n !== undefined);
    return items.length ? items : undefined;
  }
  if (typeof node === "object") {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(node)) {
      const p = prune(v);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return node;
}

function firstDifference(a: Json | undefined, b: Json | undefined, path: string): string | undefined {
  const here = path || "(resource)";
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return here;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      const d = firstDifference(a[key], b[key], path ? `${path}.${key}` : key);
      if (d) return d;
    }
    return undefined;
  }
  return a === b ? undefined : here;
}
