/**
 * Conditions: what each says, as tags from codes (§4) and, for uncoded data, from words. A Condition
 * with a recognised code (SNOMED CT, ICD-10) is read by its code; its text is read only where the
 * spec says "or the words" (calcinosis, red flags, milk-alkali) or for codes marked †.
 */
import * as codes from "../codes";
import { codingInSet, isRecognisedSystem, type ValueSet } from "../codes";
import { addMonths, parseDay, type Day } from "../dates";
import { codings, conceptText, isObject, notesText, statusCode, type Json } from "../json";
import type { ConditionFact, ConditionTag, Facts } from "../model";
import {
  CALCINOSIS_WORDS_RE,
  COMPLICATION_RE,
  CUTIS_RE,
  PC_DOC_RE,
  SPINAL_NEURO_RE,
  findAffirmed,
  limbOfText,
  parseSizes,
  readText,
  siteOfText,
} from "../text";
import { lesionFacts } from "./placement";
import { limbOfConcepts, siteOfConcepts } from "./sites";

interface TagRule {
  tag: ConditionTag;
  set?: ValueSet;
  /** Words for uncoded conditions. */
  words?: RegExp;
  /** Read the words even when the condition is coded (the spec's "or those words"). */
  alwaysWords?: boolean;
}

/** Tag rules: one line per concept, in the order of clinical-spec.md §4. */
export const CONDITION_TAGS: readonly TagRule[] = [
  // Uncoded SSc: the text must name SSc as the diagnosis ("Systemic sclerosis, limited", "Diffuse
  // cutaneous SSc"), not as the cause of a manifestation ("Dysphagia (oesophageal involvement of SSc)").
  {
    tag: "ssc",
    set: codes.SSC,
    words:
      /^\W*(?:(?:diffuse|limited|progressive)(?:\s+cutaneous)?\s+)?(?:systemic sclerosis|systemic scleroderma|scleroderma|crest syndrome|ssc|dcssc|lcssc)\b/i,
  },
  { tag: "ssc-diffuse", set: codes.SSC_DIFFUSE, words: /\b(diffuse|dcssc)\b/i },
  { tag: "ssc-limited", set: codes.SSC_LIMITED, words: /\b(limited|crest|lcssc)\b/i },
  { tag: "pc-doc", set: codes.TUMORAL_CALCINOSIS, words: PC_DOC_RE, alwaysWords: true },
  { tag: "calcinosis", set: codes.CALCINOSIS, words: CALCINOSIS_WORDS_RE, alwaysWords: true },
  { tag: "digital-ulcer", set: codes.DIGITAL_ULCER, words: /\b(digital|finger|fingertip)\s+ulcer\w*/i },
  { tag: "pah", set: codes.PAH, words: /\bpulmonary arterial hypertension\b|\bPAH\b/i },
  { tag: "pulmonary-hypertension", set: codes.PULMONARY_HYPERTENSION, words: /\bpulmonary hypertension\b/i },
  { tag: "raynaud-gangrene", set: codes.RAYNAUD_GANGRENE, words: /\bgangren\w*/i },
  { tag: "digital-amputation", set: codes.DIGITAL_AMPUTATION, words: /\bamputat\w*/i },
  { tag: "hand-osteolysis", set: codes.HAND_OSTEOLYSIS, words: /\bacro-?osteolysis\b/i },
  {
    tag: "ckd",
    set: codes.CKD,
    words:
      /\b(chronic kidney disease|ckd|chronic renal (?:failure|insufficiency)|end[- ]stage (?:renal|kidney)|esrd|h?a?emodialysis|dialysis)\b/i,
  },
  { tag: "ckd-stage4", set: codes.CKD_STAGE4 },
  { tag: "ckd-stage5", set: codes.CKD_STAGE5, words: /\b(end[- ]stage (?:renal|kidney)|esrd|dialysis|haemodialysis|hemodialysis)\b/i },
  { tag: "hpt-primary", set: codes.HPT_PRIMARY, words: /\bprimary hyperparathyroidism\b/i },
  { tag: "hpt-secondary", set: codes.HPT_SECONDARY, words: /\b(secondary|tertiary|renal) hyperparathyroidism\b/i },
  { tag: "hpt", words: /\bhyperparathyroidism\b/i },
  {
    tag: "hypervitaminosis-d",
    set: codes.HYPERVITAMINOSIS_D,
    words: /\b(hypervitaminosis d|vitamin d (?:toxicity|intoxication|excess))\b/i,
  },
  { tag: "sarcoidosis", set: codes.SARCOIDOSIS, words: /\bsarcoid\w*/i },
  { tag: "pxe", set: codes.PXE, words: /\b(pseudoxanthoma elasticum|pxe)\b/i },
  { tag: "dermatomyositis", set: codes.DERMATOMYOSITIS, words: /\bdermatomyositis\b/i },
  // §6 S-DX: descendants of 363346000 are matched by their names (no terminology server here).
  {
    tag: "malignancy",
    set: codes.MALIGNANCY,
    words: /\b(malignan\w*|cancer|carcinoma|\w*sarcoma|lymphoma|leuka?emia|myeloma|metasta\w*(?! calcif))\b/i,
    alwaysWords: true,
  },
  { tag: "milk-alkali", words: /\bmilk[- ]alkali\b/i, alwaysWords: true },
  { tag: "hypercalcaemia", set: codes.HYPERCALCAEMIA, words: /\bhypercalca?emia\b/i },
  { tag: "hyperphosphataemia", set: codes.HYPERPHOSPHATAEMIA, words: /\bhyperphosphata?emia\b/i },
  { tag: "spinal-neuro", set: codes.SPINAL_NEURO, words: SPINAL_NEURO_RE, alwaysWords: true },
  { tag: "complication", set: codes.LESION_COMPLICATION, words: COMPLICATION_RE, alwaysWords: true },
];

const LOCALISED_WORDS_RE = /\b(morph(?:o)?ea|locali[sz]ed scleroderma|linear scleroderma|circumscribed scleroderma)\b/i;
const SSC_TAGS: ConditionTag[] = ["ssc", "ssc-diffuse", "ssc-limited"];

/** Tags of one Condition. */
export function conditionTags(code: unknown, notes: string): Set<ConditionTag> {
  const tags = new Set<ConditionTag>();
  const list = codings(code);
  const recognised = list.some((c) => isRecognisedSystem(c.system));
  const text = conceptText(code);
  for (const rule of CONDITION_TAGS) {
    if (rule.set && list.some((c) => codingInSet(c.system, c.code, rule.set!))) {
      tags.add(rule.tag);
      continue;
    }
    if (!rule.words || (recognised && !rule.alwaysWords)) continue;
    // Diagnosis text and, for PC-DOC/PC-CALC ("named in Condition text/notes"), the notes.
    const where = rule.tag === "pc-doc" || rule.tag === "calcinosis" ? `${text}\n${notes}` : text;
    if (where && findAffirmed(where, rule.words)) tags.add(rule.tag);
  }
  // E83.59 counts as calcinosis only with calcinosis text.
  if (
    list.some((c) => codingInSet(c.system, c.code, codes.CALCIUM_METABOLISM_OTHER)) &&
    findAffirmed(`${text}\n${notes}`, CALCINOSIS_WORDS_RE)
  ) {
    tags.add("calcinosis");
  }
  // Morphea / localised scleroderma is not SSc (E1).
  if (list.some((c) => codingInSet(c.system, c.code, codes.LOCALISED_SCLERODERMA)) || LOCALISED_WORDS_RE.test(text)) {
    for (const t of SSC_TAGS) tags.delete(t);
  }
  // Subset words only qualify an SSc diagnosis; stage codes only qualify CKD.
  if (!tags.has("ssc")) {
    tags.delete("ssc-diffuse");
    tags.delete("ssc-limited");
  }
  if (tags.has("ckd-stage4") || tags.has("ckd-stage5")) tags.add("ckd");
  if (tags.has("hpt-primary") || tags.has("hpt-secondary")) tags.delete("hpt");
  if (tags.has("pc-doc")) tags.delete("calcinosis");
  return tags;
}

/** Onset for E2: onsetDateTime, onsetPeriod.start, onsetAge (needs the birth date). */
export function conditionOnset(cond: Json, birthDate: Day | null): Day | null {
  const direct = parseDay(cond.onsetDateTime);
  if (direct) return direct;
  if (isObject(cond.onsetPeriod)) {
    const p = parseDay(cond.onsetPeriod.start);
    if (p) return p;
  }
  if (isObject(cond.onsetAge) && typeof cond.onsetAge.value === "number" && birthDate) {
    const unit = String(cond.onsetAge.code ?? cond.onsetAge.unit ?? "a").toLowerCase();
    const months = unit.startsWith("mo") ? cond.onsetAge.value : unit === "a" || unit.startsWith("y") ? cond.onsetAge.value * 12 : null;
    if (months !== null) return addMonths(birthDate, months);
  }
  return null;
}

export function readCondition(cond: Json, ref: string, facts: Facts): ConditionFact {
  const notes = notesText(cond.note);
  const tags = conditionTags(cond.code, notes);
  const clinical = statusCode(cond.clinicalStatus);
  const onset = conditionOnset(cond, facts.patient.birthDate);
  const recorded = parseDay(cond.recordedDate);
  const text = conceptText(cond.code);
  const bodySite = siteOfConcepts(cond.bodySite);
  const coded = complicationSite(cond.code);
  const fact: ConditionFact = {
    ref,
    day: onset ?? recorded,
    onset,
    recorded,
    active: clinical !== "inactive" && clinical !== "resolved",
    tags,
    text,
    site: bodySite ?? (coded?.group ? { group: coded.group, side: coded.side } : null),
    limb: limbOfConcepts(cond.bodySite) ?? (coded?.limb ? { limb: coded.limb, side: coded.side } : null),
  };
  if (!fact.site && !fact.limb && cond.bodySite !== undefined) fact.site = { group: "other", side: null };
  const allText = notes ? `${text}\n${notes}` : text;
  const day = fact.day;
  if (tags.has("pc-doc")) facts.pcDoc.push({ ref, day, text: text || "tumoral calcinosis", source: "Condition" });
  if (tags.has("calcinosis")) facts.calcinosis.push({ ref, day, text: text || "calcinosis", source: "Condition" });
  if (tags.has("spinal-neuro") && fact.active) facts.neuro.push({ ref, day, text, source: "Condition" });

  if (tags.has("pc-doc") || tags.has("calcinosis")) {
    if (tags.has("complication") && fact.active) facts.complicationWithCalcinosis.push({ ref, day, text, source: "Condition" });
    fact.cutisCode = codings(cond.code).some((c) => codes.isIcd10System(c.system) && codes.normaliseIcd10(c.code ?? "") === "L942");
    addConditionLesions(fact, allText, facts);
  } else if (!fact.site && !fact.limb && tags.has("complication")) {
    // A complication's site and side ("ulcer of the left ring finger", "cellulitis of the right
    // upper limb") link it to the lesions there (§6 RF-COMP).
    const limb = limbOfText(text);
    const named = siteOfText(text);
    if (limb) fact.limb = { limb, side: named.side };
    else if (named.group && new Set(readText(allText).siteGroups).size === 1) fact.site = { group: named.group, side: named.side };
  }
  return fact;
}

/** Site, limb and side given by the code itself (L03.113 cellulitis of right upper limb, L03.012 of left finger). */
function complicationSite(code: unknown): (typeof codes.ICD10_COMPLICATION_SITES)[string] | null {
  for (const c of codings(code)) {
    if (!codes.isIcd10System(c.system) || typeof c.code !== "string") continue;
    const hit = codes.ICD10_COMPLICATION_SITES[codes.normaliseIcd10(c.code)];
    if (hit) return hit;
  }
  return null;
}

/** Lesions of a calcinosis Condition: its body site and a size from its text, else the sites its text names. */
function addConditionLesions(fact: ConditionFact, text: string, facts: Facts): void {
  const pcDoc = fact.tags.has("pc-doc");
  const complication = fact.tags.has("complication") && fact.active;
  const cutis = CUTIS_RE.test(text) || fact.cutisCode === true;
  if (fact.site) {
    const sizes = parseSizes(text);
    let best = sizes[0];
    for (const s of sizes) if (s.maxCm > best!.maxCm) best = s;
    const spine = fact.site.group === "spine" ? (readText(text).lesions.find((l) => l.spine)?.spine ?? null) : null;
    facts.lesions.push({
      date: fact.day?.iso ?? null,
      evidence: [fact.ref],
      modality: null,
      day: fact.day,
      pcDoc,
      source: "Condition",
      siteGroup: fact.site.group,
      laterality: fact.site.side,
      maxDimensionCm: best ? best.maxCm : null,
      dimensionsCm: best ? best.dimensionsCm : [],
      sourceText: fact.text,
      siteName: fact.site.name ?? null,
      complication,
      cutis,
      spine: fact.site.group === "spine" ? (spine ?? { paravertebral: false, canal: false, foraminal: false, level: null }) : null,
    });
    return;
  }
  // Without a body site: the sites its text names; without any site word it stays a finding, not a lesion.
  const mentions = lesionFacts(
    readText(text).lesions.filter((l) => l.sited),
    {},
    { ref: fact.ref, day: fact.day, modality: null, source: "Condition" },
  );
  for (const m of mentions) {
    m.pcDoc ||= pcDoc;
    m.complication ||= complication;
  }
  facts.lesions.push(...mentions);
  if (mentions.length === 1) fact.site = { group: mentions[0]!.siteGroup, side: mentions[0]!.laterality };
}
