/**
 * Fixtures for the UI tests: minimal hand-built Assessments (shaped after Modena case 3 of
 * clinical-spec.md) for single-panel tests, snapshots, and the real engine over the sandbox's demo
 * patients for whole-screen tests.
 */
import axe from "axe-core";
import { assess } from "../../src/clinical";
import type { Assessment, AssessmentStatus } from "../../src/clinical/types";
import type { LoadSnapshot, SearchProgress } from "../../src/fhir/types";
import { demoPatient } from "../../sandbox/data";
import { type FhirResource, indexResources } from "../../src/ui/evidence/fhirText";

export const AS_OF = "2026-11-21";

/** The labels of clinical-spec.md §2, written out here so the test checks the engine's table too. */
export const SPEC_LABELS: Record<AssessmentStatus, string> = {
  "not-applicable": "Not assessed: no systemic sclerosis on record",
  indeterminate: "Cannot be assessed: part of the record could not be loaded",
  "no-evidence": "No calcinosis found in the record",
  possible: "Possible pseudotumoral calcinosis",
  probable: "Probable pseudotumoral calcinosis",
  documented: "Pseudotumoral calcinosis documented",
};

export const P3 = "modena-3";

export function patientResource(): FhirResource {
  return {
    resourceType: "Patient",
    id: P3,
    name: [{ use: "official", given: ["Paola"], family: "Ghirardini" }],
    gender: "female",
    birthDate: "1972-05-14",
    identifier: [{ type: { coding: [{ code: "MR" }], text: "MRN" }, value: "69643567" }],
  };
}

export function labResources(): FhirResource[] {
  return [
    {
      resourceType: "Observation",
      id: "pth-1",
      status: "final",
      code: { coding: [{ system: "http://loinc.org", code: "2731-8" }], text: "PTH, intact" },
      valueQuantity: { value: 86.5, unit: "pg/mL", system: "http://unitsofmeasure.org", code: "pg/mL" },
      referenceRange: [{ low: { value: 15, unit: "pg/mL" }, high: { value: 65, unit: "pg/mL" } }],
      effectiveDateTime: "2026-10-20",
    },
    {
      resourceType: "DiagnosticReport",
      id: "dr-ct",
      status: "final",
      code: { text: "CT thorax" },
      conclusion: "Right dorsal soft-tissue calcific mass 10 x 9 cm.",
      effectiveDateTime: "2026-10-29",
      imagingStudy: [{ reference: "ImagingStudy/ct-1" }],
    },
    {
      resourceType: "ImagingStudy",
      id: "ct-1",
      status: "available",
      started: "2026-10-29",
      modality: [{ code: "CT" }],
      series: [{ uid: "1", modality: { code: "CT" }, bodySite: { code: "51185008", display: "Thoracic structure" } }],
    },
  ];
}

/** A hand-built "probable" assessment after Modena case 3. */
export function probableAssessment(overrides: Partial<Assessment> = {}): Assessment {
  return {
    ruleset: { id: "pc-ssc", version: "1.1.0" },
    asOf: AS_OF,
    patient: { id: P3, ageYears: 54, sex: "female" },
    status: "probable",
    ssc: { present: true, subset: "diffuse", durationYears: 12, evidence: ["Condition/ssc-1"] },
    lesions: [
      {
        siteGroup: "trunk",
        laterality: "right",
        maxDimensionCm: 8.8,
        dimensionsCm: [8.8, 6.8],
        date: "2024-10-08",
        evidence: ["DiagnosticReport/dr-xr"],
        sourceText: "Right dorsal soft-tissue mass 8.8 x 6.8 cm.",
        modality: "CR",
      },
      {
        siteGroup: "trunk",
        laterality: "right",
        maxDimensionCm: 10,
        dimensionsCm: [10, 9],
        date: "2026-10-29",
        evidence: ["DiagnosticReport/dr-ct"],
        sourceText: "Right dorsal soft-tissue calcific mass 10 x 9 cm.",
        modality: "CT",
      },
    ],
    siteGroups: ["trunk"],
    multiSite: false,
    bilateral: false,
    growth: [
      {
        siteGroup: "trunk",
        laterality: "right",
        fromCm: 8.8,
        toCm: 10,
        fromDate: "2024-10-08",
        toDate: "2026-10-29",
        percent: 13.6,
        evidence: ["DiagnosticReport/dr-xr", "DiagnosticReport/dr-ct"],
      },
    ],
    findings: [
      {
        ruleId: "PC-SIZE",
        text: "Calcified lesion of 10 cm (trunk, right) on 2026-10-29: at least 2.0 cm.",
        evidence: ["DiagnosticReport/dr-ct"],
        sources: ["Z", "M"],
      },
    ],
    riskFeatures: [
      { ruleId: "R-VASC", text: "Digital ulcers on record", evidence: ["Condition/du-1"], sources: ["Z", "M"] },
      { ruleId: "R-AGE", text: "Age 54 (48 or older)", evidence: ["Patient/modena-3"], sources: ["Z", "D"] },
    ],
    secondaryCauses: [
      {
        ruleId: "S-PTH",
        text: "PTH 86.5 pg/mL is above the range",
        evidence: ["Observation/pth-1"],
        sources: ["C", "M"],
      },
    ],
    workupGaps: [
      { ruleId: "G-AB", text: "No SSc antibody result on record", sources: ["M"], priority: 8, lastSeen: null },
      { ruleId: "G-SPINE", text: "No CT or MRI of the spine in 24 months", sources: ["Z", "M"], priority: 2, lastSeen: "2023-02-01" },
      { ruleId: "G-ALB", text: "No albumin within 30 days of the calcium", sources: ["C"], priority: 7, lastSeen: null },
    ],
    redFlags: [],
    labs: {
      pth: {
        count: 2,
        latest: {
          value: 86.5,
          unit: "pg/mL",
          date: "2026-10-20",
          normalized: { value: 86.5, unit: "pg/mL" },
          referenceRange: { low: 15, high: 65, unit: "pg/mL" },
          interpretation: null,
          evidence: "Observation/pth-1",
        },
        history: [
          {
            value: 9.1,
            unit: "pmol/L",
            date: "2025-09-01",
            normalized: { value: 85.8, unit: "pg/mL" },
            referenceRange: null,
            evidence: "Observation/pth-0",
          },
          {
            value: 86.5,
            unit: "pg/mL",
            date: "2026-10-20",
            normalized: { value: 86.5, unit: "pg/mL" },
            referenceRange: { low: 15, high: 65, unit: "pg/mL" },
            interpretation: null,
            evidence: "Observation/pth-1",
          },
        ],
        trend: "stable",
      },
      calcium: {
        count: 1,
        latest: {
          value: 8.8,
          unit: "mg/dL",
          date: "2026-10-20",
          normalized: { value: 8.8, unit: "mg/dL" },
          evidence: "Observation/ca-1",
        },
        history: [
          { value: 8.8, unit: "mg/dL", date: "2026-10-20", normalized: { value: 8.8, unit: "mg/dL" }, evidence: "Observation/ca-1" },
        ],
        trend: null,
      },
    },
    dataQuality: [],
    statusReason: "Calcified lesion of 10 cm (>= 2 cm): right trunk, 10 cm on 2026-10-29 (CT).",
    read: { conditions: 6, results: 12, reports: 3, imagingStudies: 2, documents: 0, notRead: 0 },
    missingData: [],
    ...overrides,
  };
}

export function progress(overrides: Partial<SearchProgress> & Pick<SearchProgress, "key" | "resourceType" | "label">): SearchProgress {
  return { state: "done", resources: 0, pages: 1, ...overrides };
}

export const PROGRESS_DONE: SearchProgress[] = [
  progress({ key: "Patient", resourceType: "Patient", label: "Patient", resources: 1 }),
  progress({ key: "Condition", resourceType: "Condition", label: "Conditions", resources: 4 }),
  progress({ key: "Observation:bone", resourceType: "Observation", label: "Labs: calcium, phosphate, PTH", resources: 3 }),
  progress({ key: "ImagingStudy", resourceType: "ImagingStudy", label: "Imaging studies", resources: 1 }),
  progress({ key: "DiagnosticReport", resourceType: "DiagnosticReport", label: "Imaging reports", resources: 1 }),
];

export function snapshot(resources: FhirResource[], over: Partial<LoadSnapshot> = {}): LoadSnapshot {
  return {
    patientId: P3,
    resources: resources as unknown as LoadSnapshot["resources"],
    progress: PROGRESS_DONE,
    complete: true,
    strays: [],
    unavailable: [],
    attachments: [],
    ...over,
  };
}

/** The real engine over one sandbox demo patient, as the screen would see it after a full load. */
export function demo(id: string) {
  const p = demoPatient(id);
  if (!p) throw new Error(`no demo patient ${id}`);
  const resources = p.resources as unknown as FhirResource[];
  const assessment = assess(p.resources, { asOf: AS_OF, patientId: id });
  const snap = snapshot(resources, { patientId: id });
  return {
    expectedStatus: p.expectedStatus,
    assessment,
    snapshot: snap,
    resources,
    resourcesById: indexResources(resources),
    patient: resources.find((r) => r.resourceType === "Patient" && r.id === id),
  };
}

/** axe-core violations of impact serious or critical (colour contrast needs layout: checked in e2e). */
export async function seriousViolations(root: Element): Promise<string[]> {
  const result = await axe.run(root, {
    resultTypes: ["violations"],
    rules: { "color-contrast": { enabled: false } },
  });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}
