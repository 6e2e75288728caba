import { describe, expect, it } from "vitest";
import { statusReason } from "../../../src/clinical/reason";
import type { Lesion, MissingData, RuleItem } from "../../../src/clinical/types";

const read = { conditions: 4, results: 120, reports: 2, imagingStudies: 1, documents: 0, notRead: 0 };
const lesion = (cm: number | null, date: string, ref: string): Lesion => ({
  id: ref,
  siteGroup: "trunk",
  laterality: "right",
  maxDimensionCm: cm,
  date,
  evidence: [ref],
});
const finding = (ruleId: RuleItem["ruleId"], text: string, evidence: string[] = []): RuleItem => ({
  ruleId,
  text,
  evidence,
  ...(evidence[0] ? { lesionId: evidence[0] } : {}),
});
const missing = (m: Partial<MissingData>): MissingData => ({
  resourceType: "DiagnosticReport",
  scopes: ["DiagnosticReport"],
  label: "Imaging and pathology reports",
  reason: "failed",
  rules: [],
  ...m,
});

describe("the reason beside the status", () => {
  it("probable: the PC-SIZE finding of the largest lesion, then the latest", () => {
    const findings = [finding("PC-SIZE", "Small one.", ["DiagnosticReport/a"]), finding("PC-SIZE", "Big one.", ["DiagnosticReport/b"])];
    const lesions = [lesion(3, "2026-01-01", "DiagnosticReport/a"), lesion(10, "2025-01-01", "DiagnosticReport/b")];
    expect(statusReason({ status: "probable", findings, lesions, read, missing: [] })).toBe("Big one.");
  });

  it("documented: PC-DOC speaks first; possible: PC-CALC before PC-IMG", () => {
    const findings = [finding("PC-IMG", "Imaging."), finding("PC-CALC", "Calcinosis."), finding("PC-DOC", "Named.")];
    expect(statusReason({ status: "documented", findings, lesions: [], read, missing: [] })).toBe("Named.");
    expect(statusReason({ status: "possible", findings, lesions: [], read, missing: [] })).toBe("Calcinosis.");
  });

  it("indeterminate: names what is missing and what to do", () => {
    const text = statusReason({ status: "indeterminate", findings: [], lesions: [], read, missing: [missing({})] });
    expect(text).toBe(
      "Not all of the record could be loaded (Imaging and pathology reports): calcinosis cannot be ruled out. Retry the failed searches, or review the chart directly.",
    );
    const loading = statusReason({ status: "indeterminate", findings: [], lesions: [], read, missing: [missing({ reason: "pending" })] });
    expect(loading).toMatch(/Wait for the record to finish loading/);
  });

  it("indeterminate without any Condition read: SSc itself is unknown", () => {
    const conditions = missing({ resourceType: "Condition", scopes: ["Condition"], label: "Conditions (diagnoses)" });
    const text = statusReason({
      status: "indeterminate",
      findings: [],
      lesions: [],
      read: { ...read, conditions: 0 },
      missing: [conditions],
    });
    expect(text).toMatch(/whether systemic sclerosis or calcinosis is on record is unknown/);
  });
});
