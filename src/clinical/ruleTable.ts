/**
 * The rules of clinical-spec.md §3 as data, for the UI to show beside each item and for the note
 * written back. Thresholds are quoted from thresholds.ts, so the text cannot drift from the code.
 */
import * as T from "./thresholds";
import type { AssessmentStatus, RuleId, SourceTag } from "./types";

export const RULESET = { id: "pc-ssc", version: "1.1.0" } as const;

export interface RuleInfo {
  title: string;
  /** Why the rule exists, in one or two sentences (docs/clinical-rules.md). */
  rationale: string;
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
    rationale: "The seeds describe pseudotumoral calcinosis in SSc only; morphea is a different disease.",
    threshold: "An SSc Condition not refuted/entered-in-error and not inactive/resolved; morphea (L94.0, L94.1) excluded",
  },
  E2: {
    family: "eligibility",
    sources: ["C"],
    title: "Disease duration",
    rationale: "Duration is a risk context (R-DUR): onset at a median of 7 years of disease.",
    threshold: "From the earliest SSc onset (onsetDateTime, onsetPeriod.start, onsetAge, else recordedDate) to the assessment date",
  },
  "PC-DOC": {
    family: "evidence",
    sources: ["M"],
    title: "Pseudotumoral calcinosis documented",
    rationale: "A radiologist or clinician has already named it; the app repeats what is on record.",
    threshold: "Tumoral/pseudotumoral calcinosis coded (SNOMED 61778004) or named in a diagnosis or imaging report",
  },
  "PC-SIZE": {
    family: "evidence",
    sources: ["Z", "M"],
    title: "Calcified lesion of pseudotumoral size",
    rationale: "The seeds define pseudotumoral calcinosis as calcified masses of 2 cm or more (2 to 15.5 cm seen).",
    threshold: `Largest dimension >= ${T.PC_MIN_SIZE_CM.toFixed(1)} cm`,
  },
  "PC-CALC": {
    family: "evidence",
    sources: ["C"],
    title: "Calcinosis documented without a size",
    rationale: "Calcinosis on record without a size: it may be pseudotumoral once measured: measure the largest deposit.",
    threshold: "Calcinosis cutis (L94.2), M61.4*, SNOMED 6595006 or 129750001, or the words calcinosis / calcific mass",
  },
  "PC-IMG": {
    family: "evidence",
    sources: ["D"],
    title: "Imaging suggests soft-tissue calcification",
    rationale:
      "Imaging text suggests soft-tissue calcification but nobody has named it; shown only when neither PC-SIZE nor PC-DOC fired; hedged mentions land here, never higher.",
    threshold: "Imaging text: calcification in soft tissue, periarticular or paravertebral, or a calcific mass, with no diagnosis yet",
  },
  "R-VASC": {
    family: "risk",
    sources: ["Z", "M"],
    title: "Severe vascular phenotype",
    rationale: "The great majority of patients with pseudotumoral calcinosis have a severe vascular phenotype.",
    threshold: "Digital ulcers, pulmonary (arterial) hypertension, digital amputation/acro-osteolysis, Raynaud with gangrene",
  },
  "R-DUR": {
    family: "risk",
    sources: ["Z"],
    title: "Long disease duration",
    rationale: "Median disease duration at onset 7 years (IQR 5-10).",
    threshold: `Disease duration >= ${T.R_DUR_MIN_YEARS} years`,
  },
  "R-AGE": {
    family: "risk",
    sources: ["Z", "D"],
    title: "Older age",
    rationale: "Mean age 59 ± 11.4 years; 48 is one standard deviation below.",
    threshold: `Age >= ${T.R_AGE_MIN_YEARS} years`,
  },
  "R-CALC": {
    family: "risk",
    sources: ["M"],
    title: "Calcinosis elsewhere",
    rationale: "Calcinosis at one site makes further sites likely (usually multi-site and symmetrical).",
    threshold: `Calcinosis documented besides the lesions of >= ${T.PC_MIN_SIZE_CM} cm`,
  },
  "R-AB": {
    family: "risk",
    sources: ["Z"],
    title: "SSc antibody",
    rationale: "Antibody profiles of the series; no weight is given (no subset difference shown).",
    threshold: "Anti-topoisomerase I, anticentromere or anti-PM/Scl positive (shown, not weighted)",
  },
  "S-CA": {
    family: "secondary",
    sources: ["C"],
    title: "Hypercalcaemia",
    rationale:
      "Hypercalcaemia points to a secondary cause (hyperparathyroidism, vitamin D excess, sarcoidosis, malignancy, milk-alkali); corrected calcium against the calcium's own upper limit where it has one.",
    threshold: `Total Ca > ${T.S_CA_TOTAL_MAX_MG_DL} mg/dL, albumin-corrected Ca > ${T.S_CA_CORRECTED_MAX_MG_DL} mg/dL, or ionised Ca > ${T.S_CA_IONISED_MAX_MMOL_L.toFixed(2)} mmol/L (the result's own range first)`,
  },
  "S-PHOS": {
    family: "secondary",
    sources: ["C", "M"],
    title: "Hyperphosphataemia",
    rationale: "Hyperphosphataemia suggests hyperphosphataemic (familial) tumoral calcinosis or renal disease.",
    threshold: `Phosphate > ${T.S_PHOS_MAX_MG_DL} mg/dL (the result's own range first)`,
  },
  "S-PTH": {
    family: "secondary",
    sources: ["C", "M"],
    title: "Raised PTH",
    rationale: "Raised PTH: primary hyperparathyroidism with hypercalcaemia, secondary with kidney disease or low vitamin D.",
    threshold: `PTH > ${T.S_PTH_MAX_PG_ML} pg/mL (the result's own range first); with S-CA: primary HPT; with eGFR < ${T.S_PTH_SECONDARY_EGFR_BELOW} or 25-OH-D < ${T.S_PTH_SECONDARY_VITD_BELOW} ng/mL: secondary`,
  },
  "S-VITD": {
    family: "secondary",
    sources: ["C"],
    title: "Vitamin D excess",
    rationale: "Hypervitaminosis D is a secondary cause to exclude; a bound that decides the tier decides it.",
    threshold: `25-OH-D > ${T.S_VITD_REVIEW_NG_ML} ng/mL review; > ${T.S_VITD_LIKELY_NG_ML} ng/mL hypervitaminosis D likely`,
  },
  "S-CKD": {
    family: "secondary",
    sources: ["C"],
    title: "Kidney disease",
    rationale:
      "Chronic renal failure, often with secondary hyperparathyroidism, causes metastatic calcification (KDIGO chronicity: 90 days).",
    threshold: `eGFR < ${T.S_CKD_EGFR_BELOW} on results > ${T.S_CKD_MIN_DAYS_APART} days apart, creatinine above range, or a CKD/ESRD/dialysis diagnosis; tiers < ${T.S_CKD_TIER_SEVERE_BELOW} and < ${T.S_CKD_TIER_FAILURE_BELOW}`,
  },
  "S-CAXP": {
    family: "secondary",
    sources: ["C"],
    title: "Calcium x phosphate product",
    rationale: "A high calcium-phosphate product favours metastatic (not dystrophic) calcification.",
    threshold: `Ca x P > ${T.S_CAXP_MAX} mg²/dL² (results within ${T.S_CAXP_PAIR_MAX_DAYS} days)`,
  },
  "S-DX": {
    family: "secondary",
    sources: ["M"],
    title: "Coded secondary cause",
    rationale: "Secondary causes to exclude (Galluzzo 2023); a resolved or inactive one is shown as history, not as an active cause.",
    threshold:
      "Hyperparathyroidism, hypervitaminosis D, sarcoidosis, malignancy, milk-alkali syndrome, pseudoxanthoma elasticum, dermatomyositis",
  },
  "S-DRUG": {
    family: "secondary",
    sources: ["C"],
    title: "Medication affecting calcium and phosphate (context)",
    rationale: "Drugs that raise or mask calcium, phosphate, vitamin D or PTH change how the labs read; context only.",
    threshold:
      "Active calcitriol, alfacalcidol, paricalcitol, high-dose vitamin D, calcium carbonate, thiazides, lithium, teriparatide, abaloparatide (raise); cinacalcet, denosumab (and its withdrawal), phosphate binders (lower or mask)",
  },
  "G-CA": {
    family: "gap",
    sources: ["M"],
    title: "Serum calcium",
    rationale: "Part of the lab workup of the seeds (calcium, phosphate, PTH, vitamin D, kidney function).",
    threshold: `No total, ionised or corrected calcium in ${LAB}`,
  },
  "G-PHOS": {
    family: "gap",
    sources: ["M"],
    title: "Phosphate",
    rationale: "Part of the lab workup of the seeds.",
    threshold: `No phosphate in ${LAB}`,
  },
  "G-PTH": {
    family: "gap",
    sources: ["M"],
    title: "PTH measurement",
    rationale: "Part of the lab workup of the seeds.",
    threshold: `No PTH in ${LAB}`,
  },
  "G-VITD": {
    family: "gap",
    sources: ["M"],
    title: "25-hydroxyvitamin D",
    rationale: "Part of the lab workup of the seeds.",
    threshold: `No 25-OH vitamin D in ${LAB}`,
  },
  "G-RENAL": {
    family: "gap",
    sources: ["M"],
    title: "Kidney function",
    rationale: "Part of the lab workup of the seeds.",
    threshold: `No creatinine or eGFR in ${LAB}`,
  },
  "G-ALB": {
    family: "gap",
    sources: ["C"],
    title: "Albumin with the calcium",
    rationale: "Without albumin the calcium cannot be corrected; a low albumin can hide hypercalcaemia.",
    threshold: `Calcium present but no albumin within ${T.G_ALB_MAX_DAYS} days of it`,
  },
  "G-AB": {
    family: "gap",
    sources: ["M"],
    title: "SSc antibodies",
    rationale: "A rheumatic antibody screen is part of the workup.",
    threshold: "No Scl-70, centromere, RNA polymerase III, PM/Scl or ANA result ever",
  },
  "G-IMG-SITE": {
    family: "gap",
    sources: ["M"],
    title: "Imaging of a lesion site",
    rationale: "X-ray first, then US, MRI or CT characterise each site.",
    threshold: `A lesion site group with no imaging of it in ${IMG}`,
  },
  "G-CT": {
    family: "gap",
    sources: ["M"],
    title: "CT of the lesion site",
    rationale:
      "Multidetector CT is the most accurate for extent, spine, neural structures and pre-operative planning, at a higher radiation dose.",
    threshold: `Probable/documented PC and no CT of the lesion site in ${IMG}`,
  },
  "G-SPINE": {
    family: "gap",
    sources: ["Z", "M"],
    title: "Targeted spinal review",
    rationale:
      "Asymptomatic spinal calcinosis was missed at first imaging and found only on targeted review; a recent CT or MRI of the thorax, abdomen or pelvis covers the paravertebral region and is re-reviewed instead.",
    threshold: `Possible/probable/documented PC with a severe vascular phenotype and no spinal CT or MRI in ${IMG}`,
  },
  "G-NEO": {
    family: "gap",
    sources: ["M", "D"],
    title: "Exclude a neoplasm",
    rationale:
      "A new or fast-growing bulky lesion must have malignancy excluded; only a biopsy of the lesion's site, no earlier than 6 months before it was first seen, closes it; 'first seen' counts only when earlier imaging of other sites exists.",
    threshold: `A lesion grown >= ${T.G_NEO_GROWTH_PERCENT}% in largest dimension, or first seen within ${T.G_NEO_NEW_MONTHS} months, and no biopsy/histology`,
  },
  "G-SCREEN": {
    family: "gap",
    sources: ["M", "D"],
    title: "Screening imaging",
    rationale: "High-risk patients with no imaging may have unrecognised calcinosis (about 3% prevalence).",
    threshold: `No evidence yet, R-VASC or R-DUR present, and no imaging at all in ${IMG}`,
  },
  "RF-SPINE": {
    family: "red-flag",
    sources: ["Z"],
    title: "Spinal lesion with neurological signs",
    rationale:
      "Nerve compression in 40% of spinal cases: same-day neurological assessment, MRI for cord or root compression, spinal surgical opinion.",
    threshold:
      "Spinal/paravertebral lesion with radiculopathy, myelopathy, cord compression, cauda equina or limb weakness (M54.1*, G95.2*, G83.4, M47.1*, M99.5*)",
  },
  "RF-COMP": {
    family: "red-flag",
    sources: ["Z"],
    title: "Complicated lesion",
    rationale: "Fistulisation or ulceration in 32%, infection in 23%; the complication must be at the lesion's site and side.",
    threshold: "Lesion with ulceration, fistula or infection (L98.4*, L08.*, M86.*, L03.*)",
  },
  "RF-CANAL": {
    family: "red-flag",
    sources: ["M"],
    title: "Calcific mass in the spinal canal",
    rationale: "Intracanal masses were found without symptoms on re-review; they threaten the cord: neurological examination and MRI.",
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
