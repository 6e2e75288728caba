import type { DocumentReference, Resource } from "fhir/r4";
import { day, userLabel } from "./labels";
import type { Identifier } from "./types";

/**
 * On relaunch: has the EHR already got the app's note for this finding? The note's identifier
 * (system + value as composed, resources/documentReference.ts) is looked for among the record's
 * DocumentReferences; a note entered in error does not count.
 */

export interface SentNote {
  /** "DocumentReference/123" */
  reference: string;
  /** When it was written (DocumentReference.date, else the attachment's creation, else lastUpdated). */
  date: string | null;
  /** Who sent it: the author's display, else its reference. */
  author: string | null;
}

export function findSentNote(resources: readonly Resource[], identifier: Identifier): SentNote | null {
  const notes = resources.filter(
    (r): r is DocumentReference =>
      r.resourceType === "DocumentReference" &&
      (r as DocumentReference).status !== "entered-in-error" &&
      ((r as DocumentReference).identifier ?? []).some((id) => id.system === identifier.system && id.value === identifier.value),
  );
  const found = notes.map((doc) => ({
    reference: `DocumentReference/${doc.id ?? "(no id)"}`,
    date: doc.date ?? doc.content?.[0]?.attachment?.creation ?? doc.meta?.lastUpdated ?? null,
    author: doc.author?.[0]?.display?.trim() || userLabel(doc.author?.[0]?.reference) || null,
  }));
  // The first one sent is the one the clinician remembers.
  found.sort((a, b) => (a.date ?? "\uffff").localeCompare(b.date ?? "\uffff"));
  return found[0] ?? null;
}

/** "These findings were already sent to the EHR on 2026-11-21 by Practitioner/dr-rossi (DocumentReference/123)." */
export function sentNoteText(sent: SentNote): string {
  const when = day(sent.date);
  return (
    `These findings were already sent to the EHR${when ? ` on ${when}` : ""}${sent.author ? ` by ${sent.author}` : ""} ` +
    `(the note is ${sent.reference}). Sending again never makes a copy.`
  );
}
