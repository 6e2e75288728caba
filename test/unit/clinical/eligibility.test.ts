import { describe, expect, it } from "vitest";
import { ICD, ICD_WHO, SCT, condition, patient, refOf, run, runRaw, ssc } from "./builders";

const status = (code: string) => ({ coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code }] });
const verification = (code: string) => ({ coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-ver-status", code }] });

describe("E1: SSc present", () => {
  it.each([
    ["SNOMED systemic sclerosis", { system: SCT, code: "89155008" }],
    ["SNOMED CREST", { system: SCT, code: "31848007" }],
    ["SNOMED scleroderma renal crisis", { system: SCT, code: "236503001" }],
    ["ICD-10-CM M34.0", { system: ICD, code: "M34.0" }],
    ["ICD-10-CM M34.83 written without the dot", { system: ICD, code: "M3483" }],
    ["WHO ICD-10 M34.8", { system: ICD_WHO, code: "M34.8" }],
    ["text only", { text: "Systemic sclerosis, limited cutaneous" }],
    ["text only, qualifier first", { text: "Diffuse cutaneous SSc" }],
  ])("fires for %s", (_name, code) => {
    const c = ssc(code);
    const a = run([c]);
    expect(a.ssc.present).toBe(true);
    expect(a.ssc.evidence).toEqual([refOf(c)]);
    expect(a.status).toBe("no-evidence");
  });

  it("counts a Condition without any status as present", () => {
    expect(run([ssc()]).ssc.present).toBe(true);
  });

  it.each([
    ["refuted", { verificationStatus: verification("refuted") }],
    ["entered-in-error", { verificationStatus: verification("entered-in-error") }],
    ["inactive", { clinicalStatus: status("inactive") }],
    ["resolved", { clinicalStatus: status("resolved") }],
  ])("does not fire when the SSc Condition is %s", (_name, extra) => {
    const a = run([ssc(undefined, extra)]);
    expect(a.ssc.present).toBe(false);
    expect(a.status).toBe("not-applicable");
  });

  it("does not take morphea / localised scleroderma (L94.0, L94.1) for SSc", () => {
    expect(run([condition({ system: ICD, code: "L94.0", text: "Localized scleroderma" })]).ssc.present).toBe(false);
    expect(run([condition({ system: ICD, code: "L94.1" })]).ssc.present).toBe(false);
    expect(run([condition({ text: "Morphea" })]).ssc.present).toBe(false);
  });

  it("does not take a manifestation attributed to SSc for the diagnosis", () => {
    expect(run([condition({ text: "Dysphagia (oesophageal involvement of SSc)" })]).ssc.present).toBe(false);
    expect(run([condition({ system: ICD, code: "L98.491", text: "Digital ulcers, SSc-related" })]).ssc.present).toBe(false);
  });
});

describe("E2: disease duration", () => {
  it("counts from onsetDateTime to the assessment date, in whole years", () => {
    const a = run([ssc(undefined, { onsetDateTime: "2014-11-22" })]);
    expect(a.ssc.durationYears).toBe(11);
    expect(a.ssc.onsetDate).toBe("2014-11-22");
    expect(run([ssc(undefined, { onsetDateTime: "2014-11-21" })]).ssc.durationYears).toBe(12);
  });

  it("reads onsetPeriod.start, onsetAge (with the birth date), else recordedDate", () => {
    expect(run([ssc(undefined, { onsetDateTime: undefined, onsetPeriod: { start: "2016-03-01" } })]).ssc.durationYears).toBe(10);
    // Born 1970-05-01, onset at 40 years: 2010-05-01.
    const byAge = run([
      ssc(undefined, { onsetDateTime: undefined, onsetAge: { value: 40, unit: "a", system: "http://unitsofmeasure.org", code: "a" } }),
    ]);
    expect(byAge.ssc.onsetDate).toBe("2010-05-01");
    expect(byAge.ssc.durationYears).toBe(16);
    expect(run([ssc(undefined, { onsetDateTime: undefined, recordedDate: "2020-01-15" })]).ssc.durationYears).toBe(6);
  });

  it("takes the earliest onset of several SSc Conditions", () => {
    const early = ssc({ system: ICD, code: "M34.1" }, { onsetDateTime: "2005-02-01" });
    const a = run([ssc(), early]);
    expect(a.ssc.onsetDate).toBe("2005-02-01");
    expect(a.riskFeatures.find((r) => r.ruleId === "R-DUR")?.evidence).toEqual([refOf(early)]);
  });

  it("leaves the duration unknown, with a note, when no date is given", () => {
    const a = run([ssc(undefined, { onsetDateTime: undefined })]);
    expect(a.ssc.durationYears).toBeNull();
    expect(a.dataQuality.map((d) => d.code)).toContain("onset-missing");
    expect(a.notEvaluated?.map((n) => n.ruleId)).toEqual(expect.arrayContaining(["E2", "R-DUR"]));
  });
});

describe("SSc subset (§4)", () => {
  it("diffuse from 128460000, limited from 299276009 / M34.1, otherwise unspecified", () => {
    expect(run([ssc({ system: SCT, code: "128460000" })]).ssc.subset).toBe("diffuse");
    expect(run([ssc({ system: SCT, code: "299276009" })]).ssc.subset).toBe("limited");
    expect(run([ssc({ system: ICD, code: "M34.1" })]).ssc.subset).toBe("limited");
    expect(run([ssc({ system: ICD, code: "M34.9" })]).ssc.subset).toBe("unspecified");
    expect(run([]).ssc.subset).toBeNull();
  });
});

describe("patient", () => {
  it("reports age on the assessment date and sex; resources of another patient are ignored", () => {
    const other = ssc(undefined, { subject: { reference: "Patient/someone-else" } });
    const a = runRaw([patient(), other]);
    expect(a.patient).toEqual({ id: "p1", ageYears: 56, sex: "female" });
    expect(a.ssc.present).toBe(false);
    expect(a.dataQuality.find((d) => d.code === "other-patient")?.evidence).toEqual([refOf(other)]);
  });
});
