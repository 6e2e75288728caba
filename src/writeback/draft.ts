import { sha256Hex } from "./identifiers";
import type { WriteChoices } from "./types";

/**
 * The unsent write-back draft: survives a page reload and a session-expired relaunch of the same
 * patient in the same tab. It holds only the clinician's choices and the send state, never patient
 * data: the assessment is recomputed from the EHR on relaunch, and the key is a hash of the patient
 * id and the finding id (no raw id in storage). sessionStorage, not localStorage: per tab, gone
 * when the tab closes (project rule: no tokens or patient data in localStorage).
 */

export interface DraftStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export type DraftState =
  /** Reviewed (or being reviewed), not sent. */
  | "draft"
  /** Confirm was pressed; no result yet (a reload here means the outcome is unknown). */
  | "sending"
  /** Sent, but something was refused or is still pending: Retry is offered. */
  | "partial"
  /** Everything that may be written was written (or found already there). */
  | "sent";

export interface WriteDraft {
  version: 1;
  findingId: string;
  choices: WriteChoices;
  state: DraftState;
  /** ISO instant of the last change. */
  updatedAt: string;
}

const PREFIX = "calcinosis.writeback.draft.";

export function draftKey(patientId: string, findingId: string): string {
  return PREFIX + sha256Hex(`${patientId}|${findingId}`).slice(0, 32);
}

export function loadDraft(storage: DraftStorage | null, patientId: string, findingId: string): WriteDraft | null {
  if (!storage) return null;
  let raw: string | null;
  try {
    raw = storage.getItem(draftKey(patientId, findingId));
  } catch {
    return null;
  }
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<WriteDraft>;
    if (
      parsed.version !== 1 ||
      parsed.findingId !== findingId ||
      !parsed.choices ||
      typeof parsed.choices.includeCondition !== "boolean" ||
      !["draft", "sending", "partial", "sent"].includes(parsed.state as string)
    ) {
      return null;
    }
    return {
      version: 1,
      findingId,
      choices: { includeCondition: parsed.choices.includeCondition },
      state: parsed.state as DraftState,
      updatedAt: typeof parsed.updatedAt === "string" ? parsed.updatedAt : "",
    };
  } catch {
    return null;
  }
}

export function saveDraft(storage: DraftStorage | null, patientId: string, draft: WriteDraft): void {
  if (!storage) return;
  const value: WriteDraft = {
    version: 1,
    findingId: draft.findingId,
    choices: { includeCondition: !!draft.choices.includeCondition },
    state: draft.state,
    updatedAt: draft.updatedAt,
  };
  try {
    storage.setItem(draftKey(patientId, draft.findingId), JSON.stringify(value));
  } catch {
    // Storage full or disabled: the draft simply does not survive a reload.
  }
}

export function clearDraft(storage: DraftStorage | null, patientId: string, findingId: string): void {
  if (!storage) return;
  try {
    storage.removeItem(draftKey(patientId, findingId));
  } catch {
    // ignore
  }
}

/** The tab's sessionStorage, or null where there is none (Node, disabled storage). */
export function sessionDraftStorage(): DraftStorage | null {
  try {
    const storage = (globalThis as { sessionStorage?: DraftStorage }).sessionStorage;
    return storage ?? null;
  } catch {
    return null;
  }
}
