import type { CodeableConcept, Observation, Resource } from "fhir/r4";
import { DIGITAL_ULCERS, ICD10CM, LEFT, LOINC, SCT, coding, condition, patient } from "./builders";
import { imagingExam } from "./imaging-builders";
import { LAB, antibody, lab, type LabTest } from "./lab-builders";
import { mulberry32 } from "../random";
import { generateLargeNotes } from "./large-notes";

/**
 * The "large" demo patient: a diffuse SSc record with thousands of lab results and 200 clinical
 * notes (large-notes.ts) over 15 years, for paging, streaming and engine-speed work. Generated at load time (a committed JSON would be
 * megabytes) from a seeded PRNG and fixed dates, so every generation is byte-identical.
 */

export const LARGE_ID = "large";
const FIRST_VISIT = Date.UTC(2011, 11, 1); // 2011-12-01
const LAST_VISIT = Date.UTC(2026, 10, 14); // 2026-11-14
const BIRTH = Date.UTC(1966, 2, 9); // 1966-03-09
const DAY = 86_400_000;
const SEED = 0x5cc_2026;

const round = (x: number, digits: number) => Number(x.toFixed(digits));
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** CKD-EPI 2021 (female), so each eGFR agrees with its creatinine. */
function ckdEpi2021Female(creatinineMgDl: number, ageYears: number): number {
  const k = creatinineMgDl / 0.7;
  return 142 * Math.min(k, 1) ** -0.241 * Math.max(k, 1) ** -1.2 * 0.9938 ** ageYears * 1.012;
}

function ageAt(ms: number): number {
  const d = new Date(ms);
  const b = new Date(BIRTH);
  let age = d.getUTCFullYear() - b.getUTCFullYear();
  if (d.getUTCMonth() < b.getUTCMonth() || (d.getUTCMonth() === b.getUTCMonth() && d.getUTCDate() < b.getUTCDate())) age--;
  return age;
}

/**
 * Lab results: a monitoring visit every 3-6 days (immunosuppression monitoring plus admissions,
 * dense by design). Every value stays inside the lab's range: this record's only finding is the hip
 * mass, so the secondary-cause flags must stay quiet.
 */
function labResults(): Observation[] {
  const rand = mulberry32(SEED);
  // Approximately normal noise (Irwin-Hall), centred on 0 with unit variance.
  const noise = () => rand() + rand() + rand() + rand() + rand() + rand() - 3;
  const out: Observation[] = [];
  let lastPth = -Infinity;
  let lastVitD = -Infinity;
  const add = (test: LabTest, value: number, effective: string, issued: string) => {
    const id = `${LARGE_ID}-obs-${String(out.length + 1).padStart(6, "0")}`;
    out.push(lab({ id, patientId: LARGE_ID, test, value, effective, issued }));
  };

  for (let day = FIRST_VISIT; day <= LAST_VISIT; day += (3 + Math.floor(rand() * 4)) * DAY) {
    const date = isoDate(day);
    const minute = String(Math.floor(rand() * 60)).padStart(2, "0");
    const effective = `${date}T07:${minute}:00Z`;
    const issued = `${date}T13:${minute}:00Z`;

    const creatinine = round(clamp(0.7 + 0.06 * noise(), 0.55, 0.9), 2);
    add(LAB.calcium, round(clamp(9.3 + 0.2 * noise(), 8.7, 10.1), 1), effective, issued);
    add(LAB.albumin, round(clamp(4.1 + 0.15 * noise(), 3.6, 4.8), 1), effective, issued);
    add(LAB.creatinine, creatinine, effective, issued);
    add(LAB.egfr, Math.round(ckdEpi2021Female(creatinine, ageAt(day))), effective, issued);
    if (rand() < 0.7) add(LAB.phosphate, round(clamp(3.5 + 0.3 * noise(), 2.7, 4.4), 1), effective, issued);
    if (day - lastPth >= 80 * DAY) {
      lastPth = day;
      add(LAB.pth, Math.round(clamp(42 + 8 * noise(), 18, 64)), effective, issued);
    }
    if (day - lastVitD >= 170 * DAY) {
      lastVitD = day;
      // Deficient until supplementation started in 2014, then replete.
      const mean = day < Date.UTC(2014, 0, 1) ? 19 : 36;
      add(LAB.vitaminD, round(clamp(mean + 4 * noise(), 12, 60), 1), effective, issued);
    }
  }
  return out;
}

// Unlike DIFFUSE_SSC, this record's SNOMED coding has no display.
const SSC: CodeableConcept = {
  coding: [coding(SCT, "128460000"), coding(ICD10CM, "M34.0", "Progressive systemic sclerosis")],
  text: "Diffuse cutaneous systemic sclerosis",
};
const RAYNAUD: CodeableConcept = {
  coding: [coding(SCT, "266261006", "Raynaud's phenomenon"), coding(ICD10CM, "I73.00", "Raynaud's syndrome without gangrene")],
  text: "Raynaud's phenomenon",
};
const ILD: CodeableConcept = {
  coding: [coding(SCT, "233703007", "Interstitial lung disease"), coding(ICD10CM, "J84.10", "Pulmonary fibrosis, unspecified")],
  text: "SSc-associated interstitial lung disease (NSIP)",
};

function clinicalRecord(): Resource[] {
  const P = LARGE_ID;
  return [
    patient({ id: P, given: ["Sofia"], family: "Lindqvist", gender: "female", birthDate: isoDate(BIRTH) }),
    condition({ id: `${P}-cond-ssc`, patientId: P, code: SSC, onsetDateTime: "2010-06-01", recordedDate: "2010-09-14" }),
    condition({ id: `${P}-cond-raynaud`, patientId: P, code: RAYNAUD, onsetDateTime: "2009-11", recordedDate: "2010-09-14" }),
    condition({
      id: `${P}-cond-du`,
      patientId: P,
      clinicalStatus: "recurrence",
      code: DIGITAL_ULCERS,
      onsetDateTime: "2014-01-20",
      recordedDate: "2014-01-28",
    }),
    condition({ id: `${P}-cond-ild`, patientId: P, code: ILD, onsetDateTime: "2015-05", recordedDate: "2015-06-09" }),
    antibody({
      id: `${P}-obs-scl70`,
      patientId: P,
      code: { coding: [coding(LOINC, "47322-3")], text: "Anti-Scl-70 (topoisomerase I) antibody" },
      positive: true,
      effective: "2010-07-06T09:00:00Z",
    }),
    ...imagingExam({
      key: "xr-hands",
      patientId: P,
      modality: "DX",
      started: "2019-05-14T10:00:00Z",
      description: "XR both hands, PA",
      bodySite: coding(SCT, "85562004", "Hand structure"),
      laterality: coding(SCT, "51440002", "Right and left"),
      instances: 2,
      title: "XR Hands bilateral",
      issued: "2019-05-14T15:00:00Z",
      conclusion: "Acro-osteolysis of the distal phalanges of both hands. Joint spaces preserved.",
    }),
    ...imagingExam({
      key: "hrct",
      patientId: P,
      modality: "CT",
      started: "2024-02-20T09:00:00Z",
      description: "HRCT chest",
      bodySite: coding(SCT, "51185008", "Thoracic structure"),
      instances: 320,
      title: "HRCT Chest",
      issued: "2024-02-21T11:00:00Z",
      conclusion: "Reticulation and ground-glass opacities in both lower lobes, NSIP pattern, stable compared with 2022.",
    }),
    ...imagingExam({
      key: "xr-hip",
      patientId: P,
      modality: "DX",
      started: "2026-02-10T10:30:00Z",
      description: "XR left hip, AP and lateral",
      bodySite: coding(SCT, "29836001", "Hip region structure"),
      laterality: LEFT,
      instances: 2,
      title: "XR Hip left",
      issued: "2026-02-10T16:00:00Z",
      conclusion: "Periarticular calcific mass of the left hip, 3.2 cm. CT suggested for characterisation.",
    }),
    ...imagingExam({
      key: "ct-hip",
      patientId: P,
      modality: "CT",
      started: "2026-03-03T14:00:00Z",
      description: "CT left hip without contrast",
      bodySite: coding(SCT, "29836001", "Hip region structure"),
      laterality: LEFT,
      instances: 280,
      title: "CT Hip left",
      issued: "2026-03-04T09:30:00Z",
      conclusion: "Periarticular calcific mass of the left hip measuring 3.2 x 2.4 cm, without erosion of the adjacent bone.",
    }),
  ];
}

/** All resources of the large patient, freshly generated (same bytes on every call). */
export function generateLargeResources(): Resource[] {
  return [...clinicalRecord(), ...labResults(), ...generateLargeNotes(LARGE_ID)];
}
