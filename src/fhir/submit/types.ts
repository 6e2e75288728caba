import type { FhirResource } from "fhir/r4";
import type { PlannedSkip, WriteMode } from "../../writeback/plan";
import type { Identifier } from "../../writeback/types";

export const DEFAULT_TIMEOUT_MS = 20_000;

export interface ExecuteOptions {
  /** Per request; after it the request is aborted and the outcome checked by a search. */
  timeoutMs?: number;
  /** Aborts the whole run (e.g. the user closed the app): the rest is left pending. */
  signal?: AbortSignal;
  /** Called before each request, for a progress line. */
  onProgress?: (event: { step: number; total: number; description: string }) => void;
}

export interface CreatedItem {
  key: string;
  resourceType: string;
  id: string;
  /** "DocumentReference/123" */
  reference: string;
  identifier: Identifier;
  description: string;
  /** True when the EHR already had it (an earlier send): nothing new was written. */
  existed: boolean;
  /**
   * True when the request failed (timeout, lost connection, server error) and the EHR was then
   * shown to hold it: by a search, or by asking again with If-None-Exist.
   */
  confirmedAfterFailure?: boolean;
  /** The resource as the EHR returned it, or as sent when the EHR returned none. */
  resource: FhirResource;
}

export interface RefusedItem {
  key: string;
  resourceType: string;
  description: string;
  /** HTTP status, when there was one. */
  status?: number;
  /** The server's message (OperationOutcome text), or a description of the failure. */
  message: string;
  /** Whether what it would have said went into the note that was written. */
  foldedIntoNote: boolean;
}

export interface PendingItem {
  key: string;
  resourceType: string;
  description: string;
  /**
   * What the EHR holds, as far as the app knows: "not-saved" (never sent, or a search showed it is
   * not there) or "unknown" (sent, and the answer was lost or an error after the EHR may have
   * committed it: it may have been saved).
   */
  saved: "not-saved" | "unknown";
  /** Why it was not (known to be) written; Retry is safe. */
  reason: string;
}

export interface WriteResult {
  mode: WriteMode;
  created: CreatedItem[];
  refused: RefusedItem[];
  /** Not written in this run because it stopped (timeout, server error, session expiry). */
  pending: PendingItem[];
  /** Not written by decision (the plan's skips, and a Provenance with nothing to attest). */
  skipped: PlannedSkip[];
  /** Human sentences about the run (e.g. "the transaction was refused, sent one by one"). */
  notes: string[];
  /** True when nothing is pending: a retry would change nothing. */
  complete: boolean;
  sessionExpired: boolean;
  /** The note text as written (refusals folded in), or as it should be copied. */
  noteText: string;
  noteWritten: boolean;
}
