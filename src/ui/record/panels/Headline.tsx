import type { ReactNode } from "react";
import Box from "@mui/material/Box";
import Paper from "@mui/material/Paper";
import Skeleton from "@mui/material/Skeleton";
import Typography from "@mui/material/Typography";
import type { Assessment, AssessmentStatus, RuleItem } from "../../../clinical/types";
import { CALM } from "../../theme";
import { RED_FLAG_ACTION, statusLabel } from "../ruleInfo";
import { EvidenceChips, RuleAndEvidence } from "../ruleChips";
import { FlagIcon, StatusIcon } from "../icons";
import { secondaryCauseLine } from "../summary/nextSteps";

export const STATUS_TONE: Record<AssessmentStatus, { fg: string; bg: string; border: string }> = {
  "not-applicable": { fg: "#3d4a56", bg: "#eef1f4", border: "#8593a1" },
  indeterminate: { fg: "#7a4100", bg: "#fff4e5", border: "#b26a00" },
  // Neutral, never a green all-clear: nothing was recognised in what was read.
  "no-evidence": { fg: "#2f4858", bg: "#eef2f5", border: "#6b7f8e" },
  possible: { fg: "#1f4f75", bg: "#eaf2f9", border: "#5a88b0" },
  probable: { fg: "#5b3a87", bg: "#f3eefa", border: "#8a6bb5" },
  documented: { fg: "#5b3a87", bg: "#f3eefa", border: "#5b3a87" },
};

/**
 * While searches are still under way an "indeterminate" status only means "not yet": the headline
 * says what it is waiting for instead of "cannot be assessed".
 */
export function loadingReason(a: Assessment, complete: boolean): string | null {
  if (complete || a.status !== "indeterminate") return null;
  const waiting = [...new Set(a.missingData.filter((m) => m.reason === "pending").map((m) => m.label))];
  if (waiting.length === 0) return null;
  const lost = [...new Set(a.missingData.filter((m) => m.reason === "failed" || m.reason === "truncated").map((m) => m.label))];
  return `Waiting for ${waiting.join(", ")}; the status follows once they are loaded.${lost.length ? ` Could not be loaded: ${lost.join(", ")}.` : ""}`;
}

function sscLine(a: Assessment): string | null {
  if (!a.ssc.present) return null;
  const subset = a.ssc.subset && a.ssc.subset !== "unspecified" ? `${a.ssc.subset} cutaneous` : "subset unspecified";
  const dur =
    a.ssc.durationYears !== null && a.ssc.durationYears !== undefined
      ? `, ${Math.floor(a.ssc.durationYears)} years since onset`
      : ", duration unknown";
  return `Systemic sclerosis: ${subset}${dur}`;
}

/** Red flags: first on the page, prominent and plainly worded. */
export function RedFlags(props: { flags: RuleItem[] }) {
  if (props.flags.length === 0) return null;
  return (
    <Box
      component="section"
      aria-labelledby="red-flags-heading"
      id="red-flags"
      sx={{
        border: `2px solid ${CALM.attention}`,
        borderLeftWidth: 8,
        bgcolor: CALM.attentionBg,
        borderRadius: 1,
        p: { xs: 1.5, sm: 2 },
        color: CALM.text,
      }}
    >
      <Typography variant="h2" id="red-flags-heading" sx={{ display: "flex", alignItems: "center", gap: 1, color: CALM.attention }}>
        <FlagIcon size={22} />
        {props.flags.length === 1 ? "Needs attention first" : `Needs attention first (${props.flags.length})`}
      </Typography>
      <Box component="ul" sx={{ m: 0, mt: 1, pl: 0, listStyle: "none", display: "grid", gap: 1.5 }}>
        {props.flags.map((f, i) => (
          <li key={`${f.ruleId}-${i}`} data-testid="red-flag">
            <Typography sx={{ fontWeight: 600 }}>{f.text}</Typography>
            {(f.detail || RED_FLAG_ACTION[f.ruleId]) && (
              <Typography variant="body2" sx={{ mt: 0.25 }}>
                {f.detail ?? RED_FLAG_ACTION[f.ruleId]}
              </Typography>
            )}
            <RuleAndEvidence item={f} />
          </li>
        ))}
      </Box>
    </Box>
  );
}

/** The headline: status label, ruleset, as-of date, reason, disease context; export actions. */
export function Headline(props: {
  assessment: Assessment | null;
  asOf: string;
  complete: boolean;
  actions?: ReactNode;
  progress?: ReactNode;
  /** Counts, next steps and navigation, below the reason. */
  summary?: ReactNode;
}) {
  const { assessment: a, asOf, complete, actions, progress, summary } = props;
  const causes = a ? secondaryCauseLine(a) : null;
  const tone = a ? STATUS_TONE[a.status] : STATUS_TONE["not-applicable"];
  const waiting = a ? loadingReason(a, complete) : null;
  return (
    <Paper
      component="section"
      aria-labelledby="headline-heading"
      id="headline"
      sx={{ p: { xs: 1.5, sm: 2 }, borderLeft: `6px solid ${tone.border}`, minHeight: 148 }}
    >
      <Typography variant="h1" id="headline-heading" sx={{ fontSize: "1rem", fontWeight: 600, color: "text.secondary", mb: 0.5 }}>
        Pseudotumoral calcinosis review
      </Typography>
      {a ? (
        <>
          <Box sx={{ display: "flex", alignItems: "center", gap: 1, color: tone.fg }}>
            <StatusIcon status={a.status} size={28} />
            <Typography
              component="p"
              sx={{ fontSize: { xs: "1.25rem", sm: "1.5rem" }, fontWeight: 700, lineHeight: 1.25 }}
              data-testid="status-label"
              data-status={a.status}
            >
              {waiting ? "Still loading: not assessed yet" : statusLabel(a.status)}
            </Typography>
          </Box>
          <Typography sx={{ mt: 0.75 }} data-testid="status-reason">
            {waiting ?? a.statusReason}
          </Typography>
          {causes && (
            <Typography sx={{ mt: 0.5, fontWeight: 600 }} data-testid="headline-causes">
              {causes}
            </Typography>
          )}
          <Box
            component="p"
            sx={{
              m: 0,
              mt: 0.75,
              display: "flex",
              flexWrap: "wrap",
              columnGap: 2,
              rowGap: 0.25,
              color: "text.secondary",
              fontSize: "0.875rem",
            }}
          >
            <span>
              Ruleset {a.ruleset.id} {a.ruleset.version}
            </span>
            <span>As of {a.asOf}</span>
            {!complete && <span data-testid="provisional">Provisional: data still arriving</span>}
          </Box>
          {sscLine(a) && (
            <Box sx={{ mt: 0.75, display: "flex", flexWrap: "wrap", alignItems: "center", gap: 1 }}>
              <Typography variant="body2">{sscLine(a)}</Typography>
              <EvidenceChips refs={a.ssc.evidence} />
            </Box>
          )}
          {summary}
        </>
      ) : (
        <Box data-testid="headline-skeleton">
          <Typography
            component="p"
            sx={{ fontSize: { xs: "1.25rem", sm: "1.5rem" }, fontWeight: 700, lineHeight: 1.25, color: "text.secondary" }}
          >
            Assessing the record…
          </Typography>
          <Box aria-hidden="true">
            <Skeleton variant="text" width="90%" animation={false} />
            <Skeleton variant="text" width="50%" animation={false} />
          </Box>
          <Typography component="p" variant="body2" sx={{ color: "text.secondary" }}>
            As of {asOf}
          </Typography>
        </Box>
      )}
      {progress}
      {actions && (
        <Box sx={{ mt: 1.5 }} className="no-print">
          {actions}
        </Box>
      )}
    </Paper>
  );
}
