import Box from "@mui/material/Box";
import LinearProgress from "@mui/material/LinearProgress";
import Typography from "@mui/material/Typography";
import type { Assessment } from "../../../clinical/types";
import type { LoadSnapshot, SearchProgress } from "../../../fhir/types";
import { RULES_BY_RESOURCE } from "../../ruleInfo";
import { EvidenceChips, Panel, RuleChip } from "../common";
import { CutIcon, DoneIcon, FailIcon, WaitIcon } from "../icons";

const STATE_TEXT: Record<SearchProgress["state"], string> = {
  waiting: "waiting",
  loading: "loading",
  done: "loaded",
  failed: "could not be loaded",
  truncated: "cut short",
};

function StateIcon(props: { state: SearchProgress["state"] }) {
  if (props.state === "done") return <DoneIcon />;
  if (props.state === "failed") return <FailIcon />;
  if (props.state === "truncated") return <CutIcon />;
  return <WaitIcon />;
}

export function progressSummary(s: LoadSnapshot): string {
  const total = s.progress.length;
  const finished = s.progress.filter((p) => p.state === "done" || p.state === "failed" || p.state === "truncated").length;
  const resources = s.progress.reduce((n, p) => n + p.resources, 0);
  if (s.complete) {
    const failed = s.progress.filter((p) => p.state === "failed").length;
    const cut = s.progress.filter((p) => p.state === "truncated").length;
    const issues = [failed ? `${failed} could not be loaded` : "", cut ? `${cut} cut short` : ""].filter(Boolean).join(", ");
    return `All ${total} searches finished: ${resources} resources${issues ? `; ${issues}` : ""}.`;
  }
  return `Loading the record: ${finished} of ${total} searches finished, ${resources} resources so far.`;
}

/** Loading progress per search: a fixed-height row each, so rows never reflow while pages arrive. */
export function LoadProgress(props: { snapshot: LoadSnapshot }) {
  const s = props.snapshot;
  return (
    <Box data-testid="load-progress">
      <Typography variant="body2" sx={{ minHeight: "1.5em" }}>
        {progressSummary(s)}
      </Typography>
      <Box component="ul" sx={{ m: 0, p: 0, listStyle: "none" }} aria-label="Searches">
        {s.progress.map((p) => (
          <Box
            component="li"
            key={p.key}
            data-testid="search-progress"
            data-state={p.state}
            sx={{
              display: "flex",
              alignItems: "center",
              gap: 1,
              minHeight: 28,
              fontSize: "0.8125rem",
              color: p.state === "failed" || p.state === "truncated" ? "#8a4b08" : "text.primary",
            }}
          >
            <StateIcon state={p.state} />
            <Box component="span" sx={{ flex: "1 1 auto", minWidth: 0, overflowWrap: "anywhere" }}>
              {p.label}
            </Box>
            <Box component="span" sx={{ flex: "none", fontVariantNumeric: "tabular-nums", textAlign: "right" }}>
              {`${STATE_TEXT[p.state]} · ${p.resources}${p.total !== undefined && !["done", "failed", "truncated"].includes(p.state) ? ` of ${p.total}` : ""}`}
            </Box>
          </Box>
        ))}
      </Box>
    </Box>
  );
}

/** Data quality: what could not be loaded and what that means per rule; what was skipped; strays. */
export function DataPanel(props: { snapshot: LoadSnapshot; assessment: Assessment | null }) {
  const { snapshot: s, assessment: a } = props;
  const problems = s.progress.filter((p) => p.state === "failed" || p.state === "truncated");
  // "unavailable" notes repeat what "Could not be loaded" and "not evaluated" already say.
  const notes = (a?.dataQuality ?? []).filter((n) => n.code !== "unavailable");
  const notEvaluated = a?.notEvaluated ?? [];
  // Rules listed under a failed search are not listed again below.
  const covered = new Set(problems.flatMap((p) => notEvaluated.filter((n) => RULES_BY_RESOURCE[p.resourceType]?.rules.includes(n.ruleId))));
  const otherNotEvaluated = notEvaluated.filter((n) => !covered.has(n));
  return (
    <Panel id="data-quality" title="Data and its quality" skeletonHeight={120}>
      <LoadProgress snapshot={s} />

      <Typography variant="h3" component="h3" sx={{ mt: 2 }}>
        Could not be loaded
      </Typography>
      {problems.length === 0 ? (
        <Typography variant="body2" sx={{ color: "text.secondary" }}>
          {s.complete ? "Every search completed." : "Nothing so far."}
        </Typography>
      ) : (
        <Box component="ul" sx={{ m: 0, p: 0, listStyle: "none", display: "grid", gap: 1 }}>
          {problems.map((p) => {
            const affected = RULES_BY_RESOURCE[p.resourceType];
            const engineSays = notEvaluated.filter((n) => affected?.rules.includes(n.ruleId));
            return (
              <li key={p.key} data-testid="load-problem">
                <Typography variant="body2" sx={{ fontWeight: 600 }}>
                  {p.label}: {p.state === "failed" ? "could not be loaded" : "only partly loaded"}
                </Typography>
                <Typography variant="body2">
                  {p.state === "failed"
                    ? (p.failure?.message ?? "The EHR refused or failed the search.")
                    : (p.truncatedReason ?? "The search stopped early.")}
                </Typography>
                {affected && (
                  <Typography variant="body2" sx={{ mt: 0.25 }}>
                    <strong>What this means:</strong> {affected.meaning}
                  </Typography>
                )}
                {engineSays.length > 0 ? (
                  <Box component="ul" sx={{ m: 0, pl: 2.5, fontSize: "0.8125rem" }}>
                    {engineSays.map((n, i) => (
                      <li key={i}>
                        <RuleChip ruleId={n.ruleId} /> {n.reason}
                      </li>
                    ))}
                  </Box>
                ) : (
                  affected && (
                    <Typography variant="body2" sx={{ fontSize: "0.8125rem", color: "text.secondary" }}>
                      Rules affected: {affected.rules.join(", ")}
                    </Typography>
                  )
                )}
              </li>
            );
          })}
        </Box>
      )}

      {otherNotEvaluated.length > 0 && (
        <>
          <Typography variant="h3" component="h3" sx={{ mt: 2 }}>
            {s.complete ? "Rules not evaluated" : "Rules not evaluated yet (data still loading)"}
          </Typography>
          <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
            {otherNotEvaluated.map((n, i) => (
              <Typography component="li" variant="body2" key={i} data-testid="not-evaluated">
                <RuleChip ruleId={n.ruleId} /> {n.reason}
              </Typography>
            ))}
          </Box>
        </>
      )}

      <Typography variant="h3" component="h3" sx={{ mt: 2 }}>
        Skipped or noted
      </Typography>
      {!a ? (
        <Typography variant="body2" sx={{ color: "text.secondary" }}>
          Notes appear once the record is assessed.
        </Typography>
      ) : notes.length === 0 ? (
        <Typography variant="body2" sx={{ color: "text.secondary" }}>
          Nothing was skipped.
        </Typography>
      ) : (
        <Box component="ul" sx={{ m: 0, p: 0, listStyle: "none", display: "grid", gap: 0.75 }}>
          {notes.map((n, i) => (
            <li key={`${n.code}-${i}`} data-testid="dq-note">
              <Typography variant="body2">
                {n.text}{" "}
                <Box component="span" sx={{ color: "text.secondary", fontFamily: "ui-monospace, monospace", fontSize: "0.75rem" }}>
                  ({n.code})
                </Box>
              </Typography>
              <EvidenceChips refs={n.evidence} />
            </li>
          ))}
        </Box>
      )}

      {s.strays.length > 0 && (
        <Typography variant="body2" sx={{ mt: 1.5 }} data-testid="strays">
          The EHR returned {s.strays.length} resource{s.strays.length === 1 ? "" : "s"} belonging to another patient; they were left out of
          this review.
        </Typography>
      )}
    </Panel>
  );
}

/**
 * The one-line progress strip under the headline: fixed height in every state. Its live region
 * announces only the start and the end of loading, not every page.
 */
export function LoadStrip(props: { snapshot: LoadSnapshot }) {
  const s = props.snapshot;
  const total = s.progress.length || 1;
  const finished = s.progress.filter((p) => p.state !== "waiting" && p.state !== "loading").length;
  return (
    <Box sx={{ minHeight: 40, mt: 1 }} data-testid="load-strip">
      <Box role="status" sx={{ fontSize: "0.8125rem", color: "text.secondary" }}>
        {s.complete ? progressSummary(s) : "Loading the record…"}
      </Box>
      {!s.complete && (
        <Box className="no-print">
          <Box aria-hidden="true" sx={{ fontSize: "0.75rem", color: "text.secondary" }}>
            {progressSummary(s)}{" "}
          </Box>
          <LinearProgress variant="determinate" value={(finished / total) * 100} aria-label="Searches finished" sx={{ mt: 0.25 }} />
        </Box>
      )}
    </Box>
  );
}
