/** The latest value and trend of each analyte (§2), for display: every result with a value, oldest first. */
import type { LabFact } from "./model";
import { round3 } from "./order";
import { TREND_STABLE_FRACTION } from "./thresholds";
import type { LabKey, LabResult, LabSummary } from "./types";
import { ANALYTE_UNITS } from "./units";

type Range = NonNullable<LabResult["referenceRange"]>;

/**
 * One range object per distinct (low, high) of an analyte: a long history shares a handful of
 * ranges, so this saves an allocation per result (the output JSON is the same).
 */
class RangeCache {
  private byLow = new Map<number | undefined, Map<number | undefined, Range>>();
  constructor(private unit: string) {}
  get(low: number | undefined, high: number | undefined): Range {
    let byHigh = this.byLow.get(low);
    if (!byHigh) this.byLow.set(low, (byHigh = new Map()));
    let r = byHigh.get(high);
    if (!r) {
      r = { unit: this.unit };
      if (low !== undefined) r.low = round3(low);
      if (high !== undefined) r.high = round3(high);
      byHigh.set(high, r);
    }
    return r;
  }
}

function toResult(f: LabFact, unit: string, ranges: RangeCache): LabResult {
  let normalized: LabResult["normalized"] = null;
  if (f.canonical !== null) {
    normalized = f.comparator ? { value: round3(f.canonical), unit, comparator: f.comparator } : { value: round3(f.canonical), unit };
  }
  let range: LabResult["referenceRange"] = null;
  if (f.refText !== undefined) {
    range = { unit };
    if (f.refLow !== undefined) range.low = round3(f.refLow);
    if (f.refHigh !== undefined) range.high = round3(f.refHigh);
    range.text = f.refText;
  } else if (f.refLow !== undefined || f.refHigh !== undefined) {
    range = ranges.get(f.refLow, f.refHigh);
  }
  const out: LabResult = { value: f.value, unit: f.unit, date: f.day ? f.day.iso : null, normalized, referenceRange: range, interpretation: f.interp, evidence: f.ref };
  if (f.comparator) out.comparator = f.comparator;
  return out;
}

/** Rising / falling / stable between the last two exact, dated, normalised results. */
function trendOf(list: readonly LabFact[]): LabSummary["trend"] {
  let last: LabFact | null = null;
  let prev: LabFact | null = null;
  for (let i = list.length - 1; i >= 0 && !prev; i--) {
    const f = list[i]!;
    if (f.canonical === null || f.comparator || !f.day) continue;
    if (!last) last = f;
    else prev = f;
  }
  if (!last || !prev) return null;
  const change = last.canonical! - prev.canonical!;
  const base = Math.abs(prev.canonical!);
  if (base === 0 ? change === 0 : Math.abs(change) / base < TREND_STABLE_FRACTION) return "stable";
  return change > 0 ? "rising" : "falling";
}

export function labSummaries(labs: Record<LabKey, LabFact[]>): Partial<Record<LabKey, LabSummary>> {
  const out: Partial<Record<LabKey, LabSummary>> = {};
  for (const key of Object.keys(labs) as LabKey[]) {
    const list = labs[key];
    if (list.length === 0) continue;
    const unit = ANALYTE_UNITS[key].canonical;
    const ranges = new RangeCache(unit);
    const history = list.map((f) => toResult(f, unit, ranges));
    // Sorted by day with undated results last: the latest is the last dated one.
    let latest: LabResult | null = null;
    for (let i = history.length - 1; i >= 0; i--) if (history[i]!.date) { latest = history[i]!; break; }
    out[key] = { count: list.length, latest: latest ?? history[history.length - 1]!, history, trend: trendOf(list) };
  }
  return out;
}
