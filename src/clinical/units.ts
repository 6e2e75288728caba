/**
 * Unit normalisation, clinical-spec.md §5. UCUM (via @lhncbc/ucum-lhc) converts within a dimension
 * (g/L -> g/dL, umol/L -> mmol/L, ng/L -> pg/mL, mm -> cm); the spec's own factors convert between
 * mass and substance concentration. A unit that is neither is never guessed: the caller gets null.
 * Factors are looked up once per (analyte, unit) and cached, so a large record costs one Map lookup
 * per value.
 */
import ucum from "@lhncbc/ucum-lhc";
import { SYSTEM } from "./codes";
import type { LabKey } from "./types";

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

let ucumUtils: ReturnType<typeof ucum.UcumLhcUtils.getInstance> | null = null;
const ucumCache = new Map<string, number | null>();

/** How many `to` one `from` is, per UCUM, or null when UCUM cannot convert (cached). */
export function ucumFactor(from: string, to: string): number | null {
  const key = `${from}\u0000${to}`;
  const hit = ucumCache.get(key);
  if (hit !== undefined) return hit;
  let factor: number | null = null;
  try {
    ucumUtils ??= ucum.UcumLhcUtils.getInstance();
    const r = ucumUtils.convertUnitTo(from, 1, to);
    if (r.status === "succeeded" && typeof r.toVal === "number" && Number.isFinite(r.toVal)) factor = r.toVal;
  } catch {
    factor = null;
  }
  ucumCache.set(key, factor);
  return factor;
}

const validCache = new Map<string, boolean>();

/** Whether UCUM reads the string as written (case matters in UCUM: "U" is an enzyme unit, "u" a dalton). */
export function isUcum(unit: string): boolean {
  const hit = validCache.get(unit);
  if (hit !== undefined) return hit;
  let ok = false;
  try {
    ucumUtils ??= ucum.UcumLhcUtils.getInstance();
    ok = ucumUtils.validateUnitString(unit).status === "valid";
  } catch {
    ok = false;
  }
  validCache.set(unit, ok);
  return ok;
}

/** The string to give UCUM: as written when UCUM reads it, else the case-folded text ("MG/DL" -> "mg/dL"). */
export function ucumForm(unit: string): string {
  return isUcum(unit) ? unit : ucumCandidate(unit);
}

export interface UnitInput {
  unit?: string;
  system?: string;
  code?: string;
}

/** The unit string to read: the UCUM code first, the unit text second (§5). */
export function unitString(q: UnitInput): string | null {
  if (q.system === SYSTEM.ucum && typeof q.code === "string" && q.code.trim()) return q.code.trim();
  if (typeof q.unit === "string" && q.unit.trim()) return q.unit.trim();
  if (!q.system && typeof q.code === "string" && q.code.trim()) return q.code.trim();
  return null;
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
  return text.toLowerCase().replace(/[\s{}_^]/g, "").replace(/²/g, "2").replace(/per/g, "/");
}

export type UnitOutcome =
  | { ok: true; factor: number; note?: "egfr-unit-assumed" }
  | { ok: false; reason: "unit-missing" | "unit-unknown" };

const labCache = new Map<LabKey, Map<string, UnitOutcome>>();

/** How to bring a value of `unit` to the analyte's canonical unit (cached per analyte and unit). */
export function labUnitFactor(key: LabKey, unit: string | null): UnitOutcome {
  if (unit === null) return { ok: false, reason: "unit-missing" };
  let perKey = labCache.get(key);
  if (!perKey) labCache.set(key, (perKey = new Map()));
  const hit = perKey.get(unit);
  if (hit) return hit;
  const out = computeLabFactor(key, unit);
  perKey.set(unit, out);
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
  const form = ucumForm(unit);
  const direct = ucumFactor(form, spec.canonical);
  if (direct !== null) return { ok: true, factor: direct };
  if (spec.alternate) {
    const alt = ucumFactor(form, spec.alternate.unit);
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

/** A length (lesion dimension) in cm, or null when the unit is not a length UCUM knows. */
export function lengthToCm(value: number, unit: string | null): number | null {
  if (unit === null) return null;
  const f = ucumFactor(ucumForm(unit), "cm");
  return f === null ? null : value * f;
}
