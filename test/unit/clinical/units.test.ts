import { describe, expect, it } from "vitest";
import { convertLab, labUnitFactor, lengthToCm, ucumCandidate, unitString } from "../../../src/clinical/units";
import { lab, run, ssc } from "./builders";

describe("unit conversion per analyte, both ways (§5)", () => {
  it.each([
    ["calcium", 10, "mg/dL", "mmol/L", 2.495],
    ["calcium", 2.495, "mmol/L", "mg/dL", 10],
    ["ionizedCalcium", 5, "mg/dL", "mmol/L", 1.2475],
    ["ionizedCalcium", 1.2475, "mmol/L", "mg/dL", 5],
    ["correctedCalcium", 2.5, "mmol/L", "mg/dL", 10.02004],
    ["correctedCalcium", 10.02004, "mg/dL", "mmol/L", 2.5],
    ["egfr", 60, "mL/min/1.73m2", "mL/min/{1.73_m2}", 60],
    ["phosphate", 4.5, "mg/dL", "mmol/L", 1.45305],
    ["phosphate", 1.45305, "mmol/L", "mg/dL", 4.5],
    ["creatinine", 1, "mg/dL", "umol/L", 88.42],
    ["creatinine", 88.42, "umol/L", "mg/dL", 1],
    ["vitaminD25", 30, "ng/mL", "nmol/L", 74.88],
    ["vitaminD25", 74.88, "nmol/L", "ng/mL", 30],
    ["pth", 10, "pmol/L", "pg/mL", 94.3],
    ["pth", 94.3, "pg/mL", "pmol/L", 10],
    ["pth", 50, "ng/L", "pg/mL", 50],
    ["albumin", 40, "g/L", "g/dL", 4],
    ["albumin", 4, "g/dL", "g/L", 40],
    ["boneAlp", 7.3, "ug/L", "ng/mL", 7.3],
    ["boneAlp", 7.3, "ng/mL", "ug/L", 7.3],
  ] as const)("%s: %d %s -> %s = %d", (key, value, from, to, expected) => {
    expect(convertLab(key, value, from, to)).toBeCloseTo(expected, 4);
  });

  it("reads unit text case-insensitively and with µ, mcg, spaces", () => {
    expect(ucumCandidate("mg/dl")).toBe("mg/dL");
    expect(ucumCandidate("MMOL/L")).toBe("mmol/L");
    expect(ucumCandidate("µg/l")).toBe("ug/L");
    expect(ucumCandidate("mcg / L")).toBe("ug/L");
    expect(labUnitFactor("calcium", "MG/DL")).toEqual({ ok: true, factor: 1 });
    expect(labUnitFactor("creatinine", "µmol/l")).toEqual({ ok: true, factor: expect.closeTo(1 / 88.42, 8) });
  });

  it("prefers the UCUM code to the unit text", () => {
    expect(unitString({ unit: "mg/dl (serum)", system: "http://unitsofmeasure.org", code: "mg/dL" })).toBe("mg/dL");
    expect(unitString({ unit: "mmol/L", system: "http://example.org/units", code: "x" })).toBe("mmol/L");
  });

  it("takes eGFR in mL/min as per 1.73 m² with a note, accepts the usual spellings, refuses others", () => {
    for (const u of ["mL/min/{1.73_m2}", "mL/min/1.73m2", "ml/min/1.73 m²", "mL/min/1.73m^2"])
      expect(labUnitFactor("egfr", u)).toEqual({ ok: true, factor: 1 });
    expect(labUnitFactor("egfr", "mL/min")).toEqual({ ok: true, factor: 1, note: "egfr-unit-assumed" });
    expect(labUnitFactor("egfr", "mL/s")).toEqual({ ok: false, reason: "unit-unknown" });
  });

  it("never guesses: an unknown or missing unit is not converted", () => {
    expect(labUnitFactor("calcium", "mEq/L")).toEqual({ ok: false, reason: "unit-unknown" });
    expect(labUnitFactor("boneAlp", "U/L")).toEqual({ ok: false, reason: "unit-unknown" });
    expect(labUnitFactor("pth", null)).toEqual({ ok: false, reason: "unit-missing" });
    expect(convertLab("albumin", 600, "umol/L", "g/dL")).toBeNull();
  });

  it("converts lesion lengths to cm", () => {
    expect(lengthToCm(45, "mm")).toBeCloseTo(4.5);
    expect(lengthToCm(1, "[in_i]")).toBeCloseTo(2.54);
    expect(lengthToCm(3, "mg")).toBeNull();
  });
});

describe("normalised values in the Assessment", () => {
  it("keeps the value as written and adds the canonical one", () => {
    const a = run([ssc(), lab("2000-8", 2.2, "mmol/L")]);
    expect(a.labs.calcium?.latest).toEqual(
      expect.objectContaining({ value: 2.2, unit: "mmol/L", normalized: { value: 8.82, unit: "mg/dL" } }),
    );
  });
  it("keeps an unconvertible value for display, out of every rule, with a note", () => {
    const a = run([ssc(), lab("2777-1", 9, "mEq/L")]);
    expect(a.labs.phosphate?.latest).toEqual(expect.objectContaining({ value: 9, unit: "mEq/L", normalized: null }));
    expect(a.secondaryCauses).toEqual([]);
    expect(a.dataQuality.find((d) => d.code === "unit-unknown")?.text).toContain('"mEq/L"');
  });
});

describe("case in UCUM", () => {
  it("does not fold the case of a valid UCUM unit (U/L is an enzyme activity, not u/L daltons)", () => {
    expect(labUnitFactor("boneAlp", "U/L")).toEqual({ ok: false, reason: "unit-unknown" });
    expect(labUnitFactor("phosphate", "mEq/L")).toEqual({ ok: false, reason: "unit-unknown" });
  });
});
