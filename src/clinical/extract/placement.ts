/**
 * Where a lesion read from text lies (§6 SITE), in order: its own sentence; the report's code or
 * title ("XR elbow left"); the linked ImagingStudy's series body site and laterality (one series,
 * or all series agreeing); the body site of an Observation the report links. A lesion with no
 * site anywhere is kept (as "other") only when it has a size.
 */
import type { Day } from "../dates";
import type { LesionFact } from "../model";
import { findSites, siteName, siteOfText, type TextLesion } from "../text";
import type { Laterality, SiteGroup } from "../types";

export interface Site {
  group: SiteGroup;
  side: Laterality;
  name?: string | null;
}

export interface SiteSources {
  /** The report's code text or title. */
  title?: string;
  /** The series of the linked studies that have a coded body site. */
  series?: readonly Site[];
  /** Body sites of the Observations the report links. */
  observations?: readonly Site[];
}

/** The one group all the sites agree on, or null. */
function agreedGroup(sites: readonly Site[] | undefined): SiteGroup | null {
  const groups = new Set((sites ?? []).map((s) => s.group));
  return groups.size === 1 ? [...groups][0]! : null;
}

/** The side all sites of `group` agree on (every one of them stating it), or null. */
function agreedSide(sites: readonly Site[] | undefined, group: SiteGroup): Laterality {
  const of = (sites ?? []).filter((s) => s.group === group);
  if (of.length === 0 || of.some((s) => s.side === null)) return null;
  const sides = new Set(of.map((s) => s.side));
  return sides.size === 1 ? [...sides][0]! : null;
}

/** "XR elbow left" -> "elbow". */
function titleName(title: string, group: SiteGroup): string | null {
  const word = findSites(title).find((s) => s.group === group)?.word;
  return word && group !== "spine" ? siteName(word) : null;
}

export function placeLesion(l: TextLesion, src: SiteSources): Site | null {
  const title = src.title ? siteOfText(src.title) : { group: null, side: null };
  const titleSite: Site[] = title.group ? [{ group: title.group, side: title.side }] : [];
  let group: SiteGroup | null = l.sited ? l.siteGroup : null;
  group ??= title.group ?? agreedGroup(src.series) ?? agreedGroup(src.observations);
  if (group === null) return l.maxCm !== null ? { group: "other", side: l.laterality, name: null } : null;
  const side = l.laterality ?? agreedSide(titleSite, group) ?? agreedSide(src.series, group) ?? agreedSide(src.observations, group);
  // The name from the same source as the site: the sentence, else the title, else the agreeing series.
  const seriesNames = new Set((src.series ?? []).filter((s) => s.group === group).map((s) => s.name ?? null));
  const name = l.sited
    ? l.siteName
    : title.group === group
      ? titleName(src.title!, group)
      : seriesNames.size === 1
        ? [...seriesNames][0]!
        : null;
  return { group, side, name };
}

/** The lesion mentions of a text, placed; those with no site and no size are left out. */
export function lesionFacts(
  lesions: readonly TextLesion[],
  src: SiteSources,
  base: { ref: string; day: Day | null; modality: string | null; source: LesionFact["source"] },
): LesionFact[] {
  const out: LesionFact[] = [];
  for (const l of lesions) {
    const at = placeLesion(l, src);
    if (!at) continue;
    out.push({
      siteGroup: at.group,
      laterality: at.side,
      maxDimensionCm: l.maxCm,
      dimensionsCm: l.dimensionsCm,
      date: base.day?.iso ?? null,
      evidence: [base.ref],
      sourceText: l.sentence,
      modality: base.modality,
      day: base.day,
      pcDoc: l.pcDoc,
      source: base.source,
      siteName: at.name ?? null,
      complication: l.complication,
      cutis: l.cutis,
      spine: at.group === "spine" ? (l.spine ?? { paravertebral: false, canal: false, foraminal: false, level: null }) : null,
    });
  }
  return out;
}
