import { describe, expect, it } from "vitest";
import { ICD, SCT, condition, lab, labWithRange, refOf, run, ssc } from "./builders";

const flag = (a: ReturnType<typeof run>, id: string) => a.secondaryCauses.find((r) => r.ruleId === id);

describe("S-CA: hypercalcaemia", () => {
  it("fires on total calcium > 10.5 mg/dL and on 2.7 mmol/L, not on 10.5 or 2.62 mmol/L", () => {
    const hi = lab("17861-6", 10.8, "mg/dL");
    expect(flag(run([ssc(), hi]), "S-CA")?.evidence).toEqual([refOf(hi)]);
    expect(flag(run([ssc(), lab("2000-8", 2.7, "mmol/L")]), "S-CA")).toBeDefined();
    expect(flag(run([ssc(), lab("17861-6", 10.5, "mg/dL")]), "S-CA")).toBeUndefined();
    expect(flag(run([ssc(), lab("2000-8", 2.62, "mmol/L")]), "S-CA")).toBeUndefined();
  });
  it("uses the result's own reference range first", () => {
    expect(flag(run([ssc(), labWithRange("17861-6", 10.3, "mg/dL", 8.6, 10.2)]), "S-CA")?.text).toContain("laboratory's upper limit 10.2");
    expect(flag(run([ssc(), labWithRange("17861-6", 10.8, "mg/dL", 8.6, 11)]), "S-CA")).toBeUndefined();
  });
  it("uses the interpretation when there is no range", () => {
    const h = lab("17861-6", 10.3, "mg/dL", "2026-10-01", { interpretation: [{ coding: [{ code: "H" }] }] });
    expect(flag(run([ssc(), h]), "S-CA")?.text).toContain("flagged high");
  });
  it("fires on albumin-corrected calcium > 10.5: Ca 10.0 with albumin 3.0 g/dL gives 10.8", () => {
    const ca = lab("17861-6", 10.0, "mg/dL", "2026-10-01");
    const alb = lab("1751-7", 30, "g/L", "2026-10-03");
    const f = flag(run([ssc(), ca, alb]), "S-CA");
    expect(f?.text).toContain("albumin-corrected calcium 10.8 mg/dL");
    expect(f?.evidence).toEqual([refOf(ca), refOf(alb)].sort());
    // Albumin 4.0: corrected equals measured, no flag; albumin 60 days away: no pair.
    expect(flag(run([ssc(), lab("17861-6", 10.0, "mg/dL"), lab("1751-7", 4.0, "g/dL")]), "S-CA")).toBeUndefined();
    expect(
      flag(run([ssc(), lab("17861-6", 10.0, "mg/dL", "2026-10-01"), lab("1751-7", 3.0, "g/dL", "2026-08-01")]), "S-CA"),
    ).toBeUndefined();
  });
  it("fires on ionised calcium > 1.30 mmol/L (and 5.4 mg/dL = 1.35 mmol/L), not on 1.30", () => {
    expect(flag(run([ssc(), lab("1994-3", 1.36, "mmol/L")]), "S-CA")).toBeDefined();
    expect(flag(run([ssc(), lab("17864-0", 5.4, "mg/dL")]), "S-CA")).toBeDefined();
    expect(flag(run([ssc(), lab("1994-3", 1.3, "mmol/L")]), "S-CA")).toBeUndefined();
  });
  it("fires on a reported corrected calcium (29265-6, molar)", () => {
    expect(flag(run([ssc(), lab("29265-6", 2.75, "mmol/L")]), "S-CA")).toBeDefined();
  });
});

describe("S-PHOS: hyperphosphataemia", () => {
  it("fires on phosphate > 4.5 mg/dL or 1.6 mmol/L; not on 4.5 or 1.45 mmol/L", () => {
    expect(flag(run([ssc(), lab("2777-1", 4.6, "mg/dL")]), "S-PHOS")?.text).toContain("hyperphosphataemic tumoral calcinosis");
    expect(flag(run([ssc(), lab("2777-1", 1.6, "mmol/L")]), "S-PHOS")).toBeDefined();
    expect(flag(run([ssc(), lab("2777-1", 4.5, "mg/dL")]), "S-PHOS")).toBeUndefined();
    expect(flag(run([ssc(), lab("2777-1", 1.45, "mmol/L")]), "S-PHOS")).toBeUndefined();
  });
});

describe("S-PTH: raised PTH", () => {
  it("fires on PTH > 65 pg/mL (and 7.5 pmol/L x 9.43 = 70.72 pg/mL); not on 65", () => {
    expect(flag(run([ssc(), lab("2731-8", 86.5, "pg/mL")]), "S-PTH")?.text).toContain("86.5 pg/mL");
    expect(flag(run([ssc(), lab("14866-8", 7.5, "pmol/L")]), "S-PTH")?.text).toContain("70.72 pg/mL");
    expect(flag(run([ssc(), lab("2731-8", 65, "pg/mL")]), "S-PTH")).toBeUndefined();
  });
  it("with S-CA: consider primary hyperparathyroidism", () => {
    expect(flag(run([ssc(), lab("2731-8", 90, "pg/mL"), lab("17861-6", 11.2, "mg/dL")]), "S-PTH")?.detail).toContain(
      "primary hyperparathyroidism",
    );
  });
  it("with eGFR < 60 or 25-OH-D < 20 ng/mL: consider secondary", () => {
    expect(flag(run([ssc(), lab("2731-8", 90, "pg/mL"), lab("33914-3", 45, "mL/min/{1.73_m2}")]), "S-PTH")?.detail).toContain(
      "secondary hyperparathyroidism",
    );
    expect(flag(run([ssc(), lab("2731-8", 90, "pg/mL"), lab("62292-8", 15, "ng/mL")]), "S-PTH")?.detail).toContain(
      "secondary hyperparathyroidism",
    );
    expect(flag(run([ssc(), lab("2731-8", 90, "pg/mL"), lab("62292-8", 25, "ng/mL")]), "S-PTH")?.detail).not.toContain("secondary");
  });
});

describe("S-VITD: vitamin D excess", () => {
  it("> 100 ng/mL asks for review; > 150 ng/mL (374 nmol/L) makes hypervitaminosis D likely", () => {
    // §6 TEXT: the tier is the detail's sentence (the text says what was found, once).
    expect(flag(run([ssc(), lab("62292-8", 120, "ng/mL")]), "S-VITD")?.detail).toMatch(/^Review for vitamin D excess/);
    expect(flag(run([ssc(), lab("62292-8", 400, "nmol/L")]), "S-VITD")?.detail).toBe("Above 150 ng/mL: hypervitaminosis D likely.");
    expect(flag(run([ssc(), lab("62292-8", 100, "ng/mL")]), "S-VITD")).toBeUndefined();
  });
  it("does not read cholecalciferol (1990-1) as 25-OH-D", () => {
    expect(flag(run([ssc(), lab("1990-1", 200, "ng/mL")]), "S-VITD")).toBeUndefined();
  });
});

describe("S-CKD: kidney disease", () => {
  it("fires on eGFR < 60 on results more than 90 days apart, not on one result or two close together", () => {
    const a = lab("33914-3", 50, "mL/min/{1.73_m2}", "2026-01-10");
    const b = lab("33914-3", 48, "mL/min/{1.73_m2}", "2026-06-01");
    expect(flag(run([ssc(), a, b]), "S-CKD")?.evidence).toEqual([refOf(a), refOf(b)].sort());
    expect(flag(run([ssc(), lab("33914-3", 50, "mL/min/{1.73_m2}")]), "S-CKD")).toBeUndefined();
    expect(
      flag(
        run([ssc(), lab("33914-3", 50, "mL/min/{1.73_m2}", "2026-05-01"), lab("33914-3", 48, "mL/min/{1.73_m2}", "2026-06-01")]),
        "S-CKD",
      ),
    ).toBeUndefined();
  });
  it("fires on creatinine above the result's range (µmol/L), not without a range", () => {
    expect(flag(run([ssc(), labWithRange("14682-9", 150, "umol/L", 45, 90)]), "S-CKD")).toBeDefined();
    expect(flag(run([ssc(), lab("2160-0", 1.9, "mg/dL")]), "S-CKD")).toBeUndefined();
  });
  it("fires on a CKD, ESRD or dialysis diagnosis, with tiers < 30 and < 15", () => {
    expect(flag(run([ssc(), condition({ system: ICD, code: "N18.3" })]), "S-CKD")?.detail ?? null).toBeNull();
    expect(flag(run([ssc(), condition({ system: ICD, code: "N18.4" })]), "S-CKD")?.detail).toBe("eGFR < 30");
    expect(flag(run([ssc(), condition({ system: SCT, code: "105502003" })]), "S-CKD")?.detail).toBe("eGFR < 15");
    const low = [lab("33914-3", 25, "mL/min/{1.73_m2}", "2026-01-10"), lab("33914-3", 12, "mL/min/{1.73_m2}", "2026-06-01")];
    expect(flag(run([ssc(), ...low]), "S-CKD")?.detail).toBe("eGFR < 15");
  });
});

describe("S-CAXP: calcium x phosphate product > 55", () => {
  it("fires on Ca 10 x P 6 = 60 drawn the same week; not on 9.4 x 3.6 or on results 6 months apart", () => {
    const ca = lab("17861-6", 10, "mg/dL", "2026-10-01");
    const p = lab("2777-1", 6, "mg/dL", "2026-10-03");
    expect(flag(run([ssc(), ca, p]), "S-CAXP")?.evidence).toEqual([refOf(ca), refOf(p)].sort());
    expect(flag(run([ssc(), lab("17861-6", 9.4, "mg/dL"), lab("2777-1", 3.6, "mg/dL")]), "S-CAXP")).toBeUndefined();
    expect(
      flag(run([ssc(), lab("17861-6", 10, "mg/dL", "2026-04-01"), lab("2777-1", 6, "mg/dL", "2026-10-01")]), "S-CAXP"),
    ).toBeUndefined();
  });
});

describe("S-DX: a coded secondary cause", () => {
  it.each([
    ["primary hyperparathyroidism E21.0", { system: ICD, code: "E21.0" }, "primary hyperparathyroidism"],
    ["secondary hyperparathyroidism N25.81", { system: ICD, code: "N25.81" }, "secondary hyperparathyroidism"],
    ["hypervitaminosis D E67.3", { system: ICD, code: "E67.3" }, "hypervitaminosis D"],
    ["sarcoidosis D86.0", { system: ICD, code: "D86.0" }, "sarcoidosis"],
    ["malignancy C50.9", { system: ICD, code: "C50.9" }, "malignancy"],
    ["malignancy SNOMED 363346000", { system: SCT, code: "363346000" }, "malignancy"],
    ["pseudoxanthoma elasticum Q82.8", { system: ICD, code: "Q82.8" }, "pseudoxanthoma elasticum"],
    ["dermatomyositis M33.10", { system: ICD, code: "M33.10" }, "dermatomyositis"],
    ["milk-alkali syndrome by text", { system: ICD, code: "E83.52", text: "Milk-alkali syndrome" }, "milk-alkali syndrome"],
  ])("fires on %s", (_n, code, name) => {
    const c = condition(code);
    const f = flag(run([ssc(), c]), "S-DX");
    expect(f?.text).toContain(name);
    expect(f?.evidence).toEqual([refOf(c)]);
  });
  it("does not fire on D00 (in situ, outside C00-C96) or an unrelated diagnosis", () => {
    expect(flag(run([ssc(), condition({ system: ICD, code: "D05.1" })]), "S-DX")).toBeUndefined();
    expect(flag(run([ssc(), condition({ system: ICD, code: "E11.9" })]), "S-DX")).toBeUndefined();
  });
  it("never changes the status", () => {
    expect(run([ssc(), condition({ system: ICD, code: "E21.0" }), lab("2731-8", 300, "pg/mL")]).status).toBe("no-evidence");
  });
});
