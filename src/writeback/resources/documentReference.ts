import type { DocumentReference, FhirResource } from "fhir/r4";
import { SYSTEM } from "../../clinical/codes";
import type { Assessment } from "../../clinical/types";
import { WRITEBACK_SYSTEM, WRITTEN_CODES } from "../constants";
import { findingIdOf } from "../finding";
import { base64Utf8, decodeBase64Utf8, findingKey, identifierSystem } from "../identifiers";
import { NOTE_TITLE } from "../note";
import type { Identifier } from "../types";
import type { Composition, EntryDraft } from "./shared";

/**
 * The note's identifier: one per finding (patient, ruleset, the whole assessment's finding id).
 * Also how a relaunch recognises the app's note among the record's DocumentReferences.
 */
export function noteIdentifier(assessment: Assessment, appUrl: string, findingId = findingIdOf(assessment)): Identifier {
  return {
    system: identifierSystem(appUrl),
    value: findingKey({
      kind: "DocumentReference",
      patientId: assessment.patient.id,
      rule: "note",
      rulesetId: assessment.ruleset.id,
      rulesetVersion: assessment.ruleset.version,
      evidence: [findingId],
    }),
  };
}

/** Tier A: the consult note, plain UTF-8 text. */
export function noteEntry(c: Composition, noteText: string): EntryDraft {
  const { context } = c;
  const identifier = noteIdentifier(c.assessment, context.appUrl, c.findingId);
  const note: DocumentReference = {
    resourceType: "DocumentReference",
    identifier: [identifier],
    status: "current",
    docStatus: "preliminary",
    type: { coding: [{ system: SYSTEM.loinc, ...WRITTEN_CODES.consultNote }], text: "Consult note" },
    category: [{ coding: [{ system: WRITEBACK_SYSTEM.documentCategory, code: "clinical-note", display: "Clinical Note" }] }],
    subject: c.subject,
    date: context.now,
    ...(c.user ? { author: [{ reference: c.user.reference }] } : {}),
    description: NOTE_TITLE,
    content: [
      {
        attachment: {
          contentType: "text/plain; charset=utf-8",
          language: "en",
          data: base64Utf8(noteText),
          title: NOTE_TITLE,
          creation: context.now,
        },
      },
    ],
    ...(c.encounter ? { context: { encounter: [c.encounter] } } : {}),
  };
  return {
    key: "note",
    kind: "note",
    resourceType: "DocumentReference",
    identifier,
    tier: "A",
    description: "Consult note (preliminary): status, lesions, red flags, secondary causes, gaps, ruleset and finding id",
    ruleIds: [],
    references: [],
    resource: note,
  };
}

/** The note text carried by a composed DocumentReference (for previews and tests). */
export function noteTextOf(resource: FhirResource): string | null {
  if (resource.resourceType !== "DocumentReference") return null;
  const data = resource.content?.[0]?.attachment?.data;
  return data ? decodeBase64Utf8(data) : null;
}
