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
const LABS: LabSpec[] = [
  { code: "17861-6", unit: "mg/dL", mean: 9.4, sd: 0.5, high: 10.2 },
  { code: "2000-8", unit: "mmol/L", mean: 2.35, sd: 0.12, high: 2.6 },
  { code: "2777-1", unit: "mg/dL", mean: 3.6, sd: 0.6, high: 4.5 },
  { code: "2777-1", unit: "mmol/L", mean: 1.15, sd: 0.2, high: 1.45 },
  { code: "2731-8", unit: "pg/mL", mean: 45, sd: 15, high: 65 },
  { code: "14866-8", unit: "pmol/L", mean: 5, sd: 1.5, high: 6.9 },
  { code: "62292-8", unit: "ng/mL", mean: 35, sd: 10, high: 100 },
  { code: "2160-0", unit: "mg/dL", mean: 0.9, sd: 0.2, high: 1.1 },
  { code: "14682-9", unit: "umol/L", mean: 80, sd: 15, high: 97 },
  { code: "33914-3", unit: "mL/min/{1.73_m2}", mean: 80, sd: 15, high: 200 },
  { code: "1751-7", unit: "g/dL", mean: 4.0, sd: 0.3, high: 5.0 },
  { code: "1751-7", unit: "g/L", mean: 40, sd: 3, high: 50 },
];

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
