/**
 * clinical-spec.md §6 (pc-ssc 1.1.0), item by item, on the examples of issue 11 that the report
 * corpus (report-corpus.ts) and the boundary table (boundaries.test.ts) do not already hold.
 */
import { describe, expect, it } from "vitest";
import { RULESET } from "../../../src/clinical";
import type { Assessment } from "../../../src/clinical/types";
import { ICD, LOINC, SCT, antibody, condition, ids, lab, pathology, patient, report, run, runRaw, ssc, study } from "./builders";

const allItems = (a: Assessment) => [...a.findings, ...a.secondaryCauses, ...a.workupGaps, ...a.redFlags];
const find = (a: Assessment, id: string): { text: string; detail?: string; lesionId?: string }[] =>
  allItems(a).filter((i) => i.ruleId === id);
const freeTextUnit = (loinc: string, value: number, unit: string, extra: Record<string, unknown> = {}) =>
  lab(loinc, value, unit, "2026-10-01", { valueQuantity: { value, unit, ...extra } });

it("the ruleset is pc-ssc 1.1.0", () => {
  expect(RULESET).toEqual({ id: "pc-ssc", version: "1.1.0" });
});

describe("LESION: one lesion per site group and side, with its measurement history", () => {
  const dorsal = [
    report("XR Chest", "Polylobate calcific mass 8,8x6,8 cm in the soft tissue of the right dorsal region.", "2024-10-08"),
    report("US", "Polylobate calcific mass in the soft tissue of the right dorsal region, 10x9 cm.", "2026-10-19"),
    report("CT Thorax", "Calcific mass of the right dorsal region measuring 10x9 cm, increased in size.", "2026-10-29"),
  ];
  const a = run([ssc(), ...dorsal]);
  it("three reports of one mass are one lesion with three dated measurements", () => {
    expect(a.lesions).toHaveLength(1);
    const l = a.lesions[0]!;
    expect(l).toEqual(
      expect.objectContaining({
        id: "trunk|right",
        siteLabel: "right dorsal region",
        maxDimensionCm: 10,
        peakDimensionCm: 10,
        firstSeen: "2024-10-08",
        date: "2026-10-29",
        modality: "CT",
      }),
    );
    expect(l.measurements?.map((m) => [m.date, m.maxDimensionCm, m.modality])).toEqual([
      ["2024-10-08", 8.8, "CR"],
      ["2026-10-19", 10, "US"],
      ["2026-10-29", 10, "CT"],
    ]);
  });
  it("one PC-SIZE finding, naming the lesion; no PC-IMG beside it", () => {
    expect(ids(a.findings)).toEqual(["PC-SIZE"]);
    expect(a.findings[0]!.lesionId).toBe("trunk|right");
  });
  it("growth across modalities is labelled cross-modality, with the lesion's id", () => {
    expect(a.growth).toEqual([expect.objectContaining({ fromCm: 8.8, toCm: 10, crossModality: true, lesionId: "trunk|right" })]);
  });
  it("growth within one modality is preferred when it was measured twice", () => {
    const g = run([
      ssc(),
      report("CT", "Calcific mass of the right thigh, 5 cm.", "2025-01-10"),
      report("US", "Calcific mass of the right thigh, 7 cm.", "2025-06-10"),
      report("CT", "Calcific mass of the right thigh, 5.5 cm.", "2026-01-10"),
    ]);
    expect(g.growth).toEqual([expect.objectContaining({ fromCm: 5, toCm: 5.5, percent: 10, crossModality: false })]);
    expect(g.lesions[0]?.peakDimensionCm).toBe(7);
    expect(g.lesions[0]?.maxDimensionCm).toBe(5.5);
  });
  it("a mention without a side joins the one lesion of its site; with two sides there it stays apart", () => {
    const one = run([
      ssc(),
      report("XR", "Calcific mass of the left hip, 4 cm.", "2026-01-01"),
      report("CT", "Calcific mass of the hip, 5 cm."),
    ]);
    expect(one.lesions.map((l) => l.id)).toEqual(["hip-pelvis|left"]);
    const two = run([
      ssc(),
      report("XR", "Calcific mass of the left hip, 4 cm.", "2026-01-01"),
      report("XR", "Calcific mass of the right hip, 3 cm.", "2026-01-01"),
      report("CT", "Calcific mass of the hip, 5 cm."),
    ]);
    expect(two.lesions.map((l) => l.id).sort()).toEqual(["hip-pelvis|left", "hip-pelvis|null", "hip-pelvis|right"]);
    expect(two.bilateral).toBe(true);
  });
});

describe("SITE: from the linked ImagingStudy, the report's title, an Observation", () => {
  it("an MRI of the left shoulder (series bodySite + laterality) places 'overall 12x11 cm'", () => {
    const img = study("MR", null, "2026-10-01", {
      series: [
        { uid: "1", modality: { code: "MR" }, bodySite: { system: SCT, code: "16982005" }, laterality: { system: SCT, code: "7771000" } },
      ],
    });
    const a = run([
      ssc(),
      img,
      report("MR", "Calcific mass, overall 12x11 cm.", "2026-10-01", { imagingStudy: [{ reference: `ImagingStudy/${img.id}` }] }),
    ]);
    expect(a.lesions.map((l) => l.id)).toEqual(["shoulder-elbow|left"]);
    // The CT gap fires for the placed lesion, and the neoplasm wording names its site.
    expect(find(a, "G-CT")[0]?.text).toContain("left shoulder");
  });
  it("series that disagree on the side give no side", () => {
    const img = study("MR", null, "2026-10-01", {
      series: [
        { uid: "1", modality: { code: "MR" }, bodySite: { system: SCT, code: "16982005" }, laterality: { system: SCT, code: "7771000" } },
        { uid: "2", modality: { code: "MR" }, bodySite: { system: SCT, code: "16982005" }, laterality: { system: SCT, code: "24028007" } },
      ],
    });
    const a = run([
      ssc(),
      img,
      report("MR", "Calcific mass, 4 cm.", "2026-10-01", { imagingStudy: [{ reference: `ImagingStudy/${img.id}` }] }),
    ]);
    expect(a.lesions.map((l) => l.id)).toEqual(["shoulder-elbow|null"]);
  });
  it("the lesion is named as precisely as its source: 'left elbow' from the title or the coded series, 'shoulder (bilateral)'", () => {
    expect(run([ssc(), report("XR elbow left", "Calcific masses, 2.8 x 1.5 x 5.7 cm.")]).lesions[0]?.siteLabel).toBe("left elbow");
    const img = study("MR", null, "2026-10-01", {
      series: [
        { uid: "1", modality: { code: "MR" }, bodySite: { system: SCT, code: "16953009" }, laterality: { system: SCT, code: "7771000" } },
      ],
    });
    const coded = run([
      ssc(),
      img,
      report("MR", "Calcific mass, 4 cm.", "2026-10-01", { imagingStudy: [{ reference: `ImagingStudy/${img.id}` }] }),
    ]);
    expect(coded.lesions[0]?.siteLabel).toBe("left elbow");
    expect(run([ssc(), report("XR", "Symmetrical calcific masses around the shoulders.")]).lesions[0]?.siteLabel).toBe(
      "shoulder (bilateral)",
    );
  });
  it("the sentence's own site wins over the title's", () => {
    const a = run([ssc(), report("XR elbow left", "Calcific mass of the right hip, 3 cm.")]);
    expect(a.lesions.map((l) => l.id)).toEqual(["hip-pelvis|right"]);
  });
});

describe("NEG: a hedged mention is a possibility, worded as one", () => {
  it.each([
    "Early soft-tissue calcification cannot be excluded.",
    "Differential diagnosis includes tumoral calcinosis and synovial sarcoma.",
  ])("%s", (text) => {
    const a = run([ssc(), report("XR", text)]);
    expect(a.status).toBe("possible");
    expect(ids(a.findings)).toEqual(["PC-IMG"]);
    expect(a.findings[0]?.text).toMatch(/^Imaging raises .* as a possibility, not confirmed/);
  });
});

describe("UNITS and BOUNDS", () => {
  it("free-text 'Mg/dL' is mg/dL; the UCUM code 'Mg/dL' is megagrams and cannot be converted", () => {
    const text = run([ssc(), freeTextUnit("17861-6", 9.8, "Mg/dL")]);
    expect(text.labs.calcium?.latest?.normalized).toEqual({ value: 9.8, unit: "mg/dL" });
    expect(find(text, "S-CA")).toEqual([]);
    const ucum = run([ssc(), freeTextUnit("17861-6", 9.8, "Mg/dL", { system: "http://unitsofmeasure.org", code: "Mg/dL" })]);
    expect(ucum.labs.calcium?.latest?.normalized).toBeNull();
    expect(find(ucum, "S-CA")).toEqual([]);
  });
  it("'1,250 pg/mL' is 1250 (thousands); '2,5 mg/dL' is 2.5 (decimal)", () => {
    const pth = run([ssc(), lab("2731-8", null, null, "2026-10-01", { valueString: "1,250 pg/mL" })]);
    expect(pth.labs.pth?.latest?.normalized?.value).toBe(1250);
    const phos = run([ssc(), lab("2777-1", null, null, "2026-10-01", { valueString: "2,5 mg/dL" })]);
    expect(phos.labs.phosphate?.latest?.normalized?.value).toBe(2.5);
  });
  it("a bound decides where it can: '>150 ng/mL' is 'likely'; '>90' eGFR is not below 60; '<200' 25-OH-D decides nothing", () => {
    const gt = (loinc: string, value: number, unit: string, comparator: string, date = "2026-10-01") =>
      lab(loinc, value, unit, date, { valueQuantity: { value, comparator, unit, system: "http://unitsofmeasure.org", code: unit } });
    expect(find(run([ssc(), gt("62292-8", 150, "ng/mL", ">")]), "S-VITD")[0]?.detail).toBe("Above 150 ng/mL: hypervitaminosis D likely.");
    const egfr = run([ssc(), gt("33914-3", 90, "mL/min/{1.73_m2}", ">", "2026-01-01"), gt("33914-3", 90, "mL/min/{1.73_m2}", ">")]);
    expect(find(egfr, "S-CKD")).toEqual([]);
    expect(find(run([ssc(), gt("62292-8", 200, "ng/mL", "<")]), "S-VITD")).toEqual([]);
  });
  it("eGFR is shown as people write it (§6 TEXT)", () => {
    const a = run([ssc(), lab("33914-3", 50, "mL/min/{1.73_m2}", "2026-01-01"), lab("33914-3", 48, "mL/min/{1.73_m2}", "2026-06-01")]);
    expect(find(a, "S-CKD")[0]?.text).toContain("mL/min/1.73 m²");
    expect(find(a, "S-CKD")[0]?.text).not.toContain("{1.73_m2}");
  });
});

describe("CODES: code systems by their HL7 OID", () => {
  it.each([
    ["ICD-10-CM", "urn:oid:2.16.840.1.113883.6.90", "M34.1"],
    ["WHO ICD-10", "urn:oid:2.16.840.1.113883.6.3", "M34.0"],
    ["SNOMED CT", "urn:oid:2.16.840.1.113883.6.96", "89155008"],
  ])("SSc coded in %s under its OID is SSc", (_name, system, code) => {
    expect(run([ssc({ system, code })]).ssc.present).toBe(true);
  });
  it("LOINC under its OID reads a lab", () => {
    const a = run([
      ssc(),
      lab("17861-6", 9.4, "mg/dL", "2026-10-01", { code: { coding: [{ system: "urn:oid:2.16.840.1.113883.6.1", code: "17861-6" }] } }),
    ]);
    expect(a.labs.calcium?.count).toBe(1);
  });
});

describe("RF-COMP: at the lesion's site group and side", () => {
  const finger = () => report("XR", "Calcinosis of the right index finger, 2.5 cm.");
  it("a digital ulcer of the left ring finger does not count for the right index finger; of the right one it does", () => {
    expect(find(run([ssc(), finger(), condition({ text: "Digital ulcer of the left ring finger" })]), "RF-COMP")).toEqual([]);
    expect(find(run([ssc(), finger(), condition({ text: "Infected ulcer of the right index finger" })]), "RF-COMP")).toHaveLength(1);
  });
  it("cellulitis of the right upper limb counts for a right shoulder mass, not for a left one", () => {
    const cellulitis = () => condition({ system: ICD, code: "L03.113", text: "Cellulitis of right upper limb" });
    const right = find(run([ssc(), report("XR", "Calcific mass of the right shoulder, 5 cm."), cellulitis()]), "RF-COMP");
    expect(right.map((r) => r.lesionId)).toEqual(["shoulder-elbow|right"]);
    expect(find(run([ssc(), report("XR", "Calcific mass of the left shoulder, 5 cm."), cellulitis()]), "RF-COMP")).toEqual([]);
  });
});

describe("RF-CANAL and RF-SPINE", () => {
  it("a calcific mass into the canal without symptoms raises RF-CANAL, naming the level", () => {
    const a = run([ssc(), report("CT Spine", "Paravertebral calcific mass at L3-L4, 3 cm, projecting into the spinal canal.")]);
    expect(ids(a.redFlags)).toEqual(["RF-CANAL"]);
    expect(a.redFlags[0]?.text).toContain("L3-L4");
    expect(a.redFlags[0]?.detail).toMatch(/MRI/);
  });
  it("with a radiculopathy it is RF-SPINE, with same-day assessment, MRI and a spinal surgical opinion", () => {
    const a = run([
      ssc(),
      report("CT Spine", "Left paravertebral calcific mass at T10-T11, 3.4 cm, projecting into the left neural foramen."),
      condition({ system: ICD, code: "M54.14", text: "Thoracic radiculopathy" }),
    ]);
    expect(ids(a.redFlags)).toEqual(["RF-SPINE"]);
    const f = find(a, "RF-SPINE")[0]!;
    expect(f.text).toContain("T10-T11");
    expect(f.text).toContain("3.4 cm");
    expect(f.detail).toMatch(/same-day neurological assessment/i);
    expect(f.detail).toMatch(/MRI for cord or root compression/);
    expect(f.detail).toMatch(/spinal surgical opinion/);
  });
  it("a mass into a foramen raises RF-CANAL and is named foraminal, not intracanal; one in the canal itself stays intracanal", () => {
    const foramen = run([
      ssc(),
      report("CT Spine", "Left paravertebral calcific mass at L4-L5, 2.5 cm, extending into the left neural foramen."),
    ]);
    expect(ids(foramen.redFlags)).toEqual(["RF-CANAL"]);
    expect(foramen.lesions[0]?.siteLabel).toBe("spine, left paravertebral and foraminal");
    const both = run([
      ssc(),
      report("CT Spine", "Left paravertebral calcific mass at L4-L5, 2.5 cm, into the left neural foramen and the spinal canal."),
    ]);
    expect(both.lesions[0]?.siteLabel).toBe("spine, left paravertebral and intracanal");
    const negated = run([ssc(), report("CT Spine", "Left paravertebral calcific mass at L4-L5, 2.5 cm. The foramina are free.")]);
    expect(ids(negated.redFlags)).toEqual([]);
    expect(negated.lesions[0]?.siteLabel).toBe("spine, left paravertebral");
  });
  it("the site reads 'spine, left paravertebral', never 'left spine' (§6 TEXT)", () => {
    const a = run([ssc(), report("CT Spine", "Left paravertebral calcific mass at T10, 3 cm.")]);
    expect(a.lesions[0]?.siteLabel).toBe("spine, left paravertebral");
    expect(allItems(a).some((i) => /left spine/.test(i.text))).toBe(false);
  });
});

describe("G-NEO: a biopsy of the lesion's site and time closes it", () => {
  const earlier = () => study("CR", { code: "85562004" }, "2024-01-01");
  const mass = () => report("XR", "Calcific mass of the left elbow, 4 cm.", "2026-09-01");
  it("a colon biopsy of six years earlier does not; a recent elbow biopsy does; one of no stated site does", () => {
    expect(ids(run([ssc(), earlier(), mass(), pathology("Colon biopsy: tubular adenoma.", "2020-05-01")]).workupGaps)).toContain("G-NEO");
    expect(ids(run([ssc(), earlier(), mass(), pathology("Colon biopsy: tubular adenoma.", "2026-09-10")]).workupGaps)).toContain("G-NEO");
    expect(
      ids(run([ssc(), earlier(), mass(), pathology("Left elbow mass, biopsy: calcific material.", "2026-09-10")]).workupGaps),
    ).not.toContain("G-NEO");
    expect(ids(run([ssc(), earlier(), mass(), pathology("Core biopsy: calcific material.", "2026-09-10")]).workupGaps)).not.toContain(
      "G-NEO",
    );
  });
  it("a biopsy of the site more than 6 months before the lesion was first seen does not", () => {
    const a = run([ssc(), earlier(), mass(), pathology("Left elbow, biopsy: calcific material.", "2026-02-28")]);
    expect(find(a, "G-NEO")[0]?.text).toContain("more than 6 months before");
  });
});

describe("G-SPINE: a recent CT thorax covers the paravertebral region", () => {
  it("asks for a targeted re-review of that study, by name and date", () => {
    const du = condition({ system: ICD, code: "L98.491" });
    const a = run([
      ssc(),
      du,
      report("XR", "Calcific mass of the left hip, 4 cm."),
      report("CT Thorax", "Fibrotic changes.", "2026-03-01", {
        code: { text: "CT Thorax", coding: [{ system: LOINC, code: "24627-2", display: "CT Chest" }] },
      }),
    ]);
    expect(find(a, "G-SPINE")[0]?.text).toMatch(
      /the CT Thorax of 2026-03-01 covers the paravertebral region: ask for a targeted re-review/,
    );
  });
});

describe("S-DX and S-CA", () => {
  it("a resolved sarcoidosis is history (context), an active one a cause", () => {
    const resolved = run([ssc(), condition({ system: ICD, code: "D86.0" }, { clinicalStatus: { coding: [{ code: "resolved" }] } })]);
    expect(find(resolved, "S-DX")[0]?.text).toMatch(/^History of sarcoidosis/);
    expect(find(run([ssc(), condition({ system: ICD, code: "D86.0" })]), "S-DX")[0]?.text).toBe(
      "Secondary cause of calcinosis on record: sarcoidosis.",
    );
  });
  it("malignancy matches by text (sarcoma, lymphoma)", () => {
    expect(find(run([ssc(), condition({ text: "Synovial sarcoma of the left thigh" })]), "S-DX")[0]?.text).toContain("malignancy");
  });
  it("PTH's advice is written once (§6 TEXT)", () => {
    const f = find(run([ssc(), lab("2731-8", 90, "pg/mL")]), "S-PTH")[0]!;
    const words = `${f.text} ${f.detail ?? ""}`.toLowerCase();
    expect(words.split("review for hyperparathyroidism").length - 1).toBe(1);
  });
});

describe("GAPS: an antibody number without a range or interpretation", () => {
  it("closes G-AB and is not positive for R-AB", () => {
    const num = lab("47322-3", 12, "U/mL", "2015-01-10");
    const a = run([ssc(), condition({ system: ICD, code: "L94.2" }), num]);
    expect(ids(a.workupGaps)).not.toContain("G-AB");
    expect(ids(a.riskFeatures)).not.toContain("R-AB");
    expect(ids(run([ssc(), condition({ system: ICD, code: "L94.2" }), antibody("47322-3", true)]).riskFeatures)).toContain("R-AB");
  });
});

describe("AGE", () => {
  it("a deceased patient's age is counted to the date of death, with a note", () => {
    const a = runRaw([
      patient({ birthDate: "1910-01-01", deceasedDateTime: "1979-03-01" }),
      ssc(undefined, { onsetDateTime: "1970-01-01" }),
    ]);
    expect(a.patient.ageYears).toBe(69);
    expect(a.dataQuality.map((n) => n.code)).toContain("patient-deceased");
  });
  it("deceased without a date: no age; as of a date before birth: unknown, never negative", () => {
    expect(runRaw([patient({ birthDate: "1910-01-01", deceasedBoolean: true }), ssc()]).patient.ageYears).toBeNull();
    expect(runRaw([patient({ birthDate: "2027-01-01" }), ssc()]).patient.ageYears).toBeNull();
  });
});
