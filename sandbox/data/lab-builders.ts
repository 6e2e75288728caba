/** Lab results and antibody results of the demo patients, with the catalogue's codes, units and ranges. */
import type { CodeableConcept, Observation, ObservationReferenceRange, Quantity } from "fhir/r4";
import { LOINC, SCT, UCUM, coding, patientRef } from "./builders";
import type { LabTest } from "./labCatalogue";

export { LAB, type LabTest } from "./labCatalogue";

const OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
const OBS_INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

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

/**
 * The results of one blood draw, all with the same times; ids are `<patient>-obs-<key>`, in the
 * order given.
 */
export function labDraw(
  patientId: string,
  times: { effective: string; issued: string },
  results: readonly (readonly [key: string, test: LabTest, value: number])[],
): Observation[] {
  return results.map(([key, test, value]) => lab({ id: `${patientId}-obs-${key}`, patientId, test, value, ...times }));
}
