/**
 * The bench's synthetic patient: one SSc patient with `n` lab Observations over ten years (mixed
 * analytes, mass and molar units, reference ranges, some bounded or absent values, some
 * entered-in-error), plus a handful of other resources. Used by the engine and CLI benches.
 */
import type { Resource } from "fhir/r4";
import { mulberry32 } from "../../sandbox/random";

interface LabSpec {
  code: string;
  unit: string;
  mean: number;
  sd: number;
  high: number;
}
type Row = [code: string, unit: string, mean: number, sd: number, high: number];
/** Per analyte, the units its results come in (conventional and SI); the results cycle through the rows in this order. */
const BY_ANALYTE: Record<string, Row[]> = {
  calcium: [
    ["17861-6", "mg/dL", 9.4, 0.5, 10.2],
    ["2000-8", "mmol/L", 2.35, 0.12, 2.6],
  ],
  phosphate: [
    ["2777-1", "mg/dL", 3.6, 0.6, 4.5],
    ["2777-1", "mmol/L", 1.15, 0.2, 1.45],
  ],
  pth: [
    ["2731-8", "pg/mL", 45, 15, 65],
    ["14866-8", "pmol/L", 5, 1.5, 6.9],
  ],
  vitaminD: [["62292-8", "ng/mL", 35, 10, 100]],
  creatinine: [
    ["2160-0", "mg/dL", 0.9, 0.2, 1.1],
    ["14682-9", "umol/L", 80, 15, 97],
  ],
  egfr: [["33914-3", "mL/min/{1.73_m2}", 80, 15, 200]],
  albumin: [
    ["1751-7", "g/dL", 4.0, 0.3, 5.0],
    ["1751-7", "g/L", 40, 3, 50],
  ],
};
const LABS: LabSpec[] = Object.values(BY_ANALYTE)
  .flat()
  .map(([code, unit, mean, sd, high]) => ({ code, unit, mean, sd, high }));

/** One SSc patient with `n` lab Observations over ten years, plus a handful of other resources. */
export function syntheticPatient(id: string, n: number, seed = 1): Resource[] {
  const rnd = mulberry32(seed);
  const subject = { reference: `Patient/${id}` };
  const out: Resource[] = [
    { resourceType: "Patient", id, gender: "female", birthDate: "1966-03-09" } as Resource,
    {
      resourceType: "Condition",
      id: `${id}-ssc`,
      subject,
      clinicalStatus: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "active" }] },
      code: { coding: [{ system: "http://snomed.info/sct", code: "128460000" }], text: "Diffuse cutaneous systemic sclerosis" },
      onsetDateTime: "2010-06-01",
    } as Resource,
    {
      resourceType: "Condition",
      id: `${id}-du`,
      subject,
      code: { coding: [{ system: "http://hl7.org/fhir/sid/icd-10-cm", code: "L98.491" }], text: "Digital ulcers" },
    } as Resource,
    {
      resourceType: "DiagnosticReport",
      id: `${id}-xr`,
      subject,
      status: "final",
      code: { text: "XR Hip left" },
      effectiveDateTime: "2026-02-10",
      conclusion: "Periarticular calcific mass of the left hip, 3.2 x 2.4 cm.",
    } as Resource,
  ];
  const start = Date.UTC(2016, 10, 21);
  const span = Date.UTC(2026, 10, 20) - start;
  for (let i = 0; i < n; i++) {
    const spec = LABS[i % LABS.length]!;
    const day = new Date(start + Math.floor((span * i) / n)).toISOString().slice(0, 10);
    const value = Math.round((spec.mean + (rnd() - 0.5) * 2 * spec.sd) * 100) / 100;
    const obs: Record<string, unknown> = {
      resourceType: "Observation",
      id: `${id}-o${i}`,
      status: "final",
      subject,
      code: { coding: [{ system: "http://loinc.org", code: spec.code }] },
      effectiveDateTime: `${day}T08:00:00Z`,
      referenceRange: [{ high: { value: spec.high, unit: spec.unit, system: "http://unitsofmeasure.org", code: spec.unit } }],
    };
    const kind = i % 50;
    if (kind === 7) obs.dataAbsentReason = { coding: [{ code: "error" }] };
    else if (kind === 13) obs.valueString = `<${spec.mean}`;
    else obs.valueQuantity = { value, unit: spec.unit, system: "http://unitsofmeasure.org", code: spec.unit };
    if (kind === 21) obs.status = "entered-in-error";
    out.push(obs as unknown as Resource);
  }
  return out;
}
