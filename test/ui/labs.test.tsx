import { describe, expect, it } from "vitest";
import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { LabResult } from "../../src/clinical/types";
import { rangeFor } from "../../src/ui/record/labs/labMeta";
import { datedPoints, trendOver } from "../../src/ui/record/labs/results";
import { LabsPanel } from "../../src/ui/record/panels/LabsPanel";
import { AS_OF, probableAssessment } from "./fixtures";
import { renderUi } from "./render";

function creatinine(date: string, value: number, range?: LabResult["referenceRange"]): LabResult {
  return {
    value,
    unit: "mg/dL",
    date,
    normalized: { value, unit: "mg/dL" },
    referenceRange: range ?? null,
    evidence: `Observation/cr-${date}`,
  };
}

describe("lab ranges", () => {
  it("shows the numbers of a range that also has a text label", () => {
    const r = creatinine("2026-01-01", 0.8, { low: 0.51, high: 0.95, unit: "mg/dL", text: "Adult women" });
    expect(rangeFor("creatinine", r).text).toBe("0.51–0.95 mg/dL (Adult women)");
  });

  it("keeps a text-only range as written", () => {
    const r = creatinine("2026-01-01", 0.8, { unit: "mg/dL", text: "see report" });
    expect(rangeFor("creatinine", r).text).toBe("see report");
  });
});

describe("lab trends over a stated window", () => {
  it("reads the whole last year, not the last two values", () => {
    // Rising over the year; the last two values happen to fall.
    const hist = [
      creatinine("2026-01-10", 1.0),
      creatinine("2026-04-10", 1.3),
      creatinine("2026-07-10", 1.6),
      creatinine("2026-10-01", 1.9),
      creatinine("2026-11-01", 1.8),
    ];
    const t = trendOver(datedPoints({ count: 5, latest: hist[4], history: hist }), AS_OF);
    expect(t).toMatchObject({ direction: "rising", n: 5, text: "rising over the last 12 months (5 results)" });
  });

  it("leaves results older than the window out, and says when there are too few", () => {
    const hist = [creatinine("2020-01-01", 3), creatinine("2026-06-01", 1)];
    const t = trendOver(datedPoints({ count: 2, latest: hist[1], history: hist }), AS_OF);
    expect(t).toMatchObject({ direction: null, n: 1, text: "no trend: 1 result in the last 12 months" });
  });
});

describe("lab charts", () => {
  it("draw the last two years by default, with a control to show all years", async () => {
    const user = userEvent.setup();
    const hist = [creatinine("2018-03-01", 1), creatinine("2019-03-01", 1.1), creatinine("2025-06-01", 1.2), creatinine("2026-06-01", 1.3)];
    const a = probableAssessment({ labs: { creatinine: { count: 4, latest: hist[3], history: hist } } });
    renderUi(<LabsPanel assessment={a} />);
    const chart = screen.getByTestId("lab-chart");
    expect(chart.querySelector("figcaption")!.textContent).toContain("2 results over the last 2 years");
    await user.click(within(chart).getByRole("button", { name: "Show all years (2 older)" }));
    expect(chart.querySelector("figcaption")!.textContent).toContain("4 results over all years");
    expect(within(chart).getByRole("button", { name: "Show the last 2 years" })).toBeTruthy();
    expect(screen.getByTestId("lab-trend").textContent).toBe("no trend: 1 result in the last 12 months");
  });
});
