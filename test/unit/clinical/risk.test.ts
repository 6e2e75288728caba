import { describe, expect, it } from "vitest";
import { ICD, SCT, antibody, condition, ids, lab, patient, refOf, report, run, runRaw, ssc } from "./builders";

const item = (a: ReturnType<typeof run>, id: string) => a.riskFeatures.find((r) => r.ruleId === id);

describe("R-VASC: severe vascular phenotype", () => {
  it.each([
    ["digital ulcer L98.491", { system: ICD, code: "L98.491" }, "digital ulcers"],
    ["digital ulcer L98.A3 (FY2026)", { system: ICD, code: "L98.A31" }, "digital ulcers"],
    ["PAH SNOMED 11399002", { system: SCT, code: "11399002" }, "pulmonary arterial hypertension"],
    ["PAH I27.21", { system: ICD, code: "I27.21" }, "pulmonary arterial hypertension"],
    ["pulmonary hypertension 70995007", { system: SCT, code: "70995007" }, "pulmonary hypertension"],
    ["Raynaud with gangrene I73.01", { system: ICD, code: "I73.01" }, "Raynaud with gangrene"],
    ["finger amputation Z89.021", { system: ICD, code: "Z89.021" }, "digital amputation"],
    ["osteolysis of hand M89.541", { system: ICD, code: "M89.541" }, "acro-osteolysis"],
    ["uncoded text", { text: "Recurrent digital ulcers" }, "digital ulcers"],
  ])("fires on %s", (_n, code, name) => {
    const c = condition(code);
    const r = item(run([ssc(), c]), "R-VASC");
    expect(r?.text).toContain(name);
    expect(r?.evidence).toEqual([refOf(c)]);
  });

  it("does not fire on interstitial lung disease alone or without SSc", () => {
    expect(item(run([ssc(), condition({ system: SCT, code: "233703007" })]), "R-VASC")).toBeUndefined();
    expect(run([condition({ system: ICD, code: "L98.491" })]).riskFeatures).toEqual([]);
  });
});

describe("R-DUR: disease duration >= 5 years", () => {
  it("fires at 5 years, not at 4", () => {
    expect(item(run([ssc(undefined, { onsetDateTime: "2021-11-21" })]), "R-DUR")?.text).toContain("5 years");
    expect(item(run([ssc(undefined, { onsetDateTime: "2021-11-22" })]), "R-DUR")).toBeUndefined();
  });
});

describe("R-AGE: age >= 48", () => {
  it("fires at 48 on the assessment date, not the day before the birthday", () => {
    expect(item(runRaw([patient({ birthDate: "1978-11-21" }), ssc()]), "R-AGE")?.evidence).toEqual(["Patient/p1"]);
    expect(item(runRaw([patient({ birthDate: "1978-11-22" }), ssc()]), "R-AGE")).toBeUndefined();
  });
  it("is not evaluated without a birth date", () => {
    const a = runRaw([patient({ birthDate: undefined }), ssc()]);
    expect(item(a, "R-AGE")).toBeUndefined();
    expect(a.notEvaluated?.map((n) => n.ruleId)).toContain("R-AGE");
  });
});

describe("R-CALC: calcinosis elsewhere already documented", () => {
  it("fires for calcifications at another site than the pseudotumoral lesion", () => {
    const r = report("XR", "Calcific mass of the left shoulder, 12x11 cm. Smaller calcifications in the right hip.");
    const f = item(run([ssc(), r]), "R-CALC");
    expect(f?.text).toContain("right hip");
    expect(f?.evidence).toEqual([refOf(r)]);
  });
  it("fires for calcinosis cutis documented besides the lesion", () => {
    const c = condition({ system: ICD, code: "L94.2" });
    expect(item(run([ssc(), c, report("XR", "Calcific mass of the left hip, 4 cm.")]), "R-CALC")?.evidence).toEqual([refOf(c)]);
  });
  it("does not fire when the only calcinosis is the lesion itself", () => {
    expect(
      item(
        run([
          ssc(),
          report("XR", "Calcific mass of the left hip, 4 cm."),
          report("CT Hip", "Calcific mass of the left hip, 4.2 cm.", "2026-10-20"),
        ]),
        "R-CALC",
      ),
    ).toBeUndefined();
  });
});

describe("R-AB: SSc antibody positive (shown, not weighted)", () => {
  it("fires for Scl-70, anticentromere and PM/Scl; text-only results too", () => {
    for (const code of ["47322-3", "31290-0", "101221-0"]) {
      const o = antibody(code, true);
      expect(item(run([ssc(), o]), "R-AB")?.evidence).toEqual([refOf(o)]);
    }
    const uncoded = { ...antibody("x", true), code: { text: "Anti-PM/Scl-75 antibody" } } as never;
    expect(item(run([ssc(), uncoded]), "R-AB")?.text).toContain("anti-PM/Scl");
  });
  it("does not fire for a negative result, RNA polymerase III (not an R-AB antibody), or a titre without a range", () => {
    expect(item(run([ssc(), antibody("47322-3", false)]), "R-AB")).toBeUndefined();
    expect(item(run([ssc(), antibody("79182-2", true)]), "R-AB")).toBeUndefined();
    expect(item(run([ssc(), lab("47322-3", 40, "[U]/mL")]), "R-AB")).toBeUndefined();
  });
  it("reads a numeric result against its own range", () => {
    const pos = lab("47322-3", 40, "[U]/mL", "2015-01-01", { referenceRange: [{ high: { value: 7, unit: "[U]/mL" } }] });
    expect(ids(run([ssc(), pos]).riskFeatures)).toContain("R-AB");
  });
});
