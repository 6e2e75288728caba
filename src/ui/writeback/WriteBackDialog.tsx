import { useEffect, useId, useRef, useState, type Ref } from "react";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Dialog from "@mui/material/Dialog";
import DialogActions from "@mui/material/DialogActions";
import DialogContent from "@mui/material/DialogContent";
import DialogTitle from "@mui/material/DialogTitle";
import LinearProgress from "@mui/material/LinearProgress";
import Typography from "@mui/material/Typography";
import useMediaQuery from "@mui/material/useMediaQuery";
import { useTheme } from "@mui/material/styles";
import { ResultView } from "./ResultView";
import { ReviewView } from "./ReviewView";
import type { WriteBackPanelProps } from "./WriteBackPanel";

/**
 * The review and result dialog: full screen below 600 px (an EHR side panel). Focus goes to the
 * heading on open and to the result when it arrives; it cannot be closed while sending.
 */
export function WriteBackDialog(props: WriteBackPanelProps & { open: boolean; onClose(): void }) {
  const { plan, result, sending = false, open } = props;
  const [copyStatus, setCopyStatus] = useState<string | null>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const ids = useId();
  const fullScreen = useMediaQuery(useTheme().breakpoints.down("sm"));
  const showResult = sending || result !== null;
  const copyOnly = plan.mode === "copy-only";
  const noteText = result?.noteText ?? plan.noteText;

  useEffect(() => {
    if (open && !showResult) titleRef.current?.focus();
  }, [open, showResult]);
  useEffect(() => {
    if (open && result) resultRef.current?.focus();
  }, [open, result]);

  const copy = async () => {
    try {
      await (props.copyText ?? defaultCopy)(noteText);
      setCopyStatus("The note was copied. Paste it into the chart.");
    } catch {
      setCopyStatus("The note could not be copied automatically: select its text and copy it.");
    }
  };

  return (
    <Dialog
      open={open}
      onClose={() => {
        if (!sending) props.onClose();
      }}
      aria-labelledby={`${ids}-title`}
      aria-describedby={`${ids}-summary`}
      fullWidth
      fullScreen={fullScreen}
      maxWidth="md"
      scroll="paper"
    >
      <DialogTitle id={`${ids}-title`} ref={titleRef} tabIndex={-1} sx={{ "&:focus": { outline: "none" } }}>
        {showResult ? "Write-back result" : copyOnly ? "Copy the findings into the EHR" : "Send the findings to the EHR"}
      </DialogTitle>
      <DialogContent dividers>
        <DialogBody {...props} ids={ids} noteText={noteText} resultRef={resultRef} />
        {copyStatus && (
          <Typography role="status" variant="body2" sx={{ mt: 1 }}>
            {copyStatus}
          </Typography>
        )}
      </DialogContent>
      <DialogButtons {...props} showResult={showResult} onCopy={() => void copy()} />
    </Dialog>
  );
}

/** The review before sending; progress while sending; the result after. */
function DialogBody(props: WriteBackPanelProps & { ids: string; noteText: string; resultRef: Ref<HTMLDivElement> }) {
  const { plan, result, sending = false, expired = null, ids, noteText, resultRef } = props;
  const showResult = sending || result !== null;
  return (
    <>
      {!showResult && (
        <ReviewView
          plan={plan}
          choices={props.choices}
          onChoicesChange={props.onChoicesChange}
          earlier={props.earlier ?? {}}
          noteText={noteText}
          ids={ids}
          readOnly={!!expired}
        />
      )}
      {showResult && (
        <Box aria-live="polite">
          {sending && (
            <Box role="status" sx={{ display: "grid", gap: 1 }}>
              <Typography variant="body2">{props.progress ?? "Sending…"}</Typography>
              <LinearProgress aria-label="Sending to the EHR" />
            </Box>
          )}
          {result && !sending && <ResultView result={result} noteText={noteText} ids={ids} headingRef={resultRef} />}
        </Box>
      )}
    </>
  );
}

/** Copy (the main action in copy-only mode), close, and send, retry or relaunch as the state allows. */
function DialogButtons(props: WriteBackPanelProps & { onClose(): void; showResult: boolean; onCopy(): void }) {
  const { plan, result, sending = false, expired = null, showResult } = props;
  const copyOnly = plan.mode === "copy-only";
  return (
    <DialogActions sx={{ flexWrap: "wrap", gap: 1 }}>
      <Button variant={copyOnly ? "contained" : "text"} onClick={props.onCopy} disabled={sending}>
        Copy note
      </Button>
      <Button onClick={props.onClose} disabled={sending}>
        {showResult ? "Close" : "Cancel"}
      </Button>
      {!showResult && !copyOnly && !expired && (
        <Button variant="contained" onClick={props.onSubmit}>
          Confirm and send
        </Button>
      )}
      {!!result && !expired && !result.sessionExpired && result.pending.length > 0 && (
        <Button variant="contained" onClick={props.onSubmit}>
          Retry
        </Button>
      )}
      {expired?.relaunchHref && (
        <Button variant="contained" href={expired.relaunchHref}>
          Relaunch
        </Button>
      )}
    </DialogActions>
  );
}

async function defaultCopy(text: string): Promise<void> {
  if (!navigator.clipboard?.writeText) throw new Error("no clipboard");
  await navigator.clipboard.writeText(text);
}
