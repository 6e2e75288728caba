import Box from "@mui/material/Box";
import LinearProgress from "@mui/material/LinearProgress";
import Typography from "@mui/material/Typography";
import Button from "@mui/material/Button";
import type { Assessment, MissingData } from "../../../clinical/types";
import type { LoadSnapshot, SearchProgress } from "../../../fhir/types";
import { EvidenceChips, RuleChip } from "../ruleChips";
import { Panel } from "../Panel";
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

/** A failed or cut-short search, as the loader reported it; the session's end is not retryable. */
function retryable(p: SearchProgress): boolean {
  return (p.state === "failed" || p.state === "truncated") && p.failure?.kind !== "session-expired";
}

/** One entry per missing piece of data (as the engine lists it), with the searches it came from. */
interface Problem {
  key: string;
  label: string;
  searches: SearchProgress[];
  missing?: MissingData;
}

/**
 * Each failed search once: grouped as the engine reports them (one entry per analyte group, not
 * per search), with what the loader said, the rules it leaves unknown, and a Retry.
 */
export function loadProblems(s: LoadSnapshot, a: Assessment | null): Problem[] {
  const failed = s.progress.filter((p) => p.state === "failed" || p.state === "truncated");
  const out: Problem[] = [];
  const claimed = new Set<string>();
  for (const m of a?.missingData ?? []) {
    if (m.reason !== "failed" && m.reason !== "truncated") continue;
    const searches = failed.filter((p) => p.resourceType === m.resourceType && (p.group ?? undefined) === (m.group ?? undefined));
    const partial = m.reason === "truncated";
    const mine = searches.filter((p) => !claimed.has(p.key) && (p.state === "truncated" || p.resources > 0) === partial);
    mine.forEach((p) => claimed.add(p.key));
    out.push({ key: `${m.resourceType}|${m.group ?? ""}|${m.reason}`, label: m.label, searches: mine, missing: m });
  }
  for (const p of failed) if (!claimed.has(p.key)) out.push({ key: p.key, label: p.label, searches: [p] });
  return out;
}

function ProblemItem(props: { problem: Problem; onRetry?: (keys: readonly string[]) => void }) {
  const { problem, onRetry } = props;
  const partial = problem.searches.some((p) => p.state === "truncated" || p.resources > 0) || problem.missing?.reason === "truncated";
  const messages = [
    ...new Set(
      problem.searches.map((p) =>
        p.state === "failed"
          ? (p.failure?.message ?? "The EHR refused or failed the search.")
          : (p.truncatedReason ?? "The search stopped early."),
      ),
    ),
  ];
  const keys = problem.searches.filter(retryable).map((p) => p.key);
  const rules = problem.missing?.rules ?? [];
  return (
    <li data-testid="load-problem">
      <Typography variant="body2" sx={{ fontWeight: 600 }}>
        {problem.label}: {partial ? "only partly loaded" : "could not be loaded"}
      </Typography>
      {messages.map((m) => (
        <Typography variant="body2" key={m}>
          {m}
        </Typography>
      ))}
      <Typography variant="body2" sx={{ mt: 0.25 }}>
        <strong>What this means:</strong>{" "}
        {rules.length > 0
          ? "these rules are unknown, not negative, until the data is loaded:"
          : "what this data would show is unknown; nothing is concluded from its absence."}
      </Typography>
      {rules.length > 0 && (
        <Box sx={{ display: "flex", flexWrap: "wrap", gap: 0.5, mt: 0.25 }}>
          {rules.map((r) => (
            <RuleChip key={r} ruleId={r} />
          ))}
        </Box>
      )}
      {onRetry && keys.length > 0 && (
        <Button size="small" variant="outlined" sx={{ mt: 0.5 }} onClick={() => onRetry(keys)} className="no-print">
          Retry {problem.label}
        </Button>
      )}
    </li>
  );
}

/** Data quality: what could not be loaded and what that means per rule; what was skipped; strays. */
export function DataPanel(props: { snapshot: LoadSnapshot; assessment: Assessment | null; onRetry?: (keys: readonly string[]) => void }) {
  const { snapshot: s, assessment: a, onRetry } = props;
  const problems = loadProblems(s, a);
  // "unavailable" notes repeat what "Could not be loaded" and "not evaluated" already say.
  const notes = (a?.dataQuality ?? []).filter((n) => n.code !== "unavailable");
  const notEvaluated = a?.notEvaluated ?? [];
  // Rules listed under a failed search are not listed again below.
  const covered = new Set(problems.flatMap((p) => p.missing?.rules ?? []));
  const otherNotEvaluated = notEvaluated.filter((n) => !covered.has(n.ruleId));
  const allKeys = problems.flatMap((p) => p.searches.filter(retryable).map((x) => x.key));
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
        <>
          <Box component="ul" sx={{ m: 0, p: 0, listStyle: "none", display: "grid", gap: 1 }}>
            {problems.map((p) => (
              <ProblemItem key={p.key} problem={p} onRetry={s.complete ? onRetry : undefined} />
            ))}
          </Box>
          {onRetry && s.complete && problems.length > 1 && allKeys.length > 0 && (
            <Button size="small" variant="contained" sx={{ mt: 1 }} onClick={() => onRetry(allKeys)} className="no-print">
              Retry every failed search
            </Button>
          )}
        </>
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
