/** Risk features, clinical-spec.md §3: context, never a diagnosis, never a change of status. */
import { ANTIBODY_LABELS, R_AB_ANTIBODIES } from "../codes";
import { wholeYears } from "../dates";
import type { ConditionTag, Facts } from "../model";
import { R_AGE_MIN_YEARS, R_DUR_MIN_YEARS } from "../thresholds";
import type { RuleItem } from "../types";
import type { Eligibility } from "./eligibility";
import type { EvidenceResult } from "./evidence";
import { item } from "./items";
import { isPcLesion, type LesionRecord } from "./lesions";

/** R-VASC [Z, M]: the features of a severe vascular phenotype, and how each is named. */
const VASCULAR: [ConditionTag, string][] = [
  ["digital-ulcer", "digital ulcers"],
  ["pah", "pulmonary arterial hypertension"],
  ["pulmonary-hypertension", "pulmonary hypertension"],
  ["digital-amputation", "digital amputation"],
  ["hand-osteolysis", "acro-osteolysis"],
  ["raynaud-gangrene", "Raynaud with gangrene"],
];

/**
 * §6 AGE: counted to the date of death when the patient is deceased; unknown (never negative) when
 * the assessment date is before the birth date.
 */
export function patientAge(facts: Facts): number | null {
  const { birthDate, deceased } = facts.patient;
  if (!birthDate) return null;
  let to = facts.asOf;
  if (deceased) {
    if (!deceased.day) return null;
    if (deceased.day.n < to.n) to = deceased.day;
  }
  return to.n < birthDate.n ? null : wholeYears(birthDate, to);
}

export function riskRules(facts: Facts, ssc: Eligibility, ev: EvidenceResult, lesions: readonly LesionRecord[]): RuleItem[] {
  const out: RuleItem[] = [];

  // R-VASC: any non-refuted record of the feature (history counts: it is a phenotype).
  const names: string[] = [];
  const vascRefs: string[] = [];
  for (const [tag, name] of VASCULAR) {
    const hits = facts.conditions.filter((c) => c.tags.has(tag));
    if (hits.length === 0) continue;
    names.push(name);
    vascRefs.push(...hits.map((c) => c.ref));
  }
  if (names.length) out.push(item("R-VASC", `Severe vascular phenotype: ${names.join(", ")}.`, vascRefs));

  // R-DUR: disease duration >= 5 years.
  if (ssc.durationYears !== null && ssc.durationYears >= R_DUR_MIN_YEARS) {
    out.push(item("R-DUR", `SSc for ${ssc.durationYears} years (since ${ssc.onset!.iso}; ${R_DUR_MIN_YEARS} or more).`, ssc.onsetEvidence));
  }

  // R-AGE: age >= 48.
  const age = patientAge(facts);
  if (age !== null && age >= R_AGE_MIN_YEARS && facts.patient.ref) {
    out.push(item("R-AGE", `Age ${age} (${R_AGE_MIN_YEARS} or more).`, [facts.patient.ref]));
  }

  // R-CALC: calcinosis documented besides the pseudotumoral lesion(s).
  const elsewhere = lesions.filter((r) => !isPcLesion(r));
  const lesionRefs = new Set(lesions.flatMap((r) => r.lesion.evidence));
  const unsited = facts.calcinosis.filter((t) => !ev.pcSizedRefs.has(t.ref) && !lesionRefs.has(t.ref));
  if (elsewhere.length || unsited.length) {
    const where = elsewhere.map((r) => r.lesion.siteLabel);
    const text = where.length
      ? `Calcinosis also documented at: ${where.join(", ")}.`
      : "Calcinosis documented besides the lesions assessed.";
    out.push(item("R-CALC", text, [...elsewhere.flatMap((r) => r.lesion.evidence), ...unsited.map((t) => t.ref)]));
  }

  // R-AB: anti-topoisomerase I, anticentromere or anti-PM/Scl positive (shown, not weighted).
  const positive = facts.antibodies.filter((a) => a.result === "positive" && R_AB_ANTIBODIES.includes(a.key));
  if (positive.length) {
    const kinds = [...new Set(positive.map((a) => ANTIBODY_LABELS[a.key]))];
    out.push(
      item(
        "R-AB",
        `Positive ${kinds.join(", ")}.`,
        positive.map((a) => a.ref),
      ),
    );
  }
  return out;
}
