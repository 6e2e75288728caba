import type { Bundle, CodeableConcept, Coding, Condition, Patient, Resource } from "fhir/r4";

/**
 * Small builders for the demo patients. They exist so that the generated patients (large.ts,
 * xss-strings.ts, doc-*.ts) use exactly the same shapes and codings as the hand-checked JSON ones, and
 * so a resource reads as its clinical content rather than as FHIR boilerplate. This file has the code
 * systems, Patient, Condition and Bundle; lab-builders.ts and imaging-builders.ts the rest.
 *
 * Displays are given only where the code's display is well known; otherwise `text` carries the
 * human label (a wrong display is worse than none).
 */

export const SCT = "http://snomed.info/sct";
export const ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm";
export const LOINC = "http://loinc.org";
export const UCUM = "http://unitsofmeasure.org";
const CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical";
const CONDITION_VER = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
const CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category";

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

// ---------------------------------------------------------------- Bundle

export function collection(id: string, resources: Resource[]): Bundle<Resource> {
  return { resourceType: "Bundle", id, type: "collection", entry: resources.map((resource) => ({ resource })) };
}
