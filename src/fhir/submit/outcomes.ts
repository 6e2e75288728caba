import type { ItemOutcome } from "../../writeback/draft";
import type { WriteResult } from "./types";

/**
 * What the EHR holds of each item after a run, as the draft keeps it: written (with its
 * reference), refused, not sent, or may have been saved (the answer was lost after the EHR may
 * have committed it). Items not written by design (the plan's skips) are not sent items: left out.
 */
export function itemOutcomes(result: WriteResult): Record<string, ItemOutcome> {
  const items: Record<string, ItemOutcome> = {};
  for (const created of result.created) {
    const known = created.id !== "(id not returned)";
    items[created.key] = { state: "written", ...(known ? { reference: created.reference } : {}) };
  }
  for (const refused of result.refused) items[refused.key] = { state: "refused" };
  for (const pending of result.pending) items[pending.key] = { state: pending.saved === "unknown" ? "may-be-saved" : "not-sent" };
  return items;
}
