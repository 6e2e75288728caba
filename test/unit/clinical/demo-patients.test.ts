/**
 * Acceptance: the sandbox's demo patients (sandbox/data), among them the three Modena cases of
 * clinical-spec.md §1, assessed as of 2026-11-21.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ATTACHMENT_ONLY_IDS, loadDemoPatients } from "../../../sandbox/data";
import { assess } from "../../../src/clinical";
import type { Assessment, AttachmentText } from "../../../src/clinical/types";
import { exportAttachments } from "../../../src/cli/attachments";

const AS_OF = "2026-11-21";
const demos = loadDemoPatients();
const byId = new Map(demos.map((d) => [d.id, d]));
/** Each patient's attachments read as the CLI reads them (Binaries within the record, Node extractor). */
const texts = new Map<string, AttachmentText[]>();
beforeAll(async () => {
  for (const d of demos) texts.set(d.id, await exportAttachments(d.resources, null));
}, 60_000);
const assessed = (id: string): Assessment => {
  const d = byId.get(id);
  if (!d) throw new Error(`demo patient ${id} missing`);
  return assess(d.resources, { asOf: AS_OF, patientId: id, attachments: texts.get(id) });
};
const ids = (list: { ruleId: string }[]) => list.map((i) => i.ruleId);
const largest = (a: Assessment, group: string, side: string | null) =>
  Math.max(...a.lesions.filter((l) => l.siteGroup === group && l.laterality === side).map((l) => l.maxDimensionCm ?? 0));

describe("every demo patient gets its expected status", () => {
  it.each(demos.map((d) => [d.id, d.expectedStatus] as const))("%s: %s", (id, expected) => {
    expect(assessed(id).status).toBe(expected);
  });
});

describe("attachments: the evidence is read where the EHR keeps it, and what is not read is said", () => {
  it("doc-html-report: the HTML CT report names tumoral calcinosis and a 4.2 cm mass", () => {
    const a = assessed("doc-html-report");
    expect(a.findings.find((f) => f.ruleId === "PC-DOC")?.detail).toMatch(/tumoral calcinosis/i);
    expect(a.lesions.some((l) => l.siteGroup === "shoulder-elbow" && l.maxDimensionCm === 4.2)).toBe(true);
    expect(a.read.reports).toBe(1);
  });
  it("doc-pdf-report: the PDF's text layer gives the right hip mass of 5.1 cm", () => {
    const a = assessed("doc-pdf-report");
    expect(largest(a, "hip-pelvis", "right")).toBe(5.1);
  });
  it("doc-rtf-letter: the clinic letter gives the left elbow, about 3 cm, and its negated ulceration raises nothing", () => {
    const a = assessed("doc-rtf-letter");
    expect(largest(a, "shoulder-elbow", "left")).toBe(3);
    expect(a.lesions.find((l) => l.maxDimensionCm === 3)?.evidence[0]).toMatch(/^DocumentReference\//);
    expect(ids(a.redFlags)).toEqual([]);
    expect(a.read.documents).toBe(1);
  });
  it("doc-text-note: the ISO-8859-1 note documents calcinosis cutis without a pseudotumoral size", () => {
    const a = assessed("doc-text-note");
    expect(ids(a.findings)).toContain("PC-CALC");
  });
  it("doc-scanned-pdf: the scan is not read, listed, and the status says so", () => {
    const a = assessed("doc-scanned-pdf");
    expect(a.missingData).toEqual([expect.objectContaining({ resourceType: "DiagnosticReport", reason: "unreadable" })]);
    expect(a.dataQuality.find((n) => n.code === "not-read")?.text).toMatch(/no text layer/);
    expect(a.statusReason).toMatch(/Report attachments not read/);
  });
  it.each(["doc-html-report", "doc-pdf-report"])("%s without any reader: indeterminate, never no-evidence", (id) => {
    const a = assess(byId.get(id)!.resources, { asOf: AS_OF, patientId: id });
    expect(a.status).toBe("indeterminate");
  });
});

describe("the attachment-only patients: without their attachments there is nothing to find", () => {
  it.each(ATTACHMENT_ONLY_IDS.map((id) => [id]))("%s: SSc, no lesion, no calcinosis finding", (id) => {
    const withoutAttachments = byId
      .get(id)!
      .resources.filter((r) => r.resourceType !== "Binary" && r.resourceType !== "DocumentReference")
      .map((r) => (r.resourceType === "DiagnosticReport" ? { ...r, presentedForm: undefined } : r));
    const a = assess(withoutAttachments, { asOf: AS_OF, patientId: id });
    expect(a.ssc.present).toBe(true);
    expect(a.lesions).toEqual([]);
    expect(a.findings).toEqual([]);
  });
});

describe("Modena case 1: 81 F, limited SSc 14 y, left shoulder 12 x 11 cm, right hip calcifications", () => {
  const a = assessed("modena-1");
  it("is documented, limited SSc of 14 years", () => {
    expect(a.status).toBe("documented");
    expect(a.ssc).toEqual(expect.objectContaining({ present: true, subset: "limited", durationYears: 14 }));
    expect(a.patient.ageYears).toBe(81);
  });
  it("has the left shoulder-elbow lesion of 12 cm and the right hip lesion", () => {
    expect(largest(a, "shoulder-elbow", "left")).toBe(12);
    expect(a.lesions.some((l) => l.siteGroup === "hip-pelvis" && l.laterality === "right")).toBe(true);
    expect(a.siteGroups).toEqual(["shoulder-elbow", "hip-pelvis"]);
    expect(a.multiSite).toBe(true);
    // §6 SIDE: a left shoulder and a right hip are on both sides, not bilateral (different site groups).
    expect(a.bilateral).toBe(false);
    expect(a.bothSides).toBe(true);
  });
  it("shows the vascular phenotype, duration, age, PM/Scl and calcinosis elsewhere; no secondary cause", () => {
    expect(ids(a.riskFeatures)).toEqual(["R-VASC", "R-DUR", "R-AGE", "R-CALC", "R-AB"]);
    expect(a.riskFeatures.find((r) => r.ruleId === "R-AB")?.text).toContain("PM/Scl");
    expect(a.secondaryCauses).toEqual([]);
    expect(a.redFlags).toEqual([]);
  });
  // §6 GROWTH: "first seen within 6 months" counts only when earlier imaging of other sites exists;
  // all of case 1's imaging is of these two months, so no G-NEO.
  it("asks for a CT of the shoulder, a spinal review, kidney function and albumin; no G-NEO (the record starts here)", () => {
    expect(ids(a.workupGaps).sort()).toEqual(["G-ALB", "G-CT", "G-RENAL", "G-SPINE"].sort());
    expect(a.workupGaps.find((g) => g.ruleId === "G-CT")?.text).toContain("left shoulder");
  });
});

describe("Modena case 2: 41 F, diffuse SSc 17 y, left elbow up to 5.7 cm, spinal masses on re-review", () => {
  const a = assessed("modena-2");
  it("is documented, with the left elbow at 5.7 cm largest and a spinal lesion", () => {
    expect(a.status).toBe("documented");
    expect(a.ssc.subset).toBe("diffuse");
    expect(largest(a, "shoulder-elbow", "left")).toBe(5.7);
    expect(a.lesions.find((l) => l.maxDimensionCm === 5.7)?.dimensionsCm).toEqual([2.8, 1.5, 5.7]);
    expect(a.lesions.some((l) => l.siteGroup === "spine")).toBe(true);
  });
  it("does not raise G-SPINE (a spinal CT exists) nor G-NEO (biopsy on record)", () => {
    expect(ids(a.workupGaps)).not.toContain("G-SPINE");
    expect(ids(a.workupGaps)).not.toContain("G-NEO");
  });
  it("raises the lab gaps (no Ca/P values on record) and a CT of the elbow; RF-CANAL for the intracanal mass, no RF-SPINE", () => {
    expect(ids(a.workupGaps)).toEqual(expect.arrayContaining(["G-CA", "G-PHOS", "G-PTH", "G-VITD", "G-RENAL", "G-CT"]));
    expect(ids(a.workupGaps)).not.toContain("G-AB");
    // §6 RF-CANAL: a mass projecting into the canal raises it without symptoms.
    expect(ids(a.redFlags)).toEqual(["RF-CANAL"]);
    expect(ids(a.riskFeatures)).toEqual(expect.arrayContaining(["R-VASC", "R-DUR", "R-AB"]));
    expect(ids(a.riskFeatures)).not.toContain("R-AGE");
  });
});

describe("Modena case 3: 54 F, diffuse SSc 12 y, right dorsal mass 8.8 -> 10 cm in two years, PTH 86.5", () => {
  const a = assessed("modena-3");
  it("is probable (not documented: no report names it), trunk right", () => {
    expect(a.status).toBe("probable");
    expect(ids(a.findings)).not.toContain("PC-DOC");
    expect(a.siteGroups).toEqual(["trunk"]);
    expect(largest(a, "trunk", "right")).toBe(10);
  });
  it("measures growth 8.8 -> 10 cm, about 13.6%: below the G-NEO threshold", () => {
    expect(a.growth).toEqual([expect.objectContaining({ siteGroup: "trunk", laterality: "right", fromCm: 8.8, toCm: 10, percent: 13.6 })]);
    expect(ids(a.workupGaps)).not.toContain("G-NEO");
  });
  it("flags PTH 86.5 pg/mL (S-PTH) for review and keeps the PC status", () => {
    const pth = a.secondaryCauses.find((s) => s.ruleId === "S-PTH");
    expect(pth?.text).toContain("86.5 pg/mL");
    expect(ids(a.secondaryCauses)).toEqual(["S-PTH"]);
    expect(a.labs.pth?.latest?.normalized).toEqual({ value: 86.5, unit: "pg/mL" });
  });
  it("has a CT of the lesion site (no G-CT), and asks for the spine, kidney function and albumin", () => {
    expect(ids(a.workupGaps).sort()).toEqual(["G-ALB", "G-RENAL", "G-SPINE"]);
  });
});

describe("other demo patients", () => {
  it("ssc-no-calcinosis: no evidence; high risk and no imaging in 5 years: G-SCREEN only", () => {
    const a = assessed("ssc-no-calcinosis");
    expect(ids(a.workupGaps)).toEqual(["G-SCREEN"]);
    expect(a.lesions).toEqual([]);
    expect(a.dataQuality.map((d) => d.code)).toContain("data-absent");
  });
  it("ssc-ckd: right hip 4.5 cm, with the renal secondary causes", () => {
    const a = assessed("ssc-ckd");
    expect(largest(a, "hip-pelvis", "right")).toBe(4.5);
    expect(ids(a.secondaryCauses)).toEqual(["S-PHOS", "S-CKD", "S-PTH", "S-CAXP", "S-DX"]);
    expect(a.secondaryCauses.find((s) => s.ruleId === "S-CKD")?.detail).toBe("eGFR < 30");
    expect(a.secondaryCauses.find((s) => s.ruleId === "S-PTH")?.detail).toContain("secondary hyperparathyroidism");
    expect(a.dataQuality.map((d) => d.code)).toContain("status-entered-in-error");
  });
  it("no-ssc: not assessed; the refuted SSc is noted; calcinosis cutis still listed as a finding", () => {
    const a = assessed("no-ssc");
    expect(a.ssc.present).toBe(false);
    expect(a.workupGaps).toEqual([]);
    expect(a.riskFeatures).toEqual([]);
    expect(a.dataQuality.map((d) => d.code)).toContain("condition-refuted");
  });
  it("large: thousands of results, left hip 3.2 cm, latest value and trend per analyte", () => {
    const a = assessed("large");
    expect(largest(a, "hip-pelvis", "left")).toBe(3.2);
    const total = Object.values(a.labs).reduce((n, s) => n + (s?.count ?? 0), 0);
    expect(total).toBeGreaterThan(5000);
    expect(a.labs.calcium?.history?.length).toBe(a.labs.calcium?.count);
    expect(a.labs.calcium?.latest?.date).toBe(a.labs.calcium?.history?.at(-1)?.date);
  });
  it("ssc-spine: left paravertebral 3.4 cm with a radiculopathy raises RF-SPINE on both records", () => {
    const a = assessed("ssc-spine");
    expect(a.status).toBe("probable");
    expect(largest(a, "spine", "left")).toBe(3.4);
    const flag = a.redFlags.find((f) => f.ruleId === "RF-SPINE");
    expect(flag?.evidence).toEqual(expect.arrayContaining(["DiagnosticReport/ssc-spine-dr-ct-spine", "Condition/ssc-spine-cond-radic"]));
    // A spinal CT exists: no targeted spinal review is asked for.
    expect(a.workupGaps.map((g) => g.ruleId)).not.toContain("G-SPINE");
    // §6 GROWTH: new since the hand X-ray of 2024, no histology: exclude a neoplasm.
    expect(a.workupGaps.find((g) => g.ruleId === "G-NEO")?.text).toContain("no earlier imaging of this site on record");
  });
  it("xss-strings: right knee 2.5 cm; hostile strings stay data", () => {
    const a = assessed("xss-strings");
    expect(largest(a, "lower-limb", "right")).toBe(2.5);
    // Our own texts never carry markup from the record; the source sentence may, as plain data.
    for (const item of [...a.findings, ...a.riskFeatures, ...a.secondaryCauses, ...a.workupGaps, ...a.redFlags]) {
      expect(item.text).not.toMatch(/<script|onerror=/i);
    }
    expect(() => JSON.parse(JSON.stringify(a))).not.toThrow();
  });
});
