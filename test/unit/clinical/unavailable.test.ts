import { describe, expect, it } from "vitest";
import { ICD, condition, ids, lab, report, run, ssc } from "./builders";

const shoulder = () => report("MR Shoulder left", "Calcific mass of the left shoulder, 12x11 cm.");
const du = () => condition({ system: ICD, code: "L98.491" });
const notEval = (a: ReturnType<typeof run>) => a.notEvaluated?.map((n) => n.ruleId) ?? [];

describe("AssessOptions.unavailable: unknown is not a gap", () => {
  it("Observations failed: lab gaps and lab flags are not evaluated, not claimed", () => {
    const a = run([ssc(), du(), shoulder()], { unavailable: [{ resourceType: "Observation", reason: "failed" }] });
    for (const g of ["G-CA", "G-PHOS", "G-PTH", "G-VITD", "G-RENAL", "G-AB"]) {
      expect(ids(a.workupGaps)).not.toContain(g);
      expect(notEval(a)).toContain(g);
    }
    expect(notEval(a)).toEqual(expect.arrayContaining(["S-CA", "S-PHOS", "S-PTH", "S-VITD", "S-CKD", "S-CAXP", "R-AB"]));
    // Listed once, with the rules it affects.
    expect(a.missingData).toHaveLength(1);
    expect(a.missingData[0]).toMatchObject({ resourceType: "Observation", reason: "failed" });
    expect(a.missingData[0]!.rules).toEqual(expect.arrayContaining(["G-PTH", "S-CA", "G-RENAL"]));
    expect(a.missingData[0]!.labs).toEqual(expect.arrayContaining(["calcium", "pth", "egfr"]));
  });

  it("one Observation group failed: only its rules are unknown", () => {
    const a = run([ssc(), du(), shoulder()], {
      unavailable: [{ resourceType: "Observation", group: "pth-vitamin-d", reason: "truncated" }],
    });
    expect(notEval(a)).toEqual(expect.arrayContaining(["G-PTH", "G-VITD", "S-PTH", "S-VITD"]));
    expect(notEval(a)).not.toContain("G-CA");
    expect(ids(a.workupGaps)).toContain("G-CA");
    expect(a.missingData).toEqual([
      expect.objectContaining({ scopes: ["Observation:pth-vitamin-d"], reason: "truncated", labs: ["pth", "vitaminD25", "boneAlp"] }),
    ]);
    expect(a.missingData[0]!.rules).not.toContain("G-CA");
  });

  it("a result found in truncated data still closes its gap and fires its flag", () => {
    const a = run([ssc(), du(), shoulder(), lab("2731-8", 90, "pg/mL")], {
      unavailable: [{ resourceType: "Observation", group: "pth-vitamin-d", reason: "truncated" }],
    });
    expect(ids(a.workupGaps)).not.toContain("G-PTH");
    expect(notEval(a)).not.toContain("G-PTH");
    expect(ids(a.secondaryCauses)).toContain("S-PTH");
  });

  it("ImagingStudy failed: imaging gaps are not evaluated", () => {
    const c = condition({ text: "Calcinosis of the right hip" });
    const a = run([ssc(), du(), c, report("XR Hip", "Calcific mass of the right hip, 4 cm.", "2026-03-01")], {
      unavailable: [{ resourceType: "ImagingStudy", reason: "failed" }],
    });
    expect(ids(a.workupGaps).filter((g) => ["G-IMG-SITE", "G-CT", "G-SPINE", "G-SCREEN"].includes(g))).toEqual([]);
    expect(notEval(a)).toEqual(expect.arrayContaining(["G-CT", "G-SPINE"]));
    const screen = run([ssc()], { unavailable: [{ resourceType: "ImagingStudy", reason: "failed" }] });
    expect(ids(screen.workupGaps)).not.toContain("G-SCREEN");
    expect(notEval(screen)).toContain("G-SCREEN");
  });

  it("Conditions failed: E1 could not be evaluated, and the status is indeterminate, not not-applicable", () => {
    const a = run([], { unavailable: [{ resourceType: "Condition", reason: "failed", label: "Conditions (diagnoses)" }] });
    expect(a.status).toBe("indeterminate");
    expect(notEval(a)).toContain("E1");
    expect(a.statusReason).toContain("Conditions (diagnoses)");
    expect(a.statusReason).not.toMatch(/no systemic sclerosis/i);
  });

  it("nothing unavailable: nothing listed beyond missing inputs", () => {
    expect(run([ssc(), du(), shoulder()]).notEvaluated).toEqual([]);
  });
});

describe("§6 STATUS: indeterminate, never an absence that was not seen", () => {
  const noCalcinosis = () => [ssc(), du(), report("XR Hands", "Normal bone density. No soft-tissue abnormality.", "2026-03-01")];

  it.each([
    ["Condition", undefined],
    ["DiagnosticReport", undefined],
    ["DocumentReference", undefined],
    ["Observation", "lesions"],
  ] as const)("SSc, no calcinosis finding, %s %s unavailable: indeterminate", (resourceType, group) => {
    for (const reason of ["failed", "truncated", "pending"] as const) {
      const a = run(noCalcinosis(), { unavailable: [{ resourceType, reason, ...(group ? { group } : {}) }] });
      expect(a.status).toBe("indeterminate");
      expect(a.statusReason).toMatch(/cannot be ruled out/);
    }
  });

  it("SSc, no calcinosis finding, labs or imaging studies unavailable: still no-evidence, with the gaps not evaluated", () => {
    for (const u of [{ resourceType: "Observation", group: "kidney" }, { resourceType: "ImagingStudy" }] as const) {
      const a = run(noCalcinosis(), { unavailable: [{ ...u, reason: "failed" }] });
      expect(a.status).toBe("no-evidence");
    }
  });

  it("a calcinosis finding decides the status even when other data is missing", () => {
    const a = run([ssc(), du(), shoulder()], { unavailable: [{ resourceType: "Condition", reason: "truncated" }] });
    expect(a.status).toBe("probable");
  });

  it("no-evidence says what was read", () => {
    const a = run(noCalcinosis());
    expect(a.status).toBe("no-evidence");
    expect(a.read).toEqual({ conditions: 2, results: 0, reports: 1, imagingStudies: 0, documents: 0, notRead: 0 });
    expect(a.statusReason).toBe("No calcinosis recognised in 2 conditions, 0 results, 1 report and 0 notes read.");
  });

  it("no SSc in a fully loaded record: not-applicable, counting what was read", () => {
    const a = run([du()]);
    expect(a.status).toBe("not-applicable");
    expect(a.statusReason).toBe("No active systemic sclerosis diagnosis in the 1 condition read.");
  });
});

describe("panels: results that sit in Observation.component", () => {
  it("a renal panel's components are read as their analytes", () => {
    const panel = lab("24362-6", 0, "");
    Object.assign(panel, {
      valueQuantity: undefined,
      component: [
        {
          code: { coding: [{ system: "http://loinc.org", code: "2000-8" }] },
          valueQuantity: { value: 2.45, unit: "mmol/L", system: "http://unitsofmeasure.org", code: "mmol/L" },
        },
        {
          code: { coding: [{ system: "http://loinc.org", code: "14879-1" }] },
          valueQuantity: { value: 1.84, unit: "mmol/L", system: "http://unitsofmeasure.org", code: "mmol/L" },
        },
      ],
    });
    const a = run([ssc(), du(), shoulder(), panel]);
    expect(a.labs.calcium?.count).toBe(1);
    expect(a.labs.phosphate?.count).toBe(1);
    expect(a.labs.phosphate?.latest?.normalized?.value).toBeCloseTo(5.7, 1);
  });

  it("the panel search failing leaves the lab groups it covers unknown, not the lesions", () => {
    const a = run([ssc(), du(), shoulder()], { unavailable: [{ resourceType: "Observation", group: "panels", reason: "failed" }] });
    expect(a.missingData).toEqual([
      expect.objectContaining({
        label: "Labs: metabolic, renal and hepatic panels",
        scopes: ["Observation:calcium-phosphate", "Observation:albumin", "Observation:kidney"],
      }),
    ]);
    expect(notEval(a)).toEqual(expect.arrayContaining(["G-CA", "G-RENAL", "S-CKD"]));
    expect(notEval(a)).not.toContain("G-PTH");
    expect(a.status).toBe("probable");
  });
});
