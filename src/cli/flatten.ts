/**
 * From parsed JSON to resources placed with their patient. Bundles (nested ones too, to
 * LIMITS.bundleDepth) are flattened with an explicit stack; references in urn:uuid form (and any
 * reference equal to a Bundle entry's fullUrl) are rewritten to "Type/id", so the engine's evidence
 * and links work. A resource belongs to the patient of its `subject` (or `patient`) reference;
 * without one, to the Patient of its Bundle when that Bundle has exactly one.
 */
import { InputError, LIMITS } from "./input";
import { locateJsonError } from "./jsonError";

type Json = Record<string, unknown>;

/** One resource and the patient it belongs to (null: none, it is left out). */
export interface Placed {
  resource: Json;
  patientId: string | null;
}

const PATIENT_REF_RE = /(?:^|\/)Patient\/([^/]+)(?:\/_history\/[^/]+)?$/;
const RESOURCE_TYPE_RE = /^[A-Z][A-Za-z]+$/;

export function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The patient id in a reference string, or null. */
export function patientIdOf(reference: string): string | null {
  return PATIENT_REF_RE.exec(reference)?.[1] ?? null;
}

/** The resource's own patient reference (`subject` or `patient`): the id, null for none, undefined for one that is not a Patient. */
export function ownPatient(r: Json): string | null | undefined {
  if (r.resourceType === "Patient") return typeof r.id === "string" ? r.id : undefined;
  // A Binary names its patient in securityContext, when it does (else it joins the export's pool).
  if (r.resourceType === "Binary") {
    const ref = isObject(r.securityContext) && typeof r.securityContext.reference === "string" ? r.securityContext.reference : "";
    return patientIdOf(ref);
  }
  const ref = (isObject(r.subject) && r.subject) || (isObject(r.patient) && r.patient) || null;
  if (!ref) return null;
  return typeof ref.reference === "string" ? (patientIdOf(ref.reference) ?? undefined) : undefined;
}

export function notFhir(value: unknown): string {
  if (Array.isArray(value)) return "a JSON array is not a FHIR resource (expected a Bundle or one resource)";
  if (!isObject(value)) return `${value === null ? "null" : typeof value} is not a FHIR resource`;
  return "not a FHIR resource (no resourceType)";
}

export function isResource(v: unknown): v is Json {
  return isObject(v) && typeof v.resourceType === "string" && RESOURCE_TYPE_RE.test(v.resourceType);
}

/** JSON.parse with the position of the first error (`lineOffset`: the NDJSON line number). */
export function parseJson(text: string, file: string, lineOffset = 0): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    if (text.trim() === "") throw new InputError(file, lineOffset ? `line ${lineOffset}` : null, "empty: not JSON");
    const at = locateJsonError(text);
    const where = at ? `line ${lineOffset || at.line}, column ${at.column}` : lineOffset ? `line ${lineOffset}` : null;
    throw new InputError(file, where, `not valid JSON (${at ? at.message : e instanceof Error ? e.message : "parse error"})`);
  }
}

interface Entry {
  resource: Json;
  fullUrl?: string;
  /** Index of the innermost Bundle it came from. */
  bundle: number;
}

/**
 * Flatten one parsed value (a resource or a Bundle) into placed resources. `where` prefixes
 * positions ("line 12" for NDJSON). Throws InputError on what is not FHIR.
 */
export function flatten(value: unknown, file: string, where: string | null): Placed[] {
  if (!isResource(value)) throw new InputError(file, where, notFhir(value));
  if (value.resourceType !== "Bundle") return [{ resource: value, patientId: ownPatient(value) ?? null }];
  const entries: Entry[] = [];
  const patientsOfBundle: string[][] = [];
  const stack: { bundle: Json; at: string | null; depth: number }[] = [{ bundle: value, at: where, depth: 1 }];
  while (stack.length) {
    const { bundle, at, depth } = stack.pop()!;
    if (depth > LIMITS.bundleDepth) throw new InputError(file, where, `Bundles nested more than ${LIMITS.bundleDepth} deep`);
    const index = patientsOfBundle.push([]) - 1;
    const list = bundle.entry;
    if (list !== undefined && !Array.isArray(list)) throw new InputError(file, at, "Bundle.entry is not a list");
    (list ?? []).forEach((entry: unknown, k: number) => {
      const pos = `${at ? `${at}, ` : ""}entry ${k + 1}`;
      if (!isObject(entry)) throw new InputError(file, pos, "Bundle entry is not an object");
      const r = entry.resource;
      if (r === undefined) return; // e.g. a transaction DELETE: nothing to read
      if (!isResource(r)) throw new InputError(file, pos, notFhir(r));
      if (r.resourceType === "Bundle") return void stack.push({ bundle: r, at: pos, depth: depth + 1 });
      if (typeof r.id !== "string" && typeof entry.fullUrl === "string" && entry.fullUrl.startsWith("urn:uuid:")) {
        r.id = entry.fullUrl.slice("urn:uuid:".length);
      }
      if (r.resourceType === "Patient" && typeof r.id === "string") patientsOfBundle[index]!.push(r.id);
      entries.push({ resource: r, fullUrl: typeof entry.fullUrl === "string" ? entry.fullUrl : undefined, bundle: index });
    });
  }
  const map = new Map<string, string>();
  for (const e of entries)
    if (e.fullUrl && typeof e.resource.id === "string") map.set(e.fullUrl, `${e.resource.resourceType as string}/${e.resource.id}`);
  return entries.map((e, k) => {
    if (map.size) resolveReferences(e.resource, map, file, `${where ? `${where}, ` : ""}resource ${k + 1}`);
    const own = ownPatient(e.resource);
    const only = patientsOfBundle[e.bundle]!;
    const patientId = own === null && only.length === 1 ? only[0]! : (own ?? null);
    return { resource: e.resource, patientId };
  });
}

/** Rewrite every `reference` found in the map, in place, walking with an explicit stack. */
function resolveReferences(root: Json, map: Map<string, string>, file: string, where: string): void {
  const stack: { value: unknown; depth: number }[] = [{ value: root, depth: 0 }];
  while (stack.length) {
    const { value, depth } = stack.pop()!;
    if (depth > LIMITS.jsonDepth) throw new InputError(file, where, `nested more than ${LIMITS.jsonDepth} levels deep`);
    if (Array.isArray(value)) {
      for (const v of value) if (typeof v === "object" && v !== null) stack.push({ value: v, depth: depth + 1 });
      continue;
    }
    const obj = value as Json;
    for (const k of Object.keys(obj)) {
      const v = obj[k];
      if (k === "reference" && typeof v === "string") {
        const target = map.get(v);
        if (target) obj.reference = target;
      } else if (typeof v === "object" && v !== null) {
        stack.push({ value: v, depth: depth + 1 });
      }
    }
  }
}
