/**
 * The laboratory catalogue of the demo patients: each test's LOINC code, unit and reference range
 * (common adult ranges, conventional units). Builders (builders.ts) turn an entry into Observations.
 */

/** A lab test as the laboratory's catalogue describes it: code, unit and reference range. */
export interface LabTest {
  loinc: string;
  display?: string;
  text: string;
  /** UCUM code and the unit as the lab prints it. */
  ucum: string;
  unit: string;
  low?: number;
  high?: number;
  rangeText?: string;
}

/** The catalogue used by every demo patient (ranges are common adult ranges, conventional units). */
export const LAB = {
  calcium: {
    loinc: "17861-6",
    display: "Calcium [Mass/volume] in Serum or Plasma",
    text: "Calcium, serum",
    ucum: "mg/dL",
    unit: "mg/dL",
    low: 8.6,
    high: 10.2,
  },
  calciumMolar: {
    loinc: "2000-8",
    display: "Calcium [Moles/volume] in Serum or Plasma",
    text: "Calcium, serum",
    ucum: "mmol/L",
    unit: "mmol/L",
    low: 2.15,
    high: 2.55,
  },
  phosphate: {
    loinc: "2777-1",
    display: "Phosphate [Mass/volume] in Serum or Plasma",
    text: "Phosphate, serum",
    ucum: "mg/dL",
    unit: "mg/dL",
    low: 2.5,
    high: 4.5,
  },
  phosphateMolar: { loinc: "14879-1", text: "Phosphate, serum", ucum: "mmol/L", unit: "mmol/L", low: 0.81, high: 1.45 },
  pth: {
    loinc: "2731-8",
    display: "Parathyrin.intact [Mass/volume] in Serum or Plasma",
    text: "PTH, intact",
    ucum: "pg/mL",
    unit: "pg/mL",
    low: 15,
    high: 65,
  },
  pthMolar: { loinc: "14866-8", text: "PTH, intact", ucum: "pmol/L", unit: "pmol/L", low: 1.6, high: 6.9 },
  vitaminD3: {
    loinc: "1989-3",
    display: "25-Hydroxyvitamin D3 [Mass/volume] in Serum or Plasma",
    text: "25-hydroxycholecalciferol (25-OH vitamin D3)",
    ucum: "ng/mL",
    unit: "ng/mL",
    low: 30,
    high: 100,
    rangeText: "Sufficiency 30-100 ng/mL",
  },
  vitaminD: {
    loinc: "62292-8",
    display: "25-Hydroxyvitamin D2+25-Hydroxyvitamin D3 [Mass/volume] in Serum or Plasma",
    text: "25-OH vitamin D, total",
    ucum: "ng/mL",
    unit: "ng/mL",
    low: 30,
    high: 100,
    rangeText: "Sufficiency 30-100 ng/mL",
  },
  creatinine: {
    loinc: "2160-0",
    display: "Creatinine [Mass/volume] in Serum or Plasma",
    text: "Creatinine, serum",
    ucum: "mg/dL",
    unit: "mg/dL",
    low: 0.51,
    high: 0.95,
    rangeText: "Adult women",
  },
  creatinineMale: {
    loinc: "2160-0",
    display: "Creatinine [Mass/volume] in Serum or Plasma",
    text: "Creatinine, serum",
    ucum: "mg/dL",
    unit: "mg/dL",
    low: 0.67,
    high: 1.17,
    rangeText: "Adult men",
  },
  creatinineMolar: {
    loinc: "14682-9",
    display: "Creatinine [Moles/volume] in Serum or Plasma",
    text: "Creatinine, serum",
    ucum: "umol/L",
    unit: "µmol/L",
    low: 45,
    high: 84,
    rangeText: "Adult women",
  },
  egfr: {
    loinc: "98979-8",
    display:
      "Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI 2021)",
    text: "eGFR (CKD-EPI 2021)",
    ucum: "mL/min/{1.73_m2}",
    unit: "mL/min/1.73m2",
    low: 60,
    rangeText: ">= 60 mL/min/1.73m2",
  },
  albumin: {
    loinc: "1751-7",
    display: "Albumin [Mass/volume] in Serum or Plasma",
    text: "Albumin, serum",
    ucum: "g/dL",
    unit: "g/dL",
    low: 3.5,
    high: 5.2,
  },
  albuminSI: {
    loinc: "1751-7",
    display: "Albumin [Mass/volume] in Serum or Plasma",
    text: "Albumin, serum",
    ucum: "g/L",
    unit: "g/L",
    low: 35,
    high: 52,
  },
  boneAlp: {
    loinc: "17838-4",
    text: "Bone alkaline phosphatase (BAP)",
    ucum: "ug/L",
    unit: "µg/L",
    low: 3.8,
    high: 22.6,
    rangeText: "Postmenopausal women",
  },
  tsh: {
    loinc: "3016-3",
    display: "Thyrotropin [Units/volume] in Serum or Plasma",
    text: "TSH",
    ucum: "u[IU]/mL",
    unit: "µIU/mL",
    low: 0.35,
    high: 4.94,
  },
} satisfies Record<string, LabTest>;
