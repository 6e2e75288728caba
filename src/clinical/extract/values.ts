/**
 * Reading value[x] of an Observation or of one of its components: quantities with comparators,
 * numeric strings ("<5", "86,5 pg/mL"), dataAbsentReason. Never invents a value.
 */
import { codings, isObject, str, type Json } from "../json";
import { readUnit, ucumCandidate, unitString, type UnitSource } from "../units";

export type Comparator = "<" | "<=" | ">" | ">=";

export type ReadValue =
  | { kind: "number"; value: number; unit: string | null; comparator?: Comparator; unitSource?: UnitSource }
  | { kind: "text"; text: string }
  | { kind: "concept"; concept: Json }
  | { kind: "boolean"; value: boolean }
  | { kind: "absent"; reason: string }
  | { kind: "none" };

const NUMERIC_STRING_RE = /^\s*(<=|>=|<|>|≤|≥)?\s*(-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:[.,]\d+)?)\s*([^\d\s].*)?$/;
/** §6 UNITS: units whose values run into the thousands, where "1,250" is one thousand two hundred and fifty. */
const THOUSANDS_UNITS = new Set(["pg/mL", "ng/L"]);

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

/**
 * Parse "<5", "5.2", "86,5 pg/mL", "≥ 150 nmol/L", "1,250 pg/mL"; null when the text is not a
 * number. A comma followed by exactly three digits, with a unit of pg/mL or ng/L, separates
 * thousands; any other comma is a decimal comma (§6 UNITS).
 */
export function parseNumericString(text: string): { value: number; unit: string | null; comparator?: Comparator } | null {
  const m = NUMERIC_STRING_RE.exec(text);
  if (!m) return null;
  const unit = m[3]?.trim() || null;
  const digits = m[2]!;
  const groups = digits.split(",").length - 1;
  const thousands = /,\d{3}(?:\D|$)/.test(digits) && unit !== null && THOUSANDS_UNITS.has(ucumCandidate(unit));
  if (groups > 1 && !thousands) return null; // "1,250,000 mg/dL": no reading is safe
  const value = Number(thousands ? digits.replace(/,/g, "") : digits.replace(",", "."));
  if (!Number.isFinite(value)) return null;
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
      const u = readUnit({ unit: str(q.unit), system: str(q.system), code: str(q.code) });
      const out = { kind: "number" as const, value: v, unit: u?.unit ?? null, unitSource: u?.source ?? "text" };
      return comparator ? { ...out, comparator } : out;
    }
    return { kind: "none" };
  }
  if (typeof holder.valueInteger === "number") return { kind: "number", value: holder.valueInteger, unit: null };
  if (typeof holder.valueString === "string") {
    const parsed = parseNumericString(holder.valueString);
    return parsed ? { kind: "number", ...parsed, unitSource: "text" } : { kind: "text", text: holder.valueString };
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

// Coded and worded answers that say positive or negative (antibody results, absent findings).
export const POSITIVE_SNOMED = new Set(["10828004", "260373001", "52101004"]);
export const NEGATIVE_SNOMED = new Set(["260385009", "260415000", "2667000"]);
export const POSITIVE_WORDS_RE = /\b(positive|detected|present|reactive)\b/i;
export const NEGATIVE_WORDS_RE = /\b(negative|not detected|absent|non-?reactive|undetectable)\b/i;
