import { THRESHOLDS } from "../../../clinical";
import type { Assessment, LabKey, LabResult, LabSummary } from "../../../clinical/types";
import { LAB_ORDER } from "./labMeta";

export interface Row {
  key: LabKey;
  result: LabResult;
}

/** Every result of every analyte, newest first within each analyte (the table's rows). */
export function allResults(a: Pick<Assessment, "labs">): Row[] {
  const rows: Row[] = [];
  for (const k of LAB_ORDER) {
    const sum = a.labs[k];
    if (!sum) continue;
    const hist = sum.history && sum.history.length ? sum.history : sum.latest ? [sum.latest] : [];
    const newestFirst = [...hist].sort((x, y) => (y.date ?? "").localeCompare(x.date ?? ""));
    for (const r of newestFirst) rows.push({ key: k, result: r });
  }
  return rows;
}

export interface Point {
  date: string;
  value: number;
}

/** Normalised values with a date, oldest first. */
export function datedPoints(sum: LabSummary): Point[] {
  const hist = sum.history && sum.history.length ? sum.history : sum.latest ? [sum.latest] : [];
  return hist
    .filter((r): r is LabResult & { date: string } => !!r.date && !!r.normalized && Number.isFinite(r.normalized.value))
    .map((r) => ({ date: r.date, value: r.normalized!.value }))
    .sort((a, b) => a.date.localeCompare(b.date));
}

/** The ISO date `months` before `iso` (calendar months, day clamped by Date). */
export function monthsBefore(iso: string, months: number): string {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
}

/** Points on or after `from`. */
export function since(points: Point[], from: string): Point[] {
  return points.filter((p) => p.date.slice(0, 10) >= from);
}

/** Most points a trend chart draws; longer series are thinned (the table has every result). */
export const MAX_CHART_POINTS = 120;

/**
 * Keeps at most `max` points: the first and last, and from each bucket in between its lowest and
 * highest value, so that out-of-range peaks survive the thinning.
 */
export function thinPoints<T extends { value: number }>(pts: T[], max: number): T[] {
  if (pts.length <= max) return pts;
  const buckets = Math.max(1, Math.floor((max - 2) / 2));
  const inner = pts.slice(1, -1);
  const size = inner.length / buckets;
  const out: T[] = [pts[0]];
  for (let b = 0; b < buckets; b++) {
    const slice = inner.slice(Math.floor(b * size), Math.floor((b + 1) * size));
    if (slice.length === 0) continue;
    let lo = 0;
    let hi = 0;
    slice.forEach((p, i) => {
      if (p.value < slice[lo].value) lo = i;
      if (p.value > slice[hi].value) hi = i;
    });
    for (const i of [...new Set([lo, hi])].sort((x, y) => x - y)) out.push(slice[i]);
  }
  out.push(pts[pts.length - 1]);
  return out;
}

/** The trend window the card states: the year up to the assessment date. */
export const TREND_WINDOW_MONTHS = 12;

export interface Trend {
  direction: "rising" | "falling" | "stable" | null;
  /** Results in the window. */
  n: number;
  text: string;
}

/**
 * Direction over the last TREND_WINDOW_MONTHS before `asOf`: the least-squares line through every
 * result in the window, its change across the window against the mean (below
 * TREND_STABLE_FRACTION of it: stable). Fewer than two results in the window: no trend.
 */
export function trendOver(points: Point[], asOf: string): Trend {
  const from = monthsBefore(asOf, TREND_WINDOW_MONTHS);
  const pts = since(points, from).filter((p) => p.date.slice(0, 10) <= asOf);
  const window = `the last ${TREND_WINDOW_MONTHS} months`;
  if (pts.length < 2)
    return { direction: null, n: pts.length, text: `no trend: ${pts.length === 0 ? "no result" : "1 result"} in ${window}` };
  const t = pts.map((p) => Date.parse(`${p.date.slice(0, 10)}T00:00:00Z`) / 86_400_000);
  const v = pts.map((p) => p.value);
  const mt = t.reduce((s, x) => s + x, 0) / t.length;
  const mv = v.reduce((s, x) => s + x, 0) / v.length;
  const sxx = t.reduce((s, x) => s + (x - mt) ** 2, 0);
  const slope = sxx === 0 ? 0 : t.reduce((s, x, i) => s + (x - mt) * (v[i] - mv), 0) / sxx;
  const change = slope * (t[t.length - 1] - t[0]);
  const direction = Math.abs(change) < THRESHOLDS.TREND_STABLE_FRACTION * Math.abs(mv) ? "stable" : change > 0 ? "rising" : "falling";
  return { direction, n: pts.length, text: `${direction} over ${window} (${pts.length} results)` };
}
