/** Lesion helpers: labels, the pseudotumoral-size test, and growth between dated measurements of one site. */
import type { LesionFact } from "../model";
import { fmt, refs } from "../order";
import { PC_MIN_SIZE_CM } from "../thresholds";
import type { Laterality, LesionGrowth, SiteGroup } from "../types";

const SITE_LABEL: Record<SiteGroup, string> = {
  "hand-wrist": "hand/wrist",
  "shoulder-elbow": "shoulder/elbow",
  "hip-pelvis": "hip/pelvis",
  spine: "spine",
  trunk: "trunk",
  "lower-limb": "lower limb",
  other: "unspecified site",
};

export function siteLabel(group: SiteGroup, side: Laterality): string {
  return side ? `${side} ${SITE_LABEL[group]}` : SITE_LABEL[group];
}

/** PC-SIZE [Z, M]: largest dimension >= 2.0 cm. */
export function isPcSized(l: { maxDimensionCm: number | null }): boolean {
  return l.maxDimensionCm !== null && l.maxDimensionCm >= PC_MIN_SIZE_CM;
}

/** A lesion that is pseudotumoral by size or by name. */
export function isPcLesion(l: LesionFact): boolean {
  return isPcSized(l) || l.pcDoc;
}

export interface LesionSeries {
  siteGroup: SiteGroup;
  laterality: Laterality;
  /** Dated, sized measurements, one per day (the largest that day), oldest first. */
  points: { day: number; iso: string; cm: number; evidence: string[] }[];
  /** Every lesion of the series (sized or not, dated or not). */
  lesions: LesionFact[];
}

/**
 * Lesions grouped per site (group and side). A measurement without a side joins its group's only
 * sided series, so "dorsal mass 10 cm" continues "right dorsal mass 8.8 cm" (D).
 */
export function lesionSeries(lesions: readonly LesionFact[]): LesionSeries[] {
  const sidesByGroup = new Map<SiteGroup, Set<Laterality>>();
  for (const l of lesions) {
    if (l.laterality === null) continue;
    let s = sidesByGroup.get(l.siteGroup);
    if (!s) sidesByGroup.set(l.siteGroup, (s = new Set()));
    s.add(l.laterality);
  }
  const map = new Map<string, LesionSeries>();
  for (const l of lesions) {
    let side = l.laterality;
    if (side === null) {
      const sides = sidesByGroup.get(l.siteGroup);
      if (sides && sides.size === 1) side = [...sides][0]!;
    }
    const key = `${l.siteGroup}|${side}`;
    let s = map.get(key);
    if (!s) map.set(key, (s = { siteGroup: l.siteGroup, laterality: side, points: [], lesions: [] }));
    s.lesions.push(l);
    if (l.day && l.maxDimensionCm !== null) {
      const last = s.points.find((p) => p.day === l.day!.n);
      if (!last) s.points.push({ day: l.day.n, iso: l.day.iso, cm: l.maxDimensionCm, evidence: [...l.evidence] });
      else if (l.maxDimensionCm > last.cm) {
        last.cm = l.maxDimensionCm;
        last.evidence = [...l.evidence];
      }
    }
  }
  const out = [...map.values()];
  for (const s of out) s.points.sort((a, b) => a.day - b.day);
  return out;
}

function growthOf(s: LesionSeries, from: LesionSeries["points"][number], to: LesionSeries["points"][number]): LesionGrowth {
  return {
    siteGroup: s.siteGroup,
    laterality: s.laterality,
    fromCm: from.cm,
    toCm: to.cm,
    fromDate: from.iso,
    toDate: to.iso,
    percent: Math.round(((to.cm - from.cm) / from.cm) * 1000) / 10,
    evidence: refs(from.evidence, to.evidence),
  };
}

/** Growth from the first to the last dated measurement of each site (site "other" excluded). */
export function growth(series: readonly LesionSeries[]): LesionGrowth[] {
  const out: LesionGrowth[] = [];
  for (const s of series) {
    if (s.siteGroup === "other" || s.points.length < 2) continue;
    out.push(growthOf(s, s.points[0]!, s.points[s.points.length - 1]!));
  }
  return out;
}

/** The largest growth between any earlier and later measurement of a site (for G-NEO), or null. */
export function maxGrowth(s: LesionSeries): LesionGrowth | null {
  if (s.points.length < 2) return null;
  let minIdx = 0;
  let best: LesionGrowth | null = null;
  for (let j = 1; j < s.points.length; j++) {
    const g = growthOf(s, s.points[minIdx]!, s.points[j]!);
    if (!best || g.percent > best.percent) best = g;
    if (s.points[j]!.cm < s.points[minIdx]!.cm) minIdx = j;
  }
  return best;
}

export function describeLesion(l: LesionFact): string {
  const size = l.maxDimensionCm !== null ? `${fmt(l.maxDimensionCm)} cm` : "size not given";
  const when = l.date ? ` on ${l.date}` : "";
  const how = l.modality ? ` (${l.modality})` : "";
  return `${siteLabel(l.siteGroup, l.laterality)}, ${size}${when}${how}`;
}
