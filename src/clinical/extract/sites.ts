/** Body sites: SNOMED body structures to site groups (§4), with the text words as fallback. */
import { LATERALITY_SNOMED, SITE_GROUP_SNOMED, SYSTEM } from "../codes";
import { codings, conceptText, isObject } from "../json";
import { siteOfText } from "../text";
import type { Laterality, SiteGroup } from "../types";

const GROUP_BY_SNOMED = new Map<string, SiteGroup>();
for (const [group, codes] of Object.entries(SITE_GROUP_SNOMED)) for (const c of codes) GROUP_BY_SNOMED.set(c, group as SiteGroup);

export function lateralityOfCode(code: string | undefined): Laterality {
  if (code === LATERALITY_SNOMED.left) return "left";
  if (code === LATERALITY_SNOMED.right) return "right";
  if (code === LATERALITY_SNOMED.bilateral) return "bilateral";
  return null;
}

/** Site group and side of a body-site CodeableConcept or Coding; null when no site is recognised. */
export function siteOfConcept(value: unknown): { group: SiteGroup; side: Laterality } | null {
  if (!isObject(value)) return null;
  // A Coding (ImagingStudy.series.bodySite) or a CodeableConcept (Observation/Condition.bodySite).
  const list = "coding" in value || "text" in value ? codings(value) : [value as { system?: string; code?: string }];
  let group: SiteGroup | null = null;
  let side: Laterality = null;
  for (const c of list) {
    if (c.system !== SYSTEM.snomed || typeof c.code !== "string") continue;
    group ??= GROUP_BY_SNOMED.get(c.code) ?? null;
    side ??= lateralityOfCode(c.code);
  }
  const text = "coding" in value || "text" in value ? conceptText(value) : typeof value.display === "string" ? value.display : "";
  const fromText = text ? siteOfText(text) : { group: null, side: null };
  group ??= fromText.group;
  side ??= fromText.side;
  return group ? { group, side } : null;
}

/** The first recognised site of a list of body-site concepts. */
export function siteOfConcepts(list: unknown): { group: SiteGroup; side: Laterality } | null {
  const items = Array.isArray(list) ? list : list ? [list] : [];
  for (const cc of items) {
    const s = siteOfConcept(cc);
    if (s) return s;
  }
  return null;
}
