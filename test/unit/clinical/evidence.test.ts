import { describe, expect, it } from "vitest";
import { ICD, SCT, condition, ids, lesionObs, refOf, report, run, ssc, study } from "./builders";

describe("PC-DOC: tumoral / pseudotumoral calcinosis coded or named", () => {
  it("fires on SNOMED 61778004", () => {
    const c = condition({ system: SCT, code: "61778004" });
    const a = run([ssc(), c]);
    expect(a.status).toBe("documented");
    expect(a.findings.find((f) => f.ruleId === "PC-DOC")?.evidence).toEqual([refOf(c)]);
  });

  it.each(["Pseudotumoral calcinosis", "tumoural calcinosis of the hip", "Pseudo-tumoral calcinosis"])(
    "fires on the words in a Condition: %s",
    (text) => {
      expect(run([ssc(), condition({ text })]).status).toBe("documented");
    },
  );

  it("fires on the words in a Condition's notes", () => {
    const c = condition(
      { text: "Soft tissue mass, left elbow" },
      { note: [{ text: "Histology consistent with pseudotumoral calcinosis." }] },
    );
    expect(ids(run([ssc(), c]).findings)).toContain("PC-DOC");
  });

  it("fires on the words in an imaging report", () => {
    const r = report("MR Shoulder left", "Findings consistent with pseudotumoral calcinosis of the left shoulder.");
    const a = run([ssc(), r]);
    expect(a.status).toBe("documented");
    expect(a.findings.find((f) => f.ruleId === "PC-DOC")?.evidence).toEqual([refOf(r)]);
  });

  it("does not fire when the words are negated, or without SSc it does not make the status", () => {
    expect(ids(run([ssc(), report("XR Hip", "No evidence of tumoral calcinosis.")]).findings)).not.toContain("PC-DOC");
    const noSsc = run([condition({ system: SCT, code: "61778004" })]);
    expect(noSsc.status).toBe("not-applicable");
  });
});

describe("PC-SIZE: calcified lesion with a largest dimension >= 2.0 cm", () => {
  it("fires on an Observation with a body site and a value in cm", () => {
    const o = lesionObs({ system: SCT, code: "16982005", text: "Left shoulder" }, { value: 3.1, unit: "cm" });
    const a = run([ssc(), o]);
    expect(a.status).toBe("probable");
    expect(a.lesions).toEqual([
      expect.objectContaining({ siteGroup: "shoulder-elbow", laterality: "left", maxDimensionCm: 3.1, evidence: [refOf(o)] }),
    ]);
  });

  it("fires on dimension components in mm (largest 45 mm)", () => {
    const o = lesionObs(
      { system: SCT, code: "29836001" },
      {
        components: [
          ["103339001", 45, "mm"],
          ["103340004", 30, "mm"],
        ],
      },
    );
    const a = run([ssc(), o]);
    expect(a.lesions[0]).toEqual(expect.objectContaining({ siteGroup: "hip-pelvis", maxDimensionCm: 4.5, dimensionsCm: [4.5, 3] }));
    expect(a.status).toBe("probable");
  });

  it("fires on sizes parsed from a report: 12x11 cm, 3 x 2.1 x 3,4 cm, 2.8 × 1.5 × 5.7 cm, 45 mm", () => {
    const cases: [string, number][] = [
      ["Calcific mass of the left shoulder, 12x11 cm.", 12],
      ["Calcified masses at the left elbow (3 x 2.1 x 3,4 cm) and (2.8 × 1.5 × 5.7 cm).", 5.7],
      ["Periarticular calcified mass lateral to the right hip, 45 mm.", 4.5],
      ["Polylobate calcific mass 8,8x6,8 cm in the soft tissue of the right dorsal region.", 8.8],
    ];
    for (const [text, cm] of cases) {
      const a = run([ssc(), report("XR", text)]);
      expect(a.status, text).toBe("probable");
      expect(Math.max(...a.lesions.map((l) => l.maxDimensionCm ?? 0)), text).toBe(cm);
    }
  });

  it("fires on a size in a Condition's text with a body site", () => {
    const c = condition(
      { system: SCT, code: "6595006", text: "Calcinosis, right knee, 2.5 cm" },
      { bodySite: [{ coding: [{ system: SCT, code: "72696002" }], text: "Right knee" }] },
    );
    const a = run([ssc(), c]);
    expect(a.lesions[0]).toEqual(expect.objectContaining({ siteGroup: "lower-limb", laterality: "right", maxDimensionCm: 2.5 }));
    expect(a.status).toBe("probable");
  });

  it("does not fire below 2.0 cm (1.9 cm is possible, not probable)", () => {
    const a = run([ssc(), lesionObs({ system: SCT, code: "85562004" }, { value: 19, unit: "mm" })]);
    expect(ids(a.findings)).not.toContain("PC-SIZE");
    expect(a.status).toBe("possible");
  });

  it("does not read a size next to a vascular calcification or a number without a unit", () => {
    const a = run([ssc(), report("CT Abdomen", "Aortic calcification 3 cm. Calcification at T12 level 4.")]);
    expect(ids(a.findings)).not.toContain("PC-SIZE");
    expect(a.lesions).toEqual([]);
  });

  it("does not take a length in an unknown unit", () => {
    const a = run([ssc(), lesionObs({ system: SCT, code: "85562004" }, { value: 3, unit: "[foo]" })]);
    expect(ids(a.findings)).not.toContain("PC-SIZE");
    expect(a.dataQuality.map((d) => d.code)).toContain("unit-unknown");
  });
});

describe("PC-CALC: calcinosis documented without a size", () => {
  it.each([
    ["calcinosis cutis L94.2", { system: ICD, code: "L94.2" }],
    ["muscle calcification M61.41", { system: ICD, code: "M61.41" }],
    ["SNOMED calcinosis 6595006", { system: SCT, code: "6595006" }],
    ["SNOMED dystrophic calcification 129750001", { system: SCT, code: "129750001" }],
    ["the word calcinosis", { text: "Calcinosis of the fingertips" }],
    ["the words calcified mass", { text: "Calcified mass, forearm" }],
  ])("fires on %s", (_n, code) => {
    const c = condition(code);
    const a = run([ssc(), c]);
    expect(a.status).toBe("possible");
    expect(a.findings.find((f) => f.ruleId === "PC-CALC")?.evidence).toEqual([refOf(c)]);
  });

  it("E83.59 counts only with calcinosis text", () => {
    expect(run([ssc(), condition({ system: ICD, code: "E83.59", text: "Other disorders of calcium metabolism" })]).status).toBe(
      "no-evidence",
    );
    expect(run([ssc(), condition({ system: ICD, code: "E83.59", text: "Calcinosis, disorder of calcium metabolism" })]).status).toBe(
      "possible",
    );
  });

  it("does not fire on an unrelated Condition or a negated mention", () => {
    expect(ids(run([ssc(), condition({ system: ICD, code: "M79.1", text: "Myalgia" })]).findings)).toEqual([]);
    expect(ids(run([ssc(), condition({ text: "No calcinosis" })]).findings)).toEqual([]);
  });
});

describe("PC-IMG: imaging text suggests soft-tissue calcification, no diagnosis yet", () => {
  it.each([
    "Soft-tissue calcifications around the right hip.",
    "Periarticular calcification of the left shoulder.",
    "Paravertebral calcifications at L3.",
    "A calcific mass of the right thigh.",
  ])("fires on: %s", (text) => {
    const r = report("XR", text);
    const a = run([ssc(), r]);
    expect(a.findings.find((f) => f.ruleId === "PC-IMG")?.evidence).toEqual([refOf(r)]);
    expect(["possible", "probable"]).toContain(a.status);
  });

  it("fires on an ImagingStudy description", () => {
    const s = study("CT", null, "2026-10-01", { description: "CT: periarticular soft-tissue calcifications of the left elbow" });
    expect(ids(run([ssc(), s]).findings)).toContain("PC-IMG");
  });

  it("does not fire once a diagnosis names the calcinosis, nor on vascular calcification", () => {
    const a = run([ssc(), condition({ system: ICD, code: "L94.2" }), report("XR", "Soft-tissue calcification of the fingertips.")]);
    expect(ids(a.findings)).toEqual(["PC-CALC"]);
    expect(ids(run([ssc(), report("XR Pelvis", "Vascular calcification of both femoral arteries.")]).findings)).toEqual([]);
    expect(ids(run([ssc(), report("XR Hand", "No soft-tissue calcification.")]).findings)).toEqual([]);
  });
});

describe("status precedence (§2)", () => {
  it("documented > probable > possible > no-evidence; not-applicable without SSc", () => {
    const doc = condition({ system: SCT, code: "61778004" });
    const big = report("XR", "Calcific mass of the left hip, 5 cm.");
    const small = condition({ system: ICD, code: "L94.2" });
    expect(run([ssc(), doc, big, small]).status).toBe("documented");
    expect(run([ssc(), big, small]).status).toBe("probable");
    expect(run([ssc(), small]).status).toBe("possible");
    expect(run([ssc()]).status).toBe("no-evidence");
    expect(run([doc, big, small]).status).toBe("not-applicable");
  });
});
