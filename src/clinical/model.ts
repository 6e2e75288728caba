/**
 * The engine's internal picture of one patient, built in one pass over the resources (extract/)
 * and read by the rules (rules/). Not exported from the package: the Assessment is the contract.
 */
import type { AntibodyKey } from "./codes";
import type { Day } from "./dates";
import type { Notes } from "./dataQuality";
import type { LabSeries } from "./labStore";
import type { SpineDetail } from "./text";
import type { LabKey, Laterality, Lesion, RecordRead, SiteGroup, UnavailableData } from "./types";

/** One lab result as a plain object: what `LabSeries.fact(i)` gives for a row a rule reports on. */
export interface LabFact {
  key: LabKey;
  ref: string;
  day: Day | null;
  /** The value as written (null when only a non-numeric text was given). */
  value: number | null;
  unit: string | null;
  comparator: "<" | "<=" | ">" | ">=" | undefined;
  /** Value in the canonical unit, or null when the unit cannot be converted. */
  canonical: number | null;
  /** Reference range bounds in the canonical unit. */
  refLow: number | undefined;
  refHigh: number | undefined;
  refText: string | undefined;
  /** First interpretation code (H, HH, L, LL, N, A, POS, NEG ...). */
  interp: string | null;
}

export type AntibodyResult = "positive" | "negative" | "unknown";

export interface AntibodyFact {
  key: AntibodyKey;
  ref: string;
  day: Day | null;
  result: AntibodyResult;
}

/** What a Condition says, as tags (see extract/conditions.ts for the codes and words of each). */
export type ConditionTag =
  | "ssc"
  | "ssc-diffuse"
  | "ssc-limited"
  | "pc-doc"
  | "calcinosis"
  | "digital-ulcer"
  | "pah"
  | "pulmonary-hypertension"
  | "raynaud-gangrene"
  | "digital-amputation"
  | "hand-osteolysis"
  | "ckd"
  | "ckd-stage4"
  | "ckd-stage5"
  | "hpt-primary"
  | "hpt-secondary"
  | "hpt"
  | "hypervitaminosis-d"
  | "sarcoidosis"
  | "pxe"
  | "dermatomyositis"
  | "malignancy"
  | "milk-alkali"
  | "hypercalcaemia"
  | "hyperphosphataemia"
  | "spinal-neuro"
  | "complication";

export interface ConditionFact {
  ref: string;
  /** Onset if known, else recorded date. */
  day: Day | null;
  onset: Day | null;
  recorded: Day | null;
  /** clinicalStatus not inactive/resolved (a missing status counts as present). */
  active: boolean;
  tags: Set<ConditionTag>;
  text: string;
  /** Site named by bodySite (or, failing that, the text), for lesions and complications. */
  site: { group: SiteGroup; side: Laterality; name?: string | null } | null;
  /** A complication named at limb level ("cellulitis of the right upper limb", L03.113): §6 RF-COMP. */
  limb?: { limb: "upper" | "lower"; side: Laterality } | null;
  /** Coded as calcinosis cutis (L94.2). */
  cutisCode?: boolean;
}

export interface ImagingFact {
  ref: string;
  day: Day | null;
  modalities: string[];
  siteGroups: SiteGroup[];
  /** Site and side of each series with a coded body site, or of the report's title. */
  sides: { group: SiteGroup; side: Laterality }[];
  /** The study's or report's name as written ("CT Thorax"), for the items that cite it. */
  name?: string;
  /** Body regions a CT or MRI covers beyond its site groups (§6 G-SPINE: thorax, abdomen, pelvis). */
  regions?: ("thorax" | "abdomen" | "pelvis")[];
}

/** One mention of a lesion (a report's sentence, a Condition, an Observation); rules/lesions.ts merges them into lesions. */
export interface LesionFact extends Lesion {
  day: Day | null;
  /** The source names tumoral/pseudotumoral calcinosis for this lesion (PC-DOC). */
  pcDoc: boolean;
  source: "Observation" | "Condition" | "DiagnosticReport" | "ImagingStudy" | "DocumentReference";
  /** The name people give the site ("elbow"), when the source names one. */
  siteName?: string | null;
  /** Ulceration, fistula or infection named with it (RF-COMP). */
  complication?: boolean;
  /** Skin, subcutis or fingertips (§6 CUTIS). */
  cutis?: boolean;
  /** Compartment and level of a spinal lesion. */
  spine?: SpineDetail | null;
}

export interface TextFact {
  ref: string;
  day: Day | null;
  text: string;
  source: "Observation" | "Condition" | "DiagnosticReport" | "ImagingStudy" | "DocumentReference" | "Procedure";
  /** The text only raises it ("cannot be excluded", "differential diagnosis includes"): §6 NEG. */
  hedged?: boolean;
}

export interface BiopsyFact {
  ref: string;
  day: Day | null;
  siteGroups: SiteGroup[];
}

/** A lab result left out of every rule because it is outside physiological limits (§6 UNITS). */
export interface ImplausibleFact {
  key: LabKey;
  ref: string;
}

export type { Scope } from "./scopes";
import type { Scope } from "./scopes";

export interface Facts {
  asOf: Day;
  patient: {
    id: string;
    ref: string | null;
    birthDate: Day | null;
    sex: string | null;
    found: boolean;
    /** Deceased (deceasedBoolean or deceasedDateTime), with the date of death when given. */
    deceased: { day: Day | null } | null;
  };
  conditions: ConditionFact[];
  /** Lab results by analyte, in (day, reference) order, stored by column (labStore.ts). */
  labs: Record<LabKey, LabSeries>;
  antibodies: AntibodyFact[];
  lesions: LesionFact[];
  imaging: ImagingFact[];
  /** PC-DOC sources: Conditions coded/named, report text naming it. */
  pcDoc: TextFact[];
  /** PC-CALC sources: calcinosis documented in a Condition or Observation. */
  calcinosis: TextFact[];
  /** PC-IMG sources: imaging text suggesting soft-tissue calcification. */
  imagingCalcification: TextFact[];
  /** RF-SPINE words or codes. */
  neuro: TextFact[];
  /** RF-COMP: complication named together with calcinosis. */
  complicationWithCalcinosis: TextFact[];
  biopsies: BiopsyFact[];
  /** Lab results outside physiological limits: shown, noted, left out of every rule. */
  implausible: ImplausibleFact[];
  /** Active medications of the S-DRUG list. */
  medications: MedicationFact[];
  /** Reports and notes whose text could not be read (attachments unreadable or not fetched). */
  unread: UnreadFact[];
  notes: Notes;
  unavailable: { scopes: Set<Scope>; entries: UnavailableData[] };
  /** Resources read (not skipped), per kind. */
  read: RecordRead;
}

/** A medication of the S-DRUG list, active as of the assessment date (or a recently stopped denosumab). */
export interface MedicationFact {
  ref: string;
  day: Day | null;
  /** The S-DRUG entry it matched ("calcitriol"). */
  drug: string;
  /** What it does to the calcium-phosphate axis, for the item's text. */
  effect: "raises" | "lowers" | "withdrawal";
  /** The medication as the record names it. */
  text: string;
}

export interface UnreadFact {
  ref: string;
  type: "DiagnosticReport" | "DocumentReference";
  /** An imaging or pathology report (its silence leaves calcinosis unproven, §6 STATUS), or another note. */
  report: boolean;
  /** Why each attachment was not read, in words. */
  reasons: string[];
  /** Not read yet: the caller is still reading it. */
  pending: boolean;
}
