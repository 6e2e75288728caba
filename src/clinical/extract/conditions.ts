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
import { CALCINOSIS_WORDS_RE, COMPLICATION_RE, PC_DOC_RE, SPINAL_NEURO_RE, findAffirmed, parseSizes, readText } from "../text";
import { siteOfConcepts } from "./sites";

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
  { tag: "malignancy", set: codes.MALIGNANCY, words: /\b(malignan\w*|cancer|carcinoma|sarcoma|lymphoma|leuka?emia|myeloma|metasta\w*)\b/i },
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
  const fact: ConditionFact = {
    ref,
    day: onset ?? recorded,
    onset,
    recorded,
    active: clinical !== "inactive" && clinical !== "resolved",
    tags,
    text,
    site: bodySite ?? (cond.bodySite !== undefined ? { group: "other", side: null } : null),
  };
  const allText = notes ? `${text}\n${notes}` : text;
  const day = fact.day;
  if (tags.has("pc-doc")) facts.pcDoc.push({ ref, day, text: text || "tumoral calcinosis", source: "Condition" });
  if (tags.has("calcinosis")) facts.calcinosis.push({ ref, day, text: text || "calcinosis", source: "Condition" });
  if (tags.has("spinal-neuro") && fact.active) facts.neuro.push({ ref, day, text, source: "Condition" });

  if (tags.has("pc-doc") || tags.has("calcinosis")) {
    if (tags.has("complication") && fact.active) facts.complicationWithCalcinosis.push({ ref, day, text, source: "Condition" });
    addConditionLesions(fact, allText, facts);
  } else if (!fact.site && tags.has("complication")) {
    // A complication's site (e.g. "ulcerated nodule of the left elbow") links it to a lesion (RF-COMP).
    const reading = readText(allText);
    const sites = reading.siteGroups;
    if (sites.length === 1) fact.site = { group: sites[0]!, side: null };
  }
  return fact;
}

/** Lesions of a calcinosis Condition: its body site and a size from its text, else the sites its text names. */
function addConditionLesions(fact: ConditionFact, text: string, facts: Facts): void {
  const pcDoc = fact.tags.has("pc-doc");
  const base = { date: fact.day?.iso ?? null, evidence: [fact.ref], modality: null, day: fact.day, pcDoc, source: "Condition" as const };
  if (fact.site) {
    const sizes = parseSizes(text);
    let best = sizes[0];
    for (const s of sizes) if (s.maxCm > best!.maxCm) best = s;
    facts.lesions.push({
      ...base,
      siteGroup: fact.site.group,
      laterality: fact.site.side,
      maxDimensionCm: best ? best.maxCm : null,
      dimensionsCm: best ? best.dimensionsCm : [],
      sourceText: fact.text,
    });
    return;
  }
  // Without a body site: the sites its text names; without any site word it stays a finding, not a lesion.
  const reading = readText(text);
  for (const l of reading.lesions) {
    facts.lesions.push({
      ...base,
      siteGroup: l.siteGroup,
      laterality: l.laterality,
      maxDimensionCm: l.maxCm,
      dimensionsCm: l.dimensionsCm,
      sourceText: l.sentence,
    });
  }
  if (reading.lesions.length === 1) fact.site = { group: reading.lesions[0]!.siteGroup, side: reading.lesions[0]!.laterality };
}
