/**
 * Small FHIR R4 builders for the engine's tests: each returns one resource of patient "p1" with
 * only the fields a rule reads, so a test shows exactly what makes a rule fire.
 */
import type { Resource } from "fhir/r4";
import { assess } from "../../../src/clinical";
import type { AssessOptions, Assessment } from "../../../src/clinical/types";

export const PID = "p1";
export const AS_OF = "2026-11-21";
export const SCT = "http://snomed.info/sct";
export const ICD = "http://hl7.org/fhir/sid/icd-10-cm";
export const ICD_WHO = "http://hl7.org/fhir/sid/icd-10";
export const LOINC = "http://loinc.org";
export const UCUM = "http://unitsofmeasure.org";

let seq = 0;
const nextId = (prefix: string) => `${prefix}-${++seq}`;
const subject = { reference: `Patient/${PID}` };

type Json = Record<string, unknown>;
const r = (x: Json) => x as unknown as Resource;

export function patient(extra: Json = {}): Resource {
  return r({ resourceType: "Patient", id: PID, gender: "female", birthDate: "1970-05-01", ...extra });
}

export interface CodeInput {
  system?: string;
  code?: string;
  text?: string;
}

export function concept(c: CodeInput | CodeInput[]): Json {
  const list = Array.isArray(c) ? c : [c];
  const coding = list.filter((x) => x.code).map((x) => ({ system: x.system, code: x.code }));
  const text = list.map((x) => x.text).find(Boolean);
  return { ...(coding.length ? { coding } : {}), ...(text ? { text } : {}) };
}

export function condition(code: CodeInput | CodeInput[], extra: Json = {}): Resource {
  return r({ resourceType: "Condition", id: nextId("cond"), subject, code: concept(code), ...extra });
}

/** An SSc diagnosis (SNOMED 89155008 unless another code is given), onset 2010-06-01. */
export function ssc(code: CodeInput | CodeInput[] = { system: SCT, code: "89155008" }, extra: Json = {}): Resource {
  return condition(code, { onsetDateTime: "2010-06-01", ...extra });
}

export function lab(loinc: string, value: number | null, unit: string | null, date = "2026-10-01", extra: Json = {}): Resource {
  const obs: Json = {
    resourceType: "Observation",
    id: nextId("obs"),
    status: "final",
    subject,
    code: { coding: [{ system: LOINC, code: loinc }] },
    effectiveDateTime: date,
  };
  if (value !== null) obs.valueQuantity = unit === null ? { value } : { value, unit, system: UCUM, code: unit };
  return r({ ...obs, ...extra });
}

export function labWithRange(
  loinc: string,
  value: number,
  unit: string,
  low: number | null,
  high: number | null,
  date = "2026-10-01",
): Resource {
  const range: Json = {};
  if (low !== null) range.low = { value: low, unit, system: UCUM, code: unit };
  if (high !== null) range.high = { value: high, unit, system: UCUM, code: unit };
  return lab(loinc, value, unit, date, { referenceRange: [range] });
}

export function antibody(loinc: string, positive: boolean, date = "2015-01-10", extra: Json = {}): Resource {
  return r({
    resourceType: "Observation",
    id: nextId("ab"),
    status: "final",
    subject,
    code: { coding: [{ system: LOINC, code: loinc }] },
    effectiveDateTime: date,
    valueCodeableConcept: {
      coding: [{ system: SCT, code: positive ? "10828004" : "260385009" }],
      text: positive ? "Positive" : "Negative",
    },
    ...extra,
  });
}

/** An imaging report (DiagnosticReport) with a conclusion; modality from its name ("XR Shoulder left"). */
export function report(name: string, conclusion: string, date = "2026-10-01", extra: Json = {}): Resource {
  return r({
    resourceType: "DiagnosticReport",
    id: nextId("dr"),
    status: "final",
    subject,
    category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/v2-0074", code: "RAD" }] }],
    code: { text: name },
    effectiveDateTime: date,
    conclusion,
    ...extra,
  });
}

export function study(modality: string, bodySite: CodeInput | null, date = "2026-10-01", extra: Json = {}): Resource {
  return r({
    resourceType: "ImagingStudy",
    id: nextId("img"),
    status: "available",
    subject,
    started: date,
    modality: [{ system: "http://dicom.nema.org/resources/ontology/DCM", code: modality }],
    series: [
      {
        uid: "1.2",
        modality: { system: "http://dicom.nema.org/resources/ontology/DCM", code: modality },
        ...(bodySite ? { bodySite: { system: bodySite.system ?? SCT, code: bodySite.code, display: bodySite.text } } : {}),
      },
    ],
    ...extra,
  });
}

export function pathology(conclusion: string, date = "2026-10-15"): Resource {
  return r({
    resourceType: "DiagnosticReport",
    id: nextId("path"),
    status: "final",
    subject,
    category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/v2-0074", code: "SP" }] }],
    code: { coding: [{ system: LOINC, code: "11526-1" }], text: "Pathology study" },
    effectiveDateTime: date,
    conclusion,
  });
}

/** A calcinosis Observation with a body site and a size (value in cm/mm, or dimension components). */
export function lesionObs(
  site: CodeInput,
  size: { value?: number; unit?: string; components?: [string, number, string][] },
  date = "2026-10-01",
  extra: Json = {},
): Resource {
  const obs: Json = {
    resourceType: "Observation",
    id: nextId("les"),
    status: "final",
    subject,
    code: { coding: [{ system: SCT, code: "6595006" }], text: "Calcinosis" },
    bodySite: concept(site),
    effectiveDateTime: date,
  };
  if (size.value !== undefined) obs.valueQuantity = { value: size.value, unit: size.unit, system: UCUM, code: size.unit };
  if (size.components) {
    obs.component = size.components.map(([code, value, unit]) => ({
      code: { coding: [{ system: SCT, code }] },
      valueQuantity: { value, unit, system: UCUM, code: unit },
    }));
  }
  return r({ ...obs, ...extra });
}

export function run(resources: Resource[], options: Partial<AssessOptions> = {}): Assessment {
  return assess([patient(), ...resources], { asOf: AS_OF, patientId: PID, ...options });
}

/** Same, without the default Patient (the test brings its own or none). */
export function runRaw(resources: Resource[], options: Partial<AssessOptions> = {}): Assessment {
  return assess(resources, { asOf: AS_OF, patientId: PID, ...options });
}

export const ids = (items: { ruleId: string }[]) => items.map((i) => i.ruleId);
export const allIds = (a: Assessment) => [
  ...ids(a.findings),
  ...ids(a.riskFeatures),
  ...ids(a.secondaryCauses),
  ...ids(a.workupGaps),
  ...ids(a.redFlags),
];
export const refOf = (res: Resource) => `${res.resourceType}/${res.id}`;
