/**
 * Attachments of reports and notes (DiagnosticReport.presentedForm, DocumentReference.content):
 * where their text is, and the key by which the text read from them comes back to the engine
 * (AssessOptions.attachments). The engine parses no bytes: the app's loader and the CLI read each
 * attachment (src/documents) and hand over its text or why it could not be read. Several
 * attachments of one resource are one document in several formats (FHIR R4), so the preferred
 * readable one is read first and the others only if it fails.
 */
import { asArray, isObject, str, type Json } from "./json";

export interface AttachmentSlot {
  /** "DocumentReference/d1#content/0", "DiagnosticReport/r1#presentedForm/1". */
  key: string;
  /** The resource that carries it ("DocumentReference/d1"). */
  ref: string;
  contentType: string;
  /** Where the bytes are: a relative or absolute URL (a Binary), when not inline. */
  url?: string;
  /** Inline base64 data. */
  data?: string;
  /** Size in bytes, when the attachment says. */
  size?: number;
  title?: string;
}

/** The order formats are tried in: text first, a scan last. */
const PREFERENCE = ["text/plain", "text/html", "application/xhtml+xml", "text/rtf", "application/rtf", "application/pdf"];

function rank(contentType: string): number {
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  const i = PREFERENCE.indexOf(type);
  return i < 0 ? PREFERENCE.length : i;
}

/** The attachments of a report or a note, preferred format first. */
export function attachmentSlots(resource: Json, ref: string): AttachmentSlot[] {
  const out: AttachmentSlot[] = [];
  const add = (a: unknown, field: string, i: number) => {
    if (!isObject(a)) return;
    const url = str(a.url);
    const data = str(a.data);
    if (!url && !data) return;
    out.push({
      key: `${ref}#${field}/${i}`,
      ref,
      contentType: str(a.contentType) ?? "",
      ...(url ? { url } : {}),
      ...(data ? { data } : {}),
      ...(typeof a.size === "number" ? { size: a.size } : {}),
      ...(str(a.title) ? { title: str(a.title) } : {}),
    });
  };
  if (resource.resourceType === "DiagnosticReport") asArray(resource.presentedForm).forEach((a, i) => add(a, "presentedForm", i));
  if (resource.resourceType === "DocumentReference") {
    asArray(resource.content).forEach((c, i) => add(isObject(c) ? c.attachment : undefined, "content", i));
  }
  return out.sort((a, b) => rank(a.contentType) - rank(b.contentType));
}
