import { describe, expect, it } from "vitest";
import { ICD, antibody, condition, ids, lab, pathology, report, run, ssc, study } from "./builders";

const du = () => condition({ system: ICD, code: "L98.491" });
const calcinosis = () => condition({ system: ICD, code: "L94.2" }); // status "possible"
const gapIds = (a: ReturnType<typeof run>) => ids(a.workupGaps);
const fullLabs = (date = "2026-09-01") => [
  lab("17861-6", 9.4, "mg/dL", date),
  lab("1751-7", 4.1, "g/dL", date),
  lab("2777-1", 3.5, "mg/dL", date),
  lab("2731-8", 40, "pg/mL", date),
  lab("62292-8", 35, "ng/mL", date),
  lab("2160-0", 0.8, "mg/dL", date),
  antibody("47322-3", true),
];

describe("lab gaps apply when calcinosis is suspected", () => {
  it("none when the status is no-evidence", () => {
    const a = run([ssc()]);
    expect(a.status).toBe("no-evidence");
    expect(gapIds(a).filter((g) => ["G-CA", "G-PHOS", "G-PTH", "G-VITD", "G-RENAL", "G-ALB", "G-AB"].includes(g))).toEqual([]);
  });
  it("all raised with no labs; none with a full, recent panel", () => {
    expect(gapIds(run([ssc(), calcinosis()]))).toEqual(expect.arrayContaining(["G-CA", "G-PHOS", "G-PTH", "G-VITD", "G-RENAL", "G-AB"]));
    expect(gapIds(run([ssc(), calcinosis(), ...fullLabs()]))).toEqual([]);
  });
  it.each([
    ["G-CA", "17861-6", 9.4, "mg/dL"],
    ["G-CA", "1994-3", 1.2, "mmol/L"],
    ["G-CA", "29265-6", 2.3, "mmol/L"],
    ["G-PHOS", "2777-1", 3.5, "mg/dL"],
    ["G-PTH", "2731-8", 40, "pg/mL"],
    ["G-VITD", "1989-3", 35, "ng/mL"],
    ["G-RENAL", "2160-0", 0.8, "mg/dL"],
    ["G-RENAL", "48642-3", 80, "mL/min/{1.73_m2}"],
  ])("%s is closed by %s within 12 months, not by one older than 12 months", (gapId, loinc, value, unit) => {
    expect(gapIds(run([ssc(), calcinosis(), lab(loinc, value, unit, "2025-12-01")]))).not.toContain(gapId);
    const old = run([ssc(), calcinosis(), lab(loinc, value, unit, "2025-11-20")]);
    expect(gapIds(old)).toContain(gapId);
    expect(old.workupGaps.find((g) => g.ruleId === gapId)?.lastSeen).toBe("2025-11-20");
  });
  it("a result entered-in-error, cancelled or without a value does not close a gap; one with an unreadable unit does (§6 GAPS)", () => {
    for (const extra of [
      { status: "entered-in-error" },
      { status: "cancelled" },
      { valueQuantity: undefined, dataAbsentReason: { coding: [{ code: "error" }] } },
    ]) {
      expect(gapIds(run([ssc(), calcinosis(), lab("2731-8", 40, "pg/mL", "2026-09-01", extra)]))).toContain("G-PTH");
    }
    // §6 GAPS: the test was done; the value could not be interpreted, and a data-quality note says so.
    const unreadable = run([ssc(), calcinosis(), lab("2731-8", 40, "[foo]", "2026-09-01")]);
    expect(gapIds(unreadable)).not.toContain("G-PTH");
    expect(unreadable.dataQuality.map((n) => n.code)).toContain("unit-unknown");
  });
});

describe("G-ALB: calcium without albumin within 30 days", () => {
  it("raised when albumin is missing or 31 days away; closed within 30 days", () => {
    const base = [ssc(), calcinosis(), lab("17861-6", 9.4, "mg/dL", "2026-09-01")];
    expect(gapIds(run(base))).toContain("G-ALB");
    expect(gapIds(run([...base, lab("1751-7", 4, "g/dL", "2026-10-02")]))).toContain("G-ALB");
    expect(gapIds(run([...base, lab("54347-0", 40, "g/L", "2026-10-01")]))).not.toContain("G-ALB");
  });
  it("not raised without a calcium (G-CA covers it)", () => {
    expect(gapIds(run([ssc(), calcinosis()]))).not.toContain("G-ALB");
  });
});

describe("G-AB: no SSc antibody result ever", () => {
  it("closed by any result ever (Scl-70, centromere, RNA pol III, PM/Scl or ANA), positive or negative", () => {
    for (const code of ["47322-3", "29966-9", "79182-2", "81732-0", "8061-4"]) {
      expect(gapIds(run([ssc(), calcinosis(), antibody(code, false, "2001-01-01")]))).not.toContain("G-AB");
    }
    expect(gapIds(run([ssc(), calcinosis()]))).toContain("G-AB");
  });
});

describe("imaging gaps", () => {
  const shoulderMass = (date = "2026-10-01") => report("MR Shoulder left", "Calcific mass of the left shoulder, 12x11 cm.", date);
  it("G-IMG-SITE: a lesion site with no imaging of it (a lesion known from a Condition only)", () => {
    const c = condition({ text: "Calcinosis of the right hip" });
    const a = run([ssc(), c]);
    expect(a.workupGaps.find((g) => g.ruleId === "G-IMG-SITE")?.text).toContain("right hip");
    expect(gapIds(run([ssc(), c, study("CR", { code: "29836001" })]))).not.toContain("G-IMG-SITE");
  });
  it("G-IMG-SITE: imaging older than 24 months does not close it", () => {
    expect(gapIds(run([ssc(), shoulderMass("2024-11-20")]))).toContain("G-IMG-SITE");
    expect(gapIds(run([ssc(), shoulderMass("2024-11-21")]))).not.toContain("G-IMG-SITE");
  });
  it("G-CT: probable PC without a CT of the lesion site; closed by a CT of that site", () => {
    expect(gapIds(run([ssc(), shoulderMass()]))).toContain("G-CT");
    expect(gapIds(run([ssc(), shoulderMass(), study("CT", { code: "16982005" })]))).not.toContain("G-CT");
    expect(gapIds(run([ssc(), shoulderMass(), study("CT", { code: "29836001" })]))).toContain("G-CT");
    expect(gapIds(run([ssc(), calcinosis()]))).not.toContain("G-CT"); // possible only
  });
  it("G-SPINE: suspected PC with R-VASC and no spinal CT/MRI in 24 months", () => {
    expect(gapIds(run([ssc(), du(), calcinosis()]))).toContain("G-SPINE");
    expect(gapIds(run([ssc(), calcinosis()]))).not.toContain("G-SPINE");
    expect(gapIds(run([ssc(), du(), calcinosis(), study("MR", { code: "421060004" })]))).not.toContain("G-SPINE");
    expect(gapIds(run([ssc(), du(), calcinosis(), study("CR", { code: "421060004" })]))).toContain("G-SPINE");
    expect(gapIds(run([ssc(), du(), calcinosis(), report("CT Spine", "Degenerative changes.")]))).not.toContain("G-SPINE");
  });
  it("G-NEO: growth >= 20% between two dated measurements, without biopsy", () => {
    const a1 = report("XR", "Calcific mass of the right thigh, 5 cm.", "2025-01-10");
    const a2 = report("CT", "Calcific mass of the right thigh, 6 cm.", "2026-01-10");
    const a = run([ssc(), a1, a2]);
    expect(a.growth).toEqual([expect.objectContaining({ siteGroup: "lower-limb", laterality: "right", fromCm: 5, toCm: 6, percent: 20 })]);
    expect(a.workupGaps.find((g) => g.ruleId === "G-NEO")?.text).toContain("grew 20%");
    expect(gapIds(run([ssc(), a1, a2, pathology("Right thigh mass, biopsy: calcific material.")]))).not.toContain("G-NEO");
    const slow = run([ssc(), a1, report("CT", "Calcific mass of the right thigh, 5.9 cm.", "2026-01-10")]);
    expect(gapIds(slow)).not.toContain("G-NEO");
  });
  it("G-NEO: a bulky lesion first seen within 6 months, when earlier imaging of another site exists (§6 GROWTH)", () => {
    const earlier = study("CR", { code: "85562004" }, "2025-03-01"); // a hand X-ray before it
    const neo = run([ssc(), earlier, report("XR", "Calcific mass of the left hip, 4 cm.", "2026-06-01")]);
    expect(gapIds(neo)).toContain("G-NEO");
    expect(neo.workupGaps.find((g) => g.ruleId === "G-NEO")?.text).toContain("no earlier imaging of this site on record");
    expect(gapIds(run([ssc(), earlier, report("XR", "Calcific mass of the left hip, 4 cm.", "2026-05-20")]))).not.toContain("G-NEO");
    // The record merely starts here: no earlier imaging at all.
    expect(gapIds(run([ssc(), report("XR", "Calcific mass of the left hip, 4 cm.", "2026-06-01")]))).not.toContain("G-NEO");
    expect(gapIds(run([ssc(), report("XR", "Calcification of the left hip, 1 cm.", "2026-10-01")]))).not.toContain("G-NEO");
  });
  it("G-SCREEN: no evidence, R-VASC or R-DUR, and no imaging at all in 24 months", () => {
    // ssc() has onset 2010: R-DUR alone is enough.
    expect(gapIds(run([ssc()]))).toEqual(["G-SCREEN"]);
    expect(gapIds(run([ssc(undefined, { onsetDateTime: "2024-01-01" })]))).not.toContain("G-SCREEN");
    expect(gapIds(run([ssc(undefined, { onsetDateTime: "2024-01-01" }), du()]))).toContain("G-SCREEN");
    expect(
      gapIds(run([ssc(undefined, { onsetDateTime: "2024-01-01" }), du(), study("CR", { code: "85562004" }, "2025-06-01")])),
    ).not.toContain("G-SCREEN");
  });
});
