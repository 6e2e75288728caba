import type { Assessment } from "../../../clinical/types";
import { RED_FLAG_ACTION } from "../ruleInfo";
import { gapAnchor, orderGaps } from "../panels/WorkupGapsPanel";

/** One step the summary offers: what to do, and where on the page the detail is. */
export interface NextStep {
  text: string;
  /** The element id the link jumps to. */
  target: string;
  /** The panel that holds the target (opened before the jump). */
  panel: string;
  ruleId: string;
}

/**
 * What to do next, most urgent first: red flags (their action), then the secondary causes to
 * review (one step for all), then the workup gaps in checklist order.
 */
export function nextSteps(a: Assessment, max = 3): NextStep[] {
  const steps: NextStep[] = a.redFlags.map((f) => ({
    text: RED_FLAG_ACTION[f.ruleId] ?? f.text,
    target: "red-flags",
    panel: "red-flags",
    ruleId: f.ruleId,
  }));
  const causes = a.secondaryCauses.length;
  if (causes > 0) {
    steps.push({
      text: `Review ${causes === 1 ? "the possible secondary cause" : `the ${causes} possible secondary causes`} before attributing calcinosis to SSc`,
      target: "secondary-causes",
      panel: "secondary-causes",
      ruleId: a.secondaryCauses[0].ruleId,
    });
  }
  orderGaps(a.workupGaps).forEach((g, i) => steps.push({ text: g.text, target: gapAnchor(i), panel: "workup-gaps", ruleId: g.ruleId }));
  return steps.slice(0, max);
}

/** The headline's line about secondary causes, or null when there are none. */
export function secondaryCauseLine(a: Pick<Assessment, "secondaryCauses">): string | null {
  const n = a.secondaryCauses.length;
  if (n === 0) return null;
  const ids = [...new Set(a.secondaryCauses.map((s) => s.ruleId))].join(", ");
  return `${n === 1 ? "1 possible secondary cause" : `${n} possible secondary causes`} of calcinosis to exclude first (${ids}).`;
}

export interface Count {
  label: string;
  n: number;
  panel: string;
}

/** Counts of what the panels list (never of something else). */
export function summaryCounts(a: Assessment): Count[] {
  const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);
  return [
    { n: a.redFlags.length, label: plural(a.redFlags.length, "red flag", "red flags"), panel: "red-flags" },
    { n: a.lesions.length, label: plural(a.lesions.length, "lesion", "lesions"), panel: "findings" },
    {
      n: a.secondaryCauses.length,
      label: plural(a.secondaryCauses.length, "secondary cause", "secondary causes"),
      panel: "secondary-causes",
    },
    { n: a.workupGaps.length, label: plural(a.workupGaps.length, "workup gap", "workup gaps"), panel: "workup-gaps" },
  ].filter((c) => c.n > 0 || c.panel !== "red-flags");
}
