import type { WriteResult } from "../../fhir/submit";
import type { ItemState } from "../../writeback/draft";

/** What the clinician calls each written resource type. */
export const TYPE_NAMES: Record<string, string> = {
  DocumentReference: "Note",
  Condition: "Diagnosis",
  DetectedIssue: "Flagged issue",
  ServiceRequest: "Order proposal",
  Provenance: "Audit record",
};

/** Where each item lands in the EHR, in the clinician's words. */
export const LANDS_IN: Record<string, string> = {
  DocumentReference: "a note in the chart's documents",
  Condition: "a provisional diagnosis on the problem list",
  DetectedIssue: "a flagged issue in the chart (the EHR may show it as an alert)",
  ServiceRequest: "a draft order proposal in the orders list (not an order until a clinician signs it)",
  Provenance: "an audit record of who sent these, with which app",
};

/** An item's state from an earlier send (kept in the draft), as shown beside it in the review. */
export const EARLIER_STATE: Record<ItemState, string> = {
  written: "in the EHR",
  "may-be-saved": "may have been saved",
  refused: "refused earlier",
  "not-sent": "not sent yet",
};

export type Severity = "success" | "warning" | "error" | "info";

/** The result's one line: what the EHR holds now, counted by state. */
export function resultHeadline(result: WriteResult): { severity: Severity; text: string } {
  const created = result.created.filter((c) => !c.existed).length;
  const existed = result.created.filter((c) => c.existed).length;
  const maybe = result.pending.filter((p) => p.saved === "unknown").length;
  const notSent = result.pending.length - maybe;
  const parts: string[] = [];
  if (created) parts.push(`${created} created`);
  if (existed) parts.push(`${existed} already in the EHR (nothing duplicated)`);
  if (result.refused.length) parts.push(`${result.refused.length} refused`);
  if (maybe) parts.push(`${maybe} may have been saved (the EHR did not confirm it)`);
  if (notSent) parts.push(`${notSent} not sent yet`);
  const summary = parts.join(", ");
  if (result.sessionExpired) {
    return {
      severity: "error",
      text: `Your session with the EHR expired. ${summary ? `${summary}. ` : ""}Relaunch the app from the EHR: this draft is kept, and sending again never makes a copy.`,
    };
  }
  if (result.mode === "copy-only") return { severity: "info", text: "Nothing was written: copy the note into the chart." };
  if (result.created.length === 0 && maybe === 0) {
    return { severity: "error", text: `Nothing was written to the EHR${summary ? `: ${summary}` : ""}.` };
  }
  if (result.created.length === 0) {
    return {
      severity: "warning",
      text: `The EHR did not confirm what was sent: ${summary}. Retry checks what it holds and never makes a copy.`,
    };
  }
  if (result.refused.length || result.pending.length) return { severity: "warning", text: `Partly written to the EHR: ${summary}.` };
  return { severity: "success", text: `Written to the EHR: ${summary}.` };
}
