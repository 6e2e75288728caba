import type { Attachment, Binary, CodeableConcept, DocumentReference, MedicationRequest, MedicationStatement, Procedure } from "fhir/r4";
import { readFileSync } from "node:fs";
import { LOINC, coding, patientRef } from "./builders";

/**
 * Builders for documents the way US Core EHRs send them: notes as DocumentReference, and the
 * attachments of notes and reports (imagingReport's presentedForm), inline (`data`) or in a Binary
 * the attachment's `url` points at; and the medication and procedure resources the document
 * patients have around them.
 */

const RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
const US_CORE_DOC_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category";
/** US Core's content.format for a document read by its MIME type alone. */
const MIME_TYPE_SUFFICIENT = coding(
  "http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode",
  "urn:ihe:iti:xds:2017:mimeTypeSufficient",
  "mimeType Sufficient",
);

/** Base64 of bytes (btoa works on "binary strings": one character per byte). */
export function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export const utf8 = (text: string) => new TextEncoder().encode(text);

/** ISO-8859-1 bytes of text made only of Latin-1 characters (TextEncoder writes UTF-8 only). */
export function latin1(text: string): Uint8Array {
  const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
  if ([...text].some((c) => c.charCodeAt(0) > 0xff)) throw new Error("not ISO-8859-1 text");
  return bytes;
}

/** A committed attachment file of sandbox/data/attachments/ (made by scripts/make-document-fixtures.ts). */
export const attachmentFile = (name: string) => new Uint8Array(readFileSync(new URL(`./attachments/${name}`, import.meta.url)));

export interface BinarySpec {
  id: string;
  contentType: string;
  bytes: Uint8Array;
  /** Who may read it (R4 Binary.securityContext): the Patient, or the resource it belongs to. */
  securityContext?: string;
}

export function binary(b: BinarySpec): Binary {
  return {
    resourceType: "Binary",
    id: b.id,
    contentType: b.contentType,
    ...(b.securityContext ? { securityContext: { reference: b.securityContext } } : {}),
    data: base64(b.bytes),
  };
}

/** An attachment pointing at a Binary of this server (the relative url EHRs use). */
export function binaryAttachment(b: Binary, title: string, creation: string): Attachment {
  return { contentType: b.contentType, url: `Binary/${b.id}`, size: atob(b.data ?? "").length, title, creation };
}

/** An attachment carrying its content inline. */
export function inlineAttachment(contentType: string, bytes: Uint8Array, title: string, creation: string): Attachment {
  return { contentType, data: base64(bytes), size: bytes.length, title, creation };
}

/** US Core clinical-note types (LOINC document codes). */
export const NOTE_TYPE = {
  consult: coding(LOINC, "11488-4", "Consult note"),
  progress: coding(LOINC, "11506-3", "Progress note"),
} as const;

export interface NoteSpec {
  id: string;
  patientId: string;
  type: keyof typeof NOTE_TYPE;
  /** When the note was written (DocumentReference.date, an instant). */
  date: string;
  author: string;
  description: string;
  attachment: Attachment;
}

export function clinicalNote(n: NoteSpec): DocumentReference {
  return {
    resourceType: "DocumentReference",
    id: n.id,
    status: "current",
    docStatus: "final",
    type: { coding: [NOTE_TYPE[n.type]], text: NOTE_TYPE[n.type].display },
    category: [{ coding: [coding(US_CORE_DOC_CATEGORY, "clinical-note", "Clinical Note")] }],
    subject: patientRef(n.patientId),
    date: n.date,
    author: [{ display: n.author }],
    description: n.description,
    content: [{ attachment: n.attachment, format: MIME_TYPE_SUFFICIENT }],
    context: { period: { start: n.date } },
  };
}

export interface MedicationSpec {
  id: string;
  patientId: string;
  rxnorm: string;
  text: string;
  dosage: string;
  date: string;
}

export function medicationRequest(m: MedicationSpec): MedicationRequest {
  return {
    resourceType: "MedicationRequest",
    id: m.id,
    status: "active",
    intent: "order",
    medicationCodeableConcept: { coding: [coding(RXNORM, m.rxnorm)], text: m.text },
    subject: patientRef(m.patientId),
    authoredOn: m.date,
    dosageInstruction: [{ text: m.dosage }],
  };
}

export function medicationStatement(m: MedicationSpec): MedicationStatement {
  return {
    resourceType: "MedicationStatement",
    id: m.id,
    status: "active",
    medicationCodeableConcept: { coding: [coding(RXNORM, m.rxnorm)], text: m.text },
    subject: patientRef(m.patientId),
    effectivePeriod: { start: m.date },
    dateAsserted: m.date,
    dosage: [{ text: m.dosage }],
  };
}

/** A procedure named by text only (no code claimed that was not checked). */
export function procedure(p: { id: string; patientId: string; text: string; date: string; bodySite?: CodeableConcept }): Procedure {
  return {
    resourceType: "Procedure",
    id: p.id,
    status: "completed",
    code: { text: p.text },
    subject: patientRef(p.patientId),
    performedDateTime: p.date,
    ...(p.bodySite ? { bodySite: [p.bodySite] } : {}),
  };
}
