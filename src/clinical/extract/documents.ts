/**
 * Reports and clinical notes: their text, wherever it is (a report's conclusion; the attachments of
 * presentedForm and DocumentReference.content, as read by the caller: attachments.ts), read with
 * the same text reader. A report or note whose text could not be read is remembered as unread,
 * never as silent (§6 STATUS).
 */
import { attachmentSlots } from "../attachments";
import { DOCUMENT_LOINC, PATHOLOGY_CATEGORIES, PATHOLOGY_REPORT_LOINC, isLoincSystem } from "../codes";
import type { Day } from "../dates";
import { asArray, codings, conceptText, narrativeText, str, type Json } from "../json";
import type { Facts } from "../model";
import { BIOPSY_RE, biopsySiteGroups, CALCINOSIS_WORDS_RE, findAffirmed, modalitiesOfText, readText } from "../text";
import type { AssessOptions, AttachmentText } from "../types";
import { readDiagnosticReport, readImagingText, regionsOf } from "./imaging";
import { lesionFacts } from "./placement";
import type { ExtractContext } from "./readers";

/** The caller's outcomes by key; `pending`: attachments are still being read. */
export type Outcomes = Map<string, AttachmentText["outcome"]> & { pending?: boolean };

const NOT_READ: Record<string, string> = {
  "unsupported-type": "a format the app cannot read",
  "no-text-layer": "a scan with no text layer",
  unreadable: "damaged or not what its type says",
  "too-large": "too large to read",
  "not-fetched": "not loaded",
};

/**
 * The text of a resource's attachments: the first one read, in format preference (the others are
 * the same document in other formats); when none could be read, why not, per attachment.
 */
export function attachmentText(
  resource: Json,
  ref: string,
  outcomes: Outcomes,
): { text: string | null; unread: string[]; partial: boolean; pending: boolean } {
  const unread: string[] = [];
  let pending = false;
  for (const slot of attachmentSlots(resource, ref)) {
    const outcome = outcomes.get(slot.key) ?? inlinePlainText(slot.data, slot.contentType);
    if (outcome?.ok) return { text: outcome.text, unread: [], partial: (outcome.unreadPages?.length ?? 0) > 0, pending: false };
    if (!outcome && outcomes.pending) pending = true;
    const reason = outcome ? (NOT_READ[outcome.reason] ?? outcome.reason) : outcomes.pending ? "still loading" : NOT_READ["not-fetched"]!;
    unread.push(`${slot.contentType || "no content type"}: ${reason}`);
  }
  return { text: null, unread, partial: false, pending };
}

/** Inline text/plain the engine reads itself (a note with `data` and no caller-supplied text). */
function inlinePlainText(data: string | undefined, contentType: string): AttachmentText["outcome"] | undefined {
  if (!data || !/^text\/plain\b/i.test(contentType || "text/plain")) return undefined;
  const charset = /charset\s*=\s*"?([\w-]+)/i.exec(contentType)?.[1] ?? "utf-8";
  try {
    const bin = atob(data);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return { ok: true, text: new TextDecoder(charset, { fatal: false }).decode(bytes), format: "text" };
  } catch {
    return { ok: false, reason: "unreadable", message: "inline data is not base64 text" };
  }
}

export function readDocuments(ctx: ExtractContext, outcomes: Outcomes): void {
  for (const q of ctx.queued) {
    try {
      if (q.json.resourceType === "DiagnosticReport") readReport(q.json, q.ref, q.day, ctx, outcomes);
      else readNote(q.json, q.ref, q.day, ctx.facts, outcomes);
    } catch {
      ctx.facts.notes.add("malformed", q.ref, (n) => `${n} reports or notes could not be read and were skipped.`, "document");
    }
  }
}

function readReport(report: Json, ref: string, day: Day | null, ctx: ExtractContext, outcomes: Outcomes): void {
  const parts: string[] = [];
  if (typeof report.conclusion === "string" && report.conclusion.trim()) parts.push(report.conclusion);
  const attached = attachmentText(report, ref, outcomes);
  if (attached.text) parts.push(attached.text);
  if (parts.length === 0) {
    const narrative = narrativeText(report.text);
    if (narrative.trim()) parts.push(narrative);
  }
  if (attached.unread.length) noteUnread(ctx.facts, ref, "DiagnosticReport", parts.length === 0, attached);
  if (attached.partial) notePartial(ctx.facts, ref);
  if (parts.length === 0 && attached.unread.length) return;
  ctx.facts.read.reports++;
  readDiagnosticReport(report, ref, day, ctx.facts, ctx, parts.join("\n"));
}

type NoteKind = "imaging" | "pathology" | "note";

function noteKind(doc: Json): NoteKind {
  const loinc = asArray(doc.type)
    .flatMap(codings)
    .concat(codings(doc.type))
    .filter((c) => isLoincSystem(c.system))
    .map((c) => c.code ?? "");
  if (loinc.includes(DOCUMENT_LOINC.imagingNarrative)) return "imaging";
  if (loinc.some((c) => (PATHOLOGY_REPORT_LOINC as readonly string[]).includes(c))) return "pathology";
  for (const cc of asArray(doc.category)) {
    for (const c of codings(cc)) if ((PATHOLOGY_CATEGORIES as readonly string[]).includes(c.code ?? "")) return "pathology";
  }
  return "note";
}

/** A clinical note: an imaging narrative reads as imaging text, a pathology report as histology, other notes for what they name. */
function readNote(doc: Json, ref: string, day: Day | null, facts: Facts, outcomes: Outcomes): void {
  const kind = noteKind(doc);
  const attached = attachmentText(doc, ref, outcomes);
  if (attached.unread.length) noteUnread(facts, ref, "DocumentReference", !attached.text && kind !== "note", attached);
  if (attached.partial) notePartial(facts, ref);
  if (!attached.text) return;
  facts.read.documents++;
  const title = [conceptText(doc.type), str(doc.description) ?? ""].filter(Boolean).join(" | ");
  const text = attached.text;
  if (kind === "pathology" || (kind === "note" && BIOPSY_RE.test(conceptText(doc.type)))) {
    facts.biopsies.push({ ref, day, siteGroups: biopsySiteGroups(`${title}\n${text}`) });
    return;
  }
  if (kind === "imaging") {
    const modalities = modalitiesOfText(`${title}\n${text}`);
    readImagingText(text, ref, day, modalities.length === 1 ? modalities[0]! : null, "DocumentReference", facts, { title });
    const covered = readText(title).siteGroups;
    if (modalities.length)
      facts.imaging.push({
        ref,
        day,
        modalities: [...modalities].sort(),
        siteGroups: [...(covered.length ? covered : readText(text).siteGroups)].sort(),
        sides: [],
        ...(title ? { name: title } : {}),
        regions: regionsOf(title),
      });
    return;
  }
  // A clinic letter: what it names is documented, not imaging (no PC-IMG).
  const reading = readText(text);
  if (reading.pcDoc) facts.pcDoc.push({ ref, day, text: reading.pcDoc, source: "DocumentReference" });
  const calc = findAffirmed(text, CALCINOSIS_WORDS_RE);
  if (calc && !reading.pcDoc) facts.calcinosis.push({ ref, day, text: calc, source: "DocumentReference" });
  if (reading.neuro) facts.neuro.push({ ref, day, text: reading.neuro, source: "DocumentReference" });
  if (reading.complicationWithCalcinosis)
    facts.complicationWithCalcinosis.push({ ref, day, text: reading.complicationWithCalcinosis, source: "DocumentReference" });
  facts.lesions.push(...lesionFacts(reading.lesions, { title }, { ref, day, modality: null, source: "DocumentReference" }));
}

function noteUnread(
  facts: Facts,
  ref: string,
  type: "DiagnosticReport" | "DocumentReference",
  report: boolean,
  { unread: reasons, pending }: { unread: string[]; pending: boolean },
): void {
  facts.unread.push({ ref, type, report, reasons, pending });
  if (pending) return;
  facts.read.notRead++;
  const what = type === "DiagnosticReport" ? "report" : "note";
  facts.notes.add(
    "not-read",
    ref,
    (n) => `${n} ${what}${n === 1 ? "" : "s"} with an attachment not read (${reasons.join("; ")}).`,
    `${type}|${reasons.join("|")}`,
  );
}

function notePartial(facts: Facts, ref: string): void {
  facts.notes.add(
    "not-read",
    ref,
    (n) => `${n} document${n === 1 ? "" : "s"} read in part: some PDF pages are scans with no text layer.`,
    "partial",
  );
}

/** Reports and report-like notes with no readable text: data the rules did not get (§6 STATUS). */
export function unreadAsUnavailable(facts: Facts): NonNullable<AssessOptions["unavailable"]> {
  const reports = facts.unread.filter((u) => u.report);
  if (!reports.length) return [];
  const byType = new Map<string, string[]>();
  for (const u of reports) byType.set(u.type, [...(byType.get(u.type) ?? []), ...u.reasons]);
  return [...byType].map(([type, reasons]) => ({
    resourceType: type as "DiagnosticReport" | "DocumentReference",
    reason: reports.every((u) => u.type !== type || u.pending) ? ("pending" as const) : ("unreadable" as const),
    label: type === "DiagnosticReport" ? "Report attachments not read" : "Imaging and pathology notes not read",
    message: `${reports.filter((u) => u.type === type).length} with no readable text (${[...new Set(reasons)].join("; ")})`,
  }));
}
