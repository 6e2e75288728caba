import Box from "@mui/material/Box";
import Typography from "@mui/material/Typography";
import type { Assessment, LabKey, LabResult, RuleItem } from "../../../clinical/types";
import {
  conceptText,
  effectiveDate,
  type FhirResource,
  formatDate,
  quantityText,
  referenceRangeText,
  valueText,
} from "../../evidence/fhirText";
import { interpret, labLabel, normalizedText, rangeFor, resultValueText } from "../labs/labMeta";
import { CLEARS_WHEN } from "../ruleInfo";
import { useEvidence } from "../../evidence/EvidenceContext";
import { UnknownRules, unknownRules } from "../unknown";
import { Empty, Panel } from "../Panel";
import { RuleAndEvidence } from "../ruleChips";
import { memoOnAssessment, type AssessmentParts } from "../memoOnAssessment";

/** Every lab result in the assessment, by its evidence reference. */
export function labResultsByRef(a: Pick<Assessment, "labs">): Map<string, { key: LabKey; result: LabResult }> {
  const m = new Map<string, { key: LabKey; result: LabResult }>();
  for (const [key, sum] of Object.entries(a.labs) as [LabKey, NonNullable<Assessment["labs"][LabKey]>][]) {
    if (!sum) continue;
    for (const r of sum.history ?? []) m.set(r.evidence, { key, result: r });
    if (sum.latest) m.set(sum.latest.evidence, { key, result: sum.latest });
  }
  return m;
}

interface EvidenceValue {
  what: string;
  value: string;
  range: string;
  date: string;
  interpretation?: string;
}

/** What the flag rests on, read from the engine's lab results first, else the raw resource. */
function evidenceValues(
  item: RuleItem,
  labs: Map<string, { key: LabKey; result: LabResult }>,
  resolve: (r: string) => FhirResource | undefined,
): EvidenceValue[] {
  const out: EvidenceValue[] = [];
  for (const ref of item.evidence) {
    const lab = labs.get(ref);
    if (lab) {
      const r = lab.result;
      const norm = r.normalized && r.unit !== r.normalized.unit ? ` (${normalizedText(r)})` : "";
      out.push({
        what: labLabel(lab.key),
        value: `${resultValueText(r)}${norm}`,
        range: rangeFor(lab.key, r).text,
        date: r.date ? formatDate(r.date) : "date unknown",
        interpretation: interpret(lab.key, r).text,
      });
      continue;
    }
    const res = resolve(ref) as Record<string, unknown> | undefined;
    if (!res) continue;
    if (res.resourceType === "Observation") {
      out.push({
        what: conceptText(res.code) ?? "Observation",
        value: valueText(res) ?? quantityText(res.valueQuantity) ?? "no value",
        range: referenceRangeText(res) ?? "no range given",
        date: formatDate(effectiveDate(res)),
        interpretation: conceptText(res.interpretation),
      });
    } else if (res.resourceType === "Condition") {
      out.push({
        what: conceptText(res.code) ?? "Condition",
        value: "diagnosis on record",
        range: "—",
        date: formatDate(effectiveDate(res)),
      });
    }
  }
  return out;
}

const CAUSE_PARTS = ["labs", "secondaryCauses", "notEvaluated"] as const;

/** Secondary causes to review: the value, its range, the date and the rule; what would clear it. */
function SecondaryCausesPanelView(props: { assessment: AssessmentParts<(typeof CAUSE_PARTS)[number]> | null; complete?: boolean }) {
  const a = props.assessment;
  const complete = props.complete ?? true;
  const { resolve } = useEvidence();
  const labs = a ? labResultsByRef(a) : new Map();
  const unknown = a ? unknownRules(a, ["S-"]) : [];
  return (
    <Panel id="secondary-causes" title="Secondary causes to review" loading={!a} skeletonHeight={120} count={a?.secondaryCauses.length}>
      {a &&
        (a.secondaryCauses.length === 0 ? (
          <Empty>
            {unknown.length > 0
              ? "No secondary cause flagged in the data that could be read; the rules below are unknown, not negative."
              : complete
                ? "No secondary cause flagged by the results on record. Missing tests are listed under workup gaps."
                : "No secondary cause flagged by the results received so far."}
          </Empty>
        ) : (
          <>
            <Typography variant="body2" sx={{ color: "text.secondary", mb: 1 }}>
              A flag asks for review; it never lowers the assessment status.
            </Typography>
            <Box component="ul" sx={{ m: 0, p: 0, listStyle: "none", display: "grid", gap: 1.5 }}>
              {a.secondaryCauses.map((s, i) => {
                const values = evidenceValues(s, labs, resolve);
                return (
                  <Box
                    component="li"
                    key={`${s.ruleId}-${i}`}
                    data-testid="secondary-cause"
                    sx={{ borderTop: i ? 1 : 0, borderColor: "divider", pt: i ? 1.5 : 0 }}
                  >
                    <Typography component="h3" variant="h4">
                      {s.text}
                    </Typography>
                    {s.detail && <Typography variant="body2">{s.detail}</Typography>}
                    {values.length > 0 && (
                      <Box component="ul" sx={{ m: 0, mt: 0.5, pl: 2.5, fontSize: "0.875rem" }}>
                        {values.map((v, j) => (
                          <li key={j}>
                            <strong>{v.what}:</strong> {v.value}; range {v.range}; {v.date}
                            {v.interpretation ? `; ${v.interpretation}` : ""}
                          </li>
                        ))}
                      </Box>
                    )}
                    {CLEARS_WHEN[s.ruleId] && (
                      <Typography variant="body2" sx={{ mt: 0.5 }}>
                        <strong>Would be ruled out by:</strong> {CLEARS_WHEN[s.ruleId]}
                      </Typography>
                    )}
                    <RuleAndEvidence item={s} />
                  </Box>
                );
              })}
            </Box>
          </>
        ))}
      {a && <UnknownRules items={unknown} loading={!complete} />}
    </Panel>
  );
}

/** Secondary causes (rendered again only when those parts change). */
export const SecondaryCausesPanel = memoOnAssessment(SecondaryCausesPanelView, CAUSE_PARTS);
