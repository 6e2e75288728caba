/**
 * The worklist's order and its two renderings, on rows the demo data does not have: an
 * "indeterminate" patient, ids and values that try to be HTML or a spreadsheet formula.
 */
import { describe, expect, it } from "vitest";
import type { WorklistRow } from "../../src/cli/summary";
import { reportHtml } from "../../src/cli/screen/report";
import { csvField, sortWorklist, tierOf, worklistCsv } from "../../src/cli/screen/worklist";

const row = (patientId: string, status: string, extra: Partial<WorklistRow> = {}): WorklistRow => ({
  patientId,
  status,
  ageYears: 60,
  sex: "female",
  redFlags: [],
  gaps: [],
  findings: [],
  lesions: 0,
  largestLesionCm: null,
  file: `${patientId}.json`,
  ...extra,
});

describe("worklist order", () => {
  it("red flags, then calcinosis with G-SPINE/G-NEO, other calcinosis, possible, indeterminate, no-evidence, not-applicable", () => {
    const rows = [
      row("na", "not-applicable"),
      row("none", "no-evidence", { gaps: ["G-SCREEN"] }),
      row("ind", "indeterminate"),
      row("poss", "possible", { gaps: ["G-SPINE"] }),
      row("prob", "probable", { gaps: ["G-CT"] }),
      row("doc-neo", "documented", { gaps: ["G-NEO"] }),
      row("prob-spine", "probable", { gaps: ["G-SPINE"], largestLesionCm: 9 }),
      row("flag", "no-evidence", { redFlags: ["RF-SPINE"] }),
    ];
    expect(sortWorklist(rows).map((r) => r.patientId)).toEqual(["flag", "doc-neo", "prob-spine", "prob", "poss", "ind", "none", "na"]);
    expect(tierOf(row("x", "some-future-status"))).toBe(tierOf(row("y", "indeterminate")));
  });
});

describe("worklist rendering", () => {
  const hostile = row('<img src=x onerror="alert(1)">', "probable", { gaps: ["G-SPINE"], sex: "<b>f</b>" });

  it("CSV: quotes what needs quoting and defuses formulas", () => {
    expect(csvField('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvField("-1+2")).toBe("'-1+2");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField(null)).toBe("");
    const csv = worklistCsv([row("@SUM(A1)", "possible")], (id) => `https://ehr/${id}`);
    expect(csv.split("\r\n")[1]).toContain(",'@SUM(A1),");
  });

  it("HTML: every value escaped, no script or external resource", () => {
    const html = reportHtml([hostile], {
      title: "Screening <x>",
      source: "https://ehr.example.org/fhir",
      asOf: "2026-11-21",
      transactionTime: "2026-11-21T00:00:00Z",
      unavailable: ["ImagingStudy"],
      link: (id) => `https://ehr.example.org/chart?id=${encodeURIComponent(id)}`,
    });
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b>");
    expect(html).toContain("&#60;img src=x onerror=&#34;alert(1)&#34;&#62;");
    expect(html).toContain("Screening &#60;x&#62;");
    expect(html).not.toMatch(/<script|<[^>]+\ssrc=|<link/i);
    expect(html).toContain('href="https://ehr.example.org/chart?id=%3Cimg%20src%3Dx%20onerror%3D%22alert(1)%22%3E"');
  });
});
