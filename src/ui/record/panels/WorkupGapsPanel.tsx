import Box from "@mui/material/Box";
import Typography from "@mui/material/Typography";
import type { GapItem } from "../../../clinical/types";
import { formatDate } from "../../evidence/fhirText";
import { GAP_WHY, ruleTitle } from "../ruleInfo";
import { UnknownRules, unknownRules } from "../unknown";
import { Empty, Panel } from "../Panel";
import { RuleAndEvidence } from "../ruleChips";
import { memoOnAssessment, type AssessmentParts } from "../memoOnAssessment";

/** Gaps by priority (lower first; unprioritised last), stable otherwise. */
export function orderGaps(gaps: GapItem[]): GapItem[] {
  return gaps
    .map((g, i) => ({ g, i }))
    .sort((x, y) => (x.g.priority ?? Number.MAX_SAFE_INTEGER) - (y.g.priority ?? Number.MAX_SAFE_INTEGER) || x.i - y.i)
    .map((x) => x.g);
}

/** The element id of the n-th gap in checklist order (the summary's next steps link to it). */
export function gapAnchor(n: number): string {
  return `gap-${n + 1}`;
}

export function gapSince(g: GapItem): string {
  if (g.lastSeen) return `Missing since ${formatDate(g.lastSeen)} (last on record)`;
  return "Never on record";
}

const GAP_PARTS = ["status", "workupGaps", "notEvaluated"] as const;

/** Workup gaps as a checklist: what is missing, since when, why it matters (rule id, source tag). */
function WorkupGapsPanelView(props: { assessment: AssessmentParts<(typeof GAP_PARTS)[number]> | null; complete?: boolean }) {
  const a = props.assessment;
  const complete = props.complete ?? true;
  const gaps = a ? orderGaps(a.workupGaps) : [];
  const unknown = a ? unknownRules(a, ["G-"]) : [];
  return (
    <Panel id="workup-gaps" title="Workup gaps" loading={!a} skeletonHeight={160} count={a ? gaps.length : undefined}>
      {a &&
        (gaps.length === 0 ? (
          <Empty>
            {a.status === "not-applicable" || a.status === "no-evidence"
              ? "No workup is suggested for this status."
              : unknown.length > 0
                ? "No gap found in the data that could be read; the checks below are unknown."
                : complete
                  ? "No gaps: the recommended labs and imaging are on record."
                  : "No gaps so far; gaps that depend on data still loading are not shown yet."}
          </Empty>
        ) : (
          <>
            <Typography variant="body2" sx={{ color: "text.secondary", mb: 1 }}>
              Most important first. Lookback: 12 months for labs, 24 months for imaging (our design choice), any time for antibodies.
            </Typography>
            <Box component="ol" sx={{ m: 0, p: 0, listStyle: "none", display: "grid", gap: 1.25 }} aria-label="Workup checklist">
              {gaps.map((g, i) => (
                <Box
                  component="li"
                  key={`${g.ruleId}-${i}`}
                  id={gapAnchor(i)}
                  tabIndex={-1}
                  data-testid="gap"
                  data-rule={g.ruleId}
                  sx={{ display: "flex", gap: 1, scrollMarginTop: 8 }}
                >
                  <Box sx={{ minWidth: 0 }}>
                    <Typography sx={{ fontWeight: 600 }}>
                      <Box
                        component="span"
                        sx={{ color: "text.secondary", mr: 0.75, fontVariantNumeric: "tabular-nums" }}
                      >{`${i + 1}.`}</Box>
                      {g.text}
                    </Typography>
                    <Typography variant="body2" sx={{ color: "text.secondary" }} data-testid="gap-since">
                      {gapSince(g)}
                    </Typography>
                    <Typography variant="body2">
                      <strong>Why it matters:</strong> {GAP_WHY[g.ruleId] ?? ruleTitle(g.ruleId)}
                    </Typography>
                    <RuleAndEvidence item={g} mt={0.25} />
                  </Box>
                </Box>
              ))}
            </Box>
          </>
        ))}
      {a && <UnknownRules items={unknown} loading={!complete} />}
    </Panel>
  );
}

/** Workup gaps (rendered again only when those parts change). */
export const WorkupGapsPanel = memoOnAssessment(WorkupGapsPanelView, GAP_PARTS);
