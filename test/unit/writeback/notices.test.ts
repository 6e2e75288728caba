import { describe, expect, test } from "vitest";
import type { DocumentReference } from "fhir/r4";
import type { WriteDraft } from "../../../src/writeback/draft";
import { draftNotice } from "../../../src/writeback/draftNotice";
import { compose } from "../../../src/writeback/compose";
import { noteIdentifier } from "../../../src/writeback/resources/documentReference";
import { findSentNote, sentNoteText } from "../../../src/writeback/sentNote";
import { APP_URL, context, modena3 } from "./fixtures";

function draft(state: WriteDraft["state"], items: WriteDraft["items"] = {}): WriteDraft {
  return { version: 2, findingId: "f", choices: { includeCondition: false, deselected: [] }, state, items, updatedAt: "" };
}

describe("draft notices state exactly what the EHR holds (issue 10)", () => {
  test("nothing written (the session expired before the first item): never 'part was not sent'", () => {
    const text = draftNotice(draft("partial", { a: { state: "not-sent" }, b: { state: "not-sent" }, note: { state: "not-sent" } }))!;
    expect(text).toBe(
      "Nothing from these findings was written to the EHR yet: 3 were not sent. Sending again is safe: it never makes a copy.",
    );
    expect(text).not.toMatch(/part of/i);
  });

  test("some written, one may have been saved, one refused, the rest not sent", () => {
    expect(
      draftNotice(
        draft("partial", {
          a: { state: "written", reference: "DetectedIssue/1" },
          b: { state: "written", reference: "DetectedIssue/2" },
          c: { state: "may-be-saved" },
          d: { state: "refused" },
          e: { state: "not-sent" },
        }),
      ),
    ).toBe(
      "From an earlier send: 2 items are in the EHR, 1 may have been saved (the EHR's answer was lost), 1 was refused by the EHR and 1 was not sent. " +
        "Sending again completes it and never makes a copy.",
    );
  });

  test("only 'may have been saved': not called nothing", () => {
    expect(draftNotice(draft("partial", { note: { state: "may-be-saved" } }))).toBe(
      "From an earlier send: 1 may have been saved (the EHR's answer was lost). Sending again completes it and never makes a copy.",
    );
  });

  test("the other states", () => {
    expect(draftNotice(null)).toBeNull();
    expect(draftNotice(draft("draft"))).toBe("You have an unsent write-back draft for these findings.");
    expect(draftNotice(draft("sending"))).toMatch(
      /^A send was interrupted before its result arrived: the app does not know what the EHR saved\./,
    );
    expect(draftNotice(draft("sent", { a: { state: "written" }, note: { state: "written" } }))).toBe(
      "These findings were sent to the EHR earlier in this session (2 items in the EHR).",
    );
  });
});

describe("already sent: the app's note among the record's DocumentReferences", () => {
  const assessment = modena3();
  const identifier = noteIdentifier(assessment, APP_URL);
  const composed = compose(assessment, context("modena-3"), { includeCondition: false }).entries.find((e) => e.key === "note")!;
  const stored = (overrides: Partial<DocumentReference> = {}): DocumentReference => ({
    ...(composed.resource as DocumentReference),
    id: "doc-7",
    date: "2026-11-21T09:30:00Z",
    author: [{ reference: "Practitioner/dr-rossi" }],
    ...overrides,
  });

  test("the identifier is the one the note is written with", () => {
    expect(composed.identifier).toEqual(identifier);
  });

  test("found by system and value: date and author", () => {
    const other: DocumentReference = { ...stored(), id: "other", identifier: [{ system: identifier.system, value: "0".repeat(64) }] };
    const sent = findSentNote([other, { resourceType: "Patient", id: "modena-3" }, stored()], identifier);
    expect(sent).toEqual({ reference: "DocumentReference/doc-7", date: "2026-11-21T09:30:00Z", author: "Practitioner/dr-rossi" });
    expect(sentNoteText(sent!)).toBe(
      "These findings were already sent to the EHR on 2026-11-21 by Practitioner/dr-rossi (the note is DocumentReference/doc-7). Sending again never makes a copy.",
    );
  });

  test("an author's display name is preferred; without author or date the text says less, never invents", () => {
    expect(findSentNote([stored({ author: [{ reference: "Practitioner/dr-rossi", display: "Dr. Rossi" }] })], identifier)?.author).toBe(
      "Dr. Rossi",
    );
    const bare = findSentNote(
      [stored({ author: undefined, date: undefined, content: [{ attachment: { contentType: "text/plain" } }] })],
      identifier,
    )!;
    expect(sentNoteText(bare)).toBe(
      "These findings were already sent to the EHR (the note is DocumentReference/doc-7). Sending again never makes a copy.",
    );
  });

  test("not found: another finding's note, another system, or a note entered in error", () => {
    expect(
      findSentNote([stored({ identifier: [{ system: "https://other.example/fhir/finding", value: identifier.value }] })], identifier),
    ).toBeNull();
    expect(findSentNote([stored({ status: "entered-in-error" })], identifier)).toBeNull();
    const changed = modena3();
    changed.findings[0].evidence.push("DiagnosticReport/new");
    expect(findSentNote([stored()], noteIdentifier(changed, APP_URL))).toBeNull();
  });
});
