import { RULES, RULESET, STATUS_LABELS } from "../../clinical";
import type { AssessmentStatus, RuleId, SourceTag } from "../../clinical/types";

/**
 * What the UI says about rules. Titles, source tags and status labels come from the engine
 * (`src/clinical`), the single place they are defined; this file only adds the explanatory
 * sentences the screen shows beside an item ("why it matters", "clears when"), each traceable to a
 * row of clinical-spec.md §3.
 */

export { RULESET };

export const SOURCE_NAMES: Record<SourceTag, string> = {
  Z: "Zanatta et al. 2020",
  M: "Galluzzo et al. 2023",
  C: "clinical convention",
  D: "our design choice",
};

interface RuleMeta {
  title?: string;
  sources?: SourceTag[];
  threshold?: unknown;
}

function ruleMeta(id: string): RuleMeta | undefined {
  const table = RULES as unknown as Record<string, RuleMeta | undefined>;
  return table?.[id];
}

export function ruleTitle(id: RuleId | string): string {
  return ruleMeta(id)?.title ?? id;
}

export function ruleSources(id: RuleId | string, itemSources?: SourceTag[]): SourceTag[] {
  if (itemSources && itemSources.length) return itemSources;
  return ruleMeta(id)?.sources ?? [];
}

export function statusLabel(status: AssessmentStatus): string {
  return (STATUS_LABELS as Record<string, string>)[status] ?? status;
}

/** Why a workup gap matters (clinical-spec.md §1 and §3). */
export const GAP_WHY: Partial<Record<RuleId, string>> = {
  "G-CA":
    "Hypercalcaemia (hyperparathyroidism, hypervitaminosis D, malignancy, milk-alkali) must be excluded before calcinosis is attributed to SSc.",
  "G-PHOS": "Hyperphosphataemia points to hyperphosphataemic tumoral calcinosis or kidney disease, both secondary causes to exclude.",
  "G-PTH": "Primary or secondary hyperparathyroidism is a secondary cause of calcinosis to exclude.",
  "G-VITD": "Hypervitaminosis D is a secondary cause; a low level helps read a raised PTH.",
  "G-RENAL": "Chronic renal failure, often with secondary hyperparathyroidism, is a secondary cause to exclude.",
  "G-ALB": "Without albumin near the calcium result, corrected calcium cannot be calculated and mild hypercalcaemia may be missed.",
  "G-AB": "The SSc antibody profile (Scl-70, centromere, PM/Scl) is part of the recommended workup and gives phenotype context.",
  "G-IMG-SITE": "Each lesion site needs imaging to confirm the mass and its extent (X-ray first, then US, MRI or CT).",
  "G-CT": "Multidetector CT is the most accurate for extent, neural structures and pre-operative planning.",
  "G-SPINE": "Spinal pseudotumoral calcinosis was missed at first imaging and found only on targeted review; it can compress nerves.",
  "G-NEO": "A new or fast-growing bulky lesion must have a neoplasm excluded.",
  "G-SCREEN":
    "Patients with a severe vascular phenotype or long disease duration are at higher risk; no imaging was found to screen for calcinosis.",
};

/** For a secondary-cause flag: what result or record change would clear it (the rule's negation). */
export const CLEARS_WHEN: Partial<Record<RuleId, string>> = {
  "S-CA":
    "A repeat total calcium ≤ 10.5 mg/dL with albumin (corrected calcium ≤ 10.5 mg/dL), or ionised calcium ≤ 1.30 mmol/L, within the result's reference range.",
  "S-PHOS": "A repeat phosphate ≤ 4.5 mg/dL (1.45 mmol/L), or within the result's reference range.",
  "S-PTH":
    "A repeat PTH ≤ 65 pg/mL; if it stays raised, calcium, 25-OH vitamin D and eGFR tell primary from secondary hyperparathyroidism.",
  "S-VITD": "A repeat 25-OH vitamin D ≤ 100 ng/mL (and review of vitamin D supplements).",
  "S-CKD": "eGFR ≥ 60 mL/min/1.73 m² on results more than 90 days apart, creatinine within range, and no CKD, ESRD or dialysis diagnosis.",
  "S-CAXP": "A calcium × phosphate product ≤ 55 mg²/dL² on repeat results.",
  "S-DX": "The diagnosis reviewed and recorded as refuted, resolved or entered in error.",
};

/** For red flags: the action the rule asks for (clinical-spec.md §3, Red flags). */
export const RED_FLAG_ACTION: Partial<Record<RuleId, string>> = {
  "RF-SPINE": "Arrange a prompt neurological assessment and MRI or CT of the spine.",
  "RF-COMP": "Review the lesion for ulceration, fistula or infection and treat accordingly.",
};
