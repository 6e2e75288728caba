import { describe, expect, it } from "vitest";
import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Headline, RedFlags } from "../../src/ui/record/panels/Headline";
import { PatientBanner } from "../../src/ui/record/panels/PatientBanner";
import { FindingsPanel } from "../../src/ui/record/panels/FindingsPanel";
import { SecondaryCausesPanel } from "../../src/ui/record/panels/SecondaryCausesPanel";
import { WorkupGapsPanel } from "../../src/ui/record/panels/WorkupGapsPanel";
import { LabsPanel } from "../../src/ui/record/panels/LabsPanel";
import { thinPoints } from "../../src/ui/record/labs/results";
import { ImagingPanel } from "../../src/ui/record/panels/ImagingPanel";
import { DataPanel } from "../../src/ui/record/panels/DataPanel";
import type { AssessmentStatus } from "../../src/clinical/types";
import { indexResources } from "../../src/ui/evidence/fhirText";
import { assess } from "../../src/clinical";
import type { UnavailableData } from "../../src/clinical/types";
import {
  AS_OF,
  P3,
  demo,
  PROGRESS_DONE,
  SPEC_LABELS,
  labResources,
  patientResource,
  probableAssessment,
  progress,
  seriousViolations,
  snapshot,
} from "./fixtures";
import { renderUi } from "./render";

describe("Headline", () => {
  const statuses: AssessmentStatus[] = ["not-applicable", "indeterminate", "no-evidence", "possible", "probable", "documented"];
  for (const status of statuses) {
    it(`shows the label for ${status}, the ruleset, the as-of date and the engine's reason`, async () => {
      const statusReason = `The reason for ${status}.`;
      const a = probableAssessment({ status, statusReason });
      const { container } = renderUi(<Headline assessment={a} asOf={AS_OF} complete />);
      expect(screen.getByTestId("status-label").textContent).toBe(SPEC_LABELS[status]);
      expect(screen.getByText("Ruleset pc-ssc 1.1.0")).toBeTruthy();
      expect(screen.getByText(`As of ${AS_OF}`)).toBeTruthy();
      expect(screen.getByTestId("status-reason").textContent).toBe(statusReason);
      expect(await seriousViolations(container)).toEqual([]);
    });
  }

  it("marks a status computed on partial data as provisional", () => {
    renderUi(<Headline assessment={probableAssessment({ status: "no-evidence", findings: [] })} asOf={AS_OF} complete={false} />);
    expect(screen.getByTestId("provisional").textContent).toMatch(/provisional/i);
  });

  it("shows a fixed-height placeholder before the first assessment", () => {
    renderUi(<Headline assessment={null} asOf={AS_OF} complete={false} />);
    expect(screen.queryByTestId("status-label")).toBeNull();
    expect(screen.getByText("Assessing the record…")).toBeTruthy();
  });
});

describe("RedFlags", () => {
  it("lists each flag with its action, rule id and evidence, in calm words", async () => {
    const flags = [
      {
        ruleId: "RF-SPINE" as const,
        text: "Paravertebral lesion with radiculopathy on record",
        evidence: ["Condition/rad-1"],
        sources: ["Z" as const],
      },
    ];
    const { container } = renderUi(
      <RedFlags flags={flags} />,
      indexResources([{ resourceType: "Condition", id: "rad-1", code: { text: "Radiculopathy" } }]),
    );
    const region = screen.getByRole("region", { name: /needs attention first/i });
    expect(within(region).getByText("Paravertebral lesion with radiculopathy on record")).toBeTruthy();
    expect(within(region).getByText(/neurological assessment and MRI or CT of the spine/)).toBeTruthy();
    expect(within(region).getByText("RF-SPINE · Z")).toBeTruthy();
    expect(within(region).getByRole("button", { name: /Open evidence: Condition: Radiculopathy/ })).toBeTruthy();
    expect(region.textContent).not.toMatch(/danger|emergency|alarm|!!/i);
    expect(await seriousViolations(container)).toEqual([]);
  });
  it("renders nothing without flags", () => {
    const { container } = renderUi(<RedFlags flags={[]} />);
    expect(container.querySelector("#red-flags")).toBeNull();
  });
});

describe("PatientBanner", () => {
  it("shows name, sex, age on the as-of date, birth date and identifier", async () => {
    const { container } = renderUi(<PatientBanner patient={patientResource()} assessment={probableAssessment()} asOf={AS_OF} />);
    const banner = screen.getByTestId("patient-banner");
    expect(within(banner).getByText("Paola Ghirardini")).toBeTruthy();
    expect(within(banner).getByText("female")).toBeTruthy();
    expect(within(banner).getByText("54 y")).toBeTruthy();
    expect(within(banner).getByText("1972-05-14")).toBeTruthy();
    expect(within(banner).getByText("MRN 69643567")).toBeTruthy();
    expect(within(banner).getByRole("button", { name: "View evidence: Patient record of Paola Ghirardini" })).toBeTruthy();
    expect(await seriousViolations(container)).toEqual([]);
  });
});

describe("FindingsPanel", () => {
  it("shows two reports of the same mass as one lesion with its dated size history", async () => {
    const { container } = renderUi(<FindingsPanel assessment={probableAssessment()} />);
    const lesions = screen.getAllByTestId("lesion");
    expect(lesions).toHaveLength(1);
    expect(lesions[0].textContent).toContain("Trunk / back, right");
    expect(within(lesions[0]).getByTestId("lesion-summary").textContent).toBe("Latest 10 cm; first seen 2024-10-08");
    const history = within(lesions[0])
      .getAllByTestId("lesion-measurement")
      .map((m) => m.textContent ?? "");
    expect(history[0]).toContain("2024-10-08 · X-ray (CR) · 8.8 × 6.8 cm");
    expect(history[1]).toContain("2026-10-29 · CT · 10 × 9 cm");
    expect(history[1]).toContain("Right dorsal soft-tissue calcific mass 10 x 9 cm.");
    expect(within(lesions[0]).getByTestId("lesion-chart")).toBeTruthy();
    expect(await seriousViolations(container)).toEqual([]);
  });

  it("marks the involved site groups on the body figure, by side, with a text alternative", () => {
    const a = probableAssessment({
      lesions: [
        ...probableAssessment().lesions,
        { siteGroup: "spine", laterality: null, maxDimensionCm: null, date: "2025-01-01", evidence: ["DiagnosticReport/x"] },
      ],
    });
    const { container } = renderUi(<FindingsPanel assessment={a} />);
    const involved = [...container.querySelectorAll('[data-involved="true"]')].map((e) => e.getAttribute("data-region"));
    expect(involved.sort()).toEqual(["spine:M", "trunk:R"]);
    expect(container.querySelector('[data-region="trunk:L"]')!.getAttribute("data-involved")).toBe("false");
    const figure = screen.getByRole("img", { name: /body figure/i });
    expect(figure.querySelector("desc")!.textContent).toBe("Involved sites: Trunk / back (right); Spine (midline).");
  });

  it("shows growth between two dated measurements", () => {
    renderUi(<FindingsPanel assessment={probableAssessment()} />);
    const g = screen.getByTestId("growth");
    expect(g.textContent).toContain("8.8 cm (2024-10-08) → 10 cm (2026-10-29), +14%");
  });

  it("shows rule ids with source tags and marks D-tagged rules as our design choice", () => {
    renderUi(<FindingsPanel assessment={probableAssessment()} />);
    expect(screen.getByText("PC-SIZE · Z, M")).toBeTruthy();
    const age = screen.getAllByTestId("risk-feature").find((e) => e.textContent?.includes("R-AGE"))!;
    expect(within(age).getByText("our design choice")).toBeTruthy();
    const vasc = screen.getAllByTestId("risk-feature").find((e) => e.textContent?.includes("R-VASC"))!;
    expect(within(vasc).queryByText("our design choice")).toBeNull();
  });
});

describe("SecondaryCausesPanel", () => {
  it("shows the value, its reference range, the date, the rule id and what would rule it out", async () => {
    const { container } = renderUi(<SecondaryCausesPanel assessment={probableAssessment()} />);
    const item = screen.getByTestId("secondary-cause");
    expect(item.textContent).toContain("PTH 86.5 pg/mL is above the range");
    expect(item.textContent).toContain("86.5 pg/mL");
    expect(item.textContent).toContain("15–65 pg/mL");
    expect(item.textContent).toContain("2026-10-20");
    expect(item.textContent).toContain("S-PTH · C, M");
    expect(item.textContent).toMatch(/Would be ruled out by:.*PTH ≤ 65 pg\/mL/);
    expect(await seriousViolations(container)).toEqual([]);
  });
});

describe("WorkupGapsPanel", () => {
  it("orders the checklist by priority and says what, since when and why, with rule and source", async () => {
    const { container } = renderUi(<WorkupGapsPanel assessment={probableAssessment()} />);
    const gaps = screen.getAllByTestId("gap");
    expect(gaps.map((g) => g.getAttribute("data-rule"))).toEqual(["G-SPINE", "G-ALB", "G-AB"]);
    expect(gaps[0].textContent).toContain("No CT or MRI of the spine in 24 months");
    expect(within(gaps[0]).getByTestId("gap-since").textContent).toBe("Missing since 2023-02-01 (last on record)");
    expect(within(gaps[2]).getByTestId("gap-since").textContent).toBe("Never on record");
    expect(gaps[0].textContent).toMatch(/Why it matters:.*missed at first imaging/);
    expect(gaps[0].textContent).toContain("G-SPINE · Z, M");
    expect(await seriousViolations(container)).toEqual([]);
  });
});

describe("LabsPanel", { timeout: 60_000 }, () => {
  it("shows the latest value per analyte with unit, normalised value, range, date and reading", async () => {
    const a = probableAssessment();
    a.labs.pth!.latest = { ...a.labs.pth!.history![0], date: "2026-10-20" };
    const { container } = renderUi(<LabsPanel assessment={a} />);
    const pth = screen.getAllByTestId("lab-card").find((c) => c.getAttribute("data-analyte") === "pth")!;
    expect(within(pth).getByTestId("lab-latest").textContent).toBe("9.1 pmol/L");
    expect(pth.textContent).toContain("85.8 pg/mL"); // normalised
    expect(pth.textContent).toContain("2026-10-20");
    expect(pth.textContent).toContain("Above range (rule default)");
    expect(pth.textContent).toContain("15–65 pg/mL (rule S-PTH default)");
    expect(await seriousViolations(container)).toEqual([]);
  });

  it("offers a table of every result, reachable by keyboard", async () => {
    const user = userEvent.setup();
    renderUi(<LabsPanel assessment={probableAssessment()} />);
    const toggle = screen.getByRole("button", { name: /show table of all results \(3\)/i });
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    toggle.focus();
    await user.keyboard("{Enter}");
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    const table = screen.getByRole("table", { name: /all lab results/i });
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(4); // header + 3 results
    expect(rows[1].textContent).toContain("Calcium (total)");
    expect(rows[2].textContent).toContain("86.5 pg/mL"); // newest first within an analyte
    expect(rows[3].textContent).toContain("9.1 pmol/L");
    expect(within(rows[3]).getByRole("button", { name: "View evidence: PTH (intact) 9.1 pmol/L on 2025-09-01" })).toBeTruthy();
  });

  it("pages a long table by 25 rows", async () => {
    const user = userEvent.setup();
    const history = Array.from({ length: 60 }, (_, i) => {
      const date = `2020-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 27) + 1).padStart(2, "0")}`;
      return {
        value: 9 + (i % 10) / 10,
        unit: "mg/dL",
        date,
        normalized: { value: 9 + (i % 10) / 10, unit: "mg/dL" },
        evidence: `Observation/ca-${i}`,
      };
    });
    const a = probableAssessment({ labs: { calcium: { count: 60, latest: history[59], history, trend: "stable" } } });
    renderUi(<LabsPanel assessment={a} />);
    await user.click(screen.getByRole("button", { name: /show table of all results \(60\)/i }));
    const rows = () => within(screen.getByRole("table")).getAllByRole("row").length - 1;
    expect(rows()).toBe(25);
    expect(screen.getByTestId("lab-table-page").textContent).toBe("Rows 1–25 of 60");
    await user.click(screen.getByRole("button", { name: "Next rows" }));
    expect(screen.getByTestId("lab-table-page").textContent).toBe("Rows 26–50 of 60");
    await user.click(screen.getByRole("button", { name: "Next rows" }));
    expect(rows()).toBe(10);
    expect((screen.getByRole("button", { name: "Next rows" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("thins a long series for the chart but keeps its extremes", () => {
    const pts = Array.from({ length: 1000 }, (_, i) => ({ date: String(i), value: i === 500 ? 99 : i === 700 ? -5 : 1 }));
    const thin = thinPoints(pts, 120);
    expect(thin.length).toBeLessThanOrEqual(120);
    expect(thin[0]).toBe(pts[0]);
    expect(thin[thin.length - 1]).toBe(pts[999]);
    expect(thin.map((p) => p.value)).toContain(99);
    expect(thin.map((p) => p.value)).toContain(-5);
  });

  it("loads the trend chart lazily for analytes with two or more results", async () => {
    renderUi(<LabsPanel assessment={probableAssessment()} />);
    const charts = screen.getAllByTestId("lab-chart");
    expect(charts).toHaveLength(1); // PTH only; calcium has one result
    expect(await within(charts[0]).findByTestId("reference-band", {}, { timeout: 5000 })).toBeTruthy();
  });
});

describe("ImagingPanel", () => {
  it("lists studies by date with modality, site and report conclusion", async () => {
    const { container } = renderUi(<ImagingPanel resources={labResources()} loading={false} />);
    const row = screen.getByTestId("imaging-row");
    expect(row.textContent).toContain("2026-10-29");
    expect(row.textContent).toContain("CT");
    expect(row.textContent).toContain("Thoracic structure");
    expect(within(row).getByTestId("imaging-conclusion").textContent).toContain("Right dorsal soft-tissue calcific mass 10 x 9 cm.");
    expect(await seriousViolations(container)).toEqual([]);
  });
});

describe("DataPanel", () => {
  it("says what could not be loaded and what that means for the rules", async () => {
    const snap = snapshot(labResources(), {
      progress: [
        ...PROGRESS_DONE.filter((p) => p.resourceType !== "ImagingStudy"),
        progress({
          key: "ImagingStudy",
          resourceType: "ImagingStudy",
          label: "Imaging studies",
          state: "failed",
          failure: { kind: "forbidden", httpStatus: 403, message: "The EHR did not grant access to imaging studies." },
        }),
      ],
      unavailable: [{ resourceType: "ImagingStudy", reason: "failed" }],
      strays: ["Observation/other-1"],
    });
    const d = demo(P3);
    const seen = d.resources.filter((r) => r.resourceType !== "ImagingStudy");
    const engine = assess(seen as never, { asOf: AS_OF, patientId: P3, unavailable: snap.unavailable });
    const unknownRules = engine.missingData.flatMap((m) => m.rules);
    expect(unknownRules.length).toBeGreaterThan(0);
    const a = {
      ...engine,
      dataQuality: [
        {
          code: "unit-unknown",
          text: "Calcium result with unit 'mg%' could not be converted; left out of the rules.",
          evidence: ["Observation/ca-x"],
        },
      ],
    };
    const { container } = renderUi(<DataPanel snapshot={snap} assessment={a} />);
    const problem = screen.getByTestId("load-problem");
    expect(problem.textContent).toContain("Imaging studies: could not be loaded");
    expect(problem.textContent).toContain("The EHR did not grant access to imaging studies.");
    expect(problem.textContent).toMatch(/unknown, not negative/);
    for (const rule of unknownRules) expect(problem.querySelector(`[data-rule="${rule}"]`)).not.toBeNull();
    expect(screen.getByTestId("dq-note").textContent).toContain("could not be converted");
    expect(screen.getByTestId("strays").textContent).toContain("1 resource belonging to another patient");
    expect(await seriousViolations(container)).toEqual([]);
  });

  it("shows progress per search while loading", () => {
    const snap = snapshot([], {
      complete: false,
      progress: [
        progress({ key: "Condition", resourceType: "Condition", label: "Conditions", state: "done", resources: 4 }),
        progress({
          key: "Observation:bone",
          resourceType: "Observation",
          label: "Labs: bone",
          state: "loading",
          resources: 200,
          total: 900,
        }),
        progress({ key: "ImagingStudy", resourceType: "ImagingStudy", label: "Imaging studies", state: "waiting" }),
      ],
    });
    renderUi(<DataPanel snapshot={snap} assessment={null} />);
    const rows = screen.getAllByTestId("search-progress");
    expect(rows.map((r) => r.getAttribute("data-state"))).toEqual(["done", "loading", "waiting"]);
    expect(rows[1].textContent).toContain("loading · 200 of 900");
    expect(rows[0].textContent).toContain("loaded · 4");
  });
});

describe("panels on a partial record: unknown is never shown as absent", () => {
  /** The real engine over a demo patient whose searches of these groups failed. */
  function partial(id: string, unavailable: UnavailableData[]) {
    const lost = new Set(unavailable.map((u) => u.resourceType));
    const seen = demo(id).resources.filter((r) => !lost.has(r.resourceType as UnavailableData["resourceType"]));
    return assess(seen as never, { asOf: AS_OF, patientId: id, unavailable });
  }
  const labsLost: UnavailableData[] = [
    { resourceType: "Observation", group: "calcium-phosphate", reason: "failed", message: "Labs: calcium: HTTP 500" },
    { resourceType: "Observation", group: "pth-vitamin-d", reason: "failed", message: "Labs: PTH: HTTP 500" },
    { resourceType: "Observation", group: "kidney", reason: "failed", message: "Labs: kidney: HTTP 500" },
    { resourceType: "Observation", group: "albumin", reason: "failed", message: "Labs: albumin: HTTP 500" },
    { resourceType: "Observation", group: "panels", reason: "failed", message: "Labs: panels: HTTP 500" },
    { resourceType: "Observation", group: "antibodies", reason: "failed", message: "SSc antibodies: HTTP 500" },
    { resourceType: "Observation", group: "lesions", reason: "failed", message: "Lesion findings: HTTP 500" },
  ];

  it("labs whose searches failed are 'could not be loaded', not 'no result on record'", () => {
    const a = partial(P3, labsLost);
    renderUi(<LabsPanel assessment={a} complete />);
    expect(screen.getByTestId("labs-unknown").textContent).toMatch(/Calcium/);
    expect(screen.queryByTestId("labs-absent")?.textContent ?? "").not.toMatch(/Calcium|PTH|Creatinine/);
  });

  it("secondary causes and gaps list the rules they could not check instead of 'none'", () => {
    const a = partial("ssc-ckd", labsLost);
    renderUi(
      <>
        <SecondaryCausesPanel assessment={a} complete />
        <WorkupGapsPanel assessment={a} complete />
      </>,
    );
    const unknown = screen.getAllByTestId("unknown-rules");
    const rules = unknown.flatMap((u) => [...u.querySelectorAll("li")].map((li) => li.getAttribute("data-rule")));
    expect(rules).toEqual(expect.arrayContaining(["S-CA", "S-PTH", "G-CA", "G-PTH"]));
    expect(document.body.textContent).not.toMatch(/No secondary cause flagged by the results on record|No gaps: the recommended/);
  });

  it("failed reports make the findings 'unknown, not ruled out'", () => {
    const a = partial(P3, [{ resourceType: "DiagnosticReport", reason: "failed", label: "Imaging reports", message: "HTTP 403" }]);
    renderUi(<FindingsPanel assessment={a} />);
    expect(a.status).toBe("indeterminate");
    expect(document.body.textContent).toMatch(/unknown, not ruled out/);
    expect(screen.getByTestId("unknown-rules").textContent).toMatch(/PC-/);
  });

  it("while loading, the headline says what it waits for instead of 'cannot be assessed'", () => {
    const a = partial(P3, [{ resourceType: "DiagnosticReport", reason: "pending", label: "Imaging reports", message: "still loading" }]);
    renderUi(<Headline assessment={a} asOf={AS_OF} complete={false} />);
    expect(a.status).toBe("indeterminate");
    expect(screen.getByTestId("status-label").textContent).toBe("Still loading: not assessed yet");
    expect(screen.getByTestId("status-reason").textContent).toMatch(/^Waiting for Imaging reports/);
  });
});
