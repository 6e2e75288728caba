/**
 * Small, defensive readers over FHIR R4 JSON. Input comes from EHRs and files: every field may be
 * missing or of the wrong type, so nothing here trusts a shape.
 */
import type { CodeableConcept, Coding, Resource } from "fhir/r4";
import { parseDay, type Day } from "./dates";
import { Memo } from "./memo";

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

export function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** "Type/" by resource type (memo.ts): building it for every resource would make two strings per reference. */
const REF_PREFIXES = new Memo<string, string>(1_000);

/** "Type/id", or "Type/#n" for a resource without an id (n = its position in the input). */
export function refOf(r: Resource, position: number): string {
  let prefix = REF_PREFIXES.get(r.resourceType);
  if (prefix === undefined) {
    prefix = `${r.resourceType}/`;
    REF_PREFIXES.set(r.resourceType, prefix);
  }
  return typeof r.id === "string" && r.id ? prefix + r.id : `${prefix}#${position}`;
}

const NO_CODINGS: Coding[] = [];

export function codings(cc: unknown): Coding[] {
  if (!isObject(cc)) return NO_CODINGS;
  const list = cc.coding;
  if (!Array.isArray(list)) return NO_CODINGS;
  // Hot path: return the array itself when every entry is an object (the usual case).
  for (let i = 0; i < list.length; i++) if (!isObject(list[i])) return list.filter(isObject) as Coding[];
  return list as Coding[];
}

/** All human text of a concept: its text and its codings' displays, joined. */
export function conceptText(cc: unknown): string {
  if (!isObject(cc)) return "";
  const parts: string[] = [];
  if (typeof cc.text === "string") parts.push(cc.text);
  for (const c of codings(cc)) if (typeof c.display === "string") parts.push(c.display);
  return parts.join(" | ");
}

export function conceptsText(ccs: unknown): string {
  return asArray(ccs).map(conceptText).filter(Boolean).join(" | ");
}

/** Text of an Annotation list (note[]). */
export function notesText(notes: unknown): string {
  return asArray(notes)
    .map((n) => (isObject(n) && typeof n.text === "string" ? n.text : ""))
    .filter(Boolean)
    .join("\n");
}

/** The status code of a CodeableConcept status (Condition.clinicalStatus, verificationStatus). */
export function statusCode(cc: unknown): string | undefined {
  for (const c of codings(cc)) if (typeof c.code === "string") return c.code;
  return undefined;
}

/** The patient id a reference points to ("Patient/1", ".../Patient/1", "Patient/1/_history/2"). */
const PATIENT_REF_RE = /(?:^|\/)Patient\/([^/]+)(?:\/_history\/[^/]+)?$/;
/** Patient id by reference string, null for a reference to no Patient (memo.ts). */
const PATIENT_IDS = new Memo<string, string | null>(10_000);

export function patientIdOfReference(ref: unknown): string | undefined {
  if (!isObject(ref) || typeof ref.reference !== "string") return undefined;
  const s = ref.reference;
  let id = PATIENT_IDS.get(s);
  if (id === undefined) {
    id = PATIENT_REF_RE.exec(s)?.[1] ?? null;
    PATIENT_IDS.set(s, id);
  }
  return id ?? undefined;
}

/**
 * The patient a resource's subject (or patient) reference names: its id; null when the reference
 * names no Patient (a Group, a malformed reference); undefined when there is no reference.
 */
export function subjectPatientId(r: Json): string | null | undefined {
  const ref = r.subject ?? r.patient;
  if (ref === undefined) return undefined;
  return patientIdOfReference(ref) ?? null;
}

/** The time of an Observation-like resource: effective[x], else issued (§5). */
export function effectiveDay(r: Json): Day | null {
  const direct = parseDay(r.effectiveDateTime) ?? parseDay(r.effectiveInstant);
  if (direct) return direct;
  if (isObject(r.effectivePeriod)) {
    const p = parseDay(r.effectivePeriod.start) ?? parseDay(r.effectivePeriod.end);
    if (p) return p;
  }
  if (isObject(r.effectiveTiming)) {
    const ev = asArray(r.effectiveTiming.event)[0];
    const p = parseDay(ev);
    if (p) return p;
  }
  return parseDay(r.issued);
}

/** Decode a base64 text attachment (presentedForm), or "" when it is not text. */
export function attachmentText(a: unknown): string {
  if (!isObject(a)) return "";
  const type = typeof a.contentType === "string" ? a.contentType.toLowerCase() : "";
  if (type && !type.startsWith("text/plain")) return "";
  if (typeof a.data !== "string") return "";
  try {
    const bin = atob(a.data);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  } catch {
    return "";
  }
}

/** Strip tags from an XHTML narrative (text only; the result is never rendered as HTML). */
export function narrativeText(text: unknown): string {
  if (!isObject(text) || typeof text.div !== "string") return "";
  return text.div
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|li|tr|h\d)>/gi, ".\n")
    .replace(/<[^>]*>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/[ \t]+/g, " ");
}

export type { CodeableConcept };
