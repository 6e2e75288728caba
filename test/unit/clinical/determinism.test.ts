import { afterEach, describe, expect, it, vi } from "vitest";
import { assess } from "../../../src/clinical";
import { AS_OF, ICD, antibody, condition, lab, patient, report, ssc } from "./builders";

function record() {
  return [
    patient(),
    ssc(),
    condition({ system: ICD, code: "L98.491" }),
    report("XR", "Calcific mass of the right thigh, 5 cm.", "2025-01-10"),
    report("CT", "Calcific mass of the right thigh, 6.5 cm. Paravertebral calcifications.", "2026-01-10"),
    lab("17861-6", 9.1, "mg/dL", "2026-01-02"),
    lab("17861-6", 10.9, "mg/dL", "2026-05-02"),
    lab("2000-8", 2.3, "mmol/L", "2026-05-02"),
    lab("2731-8", 70, "pg/mL", "2026-05-02"),
    lab("1751-7", 3.5, "g/dL", "2026-05-01"),
    antibody("47322-3", true),
    lab("2777-1", 99, "[foo]", "2026-05-02"),
    lab("2777-1", 4, "mg/dL", "2026-05-02", { status: "entered-in-error" }),
  ];
}

describe("determinism", () => {
  afterEach(() => vi.useRealTimers());

  it("same input and asOf give byte-identical JSON, whatever the clock says", () => {
    const input = record();
    const first = JSON.stringify(assess(input, { asOf: AS_OF, patientId: "p1" }));
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2031-02-03T04:05:06Z"));
    const second = JSON.stringify(assess(structuredClone(input), { asOf: AS_OF, patientId: "p1" }));
    expect(second).toBe(first);
  });

  it("the order of the input does not change the output", () => {
    const input = record();
    const a = JSON.stringify(assess(input, { asOf: AS_OF, patientId: "p1" }));
    const b = JSON.stringify(assess([...input].reverse(), { asOf: AS_OF, patientId: "p1" }));
    expect(b).toBe(a);
  });

  it("does not change its input", () => {
    const input = record();
    const copy = structuredClone(input);
    assess(input, { asOf: AS_OF, patientId: "p1" });
    expect(input).toEqual(copy);
  });

  it("asOf drives every lookback: a later date ages results out of the 12-month window", () => {
    const input = [...record(), condition({ text: "Calcinosis" })];
    const now = assess(input, { asOf: AS_OF, patientId: "p1" });
    const later = assess(input, { asOf: "2028-01-01", patientId: "p1" });
    expect(now.workupGaps.map((g) => g.ruleId)).not.toContain("G-CA");
    expect(later.workupGaps.map((g) => g.ruleId)).toContain("G-CA");
    expect(later.patient.ageYears).toBe(57);
  });

  it("rejects an asOf that is not a date", () => {
    expect(() => assess([], { asOf: "21/11/2026" })).toThrow(RangeError);
  });
});
