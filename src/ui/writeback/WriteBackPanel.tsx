import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import Alert from "@mui/material/Alert";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Checkbox from "@mui/material/Checkbox";
import Chip from "@mui/material/Chip";
import Dialog from "@mui/material/Dialog";
import DialogActions from "@mui/material/DialogActions";
import DialogContent from "@mui/material/DialogContent";
import DialogTitle from "@mui/material/DialogTitle";
import FormControlLabel from "@mui/material/FormControlLabel";
import LinearProgress from "@mui/material/LinearProgress";
import Typography from "@mui/material/Typography";
import type { Assessment } from "../../clinical/types";
import type { CreatedItem, WriteResult } from "../../fhir/submit";
import type { DraftState } from "../../writeback/draft";
import type { WritePlan } from "../../writeback/plan";
import type { WriteChoices } from "../../writeback/types";

/**
 * Write-back review and result (issue 6). Two clicks from reading to sent: "Send to EHR…" opens
 * the review (what will be written, what will not and why, the note in full), "Confirm and send"
 * sends. Nothing is written without that confirmation. Text only: every string from the
 * assessment or the server is rendered as a React text node, never as HTML.
 */

export interface WriteBackPanelProps {
  assessment: Assessment;
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
  /** A draft kept from before a reload or relaunch. */
  draftState?: DraftState | null;
  /** Copies text to the clipboard; navigator.clipboard by default. */
  copyText?: (text: string) => Promise<void>;
  /** Called when the review dialog opens (the container marks the draft). */
  onOpen?(): void;
  /** Disable sending (e.g. capabilities still being read), with the reason shown. */
  disabledReason?: string | null;
}

const TYPE_NAMES: Record<string, string> = {
  DocumentReference: "Note",
  Condition: "Diagnosis",
  DetectedIssue: "Detected issue",
  ServiceRequest: "Proposed order",
  Provenance: "Provenance",
};

async function defaultCopy(text: string): Promise<void> {
  if (!navigator.clipboard?.writeText) throw new Error("no clipboard");
  await navigator.clipboard.writeText(text);
}

function TypeChip({ type }: { type: string }) {
  return (
    <Chip
      component="span"
      size="small"
      variant="outlined"
      label={TYPE_NAMES[type] ?? type}
      title={type}
      sx={{ mr: 1, flexShrink: 0, height: "auto", "& .MuiChip-label": { py: 0.25, whiteSpace: "nowrap" } }}
    />
  );
}

function Section(props: { id: string; title: string; children: ReactNode }) {
  return (
    <Box component="section" aria-labelledby={props.id} sx={{ mt: 2 }}>
      <Typography id={props.id} component="h3" variant="subtitle1" sx={{ fontWeight: 600 }}>
        {props.title}
      </Typography>
      {props.children}
    </Box>
  );
}

function ItemList(props: { children: ReactNode }) {
  return (
    <Box component="ul" sx={{ pl: 0, my: 0.5, listStyle: "none", display: "grid", gap: 0.75 }}>
      {props.children}
    </Box>
  );
}

function NoteText(props: { text: string; labelId: string }) {
  return (
    <Box
      component="pre"
      tabIndex={0}
      aria-labelledby={props.labelId}
      data-testid="writeback-note"
      sx={{
        whiteSpace: "pre-wrap",
        overflowWrap: "anywhere",
        fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
        fontSize: "0.8rem",
        bgcolor: "action.hover",
        p: 1.5,
        borderRadius: 1,
        maxHeight: 360,
        overflow: "auto",
        m: 0,
        mt: 0.5,
        "&:focus-visible": { outline: "2px solid", outlineColor: "primary.main" },
      }}
    >
      {props.text}
    </Box>
  );
}

function CreatedRow({ item }: { item: CreatedItem }) {
  const [open, setOpen] = useState(false);
  const jsonId = useId();
  return (
    <Box component="li">
      <Box sx={{ display: "flex", alignItems: "center", flexWrap: "wrap", gap: 0.5 }}>
        <TypeChip type={item.resourceType} />
        <Typography component="span" variant="body2" sx={{ fontFamily: "ui-monospace, monospace", overflowWrap: "anywhere" }}>
          {item.reference}
        </Typography>
        {item.existed && <Chip component="span" size="small" label="already in the EHR" color="default" />}
        {item.confirmedAfterTimeout && <Chip component="span" size="small" label="confirmed after a timeout" />}
        <Button
          size="small"
          onClick={() => setOpen((v) => !v)}
          aria-expanded={open}
          aria-controls={jsonId}
          aria-label={`${open ? "Hide" : "View"} ${item.reference}`}
        >
          {open ? "Hide" : "View"}
        </Button>
      </Box>
      <Typography variant="body2" color="text.secondary">
        {item.description}
      </Typography>
      {open && (
        <Box
          component="pre"
          id={jsonId}
          tabIndex={0}
          aria-label={`${item.reference} as FHIR JSON`}
          sx={{
            whiteSpace: "pre-wrap",
            overflowWrap: "anywhere",
            fontSize: "0.75rem",
            bgcolor: "action.hover",
            p: 1,
            borderRadius: 1,
            maxHeight: 280,
            overflow: "auto",
            m: 0,
          }}
        >
          {JSON.stringify(item.resource, null, 2)}
        </Box>
      )}
    </Box>
  );
}

function resultHeadline(result: WriteResult): { severity: "success" | "warning" | "error" | "info"; text: string } {
  const created = result.created.filter((c) => !c.existed).length;
  const existed = result.created.filter((c) => c.existed).length;
  const parts: string[] = [];
  if (created) parts.push(`${created} created`);
  if (existed) parts.push(`${existed} already in the EHR (nothing duplicated)`);
  if (result.refused.length) parts.push(`${result.refused.length} refused`);
  if (result.pending.length) parts.push(`${result.pending.length} not sent yet`);
  const summary = parts.join(", ");
  if (result.sessionExpired) {
    return {
      severity: "error",
      text: `Your session with the EHR expired. ${summary ? `${summary}. ` : ""}Relaunch the app from the EHR: this draft is kept, and sending again never makes a copy.`,
    };
  }
  if (result.mode === "copy-only") return { severity: "info", text: "Nothing was written: copy the note into the chart." };
  if (result.created.length === 0) return { severity: "error", text: `Nothing was written to the EHR${summary ? `: ${summary}` : ""}.` };
  if (result.refused.length || result.pending.length) return { severity: "warning", text: `Partly written to the EHR: ${summary}.` };
  return { severity: "success", text: `Written to the EHR: ${summary}.` };
}

export function WriteBackPanel(props: WriteBackPanelProps) {
  const { plan, result, sending = false, choices } = props;
  const [open, setOpen] = useState(false);
  const [copyStatus, setCopyStatus] = useState<string | null>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const ids = useId();
  const showResult = sending || result !== null;
  const copyOnly = plan.mode === "copy-only";

  // Focus: the dialog heading on open; the result heading when the result arrives.
  useEffect(() => {
    if (open && !showResult) titleRef.current?.focus();
  }, [open, showResult]);
  useEffect(() => {
    if (open && result) resultRef.current?.focus();
  }, [open, result]);

  const openDialog = () => {
    setCopyStatus(null);
    setOpen(true);
    props.onOpen?.();
  };

  const copy = async (text: string) => {
    try {
      await (props.copyText ?? defaultCopy)(text);
      setCopyStatus("The note was copied. Paste it into the chart.");
    } catch {
      setCopyStatus("The note could not be copied automatically: select its text and copy it.");
    }
  };

  const noteText = result?.noteText ?? plan.noteText;
  const retryable = !!result && !result.sessionExpired && result.pending.length > 0;
  const headline = result ? resultHeadline(result) : null;
  const draftNotice =
    !result && props.draftState && props.draftState !== "sent"
      ? props.draftState === "sending"
        ? "A send was interrupted before its result arrived. Sending again is safe: nothing is ever written twice."
        : props.draftState === "partial"
          ? "Part of these findings was not sent. Sending again is safe: nothing is ever written twice."
          : "You have an unsent write-back draft for these findings."
      : null;

  return (
    <Box sx={{ display: "grid", gap: 0.5, justifyItems: "start" }}>
      <Button variant="contained" onClick={openDialog} disabled={!!props.disabledReason} aria-haspopup="dialog">
        {copyOnly ? "Copy note for the EHR…" : "Send to EHR…"}
      </Button>
      {props.disabledReason && (
        <Typography variant="caption" color="text.secondary">
          {props.disabledReason}
        </Typography>
      )}
      {draftNotice && (
        <Typography variant="caption" role="status">
          {draftNotice}
        </Typography>
      )}
      {!open && headline && (
        <Typography variant="caption" role="status">
          {headline.text}
        </Typography>
      )}
      {!open && !result && props.draftState === "sent" && (
        <Typography variant="caption" role="status">
          These findings were sent to the EHR earlier in this session.
        </Typography>
      )}

      <Dialog
        open={open}
        onClose={() => {
          if (!sending) setOpen(false);
        }}
        aria-labelledby={`${ids}-title`}
        aria-describedby={`${ids}-summary`}
        fullWidth
        maxWidth="md"
        scroll="paper"
      >
        <DialogTitle id={`${ids}-title`} ref={titleRef} tabIndex={-1} sx={{ "&:focus": { outline: "none" } }}>
          {showResult ? "Write-back result" : copyOnly ? "Copy the findings into the EHR" : "Send the findings to the EHR"}
        </DialogTitle>
        <DialogContent dividers>
          {!showResult && (
            <>
              <Typography id={`${ids}-summary`} variant="body2">
                {plan.summary}
              </Typography>

              {plan.conditionOffer.available ? (
                <FormControlLabel
                  sx={{ mt: 1.5, alignItems: "flex-start" }}
                  control={
                    <Checkbox
                      checked={choices.includeCondition}
                      onChange={(event) => props.onChoicesChange({ ...choices, includeCondition: event.target.checked })}
                      sx={{ pt: 0.25 }}
                    />
                  }
                  label="Also record a provisional diagnosis of tumoral calcinosis (with the lesion sites) on the problem list"
                />
              ) : (
                plan.conditionOffer.reason && (
                  <Typography variant="body2" color="text.secondary" sx={{ mt: 1.5 }}>
                    {`No provisional diagnosis is offered: ${plan.conditionOffer.reason}`}
                  </Typography>
                )
              )}

              <Section id={`${ids}-write`} title={copyOnly ? "Will be written: nothing" : `Will be written (${plan.write.length})`}>
                <ItemList>
                  {plan.write.map((w) => (
                    <Box component="li" key={w.key} sx={{ display: "flex", alignItems: "baseline" }}>
                      <TypeChip type={w.resourceType} />
                      <Typography component="span" variant="body2">
                        {w.description}
                      </Typography>
                    </Box>
                  ))}
                </ItemList>
              </Section>

              {plan.skip.length > 0 && (
                <Section id={`${ids}-skip`} title={`Will not be written (${plan.skip.length})`}>
                  <SkippedList items={plan.skip} />
                </Section>
              )}

              <Section
                id={`${ids}-note`}
                title={plan.noteWritable ? "The note, as it will be written" : "The note, to copy into the chart"}
              >
                <NoteText text={noteText} labelId={`${ids}-note`} />
              </Section>
            </>
          )}

          {showResult && (
            <Box aria-live="polite">
              {sending && (
                <Box role="status" sx={{ display: "grid", gap: 1 }}>
                  <Typography variant="body2">{props.progress ?? "Sending…"}</Typography>
                  <LinearProgress aria-label="Sending to the EHR" />
                </Box>
              )}
              {result && headline && (
                <>
                  <Box ref={resultRef} tabIndex={-1} sx={{ "&:focus": { outline: "none" } }}>
                    <Alert severity={headline.severity} id={`${ids}-summary`}>
                      {headline.text}
                    </Alert>
                  </Box>
                  {result.notes.map((note) => (
                    <Typography key={note} variant="body2" sx={{ mt: 1 }}>
                      {note}
                    </Typography>
                  ))}
                  {result.created.length > 0 && (
                    <Section id={`${ids}-created`} title={`In the EHR (${result.created.length})`}>
                      <ItemList>
                        {result.created.map((item) => (
                          <CreatedRow key={item.key} item={item} />
                        ))}
                      </ItemList>
                    </Section>
                  )}
                  {result.refused.length > 0 && (
                    <Section id={`${ids}-refused`} title={`Refused by the EHR (${result.refused.length})`}>
                      <ItemList>
                        {result.refused.map((item) => (
                          <TypedItem key={item.key} resourceType={item.resourceType} description={item.description}>
                            <Typography variant="body2" sx={{ pl: 1 }}>
                              {`The EHR said${item.status ? ` (HTTP ${item.status})` : ""}: ${item.message}`}
                            </Typography>
                            {item.foldedIntoNote && (
                              <Typography variant="body2" color="text.secondary" sx={{ pl: 1 }}>
                                What it would have said is stated in the note instead.
                              </Typography>
                            )}
                          </TypedItem>
                        ))}
                      </ItemList>
                    </Section>
                  )}
                  {result.pending.length > 0 && (
                    <Section id={`${ids}-pending`} title={`Not sent yet (${result.pending.length})`}>
                      <ItemList>
                        {result.pending.map((item) => (
                          <TypedItem key={item.key} resourceType={item.resourceType} description={item.description}>
                            <Typography variant="body2" color="text.secondary" sx={{ pl: 1 }}>
                              {item.reason}
                            </Typography>
                          </TypedItem>
                        ))}
                      </ItemList>
                    </Section>
                  )}
                  {result.skipped.length > 0 && (
                    <Section id={`${ids}-skipped`} title={`Not written, by design (${result.skipped.length})`}>
                      <SkippedList items={result.skipped} />
                    </Section>
                  )}
                  {!result.noteWritten && (
                    <Section id={`${ids}-copy`} title="The note, to copy into the chart">
                      <NoteText text={noteText} labelId={`${ids}-copy`} />
                    </Section>
                  )}
                </>
              )}
            </Box>
          )}
          {copyStatus && (
            <Typography role="status" variant="body2" sx={{ mt: 1 }}>
              {copyStatus}
            </Typography>
          )}
        </DialogContent>
        <DialogActions sx={{ flexWrap: "wrap", gap: 1 }}>
          <Button onClick={() => void copy(noteText)} disabled={sending}>
            Copy note
          </Button>
          <Button onClick={() => setOpen(false)} disabled={sending}>
            {showResult ? "Close" : "Cancel"}
          </Button>
          {!showResult && !copyOnly && (
            <Button variant="contained" onClick={props.onSubmit}>
              Confirm and send
            </Button>
          )}
          {retryable && (
            <Button variant="contained" onClick={props.onSubmit}>
              Retry
            </Button>
          )}
        </DialogActions>
      </Dialog>
    </Box>
  );
}

/** What is not written, and why: the same list before sending (the plan) and after (the result). */
function SkippedList({ items }: { items: readonly { key: string; resourceType: string; description: string; reason: string }[] }) {
  return (
    <ItemList>
      {items.map((s) => (
        <TypedItem key={s.key} resourceType={s.resourceType} description={s.description}>
          <Typography variant="body2" color="text.secondary" sx={{ pl: 1 }}>
            {`Why: ${s.reason}.`}
          </Typography>
        </TypedItem>
      ))}
    </ItemList>
  );
}

/** One resource in a list: its type, what it is, then what is to be said about it. */
function TypedItem({ resourceType, description, children }: { resourceType: string; description: string; children: ReactNode }) {
  return (
    <Box component="li">
      <Box sx={{ display: "flex", alignItems: "baseline" }}>
        <TypeChip type={resourceType} />
        <Typography component="span" variant="body2">
          {description}
        </Typography>
      </Box>
      {children}
    </Box>
  );
}
