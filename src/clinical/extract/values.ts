/**
 * Reading value[x] of an Observation or of one of its components: quantities with comparators,
 * numeric strings ("<5", "86,5 pg/mL"), dataAbsentReason. Never invents a value.
 */
import { codings, isObject, str, type Json } from "../json";
import { unitString } from "../units";

export type Comparator = "<" | "<=" | ">" | ">=";

export type ReadValue =
  | { kind: "number"; value: number; unit: string | null; comparator?: Comparator }
  | { kind: "text"; text: string }
  | { kind: "concept"; concept: Json }
  | { kind: "boolean"; value: boolean }
  | { kind: "absent"; reason: string }
  | { kind: "none" };

const NUMERIC_STRING_RE = /^\s*(<=|>=|<|>|≤|≥)?\s*(-?\d+(?:[.,]\d+)?)\s*([^\d\s].*)?$/;

export function comparatorOf(s: unknown): Comparator | undefined {
  switch (s) {
    case "<":
    case "<=":
    case ">":
    case ">=":
      return s;
    case "≤":
      return "<=";
    case "≥":
      return ">=";
    default:
      return undefined;
  }
}

/** Parse "<5", "5.2", "86,5 pg/mL", "≥ 150 nmol/L"; null when the text is not a number. */
export function parseNumericString(text: string): { value: number; unit: string | null; comparator?: Comparator } | null {
  const m = NUMERIC_STRING_RE.exec(text);
  if (!m) return null;
  const value = Number(m[2]!.replace(",", "."));
  if (!Number.isFinite(value)) return null;
  const unit = m[3]?.trim() || null;
  const comparator = comparatorOf(m[1]);
  return comparator ? { value, unit, comparator } : { value, unit };
}

export function readValue(holder: Json): ReadValue {
  if (isObject(holder.dataAbsentReason)) {
    const c = codings(holder.dataAbsentReason)[0];
    return { kind: "absent", reason: c?.code ?? str(holder.dataAbsentReason.text) ?? "unknown" };
  }
  const q = holder.valueQuantity;
  if (isObject(q)) {
    const v = q.value;
    if (typeof v === "number" && Number.isFinite(v)) {
      const comparator = comparatorOf(q.comparator);
      const unit = unitString({ unit: str(q.unit), system: str(q.system), code: str(q.code) });
      return comparator ? { kind: "number", value: v, unit, comparator } : { kind: "number", value: v, unit };
    }
    return { kind: "none" };
  }
  if (typeof holder.valueInteger === "number") return { kind: "number", value: holder.valueInteger, unit: null };
  if (typeof holder.valueString === "string") {
    const parsed = parseNumericString(holder.valueString);
    return parsed ? { kind: "number", ...parsed } : { kind: "text", text: holder.valueString };
  }
  if (isObject(holder.valueCodeableConcept)) return { kind: "concept", concept: holder.valueCodeableConcept };
  if (typeof holder.valueBoolean === "boolean") return { kind: "boolean", value: holder.valueBoolean };
  return { kind: "none" };
}

export interface RawRange {
  low?: { value: number; unit: string | null };
  high?: { value: number; unit: string | null };
  text?: string;
}

/** The first reference range that has a bound (or text). */
export function readRange(holder: Json): RawRange | null {
  const ranges = holder.referenceRange;
  if (!Array.isArray(ranges)) return null;
  for (const r of ranges) {
    if (!isObject(r)) continue;
    const out: RawRange = {};
    for (const side of ["low", "high"] as const) {
      const q = r[side];
      if (isObject(q) && typeof q.value === "number" && Number.isFinite(q.value)) {
        out[side] = { value: q.value, unit: unitString({ unit: str(q.unit), system: str(q.system), code: str(q.code) }) };
      }
    }
    if (typeof r.text === "string") out.text = r.text;
    if (out.low || out.high || out.text) return out;
  }
  return null;
}

/** The first interpretation code (v3 ObservationInterpretation: H, HH, L, LL, N, A, POS, NEG ...). */
export function readInterpretation(holder: Json): string | null {
  const list = holder.interpretation;
  if (!Array.isArray(list)) return null;
  for (const cc of list) for (const c of codings(cc)) if (typeof c.code === "string") return c.code.toUpperCase();
  return null;
}
