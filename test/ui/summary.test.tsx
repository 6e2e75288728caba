import { afterEach, describe, expect, it } from "vitest";
import { cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { RULES, STATUS_LABELS } from "../../src/clinical";
import { Headline } from "../../src/ui/record/panels/Headline";
import { FindingsPanel } from "../../src/ui/record/panels/FindingsPanel";
import { WorkupGapsPanel } from "../../src/ui/record/panels/WorkupGapsPanel";
import { AtAGlance } from "../../src/ui/record/summary/AtAGlance";
import { nextSteps, secondaryCauseLine, summaryCounts } from "../../src/ui/record/summary/nextSteps";
import { SourceLegend, StatusLadder } from "../../src/ui/record/summary/StatusLadder";
import { AS_OF, demo, probableAssessment, seriousViolations } from "./fixtures";
import { renderUi } from "./render";

afterEach(() => window.sessionStorage.clear());

describe("the summary at the top", () => {
  it("ssc-ckd: the headline names its secondary causes and the first next step is to review them", () => {
    const { assessment: a } = demo("ssc-ckd");
    expect(a.secondaryCauses.length).toBeGreaterThan(1);
    renderUi(<Headline assessment={a} asOf={AS_OF} complete summary={<AtAGlance assessment={a} />} />);
    const line = screen.getByTestId("headline-causes").textContent ?? "";
    expect(line).toContain(`${a.secondaryCauses.length} possible secondary causes`);
    for (const s of a.secondaryCauses) expect(line).toContain(s.ruleId);
    const steps = screen.getAllByTestId("next-step");
    expect(steps[0].textContent).toContain(`Review the ${a.secondaryCauses.length} possible secondary causes`);
    expect(within(steps[0]).getByRole("link").getAttribute("href")).toBe("#secondary-causes");
  });

  it("modena-3: counts what the panels list and links at most three next steps to the gaps", async () => {
    const { assessment: a } = demo("modena-3");
    const { container } = renderUi(<AtAGlance assessment={a} />);
    const counts = screen.getAllByTestId("summary-count").map((c) => c.textContent);
    expect(counts).toContain(`${a.workupGaps.length} workup ${a.workupGaps.length === 1 ? "gap" : "gaps"}`);
    const steps = nextSteps(a);
    expect(steps.length).toBeLessThanOrEqual(3);
    expect(steps.map((s) => s.ruleId)).toContain("G-SPINE");
    expect(screen.getAllByTestId("next-step")).toHaveLength(steps.length);
    expect(await seriousViolations(container)).toEqual([]);
  });

  it("says nothing about secondary causes when there are none, and never counts absent red flags", () => {
    const a = probableAssessment({ secondaryCauses: [], redFlags: [] });
    expect(secondaryCauseLine(a)).toBeNull();
    expect(summaryCounts(a).map((c) => c.panel)).toEqual(["findings", "secondary-causes", "workup-gaps"]);
  });

  it("red flags come first among the next steps", () => {
    const a = probableAssessment({
      redFlags: [{ ruleId: "RF-SPINE", text: "Paravertebral lesion with radiculopathy", evidence: ["Condition/x"] }],
    });
    expect(nextSteps(a)[0]).toMatchObject({ ruleId: "RF-SPINE", target: "red-flags" });
  });
});

describe("the status ladder and the source legend", () => {
  it("lists every status with the engine's labels and thresholds, this patient's rung marked", () => {
    renderUi(<StatusLadder status="probable" />);
    const rungs = screen.getByTestId("status-ladder").querySelectorAll("li");
    expect([...rungs].map((r) => r.getAttribute("data-status"))).toEqual([
      "documented",
      "probable",
      "possible",
      "indeterminate",
      "no-evidence",
      "not-applicable",
    ]);
    const current = screen.getByTestId("status-ladder").querySelector('[aria-current="step"]')!;
    expect(current.textContent).toContain(STATUS_LABELS.probable);
    expect(current.textContent).toContain(RULES["PC-SIZE"].threshold);
  });

  it("explains the source letters in visible text", () => {
    renderUi(<SourceLegend />);
    const text = screen.getByTestId("source-legend").textContent ?? "";
    expect(text).toContain("Z Zanatta et al. 2020");
    expect(text).toContain("D our design choice");
  });
});

describe("honest counts and collapsible panels", () => {
  it("Findings (N) counts the findings it lists", () => {
    const a = probableAssessment();
    renderUi(<FindingsPanel assessment={a} />);
    expect(screen.getByTestId("findings-count").textContent).toBe(`(${a.findings.length})`);
    expect(screen.getAllByTestId("finding")).toHaveLength(a.findings.length);
  });

  it("workup gaps are a numbered list, not check boxes", () => {
    const { container } = renderUi(<WorkupGapsPanel assessment={demo("modena-3").assessment} />);
    expect(screen.queryAllByRole("checkbox")).toHaveLength(0);
    // The item opens with its number, not with a box icon that looks like a control.
    const first = container.querySelector('[data-testid="gap"]')!.firstElementChild!;
    expect(first.tagName).not.toBe("svg");
    expect(first.textContent).toMatch(/^1\./);
  });

  it("collapses a panel from its heading and keeps it collapsed for the session", async () => {
    const user = userEvent.setup();
    const a = probableAssessment();
    renderUi(<FindingsPanel assessment={a} />);
    const toggle = screen.getByTestId("findings-toggle");
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    await user.click(toggle);
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    expect(screen.queryAllByTestId("finding")).toHaveLength(0);
    expect(window.sessionStorage.getItem("calcinosis.ui.collapsed")).toBe("findings");
    cleanup();
    renderUi(<FindingsPanel assessment={a} />);
    expect(screen.getByTestId("findings-toggle").getAttribute("aria-expanded")).toBe("false");
    await user.click(screen.getByTestId("findings-toggle"));
    expect(screen.getAllByTestId("finding")).toHaveLength(a.findings.length);
    expect(window.sessionStorage.getItem("calcinosis.ui.collapsed")).toBe("");
  });
});
