/**
 * The rules of clinical-spec.md §3 as data, for the UI to show beside each item and for the note
 * written back. Thresholds are quoted from thresholds.ts, so the text cannot drift from the code.
 */
import * as T from "./thresholds";
import type { AssessmentStatus, RuleId, SourceTag } from "./types";

export const RULESET = { id: "pc-ssc", version: "1.1.0" } as const;

export interface RuleInfo {
  title: string;
  sources: SourceTag[];
  /** The rule's threshold or trigger, in words. */
  threshold: string;
  family: "eligibility" | "evidence" | "risk" | "secondary" | "gap" | "red-flag";
}

const LAB = `${T.LAB_LOOKBACK_MONTHS} months`;
const IMG = `${T.IMAGING_LOOKBACK_MONTHS} months`;

export const RULES: Record<RuleId, RuleInfo> = {
  E1: {
    family: "eligibility",
    sources: ["C"],
    title: "Systemic sclerosis on record",
    threshold: "An SSc Condition not refuted/entered-in-error and not inactive/resolved; morphea (L94.0, L94.1) excluded",
  },
  E2: {
    family: "eligibility",
    sources: ["C"],
    title: "Disease duration",
    threshold: "From the earliest SSc onset (onsetDateTime, onsetPeriod.start, onsetAge, else recordedDate) to the assessment date",
  },
  "PC-DOC": {
    family: "evidence",
    sources: ["M"],
    title: "Pseudotumoral calcinosis documented",
    threshold: "Tumoral/pseudotumoral calcinosis coded (SNOMED 61778004) or named in a diagnosis or imaging report",
  },
  "PC-SIZE": {
    family: "evidence",
    sources: ["Z", "M"],
    title: "Calcified lesion of pseudotumoral size",
    threshold: `Largest dimension >= ${T.PC_MIN_SIZE_CM.toFixed(1)} cm`,
  },
  "PC-CALC": {
    family: "evidence",
    sources: ["C"],
    title: "Calcinosis documented without a size",
    threshold: "Calcinosis cutis (L94.2), M61.4*, SNOMED 6595006 or 129750001, or the words calcinosis / calcific mass",
  },
  "PC-IMG": {
    family: "evidence",
    sources: ["D"],
    title: "Imaging suggests soft-tissue calcification",
    threshold: "Imaging text: calcification in soft tissue, periarticular or paravertebral, or a calcific mass, with no diagnosis yet",
  },
  "R-VASC": {
    family: "risk",
    sources: ["Z", "M"],
    title: "Severe vascular phenotype",
    threshold: "Digital ulcers, pulmonary (arterial) hypertension, digital amputation/acro-osteolysis, Raynaud with gangrene",
  },
  "R-DUR": { family: "risk", sources: ["Z"], title: "Long disease duration", threshold: `Disease duration >= ${T.R_DUR_MIN_YEARS} years` },
  "R-AGE": { family: "risk", sources: ["Z", "D"], title: "Older age", threshold: `Age >= ${T.R_AGE_MIN_YEARS} years` },
  "R-CALC": {
    family: "risk",
    sources: ["M"],
    title: "Calcinosis elsewhere",
    threshold: `Calcinosis documented besides the lesions of >= ${T.PC_MIN_SIZE_CM} cm`,
  },
  "R-AB": {
    family: "risk",
    sources: ["Z"],
    title: "SSc antibody",
    threshold: "Anti-topoisomerase I, anticentromere or anti-PM/Scl positive (shown, not weighted)",
  },
  "S-CA": {
    family: "secondary",
    sources: ["C"],
    title: "Hypercalcaemia",
    threshold: `Total Ca > ${T.S_CA_TOTAL_MAX_MG_DL} mg/dL, albumin-corrected Ca > ${T.S_CA_CORRECTED_MAX_MG_DL} mg/dL, or ionised Ca > ${T.S_CA_IONISED_MAX_MMOL_L.toFixed(2)} mmol/L (the result's own range first)`,
  },
  "S-PHOS": {
    family: "secondary",
    sources: ["C", "M"],
    title: "Hyperphosphataemia",
    threshold: `Phosphate > ${T.S_PHOS_MAX_MG_DL} mg/dL (the result's own range first)`,
  },
  "S-PTH": {
    family: "secondary",
    sources: ["C", "M"],
    title: "Raised PTH",
    threshold: `PTH > ${T.S_PTH_MAX_PG_ML} pg/mL (the result's own range first); with S-CA: primary HPT; with eGFR < ${T.S_PTH_SECONDARY_EGFR_BELOW} or 25-OH-D < ${T.S_PTH_SECONDARY_VITD_BELOW} ng/mL: secondary`,
  },
  "S-VITD": {
    family: "secondary",
    sources: ["C"],
    title: "Vitamin D excess",
    threshold: `25-OH-D > ${T.S_VITD_REVIEW_NG_ML} ng/mL review; > ${T.S_VITD_LIKELY_NG_ML} ng/mL hypervitaminosis D likely`,
  },
  "S-CKD": {
    family: "secondary",
    sources: ["C"],
    title: "Kidney disease",
    threshold: `eGFR < ${T.S_CKD_EGFR_BELOW} on results > ${T.S_CKD_MIN_DAYS_APART} days apart, creatinine above range, or a CKD/ESRD/dialysis diagnosis; tiers < ${T.S_CKD_TIER_SEVERE_BELOW} and < ${T.S_CKD_TIER_FAILURE_BELOW}`,
  },
  "S-CAXP": {
    family: "secondary",
    sources: ["C"],
    title: "Calcium x phosphate product",
    threshold: `Ca x P > ${T.S_CAXP_MAX} mg²/dL² (results within ${T.S_CAXP_PAIR_MAX_DAYS} days)`,
  },
  "S-DX": {
    family: "secondary",
    sources: ["M"],
    title: "Coded secondary cause",
    threshold:
      "Hyperparathyroidism, hypervitaminosis D, sarcoidosis, malignancy, milk-alkali syndrome, pseudoxanthoma elasticum, dermatomyositis",
  },
  "S-DRUG": {
    family: "secondary",
    sources: ["C"],
    title: "Medication affecting calcium and phosphate (context)",
    threshold:
      "Active calcitriol, alfacalcidol, paricalcitol, high-dose vitamin D, calcium carbonate, thiazides, lithium, teriparatide, abaloparatide (raise); cinacalcet, denosumab (and its withdrawal), phosphate binders (lower or mask)",
  },
  "G-CA": { family: "gap", sources: ["M"], title: "Serum calcium", threshold: `No total, ionised or corrected calcium in ${LAB}` },
  "G-PHOS": { family: "gap", sources: ["M"], title: "Phosphate", threshold: `No phosphate in ${LAB}` },
  "G-PTH": { family: "gap", sources: ["M"], title: "PTH measurement", threshold: `No PTH in ${LAB}` },
  "G-VITD": { family: "gap", sources: ["M"], title: "25-hydroxyvitamin D", threshold: `No 25-OH vitamin D in ${LAB}` },
  "G-RENAL": { family: "gap", sources: ["M"], title: "Kidney function", threshold: `No creatinine or eGFR in ${LAB}` },
  "G-ALB": {
    family: "gap",
    sources: ["C"],
    title: "Albumin with the calcium",
    threshold: `Calcium present but no albumin within ${T.G_ALB_MAX_DAYS} days of it`,
  },
  "G-AB": {
    family: "gap",
    sources: ["M"],
    title: "SSc antibodies",
    threshold: "No Scl-70, centromere, RNA polymerase III, PM/Scl or ANA result ever",
  },
  "G-IMG-SITE": {
    family: "gap",
    sources: ["M"],
    title: "Imaging of a lesion site",
    threshold: `A lesion site group with no imaging of it in ${IMG}`,
  },
  "G-CT": {
    family: "gap",
    sources: ["M"],
    title: "CT of the lesion site",
    threshold: `Probable/documented PC and no CT of the lesion site in ${IMG}`,
  },
  "G-SPINE": {
    family: "gap",
    sources: ["Z", "M"],
    title: "Targeted spinal review",
    threshold: `Possible/probable/documented PC with a severe vascular phenotype and no spinal CT or MRI in ${IMG}`,
  },
  "G-NEO": {
    family: "gap",
    sources: ["M", "D"],
    title: "Exclude a neoplasm",
    threshold: `A lesion grown >= ${T.G_NEO_GROWTH_PERCENT}% in largest dimension, or first seen within ${T.G_NEO_NEW_MONTHS} months, and no biopsy/histology`,
  },
  "G-SCREEN": {
    family: "gap",
    sources: ["M", "D"],
    title: "Screening imaging",
    threshold: `No evidence yet, R-VASC or R-DUR present, and no imaging at all in ${IMG}`,
  },
  "RF-SPINE": {
    family: "red-flag",
    sources: ["Z"],
    title: "Spinal lesion with neurological signs",
    threshold:
      "Spinal/paravertebral lesion with radiculopathy, myelopathy, cord compression, cauda equina or limb weakness (M54.1*, G95.2*, G83.4, M47.1*, M99.5*)",
  },
  "RF-COMP": {
    family: "red-flag",
    sources: ["Z"],
    title: "Complicated lesion",
    threshold: "Lesion with ulceration, fistula or infection (L98.4*, L08.*, M86.*, L03.*)",
  },
  "RF-CANAL": {
    family: "red-flag",
    sources: ["M"],
    title: "Calcific mass in the spinal canal",
    threshold: "A calcific mass projecting into the spinal canal or foramina, with or without symptoms",
  },
};

/** §2 labels, as the UI shows them. */
export const STATUS_LABELS: Record<AssessmentStatus, string> = {
  "not-applicable": "Not assessed: no systemic sclerosis on record",
  indeterminate: "Cannot be assessed: part of the record could not be loaded",
  "no-evidence": "No calcinosis found in the record",
  possible: "Possible pseudotumoral calcinosis",
  probable: "Probable pseudotumoral calcinosis",
  documented: "Pseudotumoral calcinosis documented",
};
