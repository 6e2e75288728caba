/** The latest value and trend of each analyte (§2), for display: every result with a value, oldest first. */
import type { LabSeries } from "./labStore";
import { round3 } from "./order";
import { TREND_STABLE_FRACTION } from "./thresholds";
import type { LabKey, LabResult, LabSummary } from "./types";
import { ANALYTE_UNITS } from "./units";

type Range = NonNullable<LabResult["referenceRange"]>;
type Quantity = NonNullable<LabResult["normalized"]>;

/** No bound: a map key outside the range of `milli`. */
const NONE = 0x40000000;

/**
 * round3(v) as a whole number of thousandths (round3(v) is exactly milli(v) / 1000), when that is a
 * small integer: a map key V8 never boxes. Null otherwise (then nothing is shared).
 */
function milli(v: number): number | null {
  const k = Math.round(v * 1000);
  return k > -NONE && k < NONE ? k : null;
}

/**
 * The objects a long history repeats: one reference range per distinct (low, high) and one
 * normalised quantity per distinct (value, comparator) of an analyte. Results are reported at a
 * fixed precision, so 10,000 results share a few hundred of each: an allocation saved per result,
 * and the same JSON. (The Assessment is plain data, read and serialised, never mutated in place.)
 */
class SharedValues {
  private ranges = new Map<number, Map<number, Range>>();
  private quantities: Map<number, Quantity>[] = [];
  constructor(private unit: string) {}

  range(low: number | undefined, high: number | undefined): Range {
    const lowKey = low === undefined ? NONE : milli(low);
    const highKey = high === undefined ? NONE : milli(high);
    if (lowKey === null || highKey === null) return this.newRange(low, high);
    let byHigh = this.ranges.get(lowKey);
    if (!byHigh) this.ranges.set(lowKey, (byHigh = new Map()));
    let r = byHigh.get(highKey);
    if (!r) byHigh.set(highKey, (r = this.newRange(low, high)));
    return r;
  }

  private newRange(low: number | undefined, high: number | undefined): Range {
    const r: Range = { unit: this.unit };
    if (low !== undefined) r.low = round3(low);
    if (high !== undefined) r.high = round3(high);
    return r;
  }

  /** `comparatorCode`: an index per comparator (0 none). */
  quantity(canonical: number, comparator: string | undefined, comparatorCode: number): Quantity {
    const key = milli(canonical);
    if (key === null) return this.newQuantity(canonical, comparator);
    let byValue = this.quantities[comparatorCode];
    if (!byValue) this.quantities[comparatorCode] = byValue = new Map();
    let q = byValue.get(key);
    if (!q) byValue.set(key, (q = this.newQuantity(canonical, comparator)));
    return q;
  }

  private newQuantity(canonical: number, comparator: string | undefined): Quantity {
    const value = round3(canonical);
    return comparator ? { value, unit: this.unit, comparator } : { value, unit: this.unit };
  }
}

function toResult(s: LabSeries, i: number, unit: string, shared: SharedValues): LabResult {
  const comparator = s.comparator(i);
  const normalized = s.hasCanonical(i) ? shared.quantity(s.canonical(i), comparator, s.comparatorCode(i)) : null;
  let range: LabResult["referenceRange"] = null;
  const text = s.rangeTextOf(i);
  const low = s.hasLow(i) ? s.low(i) : undefined;
  const high = s.hasHigh(i) ? s.high(i) : undefined;
  if (text !== undefined) {
    range = { unit };
    if (low !== undefined) range.low = round3(low);
    if (high !== undefined) range.high = round3(high);
    range.text = text;
  } else if (low !== undefined || high !== undefined) {
    range = shared.range(low, high);
  }
  const day = s.day(i);
  const out: LabResult = {
    value: s.value(i),
    unit: s.unit(i),
    date: day ? day.iso : null,
    normalized,
    referenceRange: range,
    interpretation: s.interp(i),
    evidence: s.ref(i),
  };
  if (comparator) out.comparator = comparator;
  return out;
}

/** Rising / falling / stable between the last two exact, dated, normalised results. */
function trendOf(s: LabSeries): LabSummary["trend"] {
  const l = s.prevExact(s.length);
  const p = l < 0 ? -1 : s.prevExact(l);
  if (p < 0) return null;
  const last = s.canonical(l);
  const prev = s.canonical(p);
  const change = last - prev;
  const base = Math.abs(prev);
  if (base === 0 ? change === 0 : Math.abs(change) / base < TREND_STABLE_FRACTION) return "stable";
  return change > 0 ? "rising" : "falling";
}

export function labSummaries(labs: Record<LabKey, LabSeries>): Partial<Record<LabKey, LabSummary>> {
  const out: Partial<Record<LabKey, LabSummary>> = {};
  for (const key of Object.keys(labs) as LabKey[]) {
    const s = labs[key];
    const n = s.length;
    if (n === 0) continue;
    const unit = ANALYTE_UNITS[key].canonical;
    const shared = new SharedValues(unit);
    // Allocated at its final length: growing it by push would copy it about twenty times.
    const history = new Array<LabResult>(n);
    for (let i = 0; i < n; i++) history[i] = toResult(s, i, unit, shared);
    // Sorted by day with undated results last: the latest is the last dated one.
    let latest: LabResult | null = null;
    for (let i = n - 1; i >= 0; i--)
      if (history[i].date) {
        latest = history[i];
        break;
      }
    out[key] = { count: n, latest: latest ?? history[n - 1], history, trend: trendOf(s) };
  }
  return out;
}
