/**
 * Reading one text (an imaging conclusion, a study description, a note, a condition's text) the
 * way radiologists write it: clause by clause, each word with its polarity (negation.ts), sizes to
 * their nearest site (sizes.ts, sites.ts), a size in the sentence before or after a calcification
 * sentence about the same site to that lesion (§6 SIZE), hedged mentions kept apart (PC-IMG only).
 */
import type { Laterality, SiteGroup } from "../types";
import { ClausePolarity, clauses } from "./negation";
import { parseSizes, type ParsedSize } from "./sizes";
import { findSides, findSites, siteName, sideOf, spinalLevel, type SiteMention } from "./sites";
import {
  CALCIFIC_MASS_RE,
  CALCIFICATION_RE,
  CANAL_RE,
  FORAMEN_RE,
  COMPLICATION_RE,
  CUTIS_RE,
  NOT_CALCINOSIS_RE,
  PC_DOC_RE,
  SOFT_TISSUE_LOCATION_RE,
  SPINAL_NEURO_RE,
} from "./words";

/** Where a spinal lesion lies (§6 RF-SPINE, RF-CANAL, TEXT). */
export interface SpineDetail {
  paravertebral: boolean;
  /** Projects into the spinal canal or the foramina (affirmed): RF-CANAL. */
  canal: boolean;
  /** Of that, into the foramina only (no word of the canal itself): named "foraminal". */
  foraminal: boolean;
  /** "T10-T11", when named. */
  level: string | null;
}

/** One lesion's spine details from several clauses or mentions: foraminal only while none puts it in the canal itself. */
export function joinSpines(list: readonly SpineDetail[]): SpineDetail {
  const canal = list.some((s) => s.canal);
  return {
    paravertebral: list.some((s) => s.paravertebral),
    canal,
    foraminal: canal && list.every((s) => !s.canal || s.foraminal),
    level: list.map((s) => s.level).find((l) => l) ?? null,
  };
}

export interface TextLesion {
  siteGroup: SiteGroup;
  laterality: Laterality;
  /** The site came from the text; false: no site word, the caller may take the report's (§6 SITE). */
  sited: boolean;
  maxCm: number | null;
  dimensionsCm: number[];
  sentence: string;
  /** The name people give the site ("elbow", "dorsal region"), when the text names one. */
  siteName: string | null;
  /** Tumoral/pseudotumoral calcinosis is named for this lesion (PC-DOC). */
  pcDoc: boolean;
  /** Ulceration, fistula or infection named with it (RF-COMP). */
  complication: boolean;
  /** Skin, subcutis or fingertips (§6 CUTIS). */
  cutis: boolean;
  spine: SpineDetail | null;
}

export interface TextReading {
  /** PC-DOC: tumoral/pseudotumoral calcinosis named and affirmed (the clause), or null. */
  pcDoc: string | null;
  /** Calcification (soft tissue) mentioned and affirmed. */
  calcification: string | null;
  /** PC-IMG: soft-tissue/periarticular/paravertebral calcification or a calcific mass. */
  softTissue: string | null;
  /** A hedged calcification or calcinosis ("cannot be excluded", "differential diagnosis includes"): PC-IMG only. */
  hedged: string | null;
  lesions: TextLesion[];
  /** RF-SPINE words (affirmed). */
  neuro: string | null;
  /** RF-COMP words in the same clause as a calcification (affirmed). */
  complicationWithCalcinosis: string | null;
  /** Site groups named anywhere in the text (what an imaging report covered). */
  siteGroups: SiteGroup[];
}

interface Clause {
  text: string;
  sites: SiteMention[];
  sides: ReturnType<typeof findSides>;
  sizes: ParsedSize[];
  /** Affirmed soft-tissue calcification words. */
  calc: number;
  hedgedCalc: boolean;
  /** A calcification that is not calcinosis (vessel, organ): its clause's sizes are its own. */
  otherCalc: boolean;
  doc: "affirmed" | "hedged" | null;
  neuro: boolean;
  complication: boolean;
  canal: boolean;
  /** Every affirmed canal word is a foramen word. */
  foraminal: boolean;
  /** The size was given to a lesion of another clause (§6 SIZE). */
  lent: boolean;
}

function matches(clause: string, re: RegExp): { index: number; end: number }[] {
  const g = new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`);
  const out: { index: number; end: number }[] = [];
  for (let m = g.exec(clause); m; m = g.exec(clause)) out.push({ index: m.index, end: m.index + m[0].length });
  return out;
}

function parseClause(text: string): Clause {
  const p = new ClausePolarity(text);
  const affirmed = (re: RegExp) => matches(text, re).some((m) => p.of(m.index, m.end) === "affirmed");
  let calc = 0;
  let hedgedCalc = false;
  let otherCalc = false;
  for (const m of matches(text, CALCIFICATION_RE)) {
    const near = text.slice(Math.max(0, m.index - 30), Math.min(text.length, m.end + 30));
    if (NOT_CALCINOSIS_RE.test(near)) {
      otherCalc = true;
      continue;
    }
    const pol = p.of(m.index, m.end);
    if (pol === "affirmed") calc++;
    else if (pol === "hedged") hedgedCalc = true;
  }
  const docs = matches(text, PC_DOC_RE).map((m) => p.of(m.index, m.end));
  const canalWords = matches(text, CANAL_RE).filter((m) => p.of(m.index, m.end) === "affirmed");
  return {
    text,
    sites: findSites(text),
    sides: findSides(text),
    sizes: parseSizes(text).filter((z) => p.of(z.index, z.end) !== "negated"),
    calc,
    hedgedCalc,
    otherCalc,
    doc: docs.includes("affirmed") ? "affirmed" : docs.includes("hedged") ? "hedged" : null,
    neuro: affirmed(SPINAL_NEURO_RE),
    complication: affirmed(COMPLICATION_RE),
    canal: canalWords.length > 0,
    foraminal: canalWords.length > 0 && canalWords.every((m) => FORAMEN_RE.test(text.slice(m.index, m.end))),
    lent: false,
  };
}

type Place = { group: SiteGroup; side: Laterality; name: string | null; sited: boolean };

/** A neighbouring clause's size belongs to this lesion: it has no calcification of its own (of any kind) and names no other site. */
function lendsSize(n: Clause | undefined, group: SiteGroup): boolean {
  return !!n && !n.lent && n.calc === 0 && !n.hedgedCalc && !n.otherCalc && n.sizes.length > 0 && n.sites.every((s) => s.group === group);
}

/**
 * Read one text. Lesions come from clauses with an affirmed calcification; a size goes to the
 * nearest site word of its clause, else comes from the clause before or after; a clause without a
 * site word takes the site of the clause before ("Calcific mass of the left elbow. It is 3 cm.").
 */
export function readText(text: string): TextReading {
  const reading: TextReading = {
    pcDoc: null,
    calcification: null,
    softTissue: null,
    hedged: null,
    lesions: [],
    neuro: null,
    complicationWithCalcinosis: null,
    siteGroups: [],
  };
  if (!text) return reading;
  const list = clauses(text).map(parseClause);
  const groups = new Set<SiteGroup>();
  const byKey = new Map<string, TextLesion>();
  let prevSite: Place | null = null; // the last site named in the clauses before
  let unsitedDoc = false;

  list.forEach((c, i) => {
    for (const s of findSites(c.text, true)) groups.add(s.group);
    if (c.doc === "affirmed") reading.pcDoc ??= c.text;
    if (c.doc === "hedged" || c.hedgedCalc) reading.hedged ??= c.text;
    if (c.neuro) reading.neuro ??= c.text;
    const places: Place[] = c.sites.map((s) => {
      const side = sideOf(s, c.sites, c.sides);
      // "... of the right dorsal region. A calcific mass of the dorsal region ..." keeps the side.
      const kept = side === null && prevSite && prevSite.group === s.group ? prevSite.side : side;
      return { group: s.group, side: kept, name: s.group === "spine" ? null : siteName(s.word), sited: true };
    });
    const last = places.length ? places[places.length - 1]! : null;
    if (c.calc === 0) {
      prevSite = last ?? prevSite;
      return;
    }
    reading.calcification ??= c.text;
    if (!reading.softTissue && (SOFT_TISSUE_LOCATION_RE.test(c.text) || CALCIFIC_MASS_RE.test(c.text))) reading.softTissue = c.text;
    if (c.complication) reading.complicationWithCalcinosis ??= c.text;

    const only = new Set(c.sides.map((s) => s.side));
    const targets: Place[] = places.length
      ? places
      : [prevSite ?? { group: "other", side: only.size === 1 ? [...only][0]! : null, name: null, sited: false }];
    if (c.doc === "affirmed" && !places.length && !prevSite) unsitedDoc = true;
    const add = (t: Place, size: ParsedSize | null, sentence: string) => addLesion(byKey, t, size, sentence, c);

    if (c.sizes.length > 0) {
      const assigned = new Set<number>();
      for (const z of c.sizes) {
        const best = nearest(c.sites, z);
        assigned.add(best);
        add(targets[best] ?? targets[0]!, z, c.text);
      }
      targets.forEach((t, k) => assigned.has(k) || add(t, null, c.text));
    } else {
      // §6 SIZE: "A 4 cm mass is seen at the left hip. It is densely calcified."
      const group = targets[0]!.group;
      const oneSite = targets.every((t) => t.group === group);
      const before = list[i - 1];
      const after = list[i + 1];
      const lender = oneSite && lendsSize(before, group) ? before : oneSite && lendsSize(after, group) ? after : undefined;
      if (lender) {
        lender.lent = true;
        const sentence = lender === before ? `${lender.text} ${c.text}` : `${c.text} ${lender.text}`;
        for (const z of lender.sizes) add(targets[0]!, z, sentence);
        targets.slice(1).forEach((t) => add(t, null, c.text));
      } else targets.forEach((t) => add(t, null, c.text));
    }
    prevSite = last ?? prevSite;
  });
  reading.lesions = [...byKey.values()];
  // "Findings consistent with pseudotumoral calcinosis." names the text's lesions.
  if (unsitedDoc) for (const l of reading.lesions) l.pcDoc = true;
  reading.siteGroups = [...groups];
  return reading;
}

/** The site nearest to a size, in characters; a site before the size wins a tie. */
function nearest(sites: SiteMention[], z: ParsedSize): number {
  let best = 0;
  let bestDist = Infinity;
  sites.forEach((s, i) => {
    const d = s.end <= z.index ? z.index - s.end : s.index >= z.end ? s.index - z.end + 0.5 : 0;
    if (d < bestDist) {
      bestDist = d;
      best = i;
    }
  });
  return best;
}

function addLesion(map: Map<string, TextLesion>, at: Place, size: ParsedSize | null, sentence: string, c: Clause): void {
  const key = `${at.group}|${at.side}`;
  const spine =
    at.group === "spine"
      ? {
          paravertebral: /\bpara-?(?:vertebral|spinal)\b/i.test(c.text),
          canal: c.canal,
          foraminal: c.foraminal,
          level: spinalLevel(c.text),
        }
      : null;
  const prev = map.get(key);
  if (!prev) {
    map.set(key, {
      siteGroup: at.group,
      laterality: at.side,
      sited: at.sited,
      maxCm: size ? size.maxCm : null,
      dimensionsCm: size ? size.dimensionsCm : [],
      sentence,
      siteName: at.name,
      pcDoc: c.doc === "affirmed",
      complication: c.complication,
      cutis: CUTIS_RE.test(c.text),
      spine,
    });
    return;
  }
  prev.pcDoc ||= c.doc === "affirmed";
  prev.complication ||= c.complication;
  prev.cutis ||= CUTIS_RE.test(c.text);
  prev.siteName ??= at.name;
  if (prev.spine && spine) prev.spine = joinSpines([prev.spine, spine]);
  if (size && (prev.maxCm === null || size.maxCm > prev.maxCm)) {
    prev.maxCm = size.maxCm;
    prev.dimensionsCm = size.dimensionsCm;
    prev.sentence = sentence;
  }
}
