import { useState } from "react";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Typography from "@mui/material/Typography";
import type { WriteResult } from "../../fhir/submit";
import type { ItemOutcome } from "../../writeback/draft";
import type { WritePlan } from "../../writeback/plan";
import type { WriteChoices } from "../../writeback/types";
import { SessionExpiredNotice } from "./SessionExpiredNotice";
import { WriteBackDialog } from "./WriteBackDialog";
import { resultHeadline } from "./wording";

/**
 * Write-back review and result. Two clicks from reading to sent: "Send to EHR…" opens the review
 * (what will be saved and where it lands, what will not and why, the note in full), "Confirm and
 * send" sends. Nothing is written without that confirmation. Beside the button: the session-expired
 * banner, and what an earlier send or the EHR says. Text only: every string from the assessment or
 * the server is a React text node.
 */

export interface WriteBackPanelProps {
  /** The plan for the current choices. */
  plan: WritePlan;
  choices: WriteChoices;
  onChoicesChange(choices: WriteChoices): void;
  /** "Confirm and send" (and Retry): the container executes the plan. */
  onSubmit(): void;
  /** The last run's result, or null. */
  result: WriteResult | null;
  sending?: boolean;
  /** "Writing 3 of 9: …" while sending. */
  progress?: string | null;
  /** What an earlier send or the EHR says about these findings (shown beside the button before a send). */
  notice?: string | null;
  /** What an earlier send left of each item (the draft), shown in the review. */
  earlier?: Readonly<Record<string, ItemOutcome>>;
  /** The session expired: read-only, with a relaunch link when the app can start one. */
  expired?: { relaunchHref: string | null } | null;
  /** Copies text to the clipboard; navigator.clipboard by default. */
  copyText?: (text: string) => Promise<void>;
  /** Called when the review dialog opens (the container marks the draft). */
  onOpen?(): void;
  /** Disable sending (e.g. capabilities still being read), with the reason shown. */
  disabledReason?: string | null;
}

export function WriteBackPanel(props: WriteBackPanelProps) {
  const { plan, result, expired = null } = props;
  const [open, setOpen] = useState(false);
  // A fresh dialog per opening (no copy status left from the last one).
  const [opening, setOpening] = useState(0);

  const openDialog = () => {
    setOpening((n) => n + 1);
    setOpen(true);
    props.onOpen?.();
  };

  return (
    <Box sx={{ display: "grid", gap: 0.5, justifyItems: "start" }}>
      {expired && <SessionExpiredNotice relaunchHref={expired.relaunchHref} />}
      <Button variant="contained" onClick={openDialog} disabled={!!props.disabledReason} aria-haspopup="dialog">
        {plan.mode === "copy-only" ? "Copy note for the EHR…" : "Send to EHR…"}
      </Button>
      {props.disabledReason && (
        <Typography variant="caption" color="text.secondary">
          {props.disabledReason}
        </Typography>
      )}
      {!result && props.notice && (
        <Typography variant="caption" role="status">
          {props.notice}
        </Typography>
      )}
      {!open && result && (
        <Typography variant="caption" role="status">
          {resultHeadline(result).text}
        </Typography>
      )}
      <WriteBackDialog key={opening} {...props} open={open} onClose={() => setOpen(false)} />
    </Box>
  );
}
