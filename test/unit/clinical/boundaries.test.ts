/**
 * Every threshold at, just below and just above its value (clinical-spec.md §3, §6), and every
 * coded laterality both ways: moving a threshold by one step, flipping > to >=, or swapping two
 * codes fails a row here.
 */
import { describe, expect, it } from "vitest";
import type { Assessment } from "../../../src/clinical/types";
import { SCT, condition, ids, lab, labWithRange, lesionObs, patient, report, run, runRaw, ssc, study } from "./builders";

const has = (a: Assessment, id: string) =>
  [...a.findings, ...a.riskFeatures, ...a.secondaryCauses, ...a.workupGaps, ...a.redFlags].some((i) => i.ruleId === id);
const calcinosis = () => condition({ system: "http://hl7.org/fhir/sid/icd-10-cm", code: "L94.2" });

type Row = [label: string, fires: boolean, build: () => Assessment];

const rows: Record<string, Row[]> = {
  "PC-SIZE >= 2.0 cm": [
    ["1.99 cm", false, () => run([ssc(), lesionObs({ system: SCT, code: "85562004" }, { value: 1.99, unit: "cm" })])],
    ["2.0 cm", true, () => run([ssc(), lesionObs({ system: SCT, code: "85562004" }, { value: 2.0, unit: "cm" })])],
    ["19 mm", false, () => run([ssc(), lesionObs({ system: SCT, code: "85562004" }, { value: 19, unit: "mm" })])],
    ["20 mm", true, () => run([ssc(), lesionObs({ system: SCT, code: "85562004" }, { value: 20, unit: "mm" })])],
    ["text 1.9 cm", false, () => run([ssc(), report("XR", "Calcific mass of the left hip, 1.9 cm.")])],
    ["text 2 cm", true, () => run([ssc(), report("XR", "Calcific mass of the left hip, 2 cm.")])],
  ],
  "R-DUR >= 5 years": [
    ["4 years", false, () => run([ssc(undefined, { onsetDateTime: "2021-11-22" })])],
    ["5 years to the day", true, () => run([ssc(undefined, { onsetDateTime: "2021-11-21" })])],
  ],
  "R-AGE >= 48": [
    ["47", false, () => runRaw([patient({ birthDate: "1978-11-22" }), ssc()])],
    ["48 on the day", true, () => runRaw([patient({ birthDate: "1978-11-21" }), ssc()])],
  ],
  "S-CA total > 10.5 mg/dL": [
    ["10.49", false, () => run([ssc(), lab("17861-6", 10.49, "mg/dL")])],
    ["10.5", false, () => run([ssc(), lab("17861-6", 10.5, "mg/dL")])],
    ["10.51", true, () => run([ssc(), lab("17861-6", 10.51, "mg/dL")])],
  ],
  "S-CA ionised > 1.30 mmol/L": [
    ["1.30", false, () => run([ssc(), lab("1994-3", 1.3, "mmol/L")])],
    ["1.31", true, () => run([ssc(), lab("1994-3", 1.31, "mmol/L")])],
  ],
  "S-CA corrected > 10.5 mg/dL (default), or the calcium's own upper limit (§6)": [
    ["10.5 (9.7 + 0.8 x 1)", false, () => run([ssc(), lab("17861-6", 9.7, "mg/dL"), lab("1751-7", 3.0, "g/dL")])],
    ["10.6 (9.8 + 0.8 x 1)", true, () => run([ssc(), lab("17861-6", 9.8, "mg/dL"), lab("1751-7", 3.0, "g/dL")])],
    [
      "10.8 against the lab's 11.0",
      false,
      () => run([ssc(), labWithRange("17861-6", 10.0, "mg/dL", 8.5, 11.0), lab("1751-7", 3.0, "g/dL")]),
    ],
    [
      "11.2 against the lab's 11.0",
      true,
      () => run([ssc(), labWithRange("17861-6", 10.4, "mg/dL", 8.5, 11.0), lab("1751-7", 3.0, "g/dL")]),
    ],
  ],
  "S-PHOS > 4.5 mg/dL": [
    ["4.5", false, () => run([ssc(), lab("2777-1", 4.5, "mg/dL")])],
    ["4.51", true, () => run([ssc(), lab("2777-1", 4.51, "mg/dL")])],
  ],
  "S-PTH > 65 pg/mL": [
    ["65", false, () => run([ssc(), lab("2731-8", 65, "pg/mL")])],
    ["65.1", true, () => run([ssc(), lab("2731-8", 65.1, "pg/mL")])],
  ],
  "S-VITD > 100 ng/mL": [
    ["100", false, () => run([ssc(), lab("62292-8", 100, "ng/mL")])],
    ["100.1", true, () => run([ssc(), lab("62292-8", 100.1, "ng/mL")])],
  ],
  "S-CKD eGFR < 60 on results > 90 days apart": [
    [
      "60 and 60",
      false,
      () => run([ssc(), lab("33914-3", 60, "mL/min/{1.73_m2}", "2026-01-01"), lab("33914-3", 60, "mL/min/{1.73_m2}", "2026-06-01")]),
    ],
    [
      "59 and 59",
      true,
      () => run([ssc(), lab("33914-3", 59, "mL/min/{1.73_m2}", "2026-01-01"), lab("33914-3", 59, "mL/min/{1.73_m2}", "2026-06-01")]),
    ],
    [
      "90 days apart",
      false,
      () => run([ssc(), lab("33914-3", 50, "mL/min/{1.73_m2}", "2026-01-01"), lab("33914-3", 50, "mL/min/{1.73_m2}", "2026-04-01")]),
    ],
    [
      "91 days apart",
      true,
      () => run([ssc(), lab("33914-3", 50, "mL/min/{1.73_m2}", "2026-01-01"), lab("33914-3", 50, "mL/min/{1.73_m2}", "2026-04-02")]),
    ],
  ],
  "S-CAXP > 55 mg²/dL²": [
    ["10 x 5.5 = 55", false, () => run([ssc(), labWithRange("17861-6", 10, "mg/dL", 8, 11), labWithRange("2777-1", 5.5, "mg/dL", 2, 6)])],
    ["10 x 5.6 = 56", true, () => run([ssc(), labWithRange("17861-6", 10, "mg/dL", 8, 11), labWithRange("2777-1", 5.6, "mg/dL", 2, 6)])],
  ],
  "G-PTH: a result within 12 months closes it": [
    ["on 2025-11-21 (12 months)", false, () => run([ssc(), calcinosis(), lab("2731-8", 40, "pg/mL", "2025-11-21")])],
    ["on 2025-11-20", true, () => run([ssc(), calcinosis(), lab("2731-8", 40, "pg/mL", "2025-11-20")])],
  ],
  "G-ALB: albumin within 30 days of the calcium": [
    [
      "30 days",
      false,
      () => run([ssc(), calcinosis(), lab("17861-6", 9.4, "mg/dL", "2026-09-01"), lab("1751-7", 4, "g/dL", "2026-10-01")]),
    ],
    ["31 days", true, () => run([ssc(), calcinosis(), lab("17861-6", 9.4, "mg/dL", "2026-09-01"), lab("1751-7", 4, "g/dL", "2026-10-02")])],
  ],
  "G-IMG-SITE: imaging within 24 months": [
    [
      "2024-11-21",
      false,
      () => run([ssc(), condition({ text: "Calcinosis of the right hip" }), study("CR", { code: "29836001" }, "2024-11-21")]),
    ],
    [
      "2024-11-20",
      true,
      () => run([ssc(), condition({ text: "Calcinosis of the right hip" }), study("CR", { code: "29836001" }, "2024-11-20")]),
    ],
  ],
  "G-NEO: growth >= 20%": [
    [
      "5 -> 5.95 cm (19%)",
      false,
      () =>
        run([
          ssc(),
          report("CT", "Calcific mass of the right thigh, 5 cm.", "2025-01-10"),
          report("CT", "Calcific mass of the right thigh, 5.95 cm.", "2026-01-10"),
        ]),
    ],
    [
      "5 -> 6 cm (20%)",
      true,
      () =>
        run([
          ssc(),
          report("CT", "Calcific mass of the right thigh, 5 cm.", "2025-01-10"),
          report("CT", "Calcific mass of the right thigh, 6 cm.", "2026-01-10"),
        ]),
    ],
  ],
  "G-NEO: first seen within 6 months (with earlier imaging of another site)": [
    [
      "2026-05-20",
      false,
      () =>
        run([ssc(), study("CR", { code: "85562004" }, "2025-01-01"), report("XR", "Calcific mass of the left hip, 4 cm.", "2026-05-20")]),
    ],
    [
      "2026-05-21",
      true,
      () =>
        run([ssc(), study("CR", { code: "85562004" }, "2025-01-01"), report("XR", "Calcific mass of the left hip, 4 cm.", "2026-05-21")]),
    ],
  ],
};

describe.each(Object.entries(rows))("%s", (rule, list) => {
  const id = rule.split(/[ :]/)[0]!;
  it.each(list.map(([label, fires, build]) => [label, fires, build] as const))("%s: fires %s", (_label, fires, build) => {
    expect(has(build(), id)).toBe(fires);
  });
});

describe("plausibility limits (§6 UNITS): at the limit used, beyond it left out and noted", () => {
  it.each([
    ["calcium 2 mg/dL", "17861-6", 2, "mg/dL", true],
    ["calcium 1.9 mg/dL", "17861-6", 1.9, "mg/dL", false],
    ["calcium 25 mg/dL", "17861-6", 25, "mg/dL", true],
    ["calcium 25.1 mg/dL", "17861-6", 25.1, "mg/dL", false],
    ["PTH 5000 pg/mL", "2731-8", 5000, "pg/mL", true],
    ["PTH 5001 pg/mL", "2731-8", 5001, "pg/mL", false],
    ["25-OH-D 500 ng/mL", "62292-8", 500, "ng/mL", true],
    ["25-OH-D 501 ng/mL", "62292-8", 501, "ng/mL", false],
    ["eGFR 0.9", "33914-3", 0.9, "mL/min/{1.73_m2}", false],
  ] as const)("%s", (_label, loinc, value, unit, used) => {
    const a = run([ssc(), lab(loinc, value, unit)]);
    expect(a.dataQuality.some((n) => n.code === "implausible-value")).toBe(!used);
    const key = Object.keys(a.labs)[0] as keyof Assessment["labs"];
    expect(a.labs[key]?.latest?.normalized?.value ?? null).toBe(used ? value : null);
  });
});

describe("coded laterality, both ways (SNOMED 7771000 left, 24028007 right, 51440002 bilateral)", () => {
  const sided = (code: string) =>
    run([
      ssc(),
      lesionObs({ system: SCT, code: "16982005" }, { value: 3, unit: "cm" }, "2026-10-01", {
        bodySite: {
          coding: [
            { system: SCT, code: "16982005" },
            { system: SCT, code },
          ],
        },
      }),
    ]).lesions.map((l) => l.laterality);
  it.each([
    ["7771000", "left"],
    ["24028007", "right"],
    ["51440002", "bilateral"],
  ])("%s is %s", (code, side) => {
    expect(sided(code)).toEqual([side]);
  });
  it.each([
    ["7771000", "left"],
    ["24028007", "right"],
  ])("an ImagingStudy series laterality %s places an unsided report sentence %s (§6 SITE)", (code, side) => {
    const img = study("MR", null, "2026-10-01", {
      series: [{ uid: "1", modality: { code: "MR" }, bodySite: { system: SCT, code: "16953009" }, laterality: { system: SCT, code } }],
    });
    const a = run([
      ssc(),
      img,
      report("MR", "Calcific masses, 2.8 x 1.5 x 5.7 cm.", "2026-10-01", { imagingStudy: [{ reference: `ImagingStudy/${img.id}` }] }),
    ]);
    expect(a.lesions.map((l) => [l.siteGroup, l.laterality, l.maxDimensionCm])).toEqual([["shoulder-elbow", side, 5.7]]);
    expect(ids(a.findings)).toEqual(["PC-SIZE"]);
  });
});
