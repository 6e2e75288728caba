import { describe, expect, it } from "vitest";
import { screen, within } from "@testing-library/react";
import type { Lesion } from "../../src/clinical/types";
import { lesionRows } from "../../src/ui/record/lesions/lesionRows";
import { FindingsPanel } from "../../src/ui/record/panels/FindingsPanel";
import { markRegions } from "../../src/ui/record/panels/BodyFigure";
import { probableAssessment } from "./fixtures";
import { renderUi } from "./render";

/** Lesions as the 1.1.0 engine fills them: one per site group and side, with their measurements. */
const SHOULDER: Lesion = {
  id: "shoulder-elbow|left",
  siteGroup: "shoulder-elbow",
  laterality: "left",
  siteLabel: "left shoulder/elbow",
  maxDimensionCm: 9,
  peakDimensionCm: 12,
  dimensionsCm: [9, 5],
  date: "2026-03-01",
  firstSeen: "2019-06-10",
  modality: "MR",
  evidence: ["DiagnosticReport/a", "DiagnosticReport/b", "DiagnosticReport/c"],
  measurements: [
    { date: "2019-06-10", maxDimensionCm: null, dimensionsCm: [], modality: "CR", evidence: ["DiagnosticReport/a"] },
    { date: "2022-02-02", maxDimensionCm: 12, dimensionsCm: [12, 7], modality: "CT", evidence: ["DiagnosticReport/b"] },
    { date: "2026-03-01", maxDimensionCm: 9, dimensionsCm: [9, 5], modality: "MR", evidence: ["DiagnosticReport/c"] },
  ],
};
const HIP: Lesion = {
  id: "hip-pelvis|bilateral",
  siteGroup: "hip-pelvis",
  laterality: "bilateral",
  siteLabel: "both hips",
  maxDimensionCm: 3,
  peakDimensionCm: 3,
  date: "2025-05-05",
  firstSeen: "2025-05-05",
  evidence: ["DiagnosticReport/d"],
  measurements: [{ date: "2025-05-05", maxDimensionCm: 3, dimensionsCm: [3], modality: "US", evidence: ["DiagnosticReport/d"] }],
};

describe("lesion rows", () => {
  it("uses the engine's id, site label, peak, first-seen date and measurements when it sets them", () => {
    const [row] = lesionRows([SHOULDER]);
    expect(row).toMatchObject({
      id: "shoulder-elbow|left",
      label: "Left shoulder/elbow",
      latestCm: 9,
      peakCm: 12,
      firstSeen: "2019-06-10",
    });
    expect(row.measurements.map((m) => m.date)).toEqual(["2019-06-10", "2022-02-02", "2026-03-01"]);
  });

  it("groups lesions without an id by site group and side (today's engine output)", () => {
    const rows = lesionRows(probableAssessment().lesions);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: "trunk|right", latestCm: 10, peakCm: 10, firstSeen: "2024-10-08" });
    expect(rows[0].measurements.map((m) => m.modality)).toEqual(["CR", "CT"]);
  });

  it("keeps an unsized mention as unknown, never as a size", () => {
    const [row] = lesionRows([{ siteGroup: "spine", laterality: null, maxDimensionCm: null, date: null, evidence: ["Condition/x"] }]);
    expect(row.latestCm).toBeNull();
    expect(row.peakCm).toBeNull();
    expect(row.firstSeen).toBeNull();
  });

  it("renders one row per lesion with every measurement labelled by date and modality", () => {
    renderUi(<FindingsPanel assessment={probableAssessment({ lesions: [SHOULDER, HIP] })} />);
    const rows = screen.getAllByTestId("lesion");
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByTestId("lesion-summary").textContent).toBe("Latest 9 cm, peak 12 cm; first seen 2019-06-10");
    expect(
      within(rows[0])
        .getAllByTestId("lesion-measurement")
        .map((m) => m.firstElementChild?.textContent),
    ).toEqual(["2019-06-10 · X-ray (CR) · size not stated", "2022-02-02 · CT · 12 × 7 cm", "2026-03-01 · MRI · 9 × 5 cm"]);
    expect(screen.getByText("Lesions (2)")).toBeTruthy();
  });

  it("numbers each lesion once on the body figure, however many share a region", () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ ...HIP, id: `h${i}`, laterality: "right" as const }));
    const marks = markRegions([...many, HIP]);
    expect(marks.get("hip-pelvis:R")!.numbers).toEqual([1, 2, 3, 4, 5, 6]);
    // The bilateral lesion hatches the left too, without a second number.
    expect(marks.get("hip-pelvis:L")!.numbers).toEqual([]);
    const { container } = renderUi(<FindingsPanel assessment={probableAssessment({ lesions: [...many, HIP] })} />);
    const labels = [...container.querySelectorAll("[data-markers] text")].map((t) => t.textContent);
    // The hip region fits one circle: it says how many lesions it holds rather than overflowing.
    expect(labels).toEqual(["+6"]);
  });
});
