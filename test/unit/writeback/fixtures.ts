import type { Assessment, MissingData, RuleId } from "../../../src/clinical/types";
import type { WriteContext } from "../../../src/writeback/types";

/**
 * Hand-made Assessments for the three Modena cases (clinical-spec.md §1), citing the resource ids
 * of the sandbox demo data (sandbox/data/modena-*.json). They stand in for `assess()` so the
 * write-back can be tested on its own; modena-engine.test.ts composes from the real engine output.
 */

export const APP_URL = "https://calcinosis-app.example.org";

export function context(patientId: string, overrides: Partial<WriteContext> = {}): WriteContext {
  return {
    patientId,
    fhirUser: "Practitioner/dr-rossi",
    encounterId: `${patientId}-enc-1`,
    appUrl: APP_URL,
    appVersion: "0.1.0",
    now: "2026-11-21T09:30:00Z",
    ...overrides,
  };
}

const ruleset = { id: "pc-ssc" as const, version: "1.1.0" };

/** Case 1: 81 F, limited SSc 14 y; left shoulder 12 × 11 cm named pseudotumoral calcinosis on MRI; right hip calcifications. */
export function modena1(): Assessment {
  return {
    ruleset,
    asOf: "2026-11-21",
    patient: { id: "modena-1", ageYears: 81, sex: "female" },
    status: "documented",
    ssc: { present: true, subset: "limited", durationYears: 14, evidence: ["Condition/modena-1-cond-ssc"] },
    lesions: [
      {
        siteGroup: "shoulder-elbow",
        laterality: "left",
        maxDimensionCm: 12,
        dimensionsCm: [12, 11],
        date: "2026-10-13T11:30:00+02:00",
        evidence: ["DiagnosticReport/modena-1-dr-mr-shoulder"],
        modality: "MR",
      },
      {
        siteGroup: "hip-pelvis",
        laterality: "right",
        maxDimensionCm: null,
        date: "2026-09-22T10:25:00+02:00",
        evidence: ["DiagnosticReport/modena-1-dr-xr-hip"],
        modality: "DX",
      },
    ],
    siteGroups: ["shoulder-elbow", "hip-pelvis"],
    multiSite: true,
    bilateral: true,
    findings: [
      {
        ruleId: "PC-DOC",
        text: "Pseudotumoral calcinosis is named in the MRI report of the left shoulder.",
        evidence: ["DiagnosticReport/modena-1-dr-mr-shoulder"],
        sources: ["M"],
      },
      {
        ruleId: "PC-SIZE",
        text: "Calcified mass of the left shoulder/elbow, largest dimension 12 cm (≥ 2 cm).",
        evidence: ["DiagnosticReport/modena-1-dr-mr-shoulder", "DiagnosticReport/modena-1-dr-xr-shoulder"],
        sources: ["Z", "M"],
      },
    ],
    riskFeatures: [
      {
        ruleId: "R-VASC",
        text: "Severe vascular phenotype: digital ulcers, pulmonary arterial hypertension.",
        evidence: ["Condition/modena-1-cond-du", "Condition/modena-1-cond-pah"],
      },
      { ruleId: "R-DUR", text: "SSc for 14 years (≥ 5).", evidence: ["Condition/modena-1-cond-ssc"] },
      { ruleId: "R-AGE", text: "Age 81 (≥ 48).", evidence: [] },
      { ruleId: "R-AB", text: "Anti-PM/Scl positive.", evidence: ["Observation/modena-1-obs-pmscl100"] },
    ],
    secondaryCauses: [],
    workupGaps: [
      { ruleId: "G-RENAL", text: "No creatinine or eGFR in the last 12 months.", priority: 2 },
      {
        ruleId: "G-ALB",
        text: "No albumin within 30 days of the calcium (last 2026-09-15): corrected calcium cannot be computed.",
        evidence: ["Observation/modena-1-obs-ca"],
        priority: 3,
      },
      {
        ruleId: "G-CT",
        text: "No CT of the shoulder/elbow in the last 24 months (extent, pre-operative planning).",
        evidence: ["DiagnosticReport/modena-1-dr-mr-shoulder"],
        priority: 4,
      },
      {
        ruleId: "G-SPINE",
        text: "Severe vascular phenotype and no spinal CT or MRI in the last 24 months: ask for a targeted spinal review.",
        priority: 1,
      },
    ],
    redFlags: [],
    labs: {
      calcium: {
        count: 1,
        latest: {
          value: 9.4,
          unit: "mg/dL",
          date: "2026-09-15T08:20:00+02:00",
          normalized: { value: 9.4, unit: "mg/dL" },
          evidence: "Observation/modena-1-obs-ca",
        },
      },
      phosphate: {
        count: 1,
        latest: {
          value: 3.6,
          unit: "mg/dL",
          date: "2026-09-15T08:20:00+02:00",
          normalized: { value: 3.6, unit: "mg/dL" },
          evidence: "Observation/modena-1-obs-phos",
        },
      },
      pth: {
        count: 1,
        latest: {
          value: 33.7,
          unit: "pg/mL",
          date: "2026-09-15T08:20:00+02:00",
          normalized: { value: 33.7, unit: "pg/mL" },
          evidence: "Observation/modena-1-obs-pth",
        },
      },
      vitaminD25: {
        count: 1,
        latest: {
          value: 31.5,
          unit: "ng/mL",
          date: "2026-09-15T08:20:00+02:00",
          normalized: { value: 31.5, unit: "ng/mL" },
          evidence: "Observation/modena-1-obs-vitd",
        },
      },
      boneAlp: {
        count: 1,
        latest: {
          value: 7.3,
          unit: "µg/L",
          date: "2026-09-15T08:20:00+02:00",
          normalized: { value: 7.3, unit: "ug/L" },
          evidence: "Observation/modena-1-obs-bap",
        },
      },
    },
    dataQuality: [],
    statusReason: "Pseudotumoral calcinosis is named or coded in 2 records.",
    read: { conditions: 6, results: 12, reports: 3, imagingStudies: 2, documents: 0, notRead: 0 },
    missingData: [],
  };
}

/** Case 2: 41 F, diffuse SSc 17 y; PC of the left elbow coded as a Condition; spinal masses; no Ca/P labs. */
export function modena2(): Assessment {
  return {
    ruleset,
    asOf: "2026-11-21",
    patient: { id: "modena-2", ageYears: 41, sex: "female" },
    status: "documented",
    ssc: { present: true, subset: "diffuse", durationYears: 17, evidence: ["Condition/modena-2-cond-ssc"] },
    lesions: [
      {
        siteGroup: "shoulder-elbow",
        laterality: "left",
        maxDimensionCm: 5.7,
        dimensionsCm: [2.8, 1.5, 5.7],
        date: "2026-05-28T15:00:00+02:00",
        evidence: ["DiagnosticReport/modena-2-dr-mr-elbow"],
        modality: "MR",
      },
      {
        siteGroup: "spine",
        laterality: null,
        maxDimensionCm: null,
        date: "2026-06-16T08:50:00+02:00",
        evidence: ["DiagnosticReport/modena-2-dr-ct-spine-review"],
        modality: "CT",
      },
    ],
    findings: [
      {
        ruleId: "PC-DOC",
        text: "Pseudotumoral calcinosis of the left elbow is on the problem list.",
        evidence: ["Condition/modena-2-cond-pc-elbow"],
      },
      {
        ruleId: "PC-SIZE",
        text: "Calcified masses of the left elbow, largest dimension 5.7 cm (≥ 2 cm).",
        evidence: ["DiagnosticReport/modena-2-dr-mr-elbow", "DiagnosticReport/modena-2-dr-xr-elbow"],
      },
    ],
    riskFeatures: [
      {
        ruleId: "R-VASC",
        text: "Severe vascular phenotype: recurrent digital ulcers, digital self-amputations.",
        evidence: ["Condition/modena-2-cond-du", "Condition/modena-2-cond-amput"],
      },
      { ruleId: "R-DUR", text: "SSc for 17 years (≥ 5).", evidence: ["Condition/modena-2-cond-ssc"] },
      { ruleId: "R-AB", text: "Anti-Scl-70 positive.", evidence: ["Observation/modena-2-obs-scl70"] },
    ],
    secondaryCauses: [],
    workupGaps: [
      { ruleId: "G-CA", text: "No serum calcium in the last 12 months.", priority: 1 },
      { ruleId: "G-PHOS", text: "No phosphate in the last 12 months.", priority: 1 },
      { ruleId: "G-PTH", text: "No PTH in the last 12 months.", priority: 2 },
      { ruleId: "G-VITD", text: "No 25-hydroxyvitamin D in the last 12 months.", priority: 2 },
      { ruleId: "G-RENAL", text: "No creatinine or eGFR in the last 12 months.", priority: 2 },
      {
        ruleId: "G-CT",
        text: "No CT of the shoulder/elbow in the last 24 months (extent, pre-operative planning).",
        evidence: ["DiagnosticReport/modena-2-dr-mr-elbow"],
        priority: 4,
      },
    ],
    redFlags: [],
    labs: {},
    dataQuality: [],
    statusReason: "Pseudotumoral calcinosis is named or coded in 1 record.",
    read: { conditions: 6, results: 12, reports: 3, imagingStudies: 2, documents: 0, notRead: 0 },
    missingData: [],
  };
}

/** Case 3: 54 F, diffuse SSc 12 y; right dorsal mass 8.8 → 10 cm; PTH 86.5 pg/mL flagged. */
export function modena3(): Assessment {
  return {
    ruleset,
    asOf: "2026-11-21",
    patient: { id: "modena-3", ageYears: 54, sex: "female" },
    status: "probable",
    ssc: { present: true, subset: "diffuse", durationYears: 12, evidence: ["Condition/modena-3-cond-ssc"] },
    lesions: [
      {
        siteGroup: "trunk",
        laterality: "right",
        maxDimensionCm: 8.8,
        dimensionsCm: [8.8, 6.8],
        date: "2024-10-08T09:30:00+02:00",
        evidence: ["DiagnosticReport/modena-3-dr-xr-chest"],
        modality: "DX",
      },
      {
        siteGroup: "trunk",
        laterality: "right",
        maxDimensionCm: 10,
        dimensionsCm: [10, 9],
        date: "2026-10-29T14:20:00+01:00",
        evidence: ["DiagnosticReport/modena-3-dr-ct-thorax"],
        modality: "CT",
      },
    ],
    growth: [
      {
        siteGroup: "trunk",
        laterality: "right",
        fromCm: 8.8,
        toCm: 10,
        fromDate: "2024-10-08",
        toDate: "2026-10-29",
        percent: 13.6,
        evidence: ["DiagnosticReport/modena-3-dr-xr-chest", "DiagnosticReport/modena-3-dr-ct-thorax"],
      },
    ],
    findings: [
      {
        ruleId: "PC-SIZE",
        text: "Calcified soft-tissue mass of the right trunk (dorsal region), largest dimension 10 cm (≥ 2 cm).",
        evidence: [
          "DiagnosticReport/modena-3-dr-ct-thorax",
          "DiagnosticReport/modena-3-dr-us-dorsal",
          "DiagnosticReport/modena-3-dr-xr-chest",
        ],
      },
    ],
    riskFeatures: [
      { ruleId: "R-VASC", text: "Severe vascular phenotype: digital ulcers.", evidence: ["Condition/modena-3-cond-du"] },
      { ruleId: "R-DUR", text: "SSc for 12 years (≥ 5).", evidence: ["Condition/modena-3-cond-ssc"] },
      { ruleId: "R-AGE", text: "Age 54 (≥ 48).", evidence: [] },
      { ruleId: "R-AB", text: "Anti-Scl-70 positive.", evidence: ["Observation/modena-3-obs-scl70"] },
    ],
    secondaryCauses: [
      {
        ruleId: "S-PTH",
        text: "PTH 86.5 pg/mL, above 65 pg/mL.",
        evidence: ["Observation/modena-3-obs-pth"],
        detail: "Calcium normal: review for secondary causes; the PC finding stands.",
      },
    ],
    workupGaps: [
      { ruleId: "G-RENAL", text: "No creatinine or eGFR in the last 12 months.", priority: 2 },
      {
        ruleId: "G-ALB",
        text: "No albumin within 30 days of the calcium (last 2026-10-05): corrected calcium cannot be computed.",
        evidence: ["Observation/modena-3-obs-ca"],
        priority: 3,
      },
      {
        ruleId: "G-SPINE",
        text: "Severe vascular phenotype and no spinal CT or MRI in the last 24 months: ask for a targeted spinal review.",
        priority: 1,
      },
    ],
    redFlags: [],
    labs: {
      calcium: {
        count: 1,
        latest: {
          value: 8.8,
          unit: "mg/dL",
          date: "2026-10-05T08:05:00+02:00",
          normalized: { value: 8.8, unit: "mg/dL" },
          evidence: "Observation/modena-3-obs-ca",
        },
      },
      phosphate: {
        count: 1,
        latest: {
          value: 3.8,
          unit: "mg/dL",
          date: "2026-10-05T08:05:00+02:00",
          normalized: { value: 3.8, unit: "mg/dL" },
          evidence: "Observation/modena-3-obs-phos",
        },
      },
      pth: {
        count: 1,
        latest: {
          value: 86.5,
          unit: "pg/mL",
          date: "2026-10-05T08:05:00+02:00",
          normalized: { value: 86.5, unit: "pg/mL" },
          evidence: "Observation/modena-3-obs-pth",
        },
      },
      vitaminD25: {
        count: 1,
        latest: {
          value: 80.9,
          unit: "ng/mL",
          date: "2026-10-05T08:05:00+02:00",
          normalized: { value: 80.9, unit: "ng/mL" },
          evidence: "Observation/modena-3-obs-vitd",
        },
      },
      boneAlp: {
        count: 1,
        latest: {
          value: 5.5,
          unit: "µg/L",
          date: "2026-10-05T08:05:00+02:00",
          normalized: { value: 5.5, unit: "ug/L" },
          evidence: "Observation/modena-3-obs-bap",
        },
      },
    },
    dataQuality: [],
    statusReason: "Calcified lesion of 10 cm (>= 2 cm).",
    read: { conditions: 6, results: 12, reports: 3, imagingStudies: 2, documents: 0, notRead: 0 },
    missingData: [],
  };
}

/** A spinal red flag variant of case 2 (radiculopathy), to test red-flag DetectedIssues. */
export function withSpinalRedFlag(base: Assessment = modena2()): Assessment {
  return {
    ...base,
    redFlags: [
      {
        ruleId: "RF-SPINE",
        text: "Spinal calcinosis with radiculopathy: urgent neurological assessment and MRI/CT.",
        evidence: ["DiagnosticReport/modena-2-dr-ct-spine-review", "Condition/modena-2-cond-radiculopathy"],
      },
    ],
  };
}

/** Full write access, SMART v2. */
export const ALL_WRITE_V2 =
  "launch openid fhirUser patient/Patient.r patient/Observation.rs patient/Condition.rs " +
  "patient/DocumentReference.cs patient/Condition.c patient/DetectedIssue.cs patient/ServiceRequest.cs patient/Provenance.cs";

/** A server that supports everything (transaction, conditional create, search) for our types. */
export function fullCapabilities(overrides: { transaction?: boolean; conditionalCreate?: boolean; search?: boolean } = {}) {
  const interactions = ["read", "create", ...(overrides.search === false ? [] : ["search-type"])];
  const types = ["DocumentReference", "Condition", "DetectedIssue", "ServiceRequest", "Provenance", "Patient", "Observation"];
  return {
    fhirVersion: "4.0.1",
    resources: Object.fromEntries(
      types.map((t) => [t, { interactions: [...interactions], conditionalCreate: overrides.conditionalCreate ?? true }]),
    ),
    transaction: overrides.transaction ?? true,
    batch: true,
  };
}

/** The imaging and pathology report search failed (as the engine reports it for modena-3). */
export const REPORTS_FAILED: MissingData = {
  resourceType: "DiagnosticReport",
  scopes: ["DiagnosticReport"],
  label: "Imaging and pathology reports",
  reason: "failed",
  message: "HTTP 500",
  rules: ["G-SPINE", "PC-DOC", "R-CALC", "RF-COMP", "RF-SPINE"],
};

/** The PTH / vitamin D search was cut short by a page cap. */
export const PTH_TRUNCATED: MissingData = {
  resourceType: "Observation",
  group: "pth-vitamin-d",
  scopes: ["Observation:pth-vitamin-d"],
  label: "Labs: PTH, vitamin D and bone ALP",
  reason: "truncated",
  rules: ["S-VITD"],
  labs: ["pth", "vitaminD25", "boneAlp"],
};

/**
 * An assessment with searches missing: missingData as given, and each of their rules in
 * notEvaluated (as the engine does), removed from the lists it could have filled.
 */
export function withMissing(base: Assessment, missing: MissingData[]): Assessment {
  const rules = new Set<RuleId>(missing.flatMap((m) => m.rules));
  return {
    ...base,
    missingData: missing,
    notEvaluated: [...rules].sort().map((ruleId) => ({ ruleId, reason: "Could not be fully loaded." })),
  };
}
