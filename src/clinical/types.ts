/**
 * The Assessment: the one object the engine produces, the UI renders, the CLI prints and the
 * write-back cites. Field names follow design.md ("The command line"); fields may be added, never
 * renamed. Evidence is always a list of FHIR relative references ("Observation/123").
 */

export type AssessmentStatus = "not-applicable" | "indeterminate" | "no-evidence" | "possible" | "probable" | "documented";

export type SiteGroup = "hand-wrist" | "shoulder-elbow" | "hip-pelvis" | "spine" | "trunk" | "lower-limb" | "other";

export type Laterality = "right" | "left" | "bilateral" | null;

/** Rule ids of clinical-spec.md §3; the UI, JSON and write-back name rules by these. */
export type RuleId =
  | "E1"
  | "E2"
  | "PC-DOC"
  | "PC-SIZE"
  | "PC-CALC"
  | "PC-IMG"
  | "R-VASC"
  | "R-DUR"
  | "R-AGE"
  | "R-CALC"
  | "R-AB"
  | "S-CA"
  | "S-PHOS"
  | "S-PTH"
  | "S-VITD"
  | "S-CKD"
  | "S-CAXP"
  | "S-DX"
  | "S-DRUG"
  | "G-CA"
  | "G-PHOS"
  | "G-PTH"
  | "G-VITD"
  | "G-RENAL"
  | "G-ALB"
  | "G-AB"
  | "G-IMG-SITE"
  | "G-CT"
  | "G-SPINE"
  | "G-NEO"
  | "G-SCREEN"
  | "RF-SPINE"
  | "RF-COMP"
  | "RF-CANAL";

/** Source tags of clinical-spec.md: Z (Zanatta 2020), M (Galluzzo 2023), C (convention), D (our design choice). */
export type SourceTag = "Z" | "M" | "C" | "D";

export interface RuleItem {
  ruleId: RuleId;
  /** Short human sentence, safe to show and to write into a note. */
  text: string;
  /** FHIR relative references the item rests on. */
  evidence: string[];
  /** Source tags of the rule (clinical-spec.md). */
  sources?: SourceTag[];
  /** Optional extra detail (e.g. "consider primary hyperparathyroidism", severity tier). */
  detail?: string;
  /** The lesion the item is about (Lesion.id), for per-lesion findings, issues and notes. */
  lesionId?: string;
}

/** A workup gap names what is missing; evidence is optional (e.g. the lesion it concerns). */
export interface GapItem {
  ruleId: RuleId;
  text: string;
  evidence?: string[];
  sources?: SourceTag[];
  /** Lower number = more urgent; the UI orders the checklist by it. */
  priority?: number;
  /** ISO date since when the item has been missing/outdated, when known (e.g. last result date). */
  lastSeen?: string | null;
  /** The lesion the gap is about (Lesion.id), for per-lesion gaps (G-IMG-SITE, G-CT, G-NEO). */
  lesionId?: string;
}

export interface Lesion {
  /** Stable within an assessment: "<siteGroup>|<laterality>" (§6 LESION: one lesion per site group and side). */
  id?: string;
  siteGroup: SiteGroup;
  laterality: Laterality;
  /** How people name the site: "left shoulder/elbow", "spine, left paravertebral" (§6 TEXT). */
  siteLabel?: string;
  /** Largest dimension of the latest measurement in cm, or null when calcinosis is documented without a size. */
  maxDimensionCm: number | null;
  /** Largest dimension ever measured, cm (§6 LESION). */
  peakDimensionCm?: number | null;
  /** The dimensions of the latest measurement, in cm, as written. */
  dimensionsCm?: number[];
  /** Date of the latest measurement (or mention). */
  date: string | null;
  /** Date of the earliest mention. */
  firstSeen?: string | null;
  /** Every resource the lesion rests on. */
  evidence: string[];
  /** The sentence of the latest measurement, when it came from text. */
  sourceText?: string;
  /** Imaging modality (DICOM code) of the latest measurement, when known. */
  modality?: string | null;
  /** Every dated or sized mention, oldest first (§6 LESION: the measurement history). */
  measurements?: LesionMeasurement[];
}

export interface LesionMeasurement {
  date: string | null;
  maxDimensionCm: number | null;
  dimensionsCm: number[];
  modality: string | null;
  sourceText?: string;
  evidence: string[];
}

export interface LesionGrowth {
  siteGroup: SiteGroup;
  laterality: Laterality;
  fromCm: number;
  toCm: number;
  fromDate: string;
  toDate: string;
  percent: number;
  evidence: string[];
  /** The two measurements were made with different modalities (§6 GROWTH: labelled as such). */
  crossModality?: boolean;
  /** The lesion's id (Lesion.id). */
  lesionId?: string;
}

export type LabKey =
  "calcium" | "ionizedCalcium" | "correctedCalcium" | "albumin" | "phosphate" | "pth" | "vitaminD25" | "creatinine" | "egfr" | "boneAlp";

export interface Quantity {
  value: number;
  unit: string;
  /** "<" | "<=" | ">" | ">=" when the value is a bound, not an exact result. */
  comparator?: string;
}

export interface LabResult {
  value: number | null;
  unit: string | null;
  comparator?: string;
  date: string | null;
  /** The value in the canonical unit of clinical-spec.md §4, or null when the unit cannot be converted. */
  normalized: Quantity | null;
  /** Reference range from the result itself, normalised, when present. */
  referenceRange?: { low?: number; high?: number; unit: string; text?: string } | null;
  /** Interpretation code (H, L, N, HH, LL, A) when the result carries one. */
  interpretation?: string | null;
  evidence: string;
}

export interface LabSummary {
  count: number;
  latest: LabResult | null;
  /** Every usable result, oldest first (for trends). */
  history?: LabResult[];
  /** "rising" | "falling" | "stable" between the last two normalised results, or null. */
  trend?: "rising" | "falling" | "stable" | null;
}

export interface DataQualityNote {
  code: string;
  text: string;
  evidence: string[];
}

export interface Assessment {
  ruleset: { id: "pc-ssc"; version: string };
  asOf: string;
  patient: { id: string; ageYears: number | null; sex: string | null };
  status: AssessmentStatus;
  ssc: {
    present: boolean;
    subset: "diffuse" | "limited" | "unspecified" | null;
    durationYears: number | null;
    /** E2: the earliest SSc onset (or recorded date) the duration counts from. */
    onsetDate?: string | null;
    evidence?: string[];
  };
  lesions: Lesion[];
  siteGroups?: SiteGroup[];
  multiSite?: boolean;
  /** §6 SIDE: the text says bilateral/both/symmetric(al) or names a paired site in the plural, or one site group has a left and a right lesion. */
  bilateral?: boolean;
  /** Lesions on both sides of the body, bilateral ones included (a left elbow and a right hip: both sides, not bilateral). */
  bothSides?: boolean;
  growth?: LesionGrowth[];
  findings: RuleItem[];
  riskFeatures: RuleItem[];
  secondaryCauses: RuleItem[];
  workupGaps: GapItem[];
  redFlags: RuleItem[];
  labs: Partial<Record<LabKey, LabSummary>>;
  dataQuality: DataQualityNote[];
  /** Rules that could not be evaluated because a resource type could not be loaded. */
  notEvaluated?: { ruleId: RuleId; reason: string }[];
  /** One sentence: why this status (the headline's reason, the note's and the summary's). */
  statusReason: string;
  /** How much of the record was read: the basis of a "nothing found" (never a bare absence). */
  read: RecordRead;
  /**
   * Data the engine was told it does not have (a search that failed, was cut short or is still
   * loading; an attachment that could not be read), each once, with the rules it leaves unevaluated.
   */
  missingData: MissingData[];
}

export interface RecordRead {
  conditions: number;
  /** Observations: lab results, antibodies, lesion findings. */
  results: number;
  /** Imaging and pathology reports (DiagnosticReport) whose text was read. */
  reports: number;
  imagingStudies: number;
  /** Clinical notes (DocumentReference) whose text was read. */
  documents: number;
  /** Reports and notes with an attachment but no text that could be read (listed under data quality). */
  notRead: number;
}

export interface MissingData {
  resourceType: UnavailableData["resourceType"];
  group?: string;
  /** The data scopes it leaves out: resource types, or "Observation:<group>" (see RULE_NEEDS). */
  scopes: string[];
  /** For people: "Conditions (diagnoses)", "Labs: calcium and phosphate". */
  label: string;
  reason: UnavailableData["reason"];
  /** What the loader said (HTTP status, truncation), safe to show. */
  message?: string;
  /** Rules not evaluated (or not claimed) because of it. */
  rules: RuleId[];
  /** Lab analytes whose results it holds, when it is an Observation group. */
  labs?: LabKey[];
}

/** What the loader tells the engine about resource types it could not (fully) load. */
export interface UnavailableData {
  resourceType:
    "Patient" | "Observation" | "Condition" | "ImagingStudy" | "DiagnosticReport" | "DocumentReference" | "Procedure" | "MedicationRequest";
  /**
   * "failed": nothing usable; "truncated": a page cap or a loop stopped the search early, or it
   * failed after some pages; "pending": still loading (the assessment is provisional);
   * "unreadable": loaded, but its text could not be read (a scanned report, an unknown format).
   */
  reason: "failed" | "truncated" | "pending" | "unreadable";
  /** Optional narrower scope, e.g. an Observation analyte group. */
  group?: string;
  /** For people: what the search loads ("Imaging and pathology reports"). */
  label?: string;
  message?: string;
}

export interface AssessOptions {
  /** ISO date (YYYY-MM-DD) the assessment is made as of; lookbacks count back from it. */
  asOf: string;
  /** The patient the assessment is for; resources of other patients are ignored. */
  patientId?: string;
  unavailable?: UnavailableData[];
  /**
   * The text of report and note attachments, read by the caller (the app's loader, the CLI) with
   * src/documents, by AttachmentSlot key (attachments.ts). An attachment without an entry was not
   * read: the engine lists it, and never takes its silence for "nothing found".
   */
  attachments?: readonly AttachmentText[];
  /** Attachments are still being read: one without an entry is pending, not "not loaded". */
  attachmentsPending?: boolean;
}

export interface AttachmentText {
  /** AttachmentSlot.key: "DocumentReference/d1#content/0". */
  key: string;
  outcome:
    | { ok: true; text: string; format: string; unreadPages?: number[] }
    | { ok: false; reason: "unsupported-type" | "no-text-layer" | "unreadable" | "too-large" | "not-fetched"; message: string };
}
