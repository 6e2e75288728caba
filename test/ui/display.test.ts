import { describe, expect, it } from "vitest";
import { ageOn, patientIdentifier, patientName } from "../../src/ui/evidence/patientText";
import { imagingRows } from "../../src/ui/record/imaging/imagingRows";
import { type FhirResource, narrativeText } from "../../src/ui/evidence/fhirText";
import { resourceSummary } from "../../src/ui/evidence/resourceSummary";
import { interpret, rangeFor } from "../../src/ui/record/labs/labMeta";
import type { LabResult } from "../../src/clinical/types";

describe("FHIR display helpers", () => {
  it("reads the official name and the MRN", () => {
    const p = {
      resourceType: "Patient",
      id: "p1",
      name: [
        { use: "usual", given: ["Annie"] },
        { use: "official", given: ["Anna", "Maria"], family: "Rossi" },
      ],
      identifier: [
        { system: "urn:x", value: "123" },
        { type: { coding: [{ code: "MR" }], text: "MRN" }, value: "MRN-42" },
      ],
    };
    expect(patientName(p)).toBe("Anna Maria Rossi");
    expect(patientIdentifier(p)).toBe("MRN MRN-42");
  });

  it("computes age on the as-of date", () => {
    expect(ageOn("1972-11-22", "2026-11-21")).toBe(53);
    expect(ageOn("1972-11-21", "2026-11-21")).toBe(54);
    expect(ageOn(undefined, "2026-11-21")).toBeNull();
  });

  it("reduces narrative XHTML to text without running anything", () => {
    (globalThis as { __pwned?: boolean }).__pwned = false;
    const t = narrativeText({
      text: {
        div: '<div xmlns="http://www.w3.org/1999/xhtml"><b>Mass</b> <img src=x onerror="globalThis.__pwned=true"><script>globalThis.__pwned=true</script> 12 cm</div>',
      },
    });
    expect(t).toBe("Mass 12 cm");
    expect((globalThis as { __pwned?: boolean }).__pwned).toBe(false);
  });

  it("summarises an Observation with value, range and date", () => {
    const rows = resourceSummary({
      resourceType: "Observation",
      id: "o1",
      status: "final",
      code: { coding: [{ system: "http://loinc.org", code: "2731-8", display: "PTH intact" }] },
      valueQuantity: { value: 86.5, unit: "pg/mL" },
      referenceRange: [{ low: { value: 15, unit: "pg/mL" }, high: { value: 65, unit: "pg/mL" } }],
      effectiveDateTime: "2024-03-02T09:00:00Z",
    });
    const get = (l: string) => rows.find((r) => r.label === l)?.value;
    expect(get("What")).toBe("PTH intact");
    expect(get("Value")).toBe("86.5 pg/mL");
    expect(get("Reference range")).toBe("15 pg/mL – 65 pg/mL");
    expect(get("Date")).toBe("2024-03-02");
    expect(get("Status")).toBe("final");
  });

  it("lists imaging studies newest first with the conclusion of their report", () => {
    const resources: FhirResource[] = [
      {
        resourceType: "ImagingStudy",
        id: "s1",
        started: "2022-01-10",
        series: [{ modality: { code: "CR" }, bodySite: { display: "Chest" } }],
      },
      {
        resourceType: "ImagingStudy",
        id: "s2",
        started: "2024-02-01",
        series: [{ modality: { code: "CT" }, bodySite: { display: "Back" } }],
      },
      {
        resourceType: "DiagnosticReport",
        id: "r2",
        imagingStudy: [{ reference: "ImagingStudy/s2" }],
        conclusion: "Mass 10 x 9 cm",
        code: { text: "CT chest" },
      },
      {
        resourceType: "DiagnosticReport",
        id: "r3",
        category: [{ coding: [{ code: "RAD" }] }],
        code: { text: "MRI elbow" },
        effectiveDateTime: "2023-05-05",
        conclusion: "Calcified masses",
      },
    ];
    const rows = imagingRows(resources);
    expect(rows.map((r) => r.key)).toEqual(["ImagingStudy/s2", "DiagnosticReport/r3", "ImagingStudy/s1"]);
    expect(rows[0].conclusion).toBe("Mass 10 x 9 cm");
    expect(rows[0].modality).toBe("CT");
    expect(rows[0].evidence).toEqual(["ImagingStudy/s2", "DiagnosticReport/r2"]);
    expect(rows[1].modality).toBe("MR");
  });
});

describe("lab interpretation", () => {
  const pth = (value: number, extra: Partial<LabResult> = {}): LabResult => ({
    value,
    unit: "pg/mL",
    date: "2024-01-01",
    normalized: { value, unit: "pg/mL" },
    evidence: "Observation/x",
    ...extra,
  });
  it("uses the result's own range before the rule default", () => {
    expect(interpret("pth", pth(70, { referenceRange: { low: 10, high: 80, unit: "pg/mL" } })).kind).toBe("normal");
    expect(interpret("pth", pth(70)).text).toBe("Above range (rule default)");
    expect(rangeFor("pth", pth(70)).origin).toBe("rule");
  });
  it("prefers the result's interpretation code", () => {
    expect(interpret("pth", pth(20, { interpretation: "H" })).text).toBe("High");
  });
  it("does not decide on a bound that cannot be placed", () => {
    expect(interpret("pth", pth(70, { comparator: "<", normalized: { value: 70, unit: "pg/mL", comparator: "<" } })).kind).toBe("unknown");
  });
  it("says when the unit could not be converted", () => {
    expect(interpret("calcium", { value: 2, unit: "furlong", date: null, normalized: null, evidence: "Observation/y" }).kind).toBe(
      "unknown",
    );
  });
});
