/**
 * Body sites and sides in text (§4 site groups, text fallback; §6 SIDE): site words per group,
 * the side of each site, the name people give the site ("left elbow", "right dorsal region"), the
 * limb a complication names (§6 RF-COMP), and the spinal level and compartment (§6 RF-SPINE,
 * RF-CANAL).
 */
import type { Laterality, SiteGroup } from "../types";
import { ORGAN_SITE_RE } from "./words";

interface SiteWord {
  re: string;
  group: SiteGroup;
}
/**
 * Site words per group. Longer phrases first: "thoracic spine" is spine, "thoracic" alone is
 * trunk; "dorsal spine" is spine, "dorsal region" trunk.
 */
const SITE_WORDS: SiteWord[] = [
  { re: "(?:cervical|thoracic|dorsal|lumbar|cervico-?thoracic|thoraco-?lumbar) (?:spine|vertebrae?|vertebral)", group: "spine" },
  { re: "lumbar region|dorsal region|chest wall", group: "trunk" },
  {
    re: "para-?vertebral|para-?spinal|intra-?vertebral|vertebrae?|vertebral|spinal|spine|intra-?canal(?:ar)?|sacrum|sacral|facet joints?|lumbar",
    group: "spine",
  },
  { re: "dorsum|dorsal|back|chest|thorax|thoracic|trunk|flank|abdominal wall", group: "trunk" },
  {
    re: "hands?|fingers?|finger-?tips?|thumbs?|digits?|digital|wrists?|forearms?|metacarpal\\w*|phalan\\w*|carpal|palms?|palmar",
    group: "hand-wrist",
  },
  {
    re: "shoulders?|elbows?|upper arms?|humer\\w*|clavic\\w*|olecran\\w*|scapul\\w*|axilla\\w*|glenohumeral|acromio\\w*",
    group: "shoulder-elbow",
  },
  { re: "hips?|pelvi[sc]|buttocks?|gluteal|trochanter\\w*|ischi\\w*|iliac|acetabul\\w*|groin|inguinal", group: "hip-pelvis" },
  {
    re: "knees?|thighs?|ankles?|legs?|lower limbs?|calf|calves|femor\\w*|femur|tibia\\w*|fibula\\w*|feet|foot|toes?|heels?|patella\\w*",
    group: "lower-limb",
  },
];
const SITE_RE = new RegExp(SITE_WORDS.map((w) => `\\b(${w.re})\\b`).join("|"), "gi");
/** A site named for comparison ("less extensive than those of the left shoulder") is not this text's site. */
const COMPARISON_BEFORE_RE = /\b(?:than|compared (?:with|to)|similar to|as (?:in|at))\b[^,;:]{0,30}$/i;
/** A site word directly followed by a modality names the examination, not the lesion ("chest X-ray"). */
const EXAM_AFTER_RE = /^\s*(?:x-?rays?|radiograph\w*|films?|ct|mri|scans?|ultrasound|us)\b/i;

/** The name people give a site word ("humeral head" is the shoulder), by group. */
const SITE_NAMES: [RegExp, string][] = [
  [/^(?:shoulders?|humer|glenohumeral|acromio|scapul|clavic|axilla)/i, "shoulder"],
  [/^(?:elbows?|olecran)/i, "elbow"],
  [/^upper arms?/i, "upper arm"],
  [/^forearms?/i, "forearm"],
  [/^wrists?|^carpal/i, "wrist"],
  [/^(?:hands?|palm|metacarpal)/i, "hand"],
  [/^(?:fingers?|finger-?tips?|thumbs?|digits?|digital|phalan)/i, "fingers"],
  [/^(?:hips?|trochanter|acetabul|gluteal|buttocks?)/i, "hip"],
  [/^(?:pelvi|iliac|ischi|sacr)/i, "pelvis"],
  [/^(?:groin|inguinal)/i, "groin"],
  [/^(?:knees?|patella)/i, "knee"],
  [/^(?:thighs?|femor|femur)/i, "thigh"],
  [/^(?:legs?|calf|calves|tibia|fibula)/i, "leg"],
  [/^ankles?/i, "ankle"],
  [/^(?:feet|foot|toes?|heels?)/i, "foot"],
  [/^(?:dorsal region|dorsum|dorsal)$/i, "dorsal region"],
  [/^back$/i, "back"],
  [/^(?:chest wall|chest|thora)/i, "chest wall"],
  [/^lumbar region$/i, "lumbar region"],
  [/^flank/i, "flank"],
  [/^abdominal wall/i, "abdominal wall"],
];

/** Paired sites: named in the plural without a side, they are on both sides (§6 SIDE). */
const PAIRED_PLURAL_RE = /^(?:shoulders|elbows|hips|knees|hands|wrists|ankles|feet|thighs|forearms|upper arms|legs|buttocks|axillae)$/i;

const SIDE_RE =
  /\b(left|right|bilateral(?:ly)?|symmetric(?:al|ally)?|both (?:sides|hips|shoulders|elbows|hands|wrists|knees|legs|arms|thighs|ankles|feet|forearms))\b/gi;

export interface SiteMention {
  group: SiteGroup;
  index: number;
  end: number;
  word: string;
  /** Named as the examination ("chest X-ray"), not as a lesion site. */
  exam: boolean;
}

/** Site words of a clause. Exam sites are dropped when the clause names another site. */
export function findSites(clause: string, keepExam = false): SiteMention[] {
  const out: SiteMention[] = [];
  SITE_RE.lastIndex = 0;
  for (let m = SITE_RE.exec(clause); m; m = SITE_RE.exec(clause)) {
    const g = m.slice(1).findIndex((x) => x !== undefined);
    const end = m.index + m[0].length;
    if (COMPARISON_BEFORE_RE.test(clause.slice(Math.max(0, m.index - 45), m.index))) continue;
    out.push({ group: SITE_WORDS[g]!.group, index: m.index, end, word: m[0], exam: EXAM_AFTER_RE.test(clause.slice(end)) });
  }
  if (keepExam || !out.some((s) => s.exam) || out.every((s) => s.exam)) return out;
  return out.filter((s) => !s.exam);
}

export interface SideMention {
  side: Exclude<Laterality, null>;
  index: number;
  end: number;
}

export function findSides(clause: string): SideMention[] {
  const out: SideMention[] = [];
  SIDE_RE.lastIndex = 0;
  for (let m = SIDE_RE.exec(clause); m; m = SIDE_RE.exec(clause)) {
    const w = m[1]!.toLowerCase();
    const side = w === "left" ? "left" : w === "right" ? "right" : "bilateral";
    out.push({ side, index: m.index, end: m.index + m[0].length });
  }
  return out;
}

/**
 * The side of the site at `site`: the nearest side word before it (no site of another group
 * between), else just after it, else the clause's only side; a paired site in the plural with no
 * side of its own is on both sides.
 */
export function sideOf(site: SiteMention, sites: SiteMention[], sides: SideMention[]): Laterality {
  let best: SideMention | undefined;
  for (const s of sides) {
    if (
      s.end <= site.index &&
      site.index - s.end <= 40 &&
      !sites.some((o) => o !== site && o.index >= s.end && o.end <= site.index && o.group !== site.group)
    ) {
      if (!best || s.index > best.index) best = s;
    }
  }
  if (best) return best.side;
  for (const s of sides) if (s.index >= site.end && s.index - site.end <= 20) return s.side;
  const distinct = new Set(sides.map((s) => s.side));
  if (distinct.size === 1) return [...distinct][0]!;
  return PAIRED_PLURAL_RE.test(site.word) ? "bilateral" : null;
}

/** Site group and side named in a short text (a body-site display, a procedure name, a report title). */
export function siteOfText(text: string): { group: SiteGroup | null; side: Laterality } {
  const sites = findSites(text);
  const sides = findSides(text);
  if (sites.length === 0) {
    const only = new Set(sides.map((s) => s.side));
    return { group: null, side: only.size === 1 ? [...only][0]! : null };
  }
  return { group: sites[0]!.group, side: sideOf(sites[0]!, sites, sides) };
}

/** The name of a site word ("humeral" -> "shoulder"), or null where the group's name says it best. */
export function siteName(word: string): string | null {
  const w = word.trim();
  for (const [re, name] of SITE_NAMES) if (re.test(w)) return name;
  return null;
}

/** The limb a text names at limb level (§6 RF-COMP: "upper limb", "arm", "lower limb", "leg"). */
export function limbOfText(text: string): "upper" | "lower" | null {
  if (/\b(?:upper (?:limb|extremit)\w*|arms?)\b/i.test(text) && !/\bupper arms?\b/i.test(text)) return "upper";
  if (/\b(?:lower (?:limb|extremit)\w*|legs?)\b/i.test(text)) return "lower";
  return null;
}

/** The site groups of a limb. */
export const LIMB_GROUPS: Record<"upper" | "lower", readonly SiteGroup[]> = {
  upper: ["hand-wrist", "shoulder-elbow"],
  lower: ["hip-pelvis", "lower-limb"],
};

/** Spinal level ("T10-T11", "L3", "C5/C6") named in a text, or null. */
export function spinalLevel(text: string): string | null {
  // Not an MRI sequence ("T1-weighted", "T2 hyperintense").
  const m =
    /\b([CTLS][1-9]\d?)(?:\s*[-–/]\s*([CTLS]?[1-9]\d?))?\b(?!\s*-?\s*(?:weighted|w\b|hyper|hypo|signal|sequence|images?|fat|stir))/.exec(
      text,
    );
  if (!m) return null;
  if (!m[2]) return m[1]!;
  const second = /^\d/.test(m[2]) ? `${m[1]![0]}${m[2]}` : m[2];
  return `${m[1]}-${second}`;
}

const MODALITY_WORDS: { re: RegExp; modality: string }[] = [
  { re: /\b(x-?rays?|radiograph\w*|plain films?)\b/i, modality: "CR" },
  { re: /\b(computed tomograph\w*|cat scan)\b/i, modality: "CT" },
  { re: /\b(MDCT|CT)\b/, modality: "CT" },
  { re: /\b(magnetic resonance\w*)\b/i, modality: "MR" },
  { re: /\b(MRI|MR)\b/, modality: "MR" },
  { re: /\b(ultrasound\w*|ultrasonograph\w*|sonograph\w*|echograph\w*)\b/i, modality: "US" },
  { re: /\b(US)\b/, modality: "US" },
  { re: /\b(XR|CR|DX)\b/, modality: "CR" },
  { re: /\b(PET)\b/, modality: "PT" },
  { re: /\b(scintigraph\w*|bone scan)\b/i, modality: "NM" },
];

/** DICOM modality codes named in a text ("chest radiography" -> CR, "MDCT" -> CT). */
export function modalitiesOfText(text: string): string[] {
  const out = new Set<string>();
  for (const w of MODALITY_WORDS) if (w.re.test(text)) out.add(w.modality);
  return [...out];
}

/**
 * The site groups a biopsy or histology text names (§6 G-NEO); "other" when it names only an organ
 * outside them ("colon biopsy"), none when it states no site.
 */
export function biopsySiteGroups(text: string): SiteGroup[] {
  const groups = new Set(findSites(text, true).map((s) => s.group));
  if (groups.size === 0 && ORGAN_SITE_RE.test(text)) groups.add("other");
  return [...groups].sort();
}
