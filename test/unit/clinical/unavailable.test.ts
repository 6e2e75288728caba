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
    const dq = a.dataQuality.find((d) => d.code === "unavailable");
    expect(dq?.text).toContain("could not be loaded");
    expect(dq?.text).toContain("G-PTH");
  });

  it("one Observation group failed: only its rules are unknown", () => {
    const a = run([ssc(), du(), shoulder()], {
      unavailable: [{ resourceType: "Observation", group: "pth-vitamin-d", reason: "truncated" }],
    });
    expect(notEval(a)).toEqual(expect.arrayContaining(["G-PTH", "G-VITD", "S-PTH", "S-VITD"]));
    expect(notEval(a)).not.toContain("G-CA");
    expect(ids(a.workupGaps)).toContain("G-CA");
    expect(a.dataQuality.find((d) => d.code === "unavailable")?.text).toContain("partly loaded");
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

  it("Conditions failed: E1 could not be evaluated", () => {
    const a = run([], { unavailable: [{ resourceType: "Condition", reason: "failed" }] });
    expect(a.status).toBe("not-applicable");
    expect(notEval(a)).toContain("E1");
  });

  it("nothing unavailable: nothing listed beyond missing inputs", () => {
    expect(run([ssc(), du(), shoulder()]).notEvaluated).toEqual([]);
  });
});
