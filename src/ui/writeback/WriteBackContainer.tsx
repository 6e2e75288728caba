import { useCallback, useMemo, useRef, useState } from "react";
import Alert from "@mui/material/Alert";
import type { Assessment } from "../../clinical/types";
import { executeWriteBack, type WriteResult } from "../../fhir/submit";
import type { SmartClient } from "../../fhir/transport";
import { findingIdOf } from "../../writeback/compose";
import { loadDraft, saveDraft, sessionDraftStorage, type DraftState, type DraftStorage } from "../../writeback/draft";
import { planWriteBack, type Submission, type WriteCapabilities } from "../../writeback/plan";
import type { GrantedScopes } from "../../writeback/scopes";
import { DEFAULT_CHOICES, type WriteChoices, type WriteContext } from "../../writeback/types";
import { WriteBackPanel } from "./WriteBackPanel";

/**
 * Wires the write-back for the app shell's `writeBackSlot`: plan (from capabilities and granted
 * scopes), the review panel, sending (strictly one run at a time), and the draft that survives a
 * reload or a session-expired relaunch.
 */
export interface WriteBackContainerProps {
  client: SmartClient;
  assessment: Assessment;
  /** From the loader's snapshot: undefined while being read, null when it could not be read. */
  capabilities: WriteCapabilities | null | undefined;
  /** The token response's `scope` (string or list), or already parsed. */
  grantedScopes: string | readonly string[] | GrantedScopes | null | undefined;
  /** Launch context; `now` is taken from the clock when omitted. */
  context: Omit<WriteContext, "now"> & { now?: string };
  /** Draft storage; the tab's sessionStorage by default. */
  storage?: DraftStorage | null;
  /** Per-request timeout (ms); default 20 s. */
  timeoutMs?: number;
  /** Clock for `now` (tests). */
  clock?: () => Date;
  copyText?: (text: string) => Promise<void>;
  /** Told after each run (e.g. the shell shows "session expired"). */
  onResult?: (result: WriteResult) => void;
}

export function WriteBackContainer(props: WriteBackContainerProps) {
  const { client, assessment, capabilities, grantedScopes, context, timeoutMs, onResult } = props;
  const storage = props.storage === undefined ? sessionDraftStorage() : props.storage;
  const patientId = context.patientId;
  const findingId = useMemo(() => findingIdOf(assessment), [assessment]);
  const initialDraft = useMemo(() => loadDraft(storage, patientId, findingId), [storage, patientId, findingId]);

  const [choices, setChoices] = useState<WriteChoices>(initialDraft?.choices ?? DEFAULT_CHOICES);
  const [draftState, setDraftState] = useState<DraftState | null>(initialDraft?.state ?? null);
  const [result, setResult] = useState<WriteResult | null>(null);
  const [sending, setSending] = useState(false);
  const [progress, setProgress] = useState<string | null>(null);
  // `now` is fixed per review so the preview equals what is sent (identifiers never depend on it).
  const [now, setNow] = useState(() => context.now ?? (props.clock ?? (() => new Date()))().toISOString());
  const inFlight = useRef(false);

  const prepared = useMemo((): { submission: Submission } | { error: string } => {
    try {
      return {
        submission: planWriteBack({
          assessment,
          context: { ...context, now },
          choices,
          capabilities: capabilities ?? null,
          grantedScopes,
        }),
      };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }, [assessment, context, now, choices, capabilities, grantedScopes]);

  const persist = useCallback(
    (state: DraftState, nextChoices: WriteChoices) => {
      setDraftState(state);
      saveDraft(storage, patientId, {
        version: 1,
        findingId,
        choices: nextChoices,
        state,
        updatedAt: (props.clock ?? (() => new Date()))().toISOString(),
      });
    },
    [storage, patientId, findingId, props.clock],
  );

  const onChoicesChange = useCallback(
    (next: WriteChoices) => {
      setChoices(next);
      persist(draftState === "sent" ? "sent" : draftState === "partial" ? "partial" : "draft", next);
    },
    [persist, draftState],
  );

  const onOpen = useCallback(() => {
    if (!result && !sending) setNow(context.now ?? (props.clock ?? (() => new Date()))().toISOString());
    if (!draftState) persist("draft", choices);
  }, [result, sending, context.now, props.clock, draftState, persist, choices]);

  const onSubmit = useCallback(async () => {
    if (inFlight.current || !("submission" in prepared)) return; // never two runs at once
    inFlight.current = true;
    setSending(true);
    setProgress(null);
    persist("sending", choices);
    try {
      const outcome = await executeWriteBack(client, prepared.submission, {
        timeoutMs,
        onProgress: ({ step, total, description }) => setProgress(`Writing ${step} of ${total}: ${description}`),
      });
      setResult(outcome);
      persist(outcome.complete && outcome.refused.length === 0 ? "sent" : "partial", choices);
      onResult?.(outcome);
    } finally {
      inFlight.current = false;
      setSending(false);
      setProgress(null);
    }
  }, [prepared, client, timeoutMs, onResult, persist, choices]);

  if ("error" in prepared) {
    return (
      <Alert severity="error" variant="outlined">
        {`Write-back is not available: ${prepared.error}`}
      </Alert>
    );
  }

  return (
    <WriteBackPanel
      assessment={assessment}
      plan={prepared.submission.plan}
      choices={choices}
      onChoicesChange={onChoicesChange}
      onSubmit={() => void onSubmit()}
      result={result}
      sending={sending}
      progress={progress}
      draftState={draftState}
      copyText={props.copyText}
      onOpen={onOpen}
      disabledReason={capabilities === undefined ? "Checking what this EHR accepts…" : null}
    />
  );
}
