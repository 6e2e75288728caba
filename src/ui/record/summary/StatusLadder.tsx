import Box from "@mui/material/Box";
import Typography from "@mui/material/Typography";
import { RULES, STATUS_LABELS } from "../../../clinical";
import type { AssessmentStatus } from "../../../clinical/types";
import { SOURCE_NAMES } from "../ruleInfo";

/**
 * The order of clinical-spec.md §2 / status.ts, highest first; each step says in the engine's own
 * words (rule thresholds of ruleTable.ts) what reaches it. The first rung whose rule holds wins.
 */
const LADDER: { status: AssessmentStatus; when: string }[] = [
  { status: "documented", when: `PC-DOC: ${RULES["PC-DOC"].threshold}.` },
  { status: "probable", when: `PC-SIZE: ${RULES["PC-SIZE"].threshold}.` },
  { status: "possible", when: `PC-CALC or PC-IMG: ${RULES["PC-CALC"].title}; ${RULES["PC-IMG"].title.toLowerCase()}.` },
  {
    status: "indeterminate",
    when: "None of the above, and diagnoses, imaging reports, notes or lesion findings could not be (fully) loaded.",
  },
  { status: "no-evidence", when: "None of the above in a record that was read in full." },
  { status: "not-applicable", when: `E1 not met: ${RULES.E1.title.toLowerCase()} not found.` },
];

/** "How the status is decided": the ladder, with this patient's rung marked (a native disclosure). */
export function StatusLadder(props: { status: AssessmentStatus }) {
  return (
    <Box component="details" data-testid="status-ladder" sx={{ mt: 1, fontSize: "0.875rem", "& summary": { cursor: "pointer" } }}>
      <Box component="summary" sx={{ fontWeight: 600, width: "fit-content" }}>
        How the status is decided
      </Box>
      <Box component="ol" sx={{ m: 0, mt: 0.5, pl: 2.5 }}>
        {LADDER.map((r) => {
          const current = r.status === props.status;
          return (
            <Box
              component="li"
              key={r.status}
              aria-current={current ? "step" : undefined}
              data-status={r.status}
              sx={{ fontWeight: current ? 700 : 400, mb: 0.25 }}
            >
              {STATUS_LABELS[r.status]}
              {current ? " (this patient)" : ""}: {r.when}
            </Box>
          );
        })}
      </Box>
      <Typography variant="body2" sx={{ mt: 0.5 }}>
        The first line that holds sets the status. Secondary causes and gaps never lower it; they ask for review.
      </Typography>
    </Box>
  );
}

/** The visible key to the letters on rule chips ("PC-SIZE · Z, M"). */
export function SourceLegend() {
  return (
    <Typography variant="body2" data-testid="source-legend" sx={{ mt: 0.75, color: "text.secondary" }}>
      Rule chips show the rule id and its sources:{" "}
      {(Object.entries(SOURCE_NAMES) as [string, string][]).map(([tag, name], i) => (
        <span key={tag}>
          {i ? " · " : ""}
          <strong>{tag}</strong> {name}
        </span>
      ))}
      .
    </Typography>
  );
}
