import { describe, expect, it } from "vitest";
import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ImagingPanel } from "../../src/ui/record/panels/ImagingPanel";
import { PREVIEW_CHARS, reportPreview } from "../../src/ui/record/panels/reportPreview";
import { indexResources, type FhirResource } from "../../src/ui/evidence/fhirText";
import { seriousViolations } from "./fixtures";
import { renderUi } from "./render";

const CITED = "Left hip: soft-tissue calcific mass 6.1 x 4.0 cm, larger than before.";
const FILLER = "Bones of normal density, joint spaces preserved, no erosion or periosteal reaction seen here. ";

/** A 5,000-character report whose measured lesion comes near the end, with markup that must stay text. */
function longReport(): FhirResource {
  const body = `Comparison: prior study. <b>Technique</b>: standard views. ${FILLER.repeat(50)}${CITED} ${FILLER.repeat(2)}`;
  return {
    resourceType: "DiagnosticReport",
    id: "long-ct",
    status: "final",
    category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/v2-0074", code: "RAD" }] }],
    code: { text: "CT pelvis" },
    subject: { reference: "Patient/p1" },
    effectiveDateTime: "2026-09-01",
    conclusion: body,
  } as FhirResource;
}

describe("the preview of a long imaging report", () => {
  it("cuts after a sentence or between words, near the preview length, and leaves short reports whole", () => {
    const report = String(longReport().conclusion);
    expect(report.length).toBeGreaterThan(5000);
    const p = reportPreview(report);
    expect(p.cut).toBe(true);
    expect(p.text.length).toBeLessThanOrEqual(PREVIEW_CHARS + 2);
    expect(p.text.length).toBeGreaterThan(PREVIEW_CHARS * 0.4);
    expect(p.text).toMatch(/\. …$/);
    expect(reportPreview("x".repeat(10) + " word".repeat(300)).text).toMatch(/ word …$/);
    expect(reportPreview(Array.from({ length: 12 }, (_, i) => `Line ${i + 1}.`).join("\n")).text).toBe(
      "Line 1.\nLine 2.\nLine 3.\nLine 4.\nLine 5.\nLine 6. …",
    );
    expect(reportPreview("Small calcific focus, 4 mm.")).toEqual({ text: "Small calcific focus, 4 mm.", cut: false });
  });

  it("shows the start of the report with a Show full report toggle, and the cited sentence in the evidence viewer", async () => {
    const user = userEvent.setup();
    const report = longReport();
    const { container } = renderUi(<ImagingPanel resources={[report]} loading={false} />, indexResources([report]));
    const row = screen.getByTestId("imaging-row");
    const conclusion = within(row).getByTestId("imaging-conclusion");
    expect(conclusion.textContent!.length).toBeLessThan(PREVIEW_CHARS + 20);
    expect(conclusion.textContent).not.toContain(CITED);
    // FHIR text stays text: the report's markup is shown, never made into elements.
    expect(conclusion.textContent).toContain("<b>Technique</b>");
    expect(conclusion.querySelector("b")).toBeNull();

    const toggle = within(row).getByRole("button", { name: "Show full report" });
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    expect(toggle.getAttribute("aria-controls")).toBe(conclusion.id);
    await user.click(toggle);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    expect(conclusion.textContent).toContain(CITED);
    expect(conclusion.textContent).toContain(String(report.conclusion));
    await user.click(within(row).getByRole("button", { name: "Show less of the report" }));
    expect(conclusion.textContent).not.toContain(CITED);

    // The cited sentence is one click away without the toggle too: the report's evidence viewer.
    await user.click(within(row).getByRole("button", { name: /Open evidence/ }));
    const dialog = await screen.findByRole("dialog");
    expect(dialog.textContent).toContain(CITED);
    expect(await seriousViolations(container)).toEqual([]);
  });
});
