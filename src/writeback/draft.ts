import { sha256Hex } from "./identifiers";
import type { WriteChoices } from "./types";

/**
 * The write-back draft: survives a page reload and a session-expired relaunch of the same patient
 * in the same tab. It holds the clinician's choices, the send state and, after a send, what the EHR
 * holds of each item (written with its reference, refused, not sent, may have been saved), so a
 * relaunch says exactly that. Never patient data: the assessment is recomputed from the EHR on
 * relaunch; the storage key is a hash of the patient id and the finding id, and item keys (which
 * name rule ids, e.g. "issue:S-PTH:…") are stored only as hashes, mapped back to the current plan's
 * keys on load. sessionStorage, not localStorage: per tab, gone when the tab closes.
 */

export interface DraftStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
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

/** What the EHR holds of one item after the last send. */
export type ItemState = "written" | "refused" | "not-sent" | "may-be-saved";

export interface ItemOutcome {
  state: ItemState;
  /** "DetectedIssue/123" for a written item. */
  reference?: string;
}

export interface WriteDraft {
  version: 2;
  findingId: string;
  choices: WriteChoices;
  state: DraftState;
  /** Per item key (as in the plan), after a send; empty before. */
  items: Record<string, ItemOutcome>;
  /** ISO instant of the last change. */
  updatedAt: string;
}

const PREFIX = "calcinosis.writeback.draft.";
const STATES: readonly DraftState[] = ["draft", "sending", "partial", "sent"];
const ITEM_STATES: readonly ItemState[] = ["written", "refused", "not-sent", "may-be-saved"];
/** A server reference: type and id only (nothing else may come back from storage). */
const REFERENCE = /^[A-Z][A-Za-z]{1,63}\/[A-Za-z0-9\-.]{1,64}$/;

export function draftKey(patientId: string, findingId: string): string {
  return PREFIX + sha256Hex(`${patientId}|${findingId}`).slice(0, 32);
}

/** How an item key is stored: a hash, so no rule id (a fact about the patient) reaches storage. */
export function itemToken(key: string): string {
  return sha256Hex(`writeback-item|${key}`).slice(0, 20);
}

/**
 * The draft for this patient and finding, or null. `keys` are the entry keys the current plan can
 * have (every composed entry): stored item hashes are mapped back to them, unknown ones dropped.
 */
export function loadDraft(storage: DraftStorage | null, patientId: string, findingId: string, keys: readonly string[]): WriteDraft | null {
  if (!storage) return null;
  let raw: string | null;
  try {
    raw = storage.getItem(draftKey(patientId, findingId));
  } catch {
    return null;
  }
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Record<string, unknown>;
    const choices = parsed.choices as { includeCondition?: unknown; deselected?: unknown } | undefined;
    if (
      (parsed.version !== 1 && parsed.version !== 2) ||
      parsed.findingId !== findingId ||
      !choices ||
      typeof choices.includeCondition !== "boolean" ||
      !STATES.includes(parsed.state as DraftState)
    ) {
      return null;
    }
    const byToken = new Map(keys.map((key) => [itemToken(key), key]));
    const deselected = (Array.isArray(choices.deselected) ? choices.deselected : []).map((t) => byToken.get(String(t))).filter(isKey);
    return {
      version: 2,
      findingId,
      choices: { includeCondition: choices.includeCondition, deselected },
      state: parsed.state as DraftState,
      items: loadItems(parsed.items, byToken),
      updatedAt: typeof parsed.updatedAt === "string" ? parsed.updatedAt : "",
    };
  } catch {
    return null;
  }
}

function isKey(key: string | undefined): key is string {
  return key !== undefined;
}

function loadItems(value: unknown, byToken: ReadonlyMap<string, string>): Record<string, ItemOutcome> {
  const items: Record<string, ItemOutcome> = {};
  if (!value || typeof value !== "object") return items;
  for (const [token, outcome] of Object.entries(value as Record<string, { state?: unknown; reference?: unknown }>)) {
    const key = byToken.get(token);
    if (!key || !outcome || !ITEM_STATES.includes(outcome.state as ItemState)) continue;
    const reference = typeof outcome.reference === "string" && REFERENCE.test(outcome.reference) ? outcome.reference : undefined;
    items[key] = { state: outcome.state as ItemState, ...(reference ? { reference } : {}) };
  }
  return items;
}

export function saveDraft(storage: DraftStorage | null, patientId: string, draft: WriteDraft): void {
  if (!storage) return;
  const items: Record<string, ItemOutcome> = {};
  for (const [key, outcome] of Object.entries(draft.items)) {
    items[itemToken(key)] = { state: outcome.state, ...(outcome.reference ? { reference: outcome.reference } : {}) };
  }
  const value = {
    version: 2,
    findingId: draft.findingId,
    choices: { includeCondition: !!draft.choices.includeCondition, deselected: (draft.choices.deselected ?? []).map(itemToken) },
    state: draft.state,
    items,
    updatedAt: draft.updatedAt,
  };
  try {
    storage.setItem(draftKey(patientId, draft.findingId), JSON.stringify(value));
  } catch {
    // Storage full or disabled: the draft simply does not survive a reload.
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
