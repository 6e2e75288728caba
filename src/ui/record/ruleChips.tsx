import Box from "@mui/material/Box";
import Chip from "@mui/material/Chip";
import Tooltip from "@mui/material/Tooltip";
import Typography from "@mui/material/Typography";
import type { RuleId, SourceTag } from "../../clinical/types";
import { evidenceLabel } from "../evidence/resourceSummary";
import { useEvidence } from "../evidence/EvidenceContext";
import { MONOSPACE } from "../shared/Preformatted";
import { srOnly } from "../shared/srOnly";
import { SOURCE_NAMES, ruleSources, ruleTitle } from "./ruleInfo";

/** The chips that tie what the screen says to its rule and its evidence. */

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
