/**
 * What src/documents gives its callers: the text of one attachment (a DiagnosticReport's
 * presentedForm, a DocumentReference's content), or why it could not be read. Callers list
 * anything not read with its reason; they never treat it as "nothing found".
 */

export type DocumentFormat = "text" | "html" | "rtf" | "pdf";

export type NotReadReason =
  /** Images, DICOM, octet-stream, unknown types: nothing here reads them. */
  | "unsupported-type"
  /** A PDF whose pages carry no text (a scan): its words are pixels. */
  | "no-text-layer"
  /** The bytes are not what the content type says, or are damaged. */
  | "unreadable"
  /** Over the size limit: refused before parsing. */
  | "too-large";

export type ExtractOutcome =
  | {
      ok: true;
      text: string;
      format: DocumentFormat;
      /** PDF only: pages (1-based) with no text layer, whose content is therefore not in `text`. */
      unreadPages?: number[];
    }
  | { ok: false; reason: NotReadReason; message: string };

export interface TextExtractor {
  /** Never rejects: every failure is an outcome with a reason and a one-line message. */
  extract(bytes: Uint8Array, contentType: string): Promise<ExtractOutcome>;
}

export interface ExtractorOptions {
  /** Attachments larger than this are not parsed (default DEFAULT_MAX_BYTES). */
  maxBytes?: number;
}

/** 10 MiB: far above any report or letter; a scanned multi-page PDF can reach it. */
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
