import type { RenderState, Submission } from "../../writeback/plan";
import { decodeBase64Utf8 } from "../../writeback/identifiers";
import type { SmartClient } from "../transport";
import type { Run } from "./run";
import { runSingle } from "./single";
import { runTransaction } from "./transaction";
import { DEFAULT_TIMEOUT_MS, type ExecuteOptions, type WriteResult } from "./types";

/**
 * Executes a write-back plan against the EHR: the only part of the write-back that talks to the
 * network. Strictly sequential (one request in flight at a time). Never duplicates: a transaction
 * with `ifNoneExist` on every entry, or ordered single creates (single.ts). A refusal (4xx,
 * OperationOutcome) is recorded with the server's message, references to the refused resource are
 * dropped, and what it would have said is folded into the note (written after the Tier B resources
 * for that reason).
 */
export async function executeWriteBack(client: SmartClient, submission: Submission, options: ExecuteOptions = {}): Promise<WriteResult> {
  const { plan } = submission;
  const result: WriteResult = {
    mode: plan.mode,
    created: [],
    refused: [],
    pending: [],
    skipped: [...plan.skip],
    notes: [],
    complete: false,
    sessionExpired: false,
    noteText: plan.noteText,
    noteWritten: false,
  };
  const run: Run = {
    client,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    signal: options.signal,
    submission,
    options,
    result,
    state: { resolved: {}, dropped: [], refused: [] },
    step: 0,
    total: plan.mode === "transaction" ? 1 : plan.write.length,
  };

  if (plan.mode === "transaction") await runTransaction(run, plan.write);
  else if (plan.mode === "single") await runSingle(run, plan.write);

  finishNote(run);
  result.complete = result.pending.length === 0;
  return result;
}

/** The note as written (refusals folded in), or as the clinician should copy it; which refusals it states. */
function finishNote(run: Run): void {
  const { result, submission } = run;
  const noteState: RenderState = { ...run.state, dropped: [...run.state.dropped] };
  const note = submission.render("note", noteState);
  const noteData = note && note.resourceType === "DocumentReference" ? note.content?.[0]?.attachment?.data : undefined;
  const writtenNote = result.created.find((c) => c.key === "note");
  const writtenData =
    writtenNote?.resource.resourceType === "DocumentReference" ? writtenNote.resource.content?.[0]?.attachment?.data : undefined;
  if (writtenData && !writtenNote?.existed) result.noteText = decodeBase64Utf8(writtenData);
  else if (noteData) result.noteText = decodeBase64Utf8(noteData);

  const noteIndex = submission.plan.write.findIndex((w) => w.key === "note");
  for (const refused of result.refused) {
    const refusedIndex = submission.plan.write.findIndex((w) => w.key === refused.key);
    refused.foldedIntoNote =
      refused.key !== "note" &&
      refused.resourceType !== "Provenance" &&
      result.noteWritten &&
      !writtenNote?.existed &&
      refusedIndex < noteIndex;
  }
}
