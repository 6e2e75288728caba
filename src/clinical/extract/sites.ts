/** Body sites: SNOMED body structures to site groups (§4), with the text words as fallback. */
import { LATERALITY_SNOMED, LIMB_SNOMED, SITE_GROUP_SNOMED, SITE_NAME_SNOMED, isSnomed } from "../codes";
import { codings, conceptText, isObject } from "../json";
import { findSites, limbOfText, siteName, siteOfText } from "../text";
import type { Laterality, SiteGroup } from "../types";

const GROUP_BY_SNOMED = new Map<string, SiteGroup>();
for (const [group, codes] of Object.entries(SITE_GROUP_SNOMED)) for (const c of codes) GROUP_BY_SNOMED.set(c, group as SiteGroup);

export function lateralityOfCode(code: string | undefined): Laterality {
  if (code === LATERALITY_SNOMED.left) return "left";
  if (code === LATERALITY_SNOMED.right) return "right";
  if (code === LATERALITY_SNOMED.bilateral) return "bilateral";
  return null;
}

export interface ConceptSite {
  group: SiteGroup;
  side: Laterality;
  /** The name people give the site ("elbow"), from its text. */
  name?: string | null;
}

function listOf(value: Record<string, unknown>): { system?: string; code?: string }[] {
  return "coding" in value || "text" in value ? codings(value) : [value as { system?: string; code?: string }];
}

function textOf(value: Record<string, unknown>): string {
  return "coding" in value || "text" in value ? conceptText(value) : typeof value.display === "string" ? value.display : "";
}

/** Site group and side of a body-site CodeableConcept or Coding; null when no site is recognised. */
export function siteOfConcept(value: unknown): ConceptSite | null {
  if (!isObject(value)) return null;
  // A Coding (ImagingStudy.series.bodySite) or a CodeableConcept (Observation/Condition.bodySite).
  let group: SiteGroup | null = null;
  let side: Laterality = null;
  for (const c of listOf(value)) {
    if (!isSnomed(c.system) || typeof c.code !== "string") continue;
    group ??= GROUP_BY_SNOMED.get(c.code) ?? null;
    side ??= lateralityOfCode(c.code);
  }
  const text = textOf(value);
  const fromText = text ? siteOfText(text) : { group: null, side: null };
  group ??= fromText.group;
  side ??= fromText.side;
  const word = text ? findSites(text)[0]?.word : undefined;
  const coded = listOf(value).find((c) => isSnomed(c.system) && SITE_NAME_SNOMED[c.code ?? ""]);
  const name = group === "spine" ? null : word ? siteName(word) : coded ? SITE_NAME_SNOMED[coded.code!]! : null;
  return group ? { group, side, name } : null;
}

/** The first recognised site of a list of body-site concepts. */
export function siteOfConcepts(list: unknown): ConceptSite | null {
  const items = Array.isArray(list) ? list : list ? [list] : [];
  for (const cc of items) {
    const s = siteOfConcept(cc);
    if (s) return s;
  }
  return null;
}

/** The limb a body site names at limb level (SNOMED upper/lower limb structure, or the words), and its side. */
export function limbOfConcepts(list: unknown): { limb: "upper" | "lower"; side: Laterality } | null {
  const items = Array.isArray(list) ? list : list ? [list] : [];
  for (const cc of items) {
    if (!isObject(cc)) continue;
    let limb: "upper" | "lower" | null = null;
    let side: Laterality = null;
    for (const c of listOf(cc)) {
      if (!isSnomed(c.system) || typeof c.code !== "string") continue;
      if (LIMB_SNOMED.upper.includes(c.code)) limb = "upper";
      if (LIMB_SNOMED.lower.includes(c.code)) limb = "lower";
      side ??= lateralityOfCode(c.code);
    }
    const text = textOf(cc);
    limb ??= limbOfText(text);
    side ??= siteOfText(text).side;
    if (limb) return { limb, side };
  }
  return null;
}
