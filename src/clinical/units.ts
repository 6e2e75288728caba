/**
 * Unit normalisation, clinical-spec.md §5. Within a kind of quantity (mass per volume, amount per
 * volume, length) units convert through unitTable.ts: the UCUM units the engine needs, with the
 * magnitudes ucum-lhc computes for them, generated from ucum-lhc and checked against it in the
 * tests (the table gives exactly ucum-lhc's factors; ucum-lhc itself stays out of the browser
 * bundle). The spec's own factors convert between mass and substance concentration. A unit that is
 * in neither is never guessed: the caller gets null, and a "unit-unknown" note. Factors are looked
 * up once per (analyte, unit) and cached, so a large record costs one Map lookup per value.
 */
import { SYSTEM } from "./codes";
import type { LabKey } from "./types";
import { UNIT_TABLE, type UnitEntry } from "./unitTable";
import { Memo } from "./memo";

/** §5 conversions between mass and molar units. */
export const CALCIUM_MMOL_L_PER_MG_DL = 0.2495;
export const PHOSPHATE_MMOL_L_PER_MG_DL = 0.3229;
export const CREATININE_UMOL_L_PER_MG_DL = 88.42;
export const VITD_NMOL_L_PER_NG_ML = 2.496;
export const PTH_PG_ML_PER_PMOL_L = 9.43;

interface AnalyteUnits {
  /** The canonical unit of §4 (UCUM). */
  canonical: string;
  /** A unit of the other dimension and how many canonical units one of it is. */
  alternate?: { unit: string; canonicalPerUnit: number };
}

export const EGFR_UNIT = "mL/min/{1.73_m2}";

export const ANALYTE_UNITS: Record<LabKey, AnalyteUnits> = {
  calcium: { canonical: "mg/dL", alternate: { unit: "mmol/L", canonicalPerUnit: 1 / CALCIUM_MMOL_L_PER_MG_DL } },
  ionizedCalcium: { canonical: "mmol/L", alternate: { unit: "mg/dL", canonicalPerUnit: CALCIUM_MMOL_L_PER_MG_DL } },
  correctedCalcium: { canonical: "mg/dL", alternate: { unit: "mmol/L", canonicalPerUnit: 1 / CALCIUM_MMOL_L_PER_MG_DL } },
  albumin: { canonical: "g/dL" },
  phosphate: { canonical: "mg/dL", alternate: { unit: "mmol/L", canonicalPerUnit: 1 / PHOSPHATE_MMOL_L_PER_MG_DL } },
  pth: { canonical: "pg/mL", alternate: { unit: "pmol/L", canonicalPerUnit: PTH_PG_ML_PER_PMOL_L } },
  vitaminD25: { canonical: "ng/mL", alternate: { unit: "nmol/L", canonicalPerUnit: 1 / VITD_NMOL_L_PER_NG_ML } },
  creatinine: { canonical: "mg/dL", alternate: { unit: "umol/L", canonicalPerUnit: 1 / CREATININE_UMOL_L_PER_MG_DL } },
  egfr: { canonical: EGFR_UNIT },
  boneAlp: { canonical: "ug/L" },
};

const TABLE = new Map<string, UnitEntry | null>(Object.entries(UNIT_TABLE));

/**
 * What a unit string reads as: the table entry of the string as written (UCUM is case-sensitive:
 * "U/L" is an enzyme activity, "Mg/L" megagrams per litre), else of its case-folded form ("MG/DL"
 * -> "mg/dL", §5); null for a UCUM unit that is no concentration or length; undefined when the
 * table does not know it.
 */
function tableEntry(unit: string): UnitEntry | null | undefined {
  const asWritten = TABLE.get(unit);
  return asWritten !== undefined ? asWritten : TABLE.get(ucumCandidate(unit));
}

const factorCache = new Map<string, number | null>();

/** How many `to` one `from` is (both in the unit table, of one kind), or null (cached). */
export function unitFactor(from: string, to: string): number | null {
  const key = `${from}\u0000${to}`;
  const hit = factorCache.get(key);
  if (hit !== undefined) return hit;
  const f = tableEntry(from);
  const t = tableEntry(to);
  // The same arithmetic as ucum-lhc (value x magnitude / target magnitude), so the same factor.
  const factor = f && t && f[0] === t[0] ? (1 * f[1]) / t[1] : null;
  if (factorCache.size > 10_000) factorCache.clear(); // unit strings come from the input
  factorCache.set(key, factor);
  return factor;
}

export interface UnitInput {
  unit?: string;
  system?: string;
  code?: string;
}

/**
 * How a unit string is read (§6 UNITS): a UCUM code exactly as written ("Mg/dL" is megagrams per
 * decilitre), a unit typed by people case-insensitively ("Mg/dL" is mg/dL).
 */
export type UnitSource = "ucum" | "text";

export interface UnitRead {
  readonly unit: string;
  readonly source: UnitSource;
}

/**
 * One frozen UnitRead per unit as written (memo.ts): a record spells its units a handful of ways,
 * and a million results would otherwise make a million of these objects.
 */
const UCUM_READS = new Memo<string, UnitRead>(1_000);
const TEXT_READS = new Memo<string, UnitRead>(1_000);

function unitRead(memo: Memo<string, UnitRead>, written: string, source: UnitSource): UnitRead {
  let read = memo.get(written);
  if (read === undefined) memo.set(written, (read = Object.freeze({ unit: written.trim(), source })));
  return read;
}

/** The unit to read: the UCUM code first, the unit text second (§5). Shared, frozen: never changed by callers. */
export function readUnit(q: UnitInput): UnitRead | null {
  if (q.system === SYSTEM.ucum && typeof q.code === "string" && q.code.trim()) return unitRead(UCUM_READS, q.code, "ucum");
  if (typeof q.unit === "string" && q.unit.trim()) return unitRead(TEXT_READS, q.unit, "text");
  if (!q.system && typeof q.code === "string" && q.code.trim()) return unitRead(TEXT_READS, q.code, "text");
  return null;
}

/** The unit string to show: the UCUM code first, the unit text second (§5). */
export function unitString(q: UnitInput): string | null {
  return readUnit(q)?.unit ?? null;
}

/** The unit as people write it ("mL/min/1.73 m²", §6 TEXT). */
export function displayUnit(unit: string): string {
  return unit.replace("{1.73_m2}", "1.73 m²");
}

/**
 * Unit text as written by people ("mg/dl", "MMOL/L", "µg/l", "mcg/L") to a UCUM candidate.
 * Text is case-insensitive (§5): lower-case it, then restore UCUM's litre "L".
 */
export function ucumCandidate(text: string): string {
  return text
    .replace(/\s+/g, "")
    .replace(/[µμ]/g, "u")
    .replace(/²/g, "2")
    .toLowerCase()
    .replace(/mcg/g, "ug")
    .replace(/(^|[/.])([munpfdc]?)l(?=$|[/.])/g, (_m, a: string, p: string) => `${a}${p}L`);
}

function flatEgfr(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\s{}_^]/g, "")
    .replace(/²/g, "2")
    .replace(/per/g, "/");
}

export type UnitOutcome = { ok: true; factor: number; note?: "egfr-unit-assumed" } | { ok: false; reason: "unit-missing" | "unit-unknown" };

const labCache = new Map<LabKey, Map<string, UnitOutcome>>();

/**
 * How to bring a value of `unit` to the analyte's canonical unit (cached per analyte and unit). A
 * UCUM code is taken as written where UCUM reads it; unit text is case-folded first (§6 UNITS).
 */
export function labUnitFactor(key: LabKey, unit: string | null, source: UnitSource = "ucum"): UnitOutcome {
  if (unit === null) return { ok: false, reason: "unit-missing" };
  let perKey = labCache.get(key);
  if (!perKey) labCache.set(key, (perKey = new Map()));
  const cacheKey = source === "ucum" ? unit : `\u0000${unit}`;
  const hit = perKey.get(cacheKey);
  if (hit) return hit;
  const out = computeLabFactor(key, source === "ucum" ? unit : ucumCandidate(unit));
  if (perKey.size > 1_000) perKey.clear(); // unit strings come from the input
  perKey.set(cacheKey, out);
  return out;
}

function computeLabFactor(key: LabKey, unit: string): UnitOutcome {
  if (key === "egfr") {
    const f = flatEgfr(unit);
    if (f === "ml/min/1.73m2" || f === "ml/min/1.73m2bsa") return { ok: true, factor: 1 };
    // §5: an eGFR reported as mL/min is taken as per 1.73 m2, with a note.
    if (f === "ml/min") return { ok: true, factor: 1, note: "egfr-unit-assumed" };
    return { ok: false, reason: "unit-unknown" };
  }
  const spec = ANALYTE_UNITS[key];
  const direct = unitFactor(unit, spec.canonical);
  if (direct !== null) return { ok: true, factor: direct };
  if (spec.alternate) {
    const alt = unitFactor(unit, spec.alternate.unit);
    if (alt !== null) return { ok: true, factor: alt * spec.alternate.canonicalPerUnit };
  }
  return { ok: false, reason: "unit-unknown" };
}

/** Convert a lab value between any two units the analyte accepts (e.g. mg/dL <-> mmol/L), or null. */
export function convertLab(key: LabKey, value: number, fromUnit: string, toUnit: string): number | null {
  const from = labUnitFactor(key, fromUnit);
  const to = labUnitFactor(key, toUnit);
  if (!from.ok || !to.ok) return null;
  return (value * from.factor) / to.factor;
}

/** A length (lesion dimension) in cm, or null when the unit is not a length of the unit table. */
export function lengthToCm(value: number, unit: string | null): number | null {
  if (unit === null) return null;
  const f = unitFactor(unit, "cm");
  return f === null ? null : value * f;
}
