import { describe, expect, it } from "vitest";
import { screen, within } from "@testing-library/react";
import { PrintSummary } from "../../src/ui/record/print/PrintSummary";
import { demo } from "./fixtures";
import { renderUi } from "./render";

describe("the printed summary", () => {
  it("ssc-ckd: header with patient, date and ruleset; status, causes, lesions, gaps and evidence", () => {
    const d = demo("ssc-ckd");
    renderUi(<PrintSummary assessment={d.assessment} patient={d.patient} allResults={false} />, d.resourcesById);
    const sheet = screen.getByTestId("print-summary");
    // The header is the table head, which the browser repeats on every printed page.
    const header = sheet.querySelector("thead [data-testid='print-header']")!;
    expect(header.textContent).toContain(`as of ${d.assessment.asOf}`);
    expect(header.textContent).toContain("ruleset pc-ssc 1.1.0");
    const text = sheet.textContent ?? "";
    expect(text).toContain("Probable pseudotumoral calcinosis");
    for (const s of d.assessment.secondaryCauses) expect(text).toContain(`[${s.ruleId}]`);
    expect(text).toContain("Lesions");
    expect(text).toContain("Evidence");
    expect(within(sheet).queryByTestId("print-results")).toBeNull();
  });

  it("adds every lab result only when asked for", () => {
    const d = demo("modena-3");
    renderUi(<PrintSummary assessment={d.assessment} patient={d.patient} allResults />, d.resourcesById);
    const rows = within(screen.getByTestId("print-results")).getAllByRole("row");
    const count = Object.values(d.assessment.labs).reduce((n, s) => n + (s?.history?.length ?? 0), 0);
    expect(rows).toHaveLength(count + 1);
    expect(
      within(rows[0])
        .getAllByRole("columnheader")
        .map((c) => c.textContent),
    ).toContain("Reading");
  });
});
