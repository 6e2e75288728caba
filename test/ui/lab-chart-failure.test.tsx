import { describe, expect, it, vi } from "vitest";
import { screen, within } from "@testing-library/react";
import type { LabResult } from "../../src/clinical/types";
import { LabsPanel } from "../../src/ui/record/panels/LabsPanel";
import { probableAssessment } from "./fixtures";
import { renderUi } from "./render";

// The chart's chunk fails as a lazy import can (a stale deploy, a dropped connection).
vi.mock("../../src/ui/record/panels/LabTrendChart", () => ({
  default: () => {
    throw new Error("chart chunk failed");
  },
}));

function creatinine(date: string, value: number): LabResult {
  return { value, unit: "mg/dL", date, normalized: { value, unit: "mg/dL" }, referenceRange: null, evidence: `Observation/cr-${date}` };
}

describe("a lab chart that fails", () => {
  it("says the values are in the table, and the card and the panel stay", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const hist = [creatinine("2025-06-01", 1.2), creatinine("2026-06-01", 1.3)];
    const a = probableAssessment({ labs: { creatinine: { count: 2, latest: hist[1], history: hist } } });
    renderUi(<LabsPanel assessment={a} />);
    const chart = screen.getByTestId("lab-chart");
    expect(await within(chart).findByText("The chart could not be shown; the values are in the table below.")).toBeTruthy();
    expect(screen.queryByTestId("render-failure")).toBeNull();
    expect(screen.getByRole("button", { name: /show table of all results/i })).toBeTruthy();
  });
});
