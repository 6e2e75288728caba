/**
 * The lesion model (§6 LESION): one lesion per site group and side, merged from every mention
 * (reports, studies, notes, Observations, Conditions) that agrees on both, or on the site where
 * one side is not stated and the record has one lesion at that site. Each lesion keeps its
 * measurement history; its size is the largest dimension of its latest measurement, its peak the
 * largest ever measured.
 */
import type { Day } from "../dates";
import type { LesionFact } from "../model";
import { cmp, fmt, refs } from "../order";
import { joinSpines, type SpineDetail } from "../text";
import { PC_MIN_SIZE_CM } from "../thresholds";
import type { Laterality, Lesion, LesionGrowth, LesionMeasurement, SiteGroup } from "../types";

const GROUP_LABEL: Record<SiteGroup, string> = {
  "hand-wrist": "hand/wrist",
  "shoulder-elbow": "shoulder/elbow",
  "hip-pelvis": "hip/pelvis",
  spine: "spine",
  trunk: "trunk",
  "lower-limb": "lower limb",
  other: "unspecified site",
};

/** "left shoulder/elbow", "hand/wrist": the site group and side, when nothing more precise is known. */
export function siteLabel(group: SiteGroup, side: Laterality): string {
  return side ? `${side} ${GROUP_LABEL[group]}` : GROUP_LABEL[group];
}

/** One lesion of the record, with what the rules need besides the Assessment's Lesion. */
export interface LesionRecord {
  lesion: Lesion & { id: string; siteLabel: string; measurements: LesionMeasurement[] };
  /** Every mention, oldest first (undated last). */
  mentions: LesionFact[];
  /** Dated, sized measurements, one per day (the largest that day), oldest first. */
  points: Point[];
  firstSeen: Day | null;
  pcDoc: boolean;
  cutis: boolean;
  spine: SpineDetail | null;
}

interface Point {
  day: number;
  iso: string;
  cm: number;
  modality: string | null;
  evidence: string[];
}

/** PC-SIZE [Z, M]: largest dimension (of the latest measurement) >= 2.0 cm. */
export function isPcSized(l: { maxDimensionCm: number | null }): boolean {
  return l.maxDimensionCm !== null && l.maxDimensionCm >= PC_MIN_SIZE_CM;
}

/** A lesion that is pseudotumoral by size or by name. */
export function isPcLesion(r: LesionRecord): boolean {
  return isPcSized(r.lesion) || r.pcDoc;
}

function byDay(a: LesionFact, b: LesionFact): number {
  const da = a.day ? a.day.n : Number.POSITIVE_INFINITY;
  const db = b.day ? b.day.n : Number.POSITIVE_INFINITY;
  return da - db || cmp(a.evidence[0] ?? "", b.evidence[0] ?? "");
}

/** The side a mention joins: its own, or the only side its site has in the record (§6 LESION). */
function sideKeys(mentions: readonly LesionFact[]): (m: LesionFact) => Laterality {
  const sides = new Map<SiteGroup, Set<Laterality>>();
  for (const m of mentions) {
    if (m.laterality === null) continue;
    let s = sides.get(m.siteGroup);
    if (!s) sides.set(m.siteGroup, (s = new Set()));
    s.add(m.laterality);
  }
  return (m) => {
    if (m.laterality !== null) return m.laterality;
    const s = sides.get(m.siteGroup);
    return s && s.size === 1 ? [...s][0]! : null;
  };
}

/** One measurement per source and day: the largest size a report gives a lesion. */
function measurementsOf(mentions: readonly LesionFact[]): LesionMeasurement[] {
  const out: LesionMeasurement[] = [];
  const at = new Map<string, LesionMeasurement>();
  for (const m of mentions) {
    const key = `${m.evidence.join(",")}|${m.date ?? ""}`;
    const prev = at.get(key);
    if (prev) {
      if (m.maxDimensionCm !== null && (prev.maxDimensionCm === null || m.maxDimensionCm > prev.maxDimensionCm)) {
        prev.maxDimensionCm = m.maxDimensionCm;
        prev.dimensionsCm = m.dimensionsCm ?? [];
        if (m.sourceText) prev.sourceText = m.sourceText;
      }
      continue;
    }
    const x: LesionMeasurement = {
      date: m.date,
      maxDimensionCm: m.maxDimensionCm,
      dimensionsCm: m.dimensionsCm ?? [],
      modality: m.modality ?? null,
      evidence: [...m.evidence],
    };
    if (m.sourceText) x.sourceText = m.sourceText;
    at.set(key, x);
    out.push(x);
  }
  return out;
}

/** The name people give the site: "left elbow", "right dorsal region", "spine, left paravertebral" (§6 TEXT). */
function labelOf(group: SiteGroup, side: Laterality, mentions: readonly LesionFact[], spine: SpineDetail | null): string {
  if (group === "spine") {
    const where = [spine?.paravertebral ? "paravertebral" : null, spine?.canal ? (spine.foraminal ? "foraminal" : "intracanal") : null]
      .filter(Boolean)
      .join(" and ");
    const sided = [side, where].filter(Boolean).join(" ");
    return sided ? `spine, ${sided}` : "spine";
  }
  const names = new Set(mentions.map((m) => m.siteName).filter((n): n is string => !!n));
  const name = names.size === 1 ? [...names][0]! : GROUP_LABEL[group];
  // "shoulder (bilateral)", not "bilateral shoulder".
  if (side === "bilateral") return `${name} (bilateral)`;
  return names.size === 1 ? [side, name].filter(Boolean).join(" ") : siteLabel(group, side);
}

function mergeSpine(mentions: readonly LesionFact[]): SpineDetail | null {
  const list = mentions.map((m) => m.spine).filter((s): s is SpineDetail => !!s);
  return list.length ? joinSpines(list) : null;
}

function recordOf(group: SiteGroup, side: Laterality, mentions: LesionFact[]): LesionRecord {
  mentions.sort(byDay);
  const measurements = measurementsOf(mentions);
  const sized = measurements.filter((m) => m.maxDimensionCm !== null);
  const dated = sized.filter((m) => m.date);
  // The latest measurement: the last dated one (the largest of its day); else the largest undated one.
  const lastDay = dated.length ? dated[dated.length - 1]!.date : null;
  const pool = lastDay ? dated.filter((m) => m.date === lastDay) : sized;
  const latest = pool.reduce<LesionMeasurement | null>((a, b) => (!a || b.maxDimensionCm! > a.maxDimensionCm! ? b : a), null);
  const peak = sized.length ? Math.max(...sized.map((m) => m.maxDimensionCm!)) : null;
  const firstDated = mentions.find((m) => m.day);
  const lastMention = [...mentions].reverse().find((m) => m.day) ?? mentions[mentions.length - 1]!;
  const spine = group === "spine" ? mergeSpine(mentions) : null;
  const id = `${group}|${side}`;
  const lesion: LesionRecord["lesion"] = {
    id,
    siteGroup: group,
    laterality: side,
    siteLabel: labelOf(group, side, mentions, spine),
    maxDimensionCm: latest?.maxDimensionCm ?? null,
    peakDimensionCm: peak,
    dimensionsCm: latest?.dimensionsCm ?? [],
    date: latest ? latest.date : lastMention.date,
    firstSeen: firstDated?.date ?? null,
    evidence: refs(mentions.flatMap((m) => m.evidence)),
    modality: latest ? latest.modality : (lastMention.modality ?? null),
    measurements: measurements.filter((m) => m.date !== null || m.maxDimensionCm !== null),
  };
  const sourceText = latest?.sourceText ?? lastMention.sourceText;
  if (sourceText) lesion.sourceText = sourceText;
  return {
    lesion,
    mentions,
    points: pointsOf(mentions),
    firstSeen: firstDated?.day ?? null,
    pcDoc: mentions.some((m) => m.pcDoc),
    cutis: mentions.some((m) => m.cutis),
    spine,
  };
}

function pointsOf(mentions: readonly LesionFact[]): Point[] {
  const points: Point[] = [];
  for (const m of mentions) {
    if (!m.day || m.maxDimensionCm === null) continue;
    const same = points.find((p) => p.day === m.day!.n && p.modality === (m.modality ?? null));
    if (!same) points.push({ day: m.day.n, iso: m.day.iso, cm: m.maxDimensionCm, modality: m.modality ?? null, evidence: [...m.evidence] });
    else if (m.maxDimensionCm > same.cm) {
      same.cm = m.maxDimensionCm;
      same.evidence = [...m.evidence];
    }
  }
  return points.sort((a, b) => a.day - b.day);
}

/** The record's lesions, in site-group order then side. */
export function buildLesions(mentions: readonly LesionFact[], groupOrder: readonly SiteGroup[]): LesionRecord[] {
  const sideOf = sideKeys(mentions);
  const map = new Map<string, { group: SiteGroup; side: Laterality; list: LesionFact[] }>();
  for (const m of mentions) {
    const side = sideOf(m);
    const key = `${m.siteGroup}|${side}`;
    let e = map.get(key);
    if (!e) map.set(key, (e = { group: m.siteGroup, side, list: [] }));
    e.list.push(m);
  }
  const out = [...map.values()].map((e) => recordOf(e.group, e.side, e.list));
  return out.sort(
    (a, b) =>
      groupOrder.indexOf(a.lesion.siteGroup) - groupOrder.indexOf(b.lesion.siteGroup) ||
      cmp(String(a.lesion.laterality), String(b.lesion.laterality)),
  );
}

function growthOf(r: LesionRecord, from: Point, to: Point): LesionGrowth {
  const cross = from.modality !== null && to.modality !== null && from.modality !== to.modality;
  return {
    siteGroup: r.lesion.siteGroup,
    laterality: r.lesion.laterality,
    fromCm: from.cm,
    toCm: to.cm,
    fromDate: from.iso,
    toDate: to.iso,
    percent: Math.round(((to.cm - from.cm) / from.cm) * 1000) / 10,
    evidence: refs(from.evidence, to.evidence),
    crossModality: cross,
    lesionId: r.lesion.id,
  };
}

/** The points of the modality measured most often (at least twice; the latest wins a tie), or null. */
function sameModality(points: readonly Point[]): Point[] | null {
  let best: Point[] | null = null;
  const byModality = new Map<string, Point[]>();
  for (const p of points) if (p.modality) byModality.set(p.modality, [...(byModality.get(p.modality) ?? []), p]);
  for (const list of byModality.values()) {
    if (list.length < 2) continue;
    if (!best || list.length > best.length || (list.length === best.length && list.at(-1)!.day > best.at(-1)!.day)) best = list;
  }
  return best;
}

/** §6 GROWTH: first to last measurement of one modality where possible, else of any (labelled cross-modality). */
export function growth(records: readonly LesionRecord[]): LesionGrowth[] {
  const out: LesionGrowth[] = [];
  for (const r of records) {
    if (r.lesion.siteGroup === "other" || r.points.length < 2) continue;
    const pts = sameModality(r.points) ?? r.points;
    out.push(growthOf(r, pts[0]!, pts[pts.length - 1]!));
  }
  return out;
}

/** The largest growth between an earlier and a later measurement (G-NEO), within one modality where possible. */
export function maxGrowth(r: LesionRecord): LesionGrowth | null {
  const pts = sameModality(r.points) ?? r.points;
  if (pts.length < 2) return null;
  let minIdx = 0;
  let best: LesionGrowth | null = null;
  for (let j = 1; j < pts.length; j++) {
    const g = growthOf(r, pts[minIdx]!, pts[j]!);
    if (!best || g.percent > best.percent) best = g;
    if (pts[j]!.cm < pts[minIdx]!.cm) minIdx = j;
  }
  return best;
}

/** "left elbow, 5.7 cm on 2026-05-28 (MR)" */
export function describeLesion(l: Lesion): string {
  const size = l.maxDimensionCm !== null ? `${fmt(l.maxDimensionCm)} cm` : "size not given";
  const when = l.date ? ` on ${l.date}` : "";
  const how = l.modality ? ` (${l.modality})` : "";
  return `${l.siteLabel ?? siteLabel(l.siteGroup, l.laterality)}, ${size}${when}${how}`;
}
