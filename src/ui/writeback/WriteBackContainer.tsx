import { useCallback, useMemo, useState } from "react";
import Alert from "@mui/material/Alert";
import type { Resource } from "fhir/r4";
import type { Assessment } from "../../clinical/types";
import { itemOutcomes } from "../../fhir/submit";
import type { SmartClient } from "../../fhir/transport";
import type { WriteCapabilities } from "../../writeback/decide";
import { sessionDraftStorage, type DraftStorage } from "../../writeback/draft";
import { draftNotice } from "../../writeback/draftNotice";
import { findingIdOf } from "../../writeback/finding";
import { planWriteBack, type Submission } from "../../writeback/plan";
import { noteIdentifier } from "../../writeback/resources/documentReference";
import type { GrantedScopes } from "../../writeback/scopes";
import { findSentNote, sentNoteText } from "../../writeback/sentNote";
import { DEFAULT_CHOICES, type WriteChoices, type WriteContext } from "../../writeback/types";
import { useSend } from "./useSend";
import { useWriteDraft } from "./useWriteDraft";
import { WriteBackPanel } from "./WriteBackPanel";

/**
 * Wires the write-back for the app shell's `writeBackSlot`: plan (from capabilities, granted
 * scopes and the completeness of the record), the review panel, sending (strictly one run at a
 * time), the draft that survives a reload or a session-expired relaunch, and what the EHR already
 * holds (the app's note among the record's DocumentReferences). When the session expires during a
 * send, it shows that itself and the record stays on screen, read-only.
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
  /** The loaded record (the snapshot's resources): the app's earlier note is looked for there. */
  resources?: readonly Resource[];
  /** Where a relaunch can start after the session expired (relaunchHref), or null: the EHR must. */
  relaunchHref?: string | null;
  /** Draft storage; the tab's sessionStorage by default. */
  storage?: DraftStorage | null;
  /** Per-request timeout (ms); default 20 s. */
  timeoutMs?: number;
  /** Clock for `now` (tests). */
  clock?: () => Date;
  copyText?: (text: string) => Promise<void>;
}

const systemClock = () => new Date();

export function WriteBackContainer(props: WriteBackContainerProps) {
  const { client, assessment, capabilities, grantedScopes, context, timeoutMs, resources } = props;
  const storage = props.storage === undefined ? sessionDraftStorage() : props.storage;
  const clock = props.clock ?? systemClock;
  const findingId = useMemo(() => findingIdOf(assessment), [assessment]);
  const { draft, persist } = useWriteDraft({ storage, assessment, context, findingId, clock });

  const { result, sending, progress, send } = useSend(client, timeoutMs);
  const [choices, setChoices] = useState<WriteChoices>(draft?.choices ?? DEFAULT_CHOICES);
  // `now` is fixed per review so the preview equals what is sent (identifiers never depend on it).
  const [now, setNow] = useState(() => context.now ?? clock().toISOString());
  const expired = !!result?.sessionExpired;

  const prepared = usePlan({ assessment, context, now, choices, capabilities, grantedScopes });
  const sent = useMemo(
    () => (resources ? findSentNote(resources, noteIdentifier(assessment, context.appUrl, findingId)) : null),
    [resources, assessment, context.appUrl, findingId],
  );

  const onChoicesChange = useCallback(
    (next: WriteChoices) => {
      setChoices(next);
      persist(draft?.state ?? "draft", next);
    },
    [persist, draft?.state],
  );

  const onOpen = useCallback(() => {
    if (!result && !sending) setNow(context.now ?? clock().toISOString());
    if (!draft) persist("draft", choices);
  }, [result, sending, context.now, clock, draft, persist, choices]);

  const onSubmit = useCallback(() => {
    if (expired || !("submission" in prepared)) return;
    void send(prepared.submission, {
      before: () => persist("sending", choices),
      after: (outcome) => persist(outcome.complete && outcome.refused.length === 0 ? "sent" : "partial", choices, itemOutcomes(outcome)),
    });
  }, [prepared, expired, send, persist, choices]);

  if ("error" in prepared) {
    return (
      <Alert severity="error" variant="outlined">
        {`Write-back is not available: ${prepared.error}`}
      </Alert>
    );
  }

  return (
    <WriteBackPanel
      plan={prepared.submission.plan}
      choices={choices}
      onChoicesChange={onChoicesChange}
      onSubmit={onSubmit}
      result={result}
      sending={sending}
      progress={progress}
      // What the EHR holds (its copy of the note) comes before what this tab remembers.
      notice={sent ? sentNoteText(sent) : draftNotice(draft)}
      earlier={draft?.items}
      expired={expired ? { relaunchHref: props.relaunchHref ?? null } : null}
      copyText={props.copyText}
      onOpen={onOpen}
      disabledReason={capabilities === undefined ? "Checking what this EHR accepts…" : null}
    />
  );
}

/** The plan for the current choices, or why there is none (an assessment of another patient). */
function usePlan(
  input: Pick<WriteBackContainerProps, "assessment" | "capabilities" | "grantedScopes"> & {
    context: WriteBackContainerProps["context"];
    now: string;
    choices: WriteChoices;
  },
): { submission: Submission } | { error: string } {
  const { assessment, context, now, choices, capabilities, grantedScopes } = input;
  return useMemo(() => {
    try {
      return {
        submission: planWriteBack({ assessment, context: { ...context, now }, choices, capabilities: capabilities ?? null, grantedScopes }),
      };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }, [assessment, context, now, choices, capabilities, grantedScopes]);
}
