/**
 * Issue 10: a rule whose data was not loaded is "not evaluated", never an absence. Gaps and risk
 * features apply to SSc patients, and the workup follows the status: with the diagnoses or the
 * reports not loaded they are unknown, so the note cannot say "WORKUP GAPS – None".
 */
import { describe, expect, it } from "vitest";
import { assess } from "../../../src/clinical";
import type { UnavailableData } from "../../../src/clinical/types";
import { composeNote } from "../../../src/writeback/note";
import { demoPatient } from "../../../sandbox/data";

function without(id: string, type: UnavailableData["resourceType"]) {
  const resources = demoPatient(id)!.resources.filter((r) => r.resourceType !== type);
  return assess(resources, {
    asOf: "2026-11-21",
    patientId: id,
    unavailable: [{ resourceType: type, reason: "failed", message: "HTTP 403" }],
  });
}

const note = (a: ReturnType<typeof assess>) =>
  composeNote({
    assessment: a,
    context: { patientId: a.patient.id, fhirUser: null, encounterId: null, appUrl: "https://app.example", appVersion: "1" } as never,
    findingId: "f",
  });

describe("gaps and risk features are unknown when what they depend on was not loaded", () => {
  it("diagnoses not loaded: every gap, risk feature and E2 is not evaluated, and listed under the Condition search", () => {
    const a = without("ssc-ckd", "Condition");
    expect(a.status).toBe("indeterminate");
    const ids = (a.notEvaluated ?? []).map((n) => n.ruleId);
    for (const id of ["G-CA", "G-PTH", "G-SPINE", "G-SCREEN", "R-AGE", "R-AB", "E2"]) expect(ids).toContain(id);
    const condition = a.missingData.find((m) => m.resourceType === "Condition")!;
    expect(condition.rules).toEqual(expect.arrayContaining(["G-CA", "R-AGE", "E1"]));
    expect(note(a)).not.toMatch(/WORKUP GAPS\n- None\.|RISK FEATURES[^\n]*\n- None\./);
  });

  it("reports not loaded, status undecided: the gaps are not evaluated", () => {
    for (const id of ["modena-3", "ssc-ckd"]) {
      const a = without(id, "DiagnosticReport");
      expect(a.status).toBe("indeterminate");
      expect(a.workupGaps).toEqual([]);
      expect((a.notEvaluated ?? []).filter((n) => n.ruleId.startsWith("G-")).length).toBeGreaterThan(5);
      expect(note(a)).not.toMatch(/WORKUP GAPS\n- None\./);
    }
  });

  it("a complete record still says plainly when there is no gap", () => {
    const a = assess(demoPatient("ssc-ckd")!.resources, { asOf: "2026-11-21", patientId: "ssc-ckd" });
    expect((a.notEvaluated ?? []).filter((n) => n.ruleId.startsWith("G-"))).toEqual([]);
  });
});
