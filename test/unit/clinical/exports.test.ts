import { describe, expect, it } from "vitest";
import {
  ANTIBODY_LOINC,
  LAB_LOINC,
  OBSERVATION_CODE_GROUPS,
  RULES,
  RULESET,
  STATUS_LABELS,
  THRESHOLDS,
  assess,
} from "../../../src/clinical";
import { RULE_NEEDS } from "../../../src/clinical/rules/needs";

describe("package exports", () => {
  it("RULESET is pc-ssc 1.1.0 and is stamped on every assessment", () => {
    expect(RULESET).toEqual({ id: "pc-ssc", version: "1.1.0" });
    expect(assess([], { asOf: "2026-11-21" }).ruleset).toEqual(RULESET);
  });

  it("RULES has every rule id of the spec with title, sources and threshold, quoting thresholds.ts", () => {
    const expected = [
      "E1",
      "E2",
      "PC-DOC",
      "PC-SIZE",
      "PC-CALC",
      "PC-IMG",
      "R-VASC",
      "R-DUR",
      "R-AGE",
      "R-CALC",
      "R-AB",
      "S-CA",
      "S-PHOS",
      "S-PTH",
      "S-VITD",
      "S-CKD",
      "S-CAXP",
      "S-DX",
      "S-DRUG",
      "G-CA",
      "G-PHOS",
      "G-PTH",
      "G-VITD",
      "G-RENAL",
      "G-ALB",
      "G-AB",
      "G-IMG-SITE",
      "G-CT",
      "G-SPINE",
      "G-NEO",
      "G-SCREEN",
      "RF-SPINE",
      "RF-COMP",
      "RF-CANAL",
    ];
    expect(Object.keys(RULES).sort()).toEqual([...expected].sort());
    expect(Object.keys(RULE_NEEDS).sort()).toEqual([...expected].sort());
    for (const id of expected) {
      const r = RULES[id as keyof typeof RULES];
      expect(r.title.length, id).toBeGreaterThan(3);
      expect(r.sources.length, id).toBeGreaterThan(0);
      expect(r.threshold.length, id).toBeGreaterThan(3);
    }
    expect(RULES["PC-SIZE"].threshold).toContain(String(THRESHOLDS.PC_MIN_SIZE_CM.toFixed(1)));
    expect(RULES["S-PTH"].threshold).toContain(String(THRESHOLDS.S_PTH_MAX_PG_ML));
    expect(RULES["PC-IMG"].sources).toEqual(["D"]);
  });

  it("STATUS_LABELS are the labels of §2 and §6 (STATUS)", () => {
    expect(STATUS_LABELS).toEqual({
      "not-applicable": "Not assessed: no systemic sclerosis on record",
      indeterminate: "Cannot be assessed: part of the record could not be loaded",
      "no-evidence": "No calcinosis found in the record",
      possible: "Possible pseudotumoral calcinosis",
      probable: "Probable pseudotumoral calcinosis",
      documented: "Pseudotumoral calcinosis documented",
    });
  });

  it("OBSERVATION_CODE_GROUPS cover every lab and antibody code once, as system|code", () => {
    const all = OBSERVATION_CODE_GROUPS.flatMap((g) => g.codes);
    expect(new Set(all).size).toBe(all.length);
    for (const codes of [...Object.values(LAB_LOINC), ...Object.values(ANTIBODY_LOINC)]) {
      for (const c of codes) expect(all).toContain(`http://loinc.org|${c}`);
    }
    expect(all).not.toContain("http://loinc.org|1990-1");
    expect(OBSERVATION_CODE_GROUPS.map((g) => g.key)).toEqual([
      "calcium-phosphate",
      "albumin",
      "pth-vitamin-d",
      "kidney",
      "antibodies",
      "lesions",
      "panels",
    ]);
  });
});
