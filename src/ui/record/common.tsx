import type { ReactNode } from "react";
import Box from "@mui/material/Box";
import ButtonBase from "@mui/material/ButtonBase";
import Chip from "@mui/material/Chip";
import Paper from "@mui/material/Paper";
import Skeleton from "@mui/material/Skeleton";
import Tooltip from "@mui/material/Tooltip";
import Typography from "@mui/material/Typography";
import type { RuleId, SourceTag } from "../../clinical/types";
import { evidenceLabel } from "../evidence/resourceSummary";
import { useEvidence } from "../evidence/EvidenceContext";
import { SOURCE_NAMES, ruleSources, ruleTitle } from "./ruleInfo";
import { MONOSPACE } from "../shared/Preformatted";
import { usePanelOpen } from "./usePanelOpen";

/** Visually hidden, read by screen readers. */
export const srOnly = {
  position: "absolute",
  // Strings, not numbers: in `sx` a number ≤ 1 means a percentage.
  width: "1px",
  height: "1px",
  padding: 0,
  margin: "-1px",
  overflow: "hidden",
  clip: "rect(0 0 0 0)",
  whiteSpace: "nowrap",
  border: 0,
} as const;

/**
 * "PC-SIZE · Z, M": the rule id and its source tags, with the rule title for screen readers and a
 * visible "our design choice" mark on D-tagged rules.
 */
export function RuleChip(props: { ruleId: RuleId | string; sources?: SourceTag[] }) {
  const tags = ruleSources(props.ruleId, props.sources);
  const design = tags.includes("D");
  const title = ruleTitle(props.ruleId);
  return (
    <Box component="span" sx={{ display: "inline-flex", alignItems: "center", gap: 0.5, flexWrap: "wrap" }} data-rule={props.ruleId}>
      <Tooltip describeChild title={`${title}${tags.length ? ` (sources: ${tags.map((t) => `${t} ${SOURCE_NAMES[t]}`).join(", ")})` : ""}`}>
        <Chip
          component="span"
          size="small"
          variant="outlined"
          label={
            <>
              <span aria-hidden="true">{tags.length ? `${props.ruleId} · ${tags.join(", ")}` : props.ruleId}</span>
              <Box component="span" sx={srOnly}>
                {`Rule ${props.ruleId}${title !== props.ruleId ? `, ${title}` : ""}${tags.length ? `; sources: ${tags.map((t) => SOURCE_NAMES[t]).join(", ")}` : ""}`}
              </Box>
            </>
          }
          sx={{ fontFamily: MONOSPACE, fontSize: "0.75rem", height: "auto", py: 0.25 }}
        />
      </Tooltip>
      {design && (
        <Typography component="span" variant="caption" sx={{ fontStyle: "italic", color: "text.secondary" }}>
          our design choice
        </Typography>
      )}
    </Box>
  );
}

/** One clickable chip per evidence reference; each opens the evidence viewer. */
export function EvidenceChips(props: { refs: readonly string[] | undefined; max?: number }) {
  const { open, resolve } = useEvidence();
  const refs = props.refs ?? [];
  if (refs.length === 0) return null;
  return (
    <Box component="ul" aria-label="Evidence" sx={{ listStyle: "none", p: 0, m: 0, display: "flex", flexWrap: "wrap", gap: 0.5 }}>
      {refs.map((ref) => {
        const label = evidenceLabel(ref, resolve(ref));
        return (
          <li key={ref}>
            <Chip
              size="small"
              clickable
              onClick={() => open(ref)}
              label={label}
              aria-label={`Open evidence: ${label}`}
              aria-haspopup="dialog"
              icon={<DocIcon />}
              sx={{ height: "auto", py: 0.25, maxWidth: "100%" }}
              data-evidence={ref}
            />
          </li>
        );
      })}
    </Box>
  );
}

/** The line under a finding, flag or gap: its rule chip, then its evidence chips. */
export function RuleAndEvidence(props: {
  item: { ruleId: RuleId | string; sources?: SourceTag[]; evidence?: readonly string[] };
  mt?: number;
}) {
  return (
    <Box sx={{ display: "flex", flexWrap: "wrap", gap: 0.5, mt: props.mt ?? 0.5, alignItems: "center" }}>
      <RuleChip ruleId={props.item.ruleId} sources={props.item.sources} />
      <EvidenceChips refs={props.item.evidence} />
    </Box>
  );
}

/**
 * A compact evidence opener for table cells: "View", named in full for assistive technology (the
 * name starts with the visible word, as WCAG 2.5.3 asks).
 */
export function EvidenceButton(props: { refId: string; label?: string }) {
  const { open, resolve } = useEvidence();
  const label = props.label ?? evidenceLabel(props.refId, resolve(props.refId));
  return (
    <Chip
      size="small"
      clickable
      onClick={() => open(props.refId)}
      label="View"
      aria-label={`View evidence: ${label}`}
      aria-haspopup="dialog"
      icon={<DocIcon />}
      data-evidence={props.refId}
    />
  );
}

export function DocIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M6 2h9l5 5v15H6V2zm8 1.5V8h4.5L14 3.5zM8 12h8v1.5H8V12zm0 3h8v1.5H8V15zm0 3h5v1.5H8V18z" />
    </svg>
  );
}

/**
 * A titled panel with a stable id for in-page links; shows a fixed-height skeleton while `loading`.
 * The title is a disclosure button (collapsed state kept for the session, see usePanelOpen).
 */
export function Panel(props: {
  id: string;
  title: string;
  loading?: boolean;
  skeletonHeight?: number;
  children?: ReactNode;
  actions?: ReactNode;
  count?: number;
}) {
  const { id, title, loading, skeletonHeight = 120, children, actions, count } = props;
  const [open, toggle] = usePanelOpen(id);
  return (
    <Paper
      component="section"
      aria-labelledby={`${id}-heading`}
      id={id}
      tabIndex={-1}
      sx={{ p: { xs: 1.5, sm: 2 }, minWidth: 0, scrollMarginTop: 8 }}
      className="panel"
    >
      <Box sx={{ display: "flex", alignItems: "baseline", justifyContent: "space-between", gap: 1, flexWrap: "wrap", mb: open ? 1 : 0 }}>
        <Typography variant="h2" id={`${id}-heading`}>
          <ButtonBase
            onClick={toggle}
            aria-expanded={open}
            aria-controls={`${id}-body`}
            data-testid={`${id}-toggle`}
            sx={{ font: "inherit", color: "inherit", textAlign: "left", gap: 0.5, borderRadius: 0.5, alignItems: "baseline" }}
          >
            <Box
              component="span"
              aria-hidden="true"
              sx={{ display: "inline-block", width: "1em", transform: open ? "none" : "rotate(-90deg)" }}
            >
              ▾
            </Box>
            {title}
            {count !== undefined && !loading && (
              <Typography component="span" variant="body2" sx={{ ml: 0.5, color: "text.secondary" }} data-testid={`${id}-count`}>
                ({count})
              </Typography>
            )}
          </ButtonBase>
        </Typography>
        {open && actions}
      </Box>
      <div id={`${id}-body`} hidden={!open}>
        {loading ? (
          <Box aria-hidden="true" data-testid={`${id}-skeleton`}>
            <Skeleton variant="rounded" height={skeletonHeight} animation={false} />
          </Box>
        ) : (
          open && children
        )}
      </div>
    </Paper>
  );
}

export function Empty(props: { children: ReactNode }) {
  return (
    <Typography variant="body2" sx={{ color: "text.secondary" }}>
      {props.children}
    </Typography>
  );
}

export const SITE_LABELS: Record<string, string> = {
  "hand-wrist": "Hand / wrist",
  "shoulder-elbow": "Shoulder / elbow",
  "hip-pelvis": "Hip / pelvis",
  spine: "Spine",
  trunk: "Trunk / back",
  "lower-limb": "Lower limb",
  other: "Other site",
};

export function siteLabel(s: string): string {
  return SITE_LABELS[s] ?? s;
}
