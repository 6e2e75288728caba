/**
 * Every threshold of clinical-spec.md §3 and §5, once, with its rule id and source tag beside it.
 * Change a value only together with RULESET.version (and the spec's table).
 */

// ---- Evidence ----------------------------------------------------------------------------------
/** PC-SIZE [Z, M]: largest dimension of a calcified lesion that makes PC probable, in cm. */
export const PC_MIN_SIZE_CM = 2.0;

// ---- Risk features -----------------------------------------------------------------------------
/** R-DUR [Z]: disease duration in years (median onset 7 y, IQR 5-10). */
export const R_DUR_MIN_YEARS = 5;
/** R-AGE [Z, D]: age in years (mean 59 - 1 SD 11.4). */
export const R_AGE_MIN_YEARS = 48;

// ---- Secondary-cause flags (defaults: apply only without the result's own reference range) -----
/** S-CA [C]: total calcium upper limit, mg/dL (2.62 mmol/L). */
export const S_CA_TOTAL_MAX_MG_DL = 10.5;
/** S-CA [C]: albumin-corrected calcium upper limit, mg/dL. */
export const S_CA_CORRECTED_MAX_MG_DL = 10.5;
/** S-CA [C]: ionised calcium upper limit, mmol/L. */
export const S_CA_IONISED_MAX_MMOL_L = 1.3;
/** S-CA [C]: corrected Ca = Ca + 0.8 x (4.0 - albumin g/dL). */
export const CA_CORRECTION_FACTOR = 0.8;
export const CA_CORRECTION_ALBUMIN_G_DL = 4.0;
/** S-PHOS [C, M]: phosphate upper limit, mg/dL (1.45 mmol/L). */
export const S_PHOS_MAX_MG_DL = 4.5;
/** S-PTH [C, M]: PTH upper limit, pg/mL. */
export const S_PTH_MAX_PG_ML = 65;
/** S-PTH [C, M]: "consider secondary" when eGFR below this (mL/min/1.73 m2) ... */
export const S_PTH_SECONDARY_EGFR_BELOW = 60;
/** ... or 25-OH-D below this (ng/mL). */
export const S_PTH_SECONDARY_VITD_BELOW = 20;
/** S-VITD [C]: 25-OH-D above this asks for review, ng/mL. */
export const S_VITD_REVIEW_NG_ML = 100;
/** S-VITD [C]: 25-OH-D above this makes hypervitaminosis D likely, ng/mL (374 nmol/L). */
export const S_VITD_LIKELY_NG_ML = 150;
/** S-CKD [C]: eGFR below this on two results more than S_CKD_MIN_DAYS_APART apart (KDIGO chronicity). */
export const S_CKD_EGFR_BELOW = 60;
export const S_CKD_MIN_DAYS_APART = 90;
/** S-CKD [C]: severity tiers. */
export const S_CKD_TIER_SEVERE_BELOW = 30;
export const S_CKD_TIER_FAILURE_BELOW = 15;
/** S-CAXP [C]: calcium x phosphate product, mg2/dL2. */
export const S_CAXP_MAX = 55;
/** S-CAXP [D]: calcium and phosphate results pair up when drawn this many days apart or less. */
export const S_CAXP_PAIR_MAX_DAYS = 30;

// ---- Workup gaps -------------------------------------------------------------------------------
/** G-CA .. G-RENAL, G-ALB [D]: lookback for labs, months. */
export const LAB_LOOKBACK_MONTHS = 12;
/** G-IMG-SITE, G-CT, G-SPINE, G-SCREEN [D]: lookback for imaging, months. */
export const IMAGING_LOOKBACK_MONTHS = 24;
/** G-ALB [C]: albumin within this many days of the calcium makes correction possible. */
export const G_ALB_MAX_DAYS = 30;
/** G-NEO [M, D]: growth in largest dimension that asks to exclude a neoplasm, percent. */
export const G_NEO_GROWTH_PERCENT = 20;
/** G-NEO [M, D]: a lesion first seen within this many months is "new". */
export const G_NEO_NEW_MONTHS = 6;

// ---- Physiological limits (§6 UNITS) ----------------------------------------------------------
/**
 * Values outside these limits (canonical units) are shown, noted "implausible-value" and left out
 * of every rule [C]: calcium 2-25 mg/dL (total and corrected), phosphate 0.5-20 mg/dL, PTH
 * 1-5,000 pg/mL, 25-OH-D 1-500 ng/mL, creatinine 0.1-30 mg/dL, eGFR 1-200, albumin 0.5-7 g/dL.
 */
export const PLAUSIBLE_LIMITS = {
  calcium: [2, 25],
  correctedCalcium: [2, 25],
  phosphate: [0.5, 20],
  pth: [1, 5000],
  vitaminD25: [1, 500],
  creatinine: [0.1, 30],
  egfr: [1, 200],
  albumin: [0.5, 7],
} as const;

// ---- Display ------------------------------------------------------------------------------------
/** Lab trend [D]: a change below this share of the earlier value is "stable". */
export const TREND_STABLE_FRACTION = 0.05;

/** Gap priorities [D]: lower is more urgent; the UI orders the checklist by them. */
export const GAP_PRIORITY = {
  "G-NEO": 1,
  "G-SPINE": 2,
  "G-CT": 3,
  "G-IMG-SITE": 4,
  "G-CA": 5,
  "G-PHOS": 5,
  "G-PTH": 5,
  "G-RENAL": 5,
  "G-VITD": 6,
  "G-ALB": 7,
  "G-AB": 8,
  "G-SCREEN": 9,
} as const;
