import type {
  Attachment,
  Bundle,
  CodeableConcept,
  Coding,
  Condition,
  DiagnosticReport,
  ImagingStudy,
  Observation,
  ObservationReferenceRange,
  Patient,
  Quantity,
  Resource,
} from "fhir/r4";
import type { LabTest } from "./labCatalogue";

export { LAB, type LabTest } from "./labCatalogue";

/**
 * Small builders for the demo patients. They exist so that the generated patients (large.ts,
 * xss-strings.ts) use exactly the same shapes and codings as the hand-checked JSON ones, and so a
 * resource reads as its clinical content rather than as FHIR boilerplate.
 *
 * Displays are given only where the code's display is well known; otherwise `text` carries the
 * human label (a wrong display is worse than none).
 */

export const SCT = "http://snomed.info/sct";
export const ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm";
export const LOINC = "http://loinc.org";
export const UCUM = "http://unitsofmeasure.org";
export const DCM = "http://dicom.nema.org/resources/ontology/DCM";
const CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical";
const CONDITION_VER = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
const CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category";
const OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
const OBS_INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
const V2_0074 = "http://terminology.hl7.org/CodeSystem/v2-0074";

export const patientRef = (patientId: string) => ({ reference: `Patient/${patientId}` });

export function coding(system: string, code: string, display?: string): Coding {
  return display ? { system, code, display } : { system, code };
}

export const LEFT = coding(SCT, "7771000", "Left");
export const RIGHT = coding(SCT, "24028007", "Right");

export const DIFFUSE_SSC: CodeableConcept = {
  coding: [coding(SCT, "128460000", "Diffuse systemic sclerosis"), coding(ICD10CM, "M34.0", "Progressive systemic sclerosis")],
  text: "Diffuse cutaneous systemic sclerosis",
};
export const DIGITAL_ULCERS: CodeableConcept = {
  coding: [coding(ICD10CM, "L98.491", "Non-pressure chronic ulcer of skin of other sites limited to breakdown of skin")],
  text: "Recurrent digital ulcers",
};

// ---------------------------------------------------------------- Patient

export interface PatientSpec {
  id: string;
  given: string[];
  family: string;
  gender: Patient["gender"];
  birthDate: string;
  city?: string;
  country?: string;
}

/** A stable 8-digit medical record number derived from the id (ids say too much to be MRNs). */
export function mrn(id: string): string {
  let h = 0x811c9dc5;
  for (const ch of id) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return String(10_000_000 + (h % 90_000_000));
}

export function patient(p: PatientSpec): Patient {
  return {
    resourceType: "Patient",
    id: p.id,
    // HTEST: these are demo records; any consumer that honours security labels can tell.
    meta: { tag: [coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", "HTEST", "test health data")] },
    identifier: [{ system: "urn:example:sandbox:mrn", value: mrn(p.id) }],
    active: true,
    name: [{ use: "official", text: `${p.given.join(" ")} ${p.family}`, family: p.family, given: p.given }],
    gender: p.gender,
    birthDate: p.birthDate,
    ...(p.city ? { address: [{ city: p.city, country: p.country }] } : {}),
  };
}

// ---------------------------------------------------------------- Condition

export interface ConditionSpec {
  id: string;
  patientId: string;
  code: CodeableConcept;
  clinicalStatus?: "active" | "recurrence" | "relapse" | "inactive" | "remission" | "resolved";
  verificationStatus?: "unconfirmed" | "provisional" | "differential" | "confirmed" | "refuted" | "entered-in-error";
  category?: "problem-list-item" | "encounter-diagnosis";
  onsetDateTime?: string;
  recordedDate?: string;
  bodySite?: CodeableConcept[];
  note?: string[];
}

export function condition(c: ConditionSpec): Condition {
  const category = c.category ?? "problem-list-item";
  return {
    resourceType: "Condition",
    id: c.id,
    clinicalStatus: { coding: [coding(CONDITION_CLINICAL, c.clinicalStatus ?? "active")] },
    verificationStatus: { coding: [coding(CONDITION_VER, c.verificationStatus ?? "confirmed")] },
    category: [
      {
        coding: [coding(CONDITION_CATEGORY, category, category === "problem-list-item" ? "Problem List Item" : "Encounter Diagnosis")],
      },
    ],
    code: c.code,
    ...(c.bodySite ? { bodySite: c.bodySite } : {}),
    subject: patientRef(c.patientId),
    ...(c.onsetDateTime ? { onsetDateTime: c.onsetDateTime } : {}),
    ...(c.recordedDate ? { recordedDate: c.recordedDate } : {}),
    ...(c.note ? { note: c.note.map((text) => ({ text })) } : {}),
  };
}

// ---------------------------------------------------------------- Laboratory

export function quantity(value: number, ucum: string, unit: string): Quantity {
  return { value, unit, system: UCUM, code: ucum };
}

export function referenceRange(t: LabTest): ObservationReferenceRange[] | undefined {
  if (t.low === undefined && t.high === undefined) return undefined;
  return [
    {
      ...(t.low !== undefined ? { low: quantity(t.low, t.ucum, t.unit) } : {}),
      ...(t.high !== undefined ? { high: quantity(t.high, t.ucum, t.unit) } : {}),
      ...(t.rangeText ? { text: t.rangeText } : {}),
    },
  ];
}

export function labCode(t: LabTest): CodeableConcept {
  return { coding: [coding(LOINC, t.loinc, t.display)], text: t.text };
}

/** H/L as the laboratory information system would set it from its own range. */
function interpretationOf(t: LabTest, value: number): CodeableConcept[] | undefined {
  if (t.high !== undefined && value > t.high) return [{ coding: [coding(OBS_INTERPRETATION, "H", "High")] }];
  if (t.low !== undefined && value < t.low) return [{ coding: [coding(OBS_INTERPRETATION, "L", "Low")] }];
  return undefined;
}

export const LAB_CATEGORY: CodeableConcept[] = [{ coding: [coding(OBS_CATEGORY, "laboratory", "Laboratory")] }];
export const EXAM_CATEGORY: CodeableConcept[] = [{ coding: [coding(OBS_CATEGORY, "exam", "Exam")] }];

export interface LabSpec {
  id: string;
  patientId: string;
  test: LabTest;
  /** Omitted together with `absent` for a result with a dataAbsentReason. */
  value?: number;
  comparator?: Quantity["comparator"];
  effective: string;
  issued?: string;
  status?: Observation["status"];
  absent?: { code: string; display: string; text?: string };
  note?: string;
  /** Override of the printed unit (the UCUM code stays the catalogue's). */
  unitText?: string;
}

export function lab(s: LabSpec): Observation {
  const t = s.test;
  const obs: Observation = {
    resourceType: "Observation",
    id: s.id,
    status: s.status ?? "final",
    category: LAB_CATEGORY,
    code: labCode(t),
    subject: patientRef(s.patientId),
    effectiveDateTime: s.effective,
    ...(s.issued ? { issued: s.issued } : {}),
  };
  if (s.value !== undefined) {
    obs.valueQuantity = {
      ...(s.comparator ? { comparator: s.comparator } : {}),
      ...quantity(s.value, t.ucum, s.unitText ?? t.unit),
    };
    // A bounded value (">90") is not flagged: the lab's own rule, and the value is in range anyway.
    const interpretation = s.comparator ? undefined : interpretationOf(t, s.value);
    if (interpretation) obs.interpretation = interpretation;
  } else if (s.absent) {
    obs.dataAbsentReason = {
      coding: [coding("http://terminology.hl7.org/CodeSystem/data-absent-reason", s.absent.code, s.absent.display)],
      ...(s.absent.text ? { text: s.absent.text } : {}),
    };
  }
  const range = referenceRange(t);
  if (range) obs.referenceRange = range;
  if (s.note) obs.note = [{ text: s.note }];
  return obs;
}

/** A qualitative antibody result as most immunology labs send it. */
export function antibody(s: {
  id: string;
  patientId: string;
  code: CodeableConcept;
  positive: boolean;
  effective: string;
  method?: string;
}): Observation {
  return {
    resourceType: "Observation",
    id: s.id,
    status: "final",
    category: LAB_CATEGORY,
    code: s.code,
    subject: patientRef(s.patientId),
    effectiveDateTime: s.effective,
    valueCodeableConcept: {
      coding: [s.positive ? coding(SCT, "10828004", "Positive") : coding(SCT, "260385009", "Negative")],
      text: s.positive ? "Positive" : "Negative",
    },
    interpretation: [
      { coding: [s.positive ? coding(OBS_INTERPRETATION, "POS", "Positive") : coding(OBS_INTERPRETATION, "NEG", "Negative")] },
    ],
    ...(s.method ? { method: { text: s.method } } : {}),
  };
}

// ---------------------------------------------------------------- Imaging

/**
 * A DICOM UID under the 2.25 root, derived from the resource id so it is stable across runs.
 * (Not a real UUID-derived value; only the syntax matters to the app.)
 */
export function dicomUid(seed: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  let digits = "";
  for (let round = 0; digits.length < 36; round++) {
    for (const ch of `${seed}#${round}`) {
      h1 = Math.imul(h1 ^ ch.charCodeAt(0), 0x01000193) >>> 0;
      h2 = Math.imul(h2 ^ ch.charCodeAt(0), 0x5bd1e995) >>> 0;
    }
    digits += String(h1) + String(h2);
  }
  return `2.25.${digits.replace(/^0+/, "1").slice(0, 36)}`;
}

export const MODALITY = {
  CR: coding(DCM, "CR", "Computed Radiography"),
  DX: coding(DCM, "DX", "Digital Radiography"),
  CT: coding(DCM, "CT", "Computed Tomography"),
  MR: coding(DCM, "MR", "Magnetic Resonance"),
  US: coding(DCM, "US", "Ultrasound"),
} as const;

export interface StudySpec {
  id: string;
  patientId: string;
  modality: keyof typeof MODALITY;
  started: string;
  description: string;
  bodySite: Coding;
  laterality?: Coding;
  seriesDescription?: string;
  instances: number;
}

export function imagingStudy(s: StudySpec): ImagingStudy {
  return {
    resourceType: "ImagingStudy",
    id: s.id,
    identifier: [{ system: "urn:dicom:uid", value: `urn:oid:${dicomUid(s.id)}` }],
    status: "available",
    modality: [MODALITY[s.modality]],
    subject: patientRef(s.patientId),
    started: s.started,
    numberOfSeries: 1,
    numberOfInstances: s.instances,
    description: s.description,
    series: [
      {
        uid: dicomUid(`${s.id}/series/1`),
        number: 1,
        modality: MODALITY[s.modality],
        description: s.seriesDescription ?? s.description,
        numberOfInstances: s.instances,
        bodySite: s.bodySite,
        ...(s.laterality ? { laterality: s.laterality } : {}),
        started: s.started,
      },
    ],
  };
}

const RADIOLOGY_CATEGORY: CodeableConcept[] = [
  { coding: [coding(V2_0074, "RAD", "Radiology")] },
  { coding: [coding(LOINC, "LP29684-5", "Radiology")] },
];

export interface ReportSpec {
  id: string;
  patientId: string;
  /** The exam name, e.g. "MR Shoulder left". */
  title: string;
  effective: string;
  issued: string;
  study?: string;
  /** The lesion text, where radiology systems put it; or, without it, only in `presentedForm`. */
  conclusion?: string;
  presentedForm?: Attachment[];
  status?: DiagnosticReport["status"];
}

/** An imaging report: its text in `conclusion`, in attachments (`presentedForm`), or both. */
export function imagingReport(r: ReportSpec): DiagnosticReport {
  return {
    resourceType: "DiagnosticReport",
    id: r.id,
    status: r.status ?? "final",
    category: RADIOLOGY_CATEGORY,
    code: { coding: [coding(LOINC, "18748-4", "Diagnostic imaging study")], text: r.title },
    subject: patientRef(r.patientId),
    effectiveDateTime: r.effective,
    issued: r.issued,
    ...(r.study ? { imagingStudy: [{ reference: `ImagingStudy/${r.study}` }] } : {}),
    ...(r.conclusion !== undefined ? { conclusion: r.conclusion } : {}),
    ...(r.presentedForm ? { presentedForm: r.presentedForm } : {}),
  };
}

export function pathologyReport(r: Omit<ReportSpec, "study" | "presentedForm">): DiagnosticReport {
  return {
    resourceType: "DiagnosticReport",
    id: r.id,
    status: r.status ?? "final",
    category: [
      { coding: [coding(V2_0074, "PAT", "Pathology (gross & histopath, not surgical)")] },
      { coding: [coding(LOINC, "LP7839-6", "Pathology")] },
    ],
    code: { coding: [coding(LOINC, "11526-1", "Pathology study")], text: r.title },
    subject: patientRef(r.patientId),
    effectiveDateTime: r.effective,
    issued: r.issued,
    conclusion: r.conclusion,
  };
}

// ---------------------------------------------------------------- Bundle

export function collection(id: string, resources: Resource[]): Bundle<Resource> {
  return { resourceType: "Bundle", id, type: "collection", entry: resources.map((resource) => ({ resource })) };
}
