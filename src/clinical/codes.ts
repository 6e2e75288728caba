/**
 * Code lists of clinical-spec.md §4, in one place. The loader imports OBSERVATION_CODE_GROUPS to
 * build its Observation searches; the extractors import the value sets. Codes marked † in the spec
 * are matched by code and, in the extractors, also by text.
 */
import type { LabKey } from "./types";

import { Memo } from "./memo";
import { ICD10_SYSTEM_PREFIX, SYSTEM, canonicalSystem, isSnomed } from "./systems";

export * from "./systems";

/**
 * A value set over SNOMED CT and ICD-10. ICD-10 codes are written without the dot
 * ("M34.1" -> "M341"); `icd10Prefix` matches every code below a category (the spec's "x" and "*").
 */
export interface ValueSet {
  snomed?: readonly string[];
  icd10?: readonly string[];
  icd10Prefix?: readonly string[];
  /** ICD-10 3-character category ranges, inclusive, e.g. ["C00", "C96"]. */
  icd10Range?: readonly (readonly [string, string])[];
}

// ---- SSc (E1) ---------------------------------------------------------------------------------
export const SSC: ValueSet = {
  snomed: [
    "89155008",
    "128460000",
    "299276009",
    "298285004",
    "31848007",
    "62382002",
    "128461001",
    "444133002",
    "196133001",
    "193252005",
    "236503001",
  ],
  // ICD-10-CM M34.0, .1, .2, .81, .82, .83, .89, .9 and WHO ICD-10 M34.0-M34.9: all under M34.
  icd10Prefix: ["M34"],
};
export const SSC_DIFFUSE: ValueSet = { snomed: ["128460000"] };
export const SSC_LIMITED: ValueSet = { snomed: ["299276009", "298285004", "31848007", "62382002"], icd10: ["M341"] };
/** Morphea / localised scleroderma: not SSc (E1). */
export const LOCALISED_SCLERODERMA: ValueSet = { icd10: ["L940", "L941"] };

// ---- Calcinosis (PC-DOC, PC-CALC, PC-IMG) -----------------------------------------------------
/** † 61778004: also matched by text. */
export const TUMORAL_CALCINOSIS: ValueSet = { snomed: ["61778004"] };
/** Calcinosis without a size (PC-CALC): † 6595006, 129750001, L94.2, M61.4x. */
export const CALCINOSIS: ValueSet = { snomed: ["6595006", "129750001"], icd10: ["L942"], icd10Prefix: ["M614"] };
/** Radiographic calcification finding: an imaging finding (PC-IMG). */
export const RADIOGRAPHIC_CALCIFICATION: ValueSet = { snomed: ["129748009"] };
/** E83.59 counts only together with calcinosis text. */
export const CALCIUM_METABOLISM_OTHER: ValueSet = { icd10: ["E8359"] };

// ---- Risk context (R-VASC) --------------------------------------------------------------------
export const DIGITAL_ULCER: ValueSet = { icd10Prefix: ["L9849", "L98A3"] };
export const PAH: ValueSet = { snomed: ["11399002", "697903007"], icd10: ["I270", "I2720", "I2721"] };
export const PULMONARY_HYPERTENSION: ValueSet = { snomed: ["70995007"] };
export const RAYNAUD_GANGRENE: ValueSet = { icd10: ["I7301"] };
export const DIGITAL_AMPUTATION: ValueSet = { icd10Prefix: ["Z8901", "Z8902"] };
export const HAND_OSTEOLYSIS: ValueSet = { icd10Prefix: ["M8954"] };

// ---- Secondary causes (S-CKD, S-DX, S-CA, S-PHOS) ---------------------------------------------
export const CKD: ValueSet = { snomed: ["709044004", "431855005", "431856006", "433144002"], icd10Prefix: ["N18"] };
/** CKD stage 4 (eGFR 15-29): tier < 30. */
export const CKD_STAGE4: ValueSet = { snomed: ["431857002"], icd10: ["N184"] };
/** CKD stage 5, ESRD, dialysis: tier < 15. */
export const CKD_STAGE5: ValueSet = {
  snomed: ["433146000", "46177005", "236435004", "105502003"],
  icd10: ["N185", "N186", "Z992"],
  icd10Prefix: ["Z49"],
};
export const HPT_PRIMARY: ValueSet = { snomed: ["36348003"], icd10: ["E210"] };
export const HPT_SECONDARY: ValueSet = { snomed: ["91478007", "19034001", "47445009"], icd10: ["E211", "N2581"] };
export const HYPERVITAMINOSIS_D: ValueSet = { icd10: ["E673"] };
export const SARCOIDOSIS: ValueSet = { snomed: ["31541009"], icd10Prefix: ["D86"] };
export const PXE: ValueSet = { icd10: ["Q828", "E83824"] };
export const DERMATOMYOSITIS: ValueSet = { snomed: ["396230008"], icd10Prefix: ["M33"] };
export const MALIGNANCY: ValueSet = { snomed: ["363346000"], icd10Range: [["C00", "C96"]] };
export const HYPERCALCAEMIA: ValueSet = { icd10: ["E8352"] };
export const HYPERPHOSPHATAEMIA: ValueSet = { icd10: ["E8339"] };

// ---- Red flags (RF-SPINE, RF-COMP) ------------------------------------------------------------
export const SPINAL_NEURO: ValueSet = { icd10: ["G834"], icd10Prefix: ["M541", "G952", "M471", "M995"] };
export const LESION_COMPLICATION: ValueSet = { icd10Prefix: ["L984", "L08", "M86", "L03"] };

// ---- Biopsy / histology (G-NEO) ----------------------------------------------------------------
/** SNOMED biopsy procedure; LOINC pathology report codes (our choice, D); v2-0074 SP/CP/PAT. */
export const BIOPSY_SNOMED = ["86273004"] as const;
export const PATHOLOGY_REPORT_LOINC = ["11526-1", "60567-5", "22637-3"] as const;
export const PATHOLOGY_CATEGORIES = ["SP", "CP", "PAT"] as const;
export const RADIOLOGY_CATEGORIES = ["RAD", "IMG", "LP29684-5"] as const;

/**
 * S-DRUG (§6, context only): medications that raise calcium, phosphate or vitamin D or change PTH,
 * and those that lower or mask them. Matched by RxNorm ingredient where the code is certain, and by
 * text always (like the † codes of §4). Vitamin D counts only at a high dose (`highDoseOnly`).
 */
export interface DrugEntry {
  name: string;
  words: RegExp;
  rxnorm: readonly string[];
  effect: "raises" | "lowers";
  highDoseOnly?: boolean;
}

export const S_DRUGS: readonly DrugEntry[] = [
  { name: "calcitriol", words: /\bcalcitriol\b/i, rxnorm: ["1894"], effect: "raises" },
  { name: "alfacalcidol", words: /\balfacalcidol\b/i, rxnorm: [], effect: "raises" },
  { name: "paricalcitol", words: /\bparicalcitol\b/i, rxnorm: [], effect: "raises" },
  {
    name: "cholecalciferol (high dose)",
    words: /\b(cholecalciferol|colecalciferol|vitamin d3)\b/i,
    rxnorm: ["2418"],
    effect: "raises",
    highDoseOnly: true,
  },
  { name: "ergocalciferol (high dose)", words: /\b(ergocalciferol|vitamin d2)\b/i, rxnorm: ["4018"], effect: "raises", highDoseOnly: true },
  { name: "calcium carbonate (milk-alkali)", words: /\bcalcium carbonate\b/i, rxnorm: ["1897"], effect: "raises" },
  {
    name: "thiazide diuretic",
    words: /\b(hydrochlorothiazide|chlorthalidone|chlortalidone|indapamide|bendroflumethiazide|metolazone)\b/i,
    rxnorm: ["5487", "2409"],
    effect: "raises",
  },
  { name: "lithium", words: /\blithium\b/i, rxnorm: [], effect: "raises" },
  { name: "teriparatide", words: /\bteriparatide\b/i, rxnorm: [], effect: "raises" },
  { name: "abaloparatide", words: /\babaloparatide\b/i, rxnorm: [], effect: "raises" },
  { name: "cinacalcet", words: /\bcinacalcet\b/i, rxnorm: [], effect: "lowers" },
  { name: "denosumab", words: /\bdenosumab\b/i, rxnorm: [], effect: "lowers" },
  {
    name: "phosphate binder",
    words: /\b(sevelamer|lanthanum|calcium acetate|sucroferric|ferric citrate)\b/i,
    rxnorm: [],
    effect: "lowers",
  },
];

/** Vitamin D at or above this many IU per day (or a weekly 50,000 IU) is a high dose (D). */
export const VITAMIN_D_HIGH_DOSE_IU_PER_DAY = 4000;

/** US Core Clinical Notes (DocumentReference.type, LOINC) the loader searches and the engine reads. */
export const DOCUMENT_LOINC = {
  imagingNarrative: "18748-4",
  pathology: "11526-1",
  consult: "11488-4",
  progress: "11506-3",
  historyAndPhysical: "34117-2",
  dischargeSummary: "18842-5",
  procedures: "28570-0",
} as const;

// ---- Labs (LOINC), §4 ---------------------------------------------------------------------------
export const LAB_LOINC: Record<LabKey, readonly string[]> = {
  calcium: ["17861-6", "49765-1", "2000-8"],
  ionizedCalcium: ["1994-3", "1995-0", "17864-0"],
  correctedCalcium: ["29265-6"],
  albumin: ["1751-7", "54347-0"],
  phosphate: ["2777-1", "14879-1"],
  pth: ["2731-8", "14866-8"],
  // Not 1990-1 (cholecalciferol).
  vitaminD25: ["62292-8", "1989-3", "35365-6", "14635-7"],
  creatinine: ["2160-0", "38483-4", "14682-9", "59826-8", "21232-4", "77140-2", "35203-9"],
  egfr: [
    "33914-3",
    "48642-3",
    "48643-1",
    "50044-7",
    "70969-1",
    "77147-7",
    "62238-1",
    "88293-6",
    "88294-4",
    "98979-8",
    "94677-2",
    "98980-6",
    "50210-4",
    "69405-9",
  ],
  boneAlp: ["17838-4"],
};

export const LAB_LABELS: Record<LabKey, string> = {
  calcium: "Calcium (total)",
  ionizedCalcium: "Calcium (ionised)",
  correctedCalcium: "Calcium (albumin-corrected)",
  albumin: "Albumin",
  phosphate: "Phosphate",
  pth: "PTH (intact)",
  vitaminD25: "25-OH vitamin D",
  creatinine: "Creatinine",
  egfr: "eGFR",
  boneAlp: "Bone alkaline phosphatase",
};

/** Every analyte, in the order of LAB_LABELS (the engine's order of lab series). */
export const LAB_KEYS = Object.keys(LAB_LABELS) as readonly LabKey[];

export type AntibodyKey = "scl70" | "centromere" | "rnaPol3" | "pmScl" | "ana";

export const ANTIBODY_LOINC: Record<AntibodyKey, readonly string[]> = {
  scl70: ["47322-3"],
  centromere: ["31290-0", "29966-9", "56734-7"],
  rnaPol3: ["79182-2"],
  pmScl: ["101221-0", "81732-0", "61120-2"],
  // ANA is named by G-AB but the spec lists no code: 8061-4 (presence, IF) and 5048-4 (titer, IF)
  // are our choice (D); ANA results are also recognised by text.
  ana: ["8061-4", "5048-4"],
};

export const ANTIBODY_LABELS: Record<AntibodyKey, string> = {
  scl70: "anti-topoisomerase I (Scl-70)",
  centromere: "anticentromere",
  rnaPol3: "anti-RNA polymerase III",
  pmScl: "anti-PM/Scl",
  ana: "antinuclear antibodies (ANA)",
};

/** Antibodies shown by R-AB (RNA polymerase III and ANA close G-AB but are not R-AB features). */
export const R_AB_ANTIBODIES: readonly AntibodyKey[] = ["scl70", "centromere", "pmScl"];

/** Lesion size codes for Observation components (§4). */
export const LESION_SIZE_SNOMED = ["103339001", "103340004", "81827009", "410668003"] as const;
/** Tumour size LOINC codes a lesion Observation may carry (our choice, D). */
export const LESION_SIZE_LOINC = ["21889-1", "33728-7"] as const;

export interface ObservationCodeGroup {
  /** Stable key; the loader uses it in SearchProgress keys and UnavailableData.group. */
  key: string;
  label: string;
  /** The lab keys the group covers (empty for non-lab groups). */
  labs: LabKey[];
  /** "system|code" tokens, ready for a `code=` search parameter. */
  codes: string[];
  /**
   * Groups whose results this one also holds (panels carry their analytes as components, which a
   * `code=` search of the analytes does not find): when it cannot be loaded, those are incomplete.
   */
  covers?: string[];
}

/**
 * Panels that report calcium, phosphate, albumin, creatinine or eGFR as components (§5: "values may
 * sit in component of a panel"). A `code=` search of an analyte does not match a component, and
 * `component-code` is not offered by every EHR, so the panels are searched by their own codes (D).
 */
export const PANEL_LOINC = [
  "24362-6", // Renal function 2000 panel - Serum or Plasma
  "24321-2", // Basic metabolic 2000 panel - Serum or Plasma
  "51990-0", // Basic metabolic panel - Blood
  "24323-8", // Comprehensive metabolic 2000 panel - Serum or Plasma
  "24325-3", // Hepatic function 2000 panel - Serum or Plasma (albumin)
] as const;

const loinc = (codes: readonly string[]) => codes.map((c) => `${SYSTEM.loinc}|${c}`);
const sct = (codes: readonly string[]) => codes.map((c) => `${SYSTEM.snomed}|${c}`);
const labGroup = (key: string, label: string, labs: LabKey[]): ObservationCodeGroup => ({
  key,
  label,
  labs,
  codes: loinc(labs.flatMap((k) => LAB_LOINC[k])),
});

/**
 * Observation searches, one per group, so that no paging chain is long (design.md, Loading).
 * Every code the engine reads from an Observation is in exactly one group.
 */
export const OBSERVATION_CODE_GROUPS: readonly ObservationCodeGroup[] = [
  labGroup("calcium-phosphate", "Labs: calcium and phosphate", ["calcium", "ionizedCalcium", "correctedCalcium", "phosphate"]),
  labGroup("albumin", "Labs: albumin", ["albumin"]),
  labGroup("pth-vitamin-d", "Labs: PTH, vitamin D and bone ALP", ["pth", "vitaminD25", "boneAlp"]),
  labGroup("kidney", "Labs: kidney function", ["creatinine", "egfr"]),
  {
    key: "antibodies",
    label: "SSc antibodies",
    labs: [],
    codes: loinc((Object.keys(ANTIBODY_LOINC) as AntibodyKey[]).flatMap((k) => ANTIBODY_LOINC[k])),
  },
  {
    key: "lesions",
    label: "Calcinosis findings and lesion sizes",
    labs: [],
    codes: [
      ...sct([...TUMORAL_CALCINOSIS.snomed!, ...CALCINOSIS.snomed!, ...RADIOGRAPHIC_CALCIFICATION.snomed!, ...LESION_SIZE_SNOMED]),
      ...loinc(LESION_SIZE_LOINC),
    ],
  },
  {
    key: "panels",
    label: "Labs: metabolic, renal and hepatic panels",
    labs: [],
    codes: loinc(PANEL_LOINC),
    covers: ["calcium-phosphate", "albumin", "kidney"],
  },
];

/** The group a lab key belongs to. */
export function groupOfLab(key: LabKey): string {
  for (const g of OBSERVATION_CODE_GROUPS) if (g.labs.includes(key)) return g.key;
  throw new Error(`lab ${key} has no group`);
}

// ---- Imaging and body sites: siteCodes.ts ---------------------------------------------------------
export * from "./siteCodes";

// ---- Matching -----------------------------------------------------------------------------------

/** ICD-10 code as written -> normalised (memo.ts): conditionTags asks once per value set. */
const ICD10_CODES = new Memo<string, string>(10_000);

export function normaliseIcd10(code: string): string {
  let c = ICD10_CODES.get(code);
  if (c === undefined) ICD10_CODES.set(code, (c = code.replace(/\./g, "").trim().toUpperCase()));
  return c;
}

export function isIcd10System(system: string | undefined): boolean {
  const s = canonicalSystem(system);
  return !!s && s.startsWith(ICD10_SYSTEM_PREFIX);
}

export function isLoincSystem(system: string | undefined): boolean {
  return canonicalSystem(system) === SYSTEM.loinc;
}

/** True when a coding (system, code) is in the value set. */
export function codingInSet(system: string | undefined, code: string | undefined, set: ValueSet): boolean {
  if (!code) return false;
  if (isSnomed(system)) return !!set.snomed && set.snomed.includes(code.trim());
  if (!isIcd10System(system)) return false;
  const c = normaliseIcd10(code);
  if (set.icd10 && set.icd10.includes(c)) return true;
  if (set.icd10Prefix) for (const p of set.icd10Prefix) if (c.startsWith(p)) return true;
  if (set.icd10Range) {
    const cat = c.slice(0, 3);
    for (const [lo, hi] of set.icd10Range) if (cat.length === 3 && cat >= lo && cat <= hi) return true;
  }
  return false;
}

/** Whether a coding's system is one the value sets speak (SNOMED CT, ICD-10). */
export function isRecognisedSystem(system: string | undefined): boolean {
  return isSnomed(system) || isIcd10System(system);
}
