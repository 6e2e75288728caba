import { ANALYTE_UNITS, LAB_KEYS, LAB_LABELS, THRESHOLDS } from "../../../clinical";
import type { LabKey, LabResult } from "../../../clinical/types";

/**
 * Display metadata per analyte: the engine's label and canonical unit, and the default limits the
 * rules use when a result carries no reference range of its own (clinical-spec.md §3, in the
 * canonical units of §4).
 */
export interface LabMeta {
  label: string;
  canonicalUnit: string;
  /** Default limits (rule triggers), used only when the result has no referenceRange. */
  defaultRange?: { low?: number; high?: number; ruleId: string };
}

/** The engine's order, except that the corrected calcium stands beside the total it is computed from. */
export const LAB_ORDER: LabKey[] = ["calcium", "correctedCalcium", ...LAB_KEYS.filter((k) => k !== "calcium" && k !== "correctedCalcium")];

/** The usual lower limit of intact PTH (clinical-spec.md, case 3), shown beside the rule's upper limit; no rule uses it. */
const PTH_USUAL_LOW_PG_ML = 15;

const DEFAULT_RANGES: Partial<Record<LabKey, LabMeta["defaultRange"]>> = {
  calcium: { high: THRESHOLDS.S_CA_TOTAL_MAX_MG_DL, ruleId: "S-CA" },
  correctedCalcium: { high: THRESHOLDS.S_CA_CORRECTED_MAX_MG_DL, ruleId: "S-CA" },
  ionizedCalcium: { high: THRESHOLDS.S_CA_IONISED_MAX_MMOL_L, ruleId: "S-CA" },
  phosphate: { high: THRESHOLDS.S_PHOS_MAX_MG_DL, ruleId: "S-PHOS" },
  pth: { low: PTH_USUAL_LOW_PG_ML, high: THRESHOLDS.S_PTH_MAX_PG_ML, ruleId: "S-PTH" },
  vitaminD25: { high: THRESHOLDS.S_VITD_REVIEW_NG_ML, ruleId: "S-VITD" },
  egfr: { low: THRESHOLDS.S_CKD_EGFR_BELOW, ruleId: "S-CKD" },
};

export const LAB_META = Object.fromEntries(
  LAB_KEYS.map((k) => [k, { label: LAB_LABELS[k], canonicalUnit: unitText(ANALYTE_UNITS[k].canonical), defaultRange: DEFAULT_RANGES[k] }]),
) as Record<LabKey, LabMeta>;

export function labLabel(key: string): string {
  return (LAB_META as Record<string, LabMeta | undefined>)[key]?.label ?? key;
}

/** Human unit text: UCUM's `{1.73_m2}` annotations and `ug` made readable. */
export function unitText(u: string | null | undefined): string {
  if (!u) return "";
  return u.replace("/{1.73_m2}", "/1.73 m²").replace("{1.73_m2}", "1.73 m²").replace(/^ug\//, "µg/");
}

export interface RangeInfo {
  low?: number;
  high?: number;
  unit: string;
  text: string;
  /** "result": the lab's own range; "rule": the rule's default trigger (no range on the result). */
  origin: "result" | "rule" | "none";
}

/** The range to compare a result against: its own, else the rule default, else none. */
export function rangeFor(key: LabKey, r: LabResult | null | undefined): RangeInfo {
  const meta = LAB_META[key];
  const rr = r?.referenceRange;
  if (rr && (rr.low !== undefined || rr.high !== undefined || rr.text)) {
    const unit = unitText(rr.unit);
    // The numbers always show; a text label ("Adult women") is added beside them, not instead.
    const bounds = boundsText(rr.low, rr.high, unit);
    const numeric = rr.low !== undefined || rr.high !== undefined;
    const text = !rr.text ? bounds : numeric ? `${bounds} (${rr.text})` : rr.text;
    return { low: rr.low, high: rr.high, unit, text, origin: "result" };
  }
  const d = meta?.defaultRange;
  if (d) {
    const unit = unitText(meta.canonicalUnit);
    return { low: d.low, high: d.high, unit, text: `${boundsText(d.low, d.high, unit)} (rule ${d.ruleId} default)`, origin: "rule" };
  }
  return { unit: unitText(meta?.canonicalUnit), text: "no range given", origin: "none" };
}

function boundsText(low: number | undefined, high: number | undefined, unit: string): string {
  const u = unit ? ` ${unit}` : "";
  if (low !== undefined && high !== undefined) return `${low}–${high}${u}`;
  if (high !== undefined) return `≤ ${high}${u}`;
  if (low !== undefined) return `≥ ${low}${u}`;
  return "no range given";
}

export type InterpretationKind = "high" | "low" | "normal" | "abnormal" | "unknown";

const INTERP_CODES: Record<string, { kind: InterpretationKind; text: string }> = {
  H: { kind: "high", text: "High" },
  HH: { kind: "high", text: "Critically high" },
  HU: { kind: "high", text: "Significantly high" },
  L: { kind: "low", text: "Low" },
  LL: { kind: "low", text: "Critically low" },
  LU: { kind: "low", text: "Significantly low" },
  N: { kind: "normal", text: "Normal" },
  A: { kind: "abnormal", text: "Abnormal" },
  AA: { kind: "abnormal", text: "Critically abnormal" },
};

/**
 * The interpretation to show: the result's own code when present, else a comparison of the
 * normalised value with the range ("Above range (rule default)"). A bound ("<5") that cannot be
 * placed against the range is "Undetermined".
 */
export function interpret(key: LabKey, r: LabResult | null | undefined): { kind: InterpretationKind; text: string } {
  if (!r) return { kind: "unknown", text: "No result" };
  const code = r.interpretation?.toUpperCase();
  if (code && INTERP_CODES[code]) return INTERP_CODES[code];
  const v = r.normalized?.value ?? null;
  if (v === null) return { kind: "unknown", text: "Not interpretable (unit not converted)" };
  const range = rangeFor(key, r);
  if (range.origin === "none") return { kind: "unknown", text: "No range to compare" };
  const suffix = range.origin === "rule" ? " (rule default)" : "";
  const cmp = r.normalized?.comparator ?? r.comparator;
  const above = range.high !== undefined && v > range.high;
  const below = range.low !== undefined && v < range.low;
  if (cmp && cmp.startsWith("<") && !below) return { kind: "unknown", text: "Undetermined (bounded value)" };
  if (cmp && cmp.startsWith(">") && !above) return { kind: "unknown", text: "Undetermined (bounded value)" };
  if (above) return { kind: "high", text: `Above range${suffix}` };
  if (below) return { kind: "low", text: `Below range${suffix}` };
  return { kind: "normal", text: `Within range${suffix}` };
}

export function resultValueText(r: LabResult | null | undefined): string {
  if (!r || r.value === null || r.value === undefined) return "—";
  const c = r.comparator ?? "";
  return `${c}${Number(r.value.toFixed(4))}${r.unit ? " " + unitText(r.unit) : ""}`;
}

export function normalizedText(r: LabResult | null | undefined): string {
  if (!r?.normalized) return "not converted";
  const q = r.normalized;
  return `${q.comparator ?? ""}${Number(q.value.toFixed(3))} ${unitText(q.unit)}`;
}
