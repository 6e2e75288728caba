import Box from "@mui/material/Box";
import Typography from "@mui/material/Typography";
import type { LesionGrowth } from "../../../clinical/types";
import { formatDate } from "../../evidence/fhirText";
import { UnknownRules, unknownRules } from "../unknown";
import { Empty, Panel } from "../Panel";
import { EvidenceChips, RuleAndEvidence } from "../ruleChips";
import { siteLabel } from "../siteLabels";
import { LesionList } from "../lesions/LesionList";
import { lesionRows } from "../lesions/lesionRows";
import { memoOnAssessment, type AssessmentParts } from "../memoOnAssessment";
import { BodyFigure } from "./BodyFigure";

function cm(v: number | null | undefined): string {
  if (v === null || v === undefined) return "size not stated";
  return `${Number(v.toFixed(1))} cm`;
}

function GrowthItem(props: { g: LesionGrowth }) {
  const { g } = props;
  const side = g.siteGroup === "spine" ? "midline" : (g.laterality ?? "side not stated");
  const pct = `${g.percent >= 0 ? "+" : ""}${Math.round(g.percent)}%`;
  return (
    <Box component="li" data-testid="growth" sx={{ py: 0.5 }}>
      <Typography variant="body2">
        <strong>
          {siteLabel(g.siteGroup)}, {side}:
        </strong>{" "}
        {cm(g.fromCm)} ({formatDate(g.fromDate)}) → {cm(g.toCm)} ({formatDate(g.toDate)}), {pct}
      </Typography>
      <GrowthBar g={g} />
      <EvidenceChips refs={g.evidence} />
    </Box>
  );
}

/** Two bars to scale: earlier and later largest dimension (decorative; the sentence above says it). */
function GrowthBar(props: { g: LesionGrowth }) {
  const max = Math.max(props.g.fromCm, props.g.toCm, 0.1);
  return (
    <svg
      viewBox="0 0 200 22"
      width="100%"
      style={{ maxWidth: 260, display: "block", margin: "4px 0" }}
      aria-hidden="true"
      focusable="false"
    >
      <rect x="0" y="2" width={(props.g.fromCm / max) * 200} height="8" fill="#a9b6c3" />
      <rect x="0" y="12" width={(props.g.toCm / max) * 200} height="8" fill="#5b3a87" />
    </svg>
  );
}

const FINDINGS_PARTS = ["status", "findings", "lesions", "multiSite", "bilateral", "growth", "riskFeatures", "notEvaluated"] as const;

/** Findings: rule findings, lesions with their source sentence, the body figure, growth, risk context. */
function FindingsPanelView(props: { assessment: AssessmentParts<(typeof FINDINGS_PARTS)[number]> | null; pending?: boolean }) {
  const a = props.assessment;
  const rows = a ? lesionRows(a.lesions) : [];
  return (
    <Panel id="findings" title="Findings" loading={!a} skeletonHeight={220} count={a ? a.findings.length : undefined}>
      {a && (
        <>
          {a.findings.length === 0 ? (
            <Empty>
              {a.status === "indeterminate"
                ? "No calcinosis finding in the data that could be read. Part of the record was not loaded: calcinosis is unknown, not ruled out."
                : a.status === "not-applicable"
                  ? "Not assessed: no systemic sclerosis on record."
                  : "No calcinosis finding in the record."}
            </Empty>
          ) : (
            <Box component="ul" sx={{ m: 0, p: 0, listStyle: "none", display: "grid", gap: 1 }}>
              {a.findings.map((f, i) => (
                <li key={`${f.ruleId}-${i}`} data-testid="finding">
                  <Typography variant="body2">{f.text}</Typography>
                  {f.detail && (
                    <Typography variant="body2" sx={{ color: "text.secondary" }}>
                      {f.detail}
                    </Typography>
                  )}
                  <RuleAndEvidence item={f} mt={0.25} />
                </li>
              ))}
            </Box>
          )}

          {a.lesions.length > 0 && (
            <Box sx={{ mt: 2 }}>
              <Typography variant="h3" component="h3">
                Lesions ({rows.length})
                {(a.multiSite || a.bilateral) && (
                  <Typography component="span" variant="body2" sx={{ ml: 1, color: "text.secondary" }}>
                    {[a.multiSite ? "several site groups" : null, a.bilateral ? "both sides" : null].filter(Boolean).join(", ")}
                  </Typography>
                )}
              </Typography>
              <Box sx={{ display: "flex", gap: 2, flexWrap: { xs: "wrap", sm: "nowrap" }, alignItems: "flex-start" }}>
                <LesionList rows={rows} />
                <Box sx={{ flex: "0 0 auto", mx: { xs: "auto", sm: 0 } }}>
                  <BodyFigure lesions={rows} />
                </Box>
              </Box>
            </Box>
          )}

          {a.growth && a.growth.length > 0 && (
            <Box sx={{ mt: 2 }}>
              <Typography variant="h3" component="h3">
                Growth over time
              </Typography>
              <Box component="ul" sx={{ m: 0, p: 0, listStyle: "none" }}>
                {a.growth.map((g, i) => (
                  <GrowthItem key={i} g={g} />
                ))}
              </Box>
            </Box>
          )}

          {a.riskFeatures.length > 0 && (
            <Box sx={{ mt: 2 }}>
              <Typography variant="h3" component="h3">
                Risk context (not a diagnosis)
              </Typography>
              <Box component="ul" sx={{ m: 0, p: 0, listStyle: "none", display: "grid", gap: 0.75, mt: 0.5 }}>
                {a.riskFeatures.map((r, i) => (
                  <li key={`${r.ruleId}-${i}`} data-testid="risk-feature">
                    <Typography variant="body2">{r.text}</Typography>
                    <RuleAndEvidence item={r} mt={0.25} />
                  </li>
                ))}
              </Box>
            </Box>
          )}
          <UnknownRules items={unknownRules(a, ["PC-", "RF-", "R-", "E"])} loading={props.pending ?? false} />
        </>
      )}
    </Panel>
  );
}

/** Findings: lesions, growth and risk features (rendered again only when those parts change). */
export const FindingsPanel = memoOnAssessment(FindingsPanelView, FINDINGS_PARTS);
