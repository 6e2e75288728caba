import { describe, expect, it } from "vitest";
import type { Resource } from "fhir/r4";
import { LOINC, condition, ids, lab, patient, refOf, report, run, runRaw, ssc } from "./builders";

const note = (a: ReturnType<typeof run>, code: string) => a.dataQuality.find((d) => d.code === code);

describe("§5: skip and note", () => {
  it("skips Observations entered-in-error or cancelled, and says so", () => {
    const eie = lab("17861-6", 12, "mg/dL", "2026-10-01", { status: "entered-in-error" });
    const cancelled = lab("17861-6", 12, "mg/dL", "2026-10-01", { status: "cancelled" });
    const a = run([ssc(), eie, cancelled]);
    expect(a.secondaryCauses).toEqual([]);
    expect(a.labs.calcium).toBeUndefined();
    expect(note(a, "status-entered-in-error")?.evidence).toEqual([refOf(eie)]);
    expect(note(a, "status-cancelled")?.evidence).toEqual([refOf(cancelled)]);
  });

  it("skips a preliminary report until final", () => {
    const r = report("CT", "Pseudotumoral calcinosis of the left hip, 5 cm.", "2026-10-01", { status: "preliminary" });
    const a = run([ssc(), r]);
    expect(a.status).toBe("no-evidence");
    expect(note(a, "report-preliminary")?.evidence).toEqual([refOf(r)]);
  });

  it("skips refuted and entered-in-error Conditions", () => {
    const refuted = condition(
      { system: "http://snomed.info/sct", code: "61778004" },
      { verificationStatus: { coding: [{ code: "refuted" }] } },
    );
    const eie = condition(
      { system: "http://snomed.info/sct", code: "61778004" },
      { verificationStatus: { coding: [{ code: "entered-in-error" }] } },
    );
    const a = run([ssc(), refuted, eie]);
    expect(a.status).toBe("no-evidence");
    expect(note(a, "condition-refuted")?.evidence).toEqual([refOf(refuted)]);
    expect(note(a, "status-entered-in-error")?.evidence).toEqual([refOf(eie)]);
  });

  it("notes a result without a date and leaves it out of lookbacks", () => {
    const undated = lab("2731-8", 40, "pg/mL", "2026-10-01", { effectiveDateTime: undefined });
    const a = run([ssc(), condition({ text: "Calcinosis" }), undated]);
    expect(note(a, "no-date")?.evidence).toEqual([refOf(undated)]);
    expect(ids(a.workupGaps)).toContain("G-PTH");
    expect(a.labs.pth?.count).toBe(1);
  });

  it("ignores what is dated after the assessment date", () => {
    const later = lab("17861-6", 12, "mg/dL", "2026-12-01");
    const a = run([ssc(), later]);
    expect(a.secondaryCauses).toEqual([]);
    expect(note(a, "after-as-of")?.evidence).toEqual([refOf(later)]);
  });

  it("uses the first copy of a duplicated resource and says so", () => {
    const o = lab("17861-6", 9, "mg/dL");
    const a = run([ssc(), o, { ...o } as Resource]);
    expect(a.labs.calcium?.count).toBe(1);
    expect(note(a, "duplicate")?.evidence).toEqual([refOf(o)]);
  });
});

describe("§5: time of a result", () => {
  it.each([
    ["effectiveDateTime", { effectiveDateTime: "2026-03-04T10:00:00+01:00" }, "2026-03-04"],
    ["effectivePeriod.start", { effectiveDateTime: undefined, effectivePeriod: { start: "2026-03-05" } }, "2026-03-05"],
    ["effectivePeriod.end", { effectiveDateTime: undefined, effectivePeriod: { end: "2026-03-06" } }, "2026-03-06"],
    ["effectiveInstant", { effectiveDateTime: undefined, effectiveInstant: "2026-03-07T08:00:00Z" }, "2026-03-07"],
    ["issued", { effectiveDateTime: undefined, issued: "2026-03-08T08:00:00Z" }, "2026-03-08"],
  ])("from %s", (_n, extra, date) => {
    expect(run([ssc(), lab("17861-6", 9, "mg/dL", "2000-01-01", extra)]).labs.calcium?.latest?.date).toBe(date);
  });
});

describe("§5: bounded values, strings, components, absent values", () => {
  it("reads valueQuantity.comparator and '<5' strings as bounds", () => {
    const a = run([ssc(), lab("2731-8", null, null, "2026-10-01", { valueString: "<5 pg/mL" })]);
    expect(a.labs.pth?.latest).toEqual(
      expect.objectContaining({ value: 5, comparator: "<", normalized: { value: 5, unit: "pg/mL", comparator: "<" } }),
    );
    const b = run([
      ssc(),
      lab("2731-8", null, null, "2026-10-01", {
        valueQuantity: { value: 100, comparator: ">", unit: "pg/mL", system: "http://unitsofmeasure.org", code: "pg/mL" },
      }),
    ]);
    expect(ids(b.secondaryCauses)).toEqual(["S-PTH"]); // > 100 is above 65: decided
  });

  it("leaves a rule undecided when the bound cannot decide it, with a note", () => {
    const o = lab("2731-8", null, null, "2026-10-01", {
      valueQuantity: { value: 100, comparator: "<", unit: "pg/mL", system: "http://unitsofmeasure.org", code: "pg/mL" },
    });
    const a = run([ssc(), o]);
    expect(a.secondaryCauses).toEqual([]);
    expect(note(a, "bound-undecided")?.evidence).toEqual([refOf(o)]);
    expect(note(a, "bound-undecided")?.text).toContain("S-PTH");
    // "<50" decides "not above 65": no note.
    expect(note(run([ssc(), lab("2731-8", null, null, "2026-10-01", { valueString: "<50 pg/mL" })]), "bound-undecided")).toBeUndefined();
  });

  it("reads values inside the components of a panel", () => {
    const panel = {
      resourceType: "Observation",
      id: "panel-1",
      status: "final",
      subject: { reference: "Patient/p1" },
      code: { text: "Bone profile" },
      effectiveDateTime: "2026-10-01",
      component: [
        {
          code: { coding: [{ system: LOINC, code: "17861-6" }] },
          valueQuantity: { value: 11.1, unit: "mg/dL", system: "http://unitsofmeasure.org", code: "mg/dL" },
        },
        {
          code: { coding: [{ system: LOINC, code: "2777-1" }] },
          valueQuantity: { value: 1.2, unit: "mmol/L", system: "http://unitsofmeasure.org", code: "mmol/L" },
        },
      ],
    } as unknown as Resource;
    const a = run([ssc(), panel]);
    expect(a.labs.calcium?.latest?.evidence).toBe("Observation/panel-1");
    expect(a.labs.phosphate?.latest?.normalized).toEqual({ value: 3.72, unit: "mg/dL" });
    expect(ids(a.secondaryCauses)).toEqual(["S-CA"]);
  });

  it("takes dataAbsentReason as a missing value, never zero", () => {
    const o = lab("33914-3", null, null, "2026-10-01", {
      dataAbsentReason: { coding: [{ code: "error" }] },
      valueQuantity: { value: 0, unit: "mL/min/{1.73_m2}" },
    });
    const a = run([ssc(), condition({ text: "Calcinosis" }), o]);
    expect(a.labs.egfr).toBeUndefined();
    expect(a.secondaryCauses).toEqual([]);
    expect(ids(a.workupGaps)).toContain("G-RENAL");
    expect(note(a, "data-absent")?.evidence).toEqual([refOf(o)]);
  });

  it("notes a value without a unit, and an eGFR in mL/min", () => {
    const bare = lab("17861-6", 12, null);
    const a = run([ssc(), bare, lab("33914-3", 70, "mL/min")]);
    expect(a.secondaryCauses).toEqual([]);
    expect(note(a, "unit-missing")?.evidence).toEqual([refOf(bare)]);
    expect(note(a, "egfr-unit-assumed")).toBeDefined();
    expect(a.labs.egfr?.latest?.normalized).toEqual({ value: 70, unit: "mL/min/{1.73_m2}" });
  });

  it("reads the reference range of the result itself, in its own unit, before the default", () => {
    // 1.46 mmol/L = 4.52 mg/dL: above the default 4.5, but within this laboratory's 0.80-1.50 mmol/L.
    const o = lab("2777-1", 1.46, "mmol/L", "2026-10-01", {
      referenceRange: [{ low: { value: 0.8, unit: "mmol/L" }, high: { value: 1.5, unit: "mmol/L" } }],
    });
    const a = run([ssc(), o]);
    expect(a.labs.phosphate?.latest?.referenceRange).toEqual({ unit: "mg/dL", low: 2.48, high: 4.65 });
    expect(a.secondaryCauses).toEqual([]);
    expect(ids(run([ssc(), lab("2777-1", 1.46, "mmol/L")]).secondaryCauses)).toEqual(["S-PHOS"]);
  });

  it("notes a missing Patient and a malformed entry without failing", () => {
    const a = runRaw([ssc(), { foo: 1 } as unknown as Resource]);
    expect(a.patient).toEqual({ id: "p1", ageYears: null, sex: null });
    expect(note(a, "patient-missing")).toBeDefined();
    expect(note(a, "malformed")).toBeDefined();
    expect(a.ssc.present).toBe(true);
    expect(
      runRaw([
        patient(),
        {
          resourceType: "Observation",
          id: "x",
          code: 5,
          valueQuantity: "oops",
          subject: { reference: "Patient/p1" },
        } as unknown as Resource,
      ]).labs,
    ).toEqual({});
  });
});
