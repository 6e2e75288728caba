/**
 * Reading free text (imaging conclusions, study descriptions, condition text): sizes, body sites,
 * sides, and the words the rules rely on. English only. Each word list is here, in the open, so a
 * clinician can check what the engine looks for.
 *
 * Text is read clause by clause (split at ". ", ";", new lines). A word preceded in its clause by a
 * negation ("no", "without", "negative for", "absence of", "free of", "ruled out") or followed by
 * "excluded"/"ruled out"/"not seen" is ignored.
 */
import type { Laterality, SiteGroup } from "./types";

// ---- Word lists ---------------------------------------------------------------------------------

/** PC-DOC [M]: the spec's pattern. */
export const PC_DOC_RE = /(pseudo-?)?tumou?ral calcinosis/i;
/** PC-CALC [C]: calcinosis named in a diagnosis. */
export const CALCINOSIS_WORDS_RE = /\bcalcinos[ie]s\b|\bcalci(?:fic|fied) mass(?:es)?\b/i;
/** Calcification context for lesions read from text (soft-tissue calcium deposits). */
export const CALCIFICATION_RE =
  /\bcalcinos[ie]s\b|\bcalci(?:fic|fied|fication|fications|fying)\b|\bcalcium[- ](?:content|dense|density|deposits?)\b/gi;
/** PC-IMG [D]: calcification in soft tissue, periarticular or paravertebral, or a calcific mass. */
export const SOFT_TISSUE_LOCATION_RE = /\b(soft[- ]tissues?|periarticular|para-?articular|paravertebral|paraspinal|subcutaneous)\b/i;
export const CALCIFIC_MASS_RE = /\bcalci(?:fic|fied) (?:mass|masses|bulk|lesions?)\b/i;
/** Calcifications that are not soft-tissue calcinosis: ignored when within a few words. */
export const NOT_CALCINOSIS_RE =
  /\b(aort\w*|arter\w*|vascular|vessels?|coronary|valv\w*|lymph|nodes?|nodules?|granulom\w*|renal|kidneys?|nephro\w*|gall\w*|bladder|prostat\w*|thyroid|breasts?|pleura\w*|calcul\w*|stones?|phlebolith\w*|pineal|falx|basal ganglia|hepatic|liver|splen\w*|pancrea\w*|uter\w*|fibroids?)\b/i;
/** RF-SPINE [Z]: neurological signs. */
export const SPINAL_NEURO_RE =
  /\b(radiculopath\w*|myelopath\w*|(?:spinal )?cord compression|cauda equina|(?:limb|leg|arm)s? weakness|weakness of the (?:lower |upper )?(?:limbs?|legs?|arms?))\b/i;
/** RF-COMP [Z]: ulceration, fistula, infection. */
export const COMPLICATION_RE = /\b(ulcer\w*|fistul\w*|infect\w*|cellulitis|osteomyelitis|abscess\w*)\b/i;
/** G-NEO: biopsy or histology. */
export const BIOPSY_RE = /\b(biops\w*|histolog\w*|histopatholog\w*|patholog\w*|cytolog\w*|needle aspirat\w*)\b/i;

const NEGATION_BEFORE_RE =
  /\b(no|not|without|negative for|absence of|absent|free of|nor|rule[sd]? out|exclude[sd]?)\b(?![^]*\b(but|however|although|except)\b)/i;
const NEGATION_AFTER_RE = /^[^]{0,30}?\b(excluded|ruled out|not (?:seen|present|identified|found|demonstrated)|absent)\b/i;

interface SiteWord {
  re: string;
  group: SiteGroup;
}
/**
 * Site words per group (§4 site groups; text fallback). Longer phrases first: "thoracic spine" is
 * spine, "thoracic" alone is trunk; "dorsal spine" is spine, "dorsal region" trunk.
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

const SIDE_RE =
  /\b(left|right|bilateral(?:ly)?|both (?:sides|hips|shoulders|elbows|hands|wrists|knees|legs|arms|thighs|ankles|feet|forearms))\b/gi;

// ---- Sizes --------------------------------------------------------------------------------------
const NUM = "\\d+(?:[.,]\\d+)?";
const UNIT = "(?:cm|mm)";
const SEP = "\\s*(?:[x×*]|by)\\s*";
/** A size: up to three numbers separated by x, ×, * or "by", with cm or mm after any of them. */
const SIZE_RE = new RegExp(
  `(?<![\\w.,])(${NUM})\\s*(${UNIT})?(?:${SEP}(${NUM})\\s*(${UNIT})?)?(?:${SEP}(${NUM})\\s*(${UNIT})?)?(?![\\w])`,
  "gi",
);

export interface ParsedSize {
  /** Dimensions in cm, in the order written. */
  dimensionsCm: number[];
  maxCm: number;
  index: number;
  end: number;
  text: string;
}

function toNumber(s: string): number {
  return Number(s.replace(",", "."));
}

/** Every size in a text: "12x11 cm", "3 x 2.1 x 3,4 cm", "2.8 × 1.5 × 5.7 cm", "45 mm", "8.8 by 6.8 cm". */
export function parseSizes(text: string): ParsedSize[] {
  const out: ParsedSize[] = [];
  SIZE_RE.lastIndex = 0;
  for (let m = SIZE_RE.exec(text); m; m = SIZE_RE.exec(text)) {
    const nums = [m[1], m[3], m[5]];
    const units = [m[2], m[4], m[6]];
    const lastUnit = [...units].reverse().find(Boolean);
    if (!lastUnit) continue; // a number without cm/mm is not a size
    const dims: number[] = [];
    for (let i = 0; i < 3; i++) {
      if (nums[i] === undefined) continue;
      const unit = (units[i] ?? lastUnit).toLowerCase();
      const v = toNumber(nums[i]!);
      if (!Number.isFinite(v)) continue;
      dims.push(round(unit === "mm" ? v / 10 : v));
    }
    if (dims.length === 0) continue;
    out.push({ dimensionsCm: dims, maxCm: Math.max(...dims), index: m.index, end: m.index + m[0].length, text: m[0] });
  }
  return out;
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

// ---- Clauses, sites, sides ------------------------------------------------------------------------

/** Split into clauses at sentence ends (". " not inside "8.8"), ";" and new lines. */
export function clauses(text: string): string[] {
  return text
    .split(/(?<=[.!?;])\s+|\n+|;/)
    .map((s) => s.trim())
    .filter(Boolean);
}

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

interface SideMention {
  side: Exclude<Laterality, null>;
  index: number;
  end: number;
}

function findSides(clause: string): SideMention[] {
  const out: SideMention[] = [];
  SIDE_RE.lastIndex = 0;
  for (let m = SIDE_RE.exec(clause); m; m = SIDE_RE.exec(clause)) {
    const w = m[1]!.toLowerCase();
    const side = w === "left" ? "left" : w === "right" ? "right" : "bilateral";
    out.push({ side, index: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** The side of the site at `site`: nearest side word before it (no other site between), else just after, else the clause's only side. */
function sideOf(site: SiteMention, sites: SiteMention[], sides: SideMention[]): Laterality {
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
  return distinct.size === 1 ? [...distinct][0]! : null;
}

/** Whether the match at [index, end) is negated within its clause. */
export function isNegated(clause: string, index: number, end: number): boolean {
  // NegEx-like window: the six words before the match.
  const before = clause.slice(0, index).split(/\s+/).slice(-7).join(" ");
  if (NEGATION_BEFORE_RE.test(before)) return true;
  return NEGATION_AFTER_RE.test(clause.slice(end));
}

/** First non-negated match of `re` in the text, clause by clause; returns the clause. */
export function findAffirmed(text: string, re: RegExp): string | null {
  const flags = re.flags.includes("g") ? re.flags : `${re.flags}g`;
  const g = new RegExp(re.source, flags);
  for (const c of clauses(text)) {
    g.lastIndex = 0;
    for (let m = g.exec(c); m; m = g.exec(c)) if (!isNegated(c, m.index, m.index + m[0].length)) return c;
  }
  return null;
}

/** Calcification mentions in a clause that are affirmed and not about vessels, organs or stones. */
function calcificationMentions(clause: string): { index: number; end: number }[] {
  const out: { index: number; end: number }[] = [];
  CALCIFICATION_RE.lastIndex = 0;
  for (let m = CALCIFICATION_RE.exec(clause); m; m = CALCIFICATION_RE.exec(clause)) {
    const index = m.index;
    const end = index + m[0].length;
    if (isNegated(clause, index, end)) continue;
    const near = clause.slice(Math.max(0, index - 30), Math.min(clause.length, end + 30));
    if (NOT_CALCINOSIS_RE.test(near)) continue;
    out.push({ index, end });
  }
  return out;
}

export interface TextLesion {
  siteGroup: SiteGroup;
  laterality: Laterality;
  maxCm: number | null;
  dimensionsCm: number[];
  sentence: string;
}

export interface TextReading {
  /** PC-DOC: tumoral/pseudotumoral calcinosis named (the clause), or null. */
  pcDoc: string | null;
  /** Calcification (soft tissue) mentioned and affirmed. */
  calcification: string | null;
  /** PC-IMG: soft-tissue/periarticular/paravertebral calcification or a calcific mass. */
  softTissue: string | null;
  lesions: TextLesion[];
  /** RF-SPINE words (affirmed). */
  neuro: string | null;
  /** RF-COMP words in the same clause as a calcification (affirmed). */
  complicationWithCalcinosis: string | null;
  /** Site groups named anywhere in the text (what an imaging report covered). */
  siteGroups: SiteGroup[];
}

/**
 * Read one text. Lesions come from clauses that mention calcification; a size goes to the nearest
 * site word of its clause; a clause with a size but neither site nor calcification word continues
 * the previous clause's lesion ("Calcific mass of the left elbow. It measures 3 x 2 cm.").
 */
export function readText(text: string): TextReading {
  const reading: TextReading = {
    pcDoc: null,
    calcification: null,
    softTissue: null,
    lesions: [],
    neuro: null,
    complicationWithCalcinosis: null,
    siteGroups: [],
  };
  if (!text) return reading;
  const groups = new Set<SiteGroup>();
  const byKey = new Map<string, TextLesion>();
  type Place = { group: SiteGroup; side: Laterality };
  let prevSite: Place | null = null; // the last site named in the previous clause
  let prevLesion: Place | null = null; // the last lesion site of the previous clause

  for (const clause of clauses(text)) {
    const sites = findSites(clause);
    for (const s of findSites(clause, true)) groups.add(s.group);
    const docMatch = PC_DOC_RE.exec(clause);
    if (!reading.pcDoc && docMatch && !isNegated(clause, docMatch.index, docMatch.index + docMatch[0].length)) {
      reading.pcDoc = clause;
    }
    const neuro = SPINAL_NEURO_RE.exec(clause);
    if (!reading.neuro && neuro && !isNegated(clause, neuro.index, neuro.index + neuro[0].length)) reading.neuro = clause;

    const calc = calcificationMentions(clause);
    const sizes = parseSizes(clause);
    const sides = findSides(clause);
    const siteSides = sites.map((s) => {
      const side = sideOf(s, sites, sides);
      // "... of the right dorsal region. A calcific mass of the dorsal region ..." keeps the side.
      return side === null && prevSite && prevSite.group === s.group ? prevSite.side : side;
    });
    const lastSite: Place | null = sites.length ? { group: sites[sites.length - 1]!.group, side: siteSides[sites.length - 1]! } : null;

    if (calc.length === 0) {
      // "It measures 3 x 2 cm." continues the previous clause's lesion.
      if (sizes.length > 0 && sites.length === 0 && prevLesion) {
        for (const z of sizes) addLesion(byKey, prevLesion.group, prevLesion.side, z, clause);
      } else {
        prevLesion = null;
      }
      prevSite = lastSite ?? prevSite;
      continue;
    }
    reading.calcification ??= clause;
    if (!reading.softTissue && (SOFT_TISSUE_LOCATION_RE.test(clause) || CALCIFIC_MASS_RE.test(clause))) reading.softTissue = clause;
    const comp = COMPLICATION_RE.exec(clause);
    if (!reading.complicationWithCalcinosis && comp && !isNegated(clause, comp.index, comp.index + comp[0].length)) {
      reading.complicationWithCalcinosis = clause;
    }

    if (sites.length === 0) {
      // Sizes without a site word: the site of the previous clause, else "other".
      const only = new Set(sides.map((s) => s.side));
      const target: Place = prevSite ?? { group: "other", side: only.size === 1 ? [...only][0]! : null };
      for (const z of sizes) addLesion(byKey, target.group, target.side, z, clause);
      prevLesion = sizes.length > 0 ? target : null;
      continue;
    }
    const assigned = new Set<number>();
    for (const z of sizes) {
      let best = 0;
      let bestDist = Infinity;
      sites.forEach((s, i) => {
        // Distance in characters; a site before the size wins a tie.
        const d = s.end <= z.index ? z.index - s.end : s.index >= z.end ? s.index - z.end + 0.5 : 0;
        if (d < bestDist) {
          bestDist = d;
          best = i;
        }
      });
      assigned.add(best);
      addLesion(byKey, sites[best]!.group, siteSides[best]!, z, clause);
    }
    sites.forEach((s, i) => {
      if (!assigned.has(i)) addLesion(byKey, s.group, siteSides[i]!, null, clause);
    });
    prevSite = lastSite;
    prevLesion = lastSite;
  }
  reading.lesions = [...byKey.values()];
  reading.siteGroups = [...groups];
  return reading;
}

function addLesion(map: Map<string, TextLesion>, group: SiteGroup, side: Laterality, size: ParsedSize | null, sentence: string) {
  const key = `${group}|${side}`;
  const prev = map.get(key);
  if (!prev) {
    map.set(key, {
      siteGroup: group,
      laterality: side,
      maxCm: size ? size.maxCm : null,
      dimensionsCm: size ? size.dimensionsCm : [],
      sentence,
    });
    return;
  }
  if (size && (prev.maxCm === null || size.maxCm > prev.maxCm)) {
    prev.maxCm = size.maxCm;
    prev.dimensionsCm = size.dimensionsCm;
    prev.sentence = sentence;
  }
}

/** Site group and side named in a short text (a body-site display, a procedure name). */
export function siteOfText(text: string): { group: SiteGroup | null; side: Laterality } {
  const sites = findSites(text);
  const sides = findSides(text);
  if (sites.length === 0) {
    const only = new Set(sides.map((s) => s.side));
    return { group: null, side: only.size === 1 ? [...only][0]! : null };
  }
  return { group: sites[0]!.group, side: sideOf(sites[0]!, sites, sides) };
}

// ---- Imaging modality words ----------------------------------------------------------------------
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
