/**
 * The one dispatcher behind both extractors: content type to format, the size limit, and every
 * failure turned into an outcome. The browser and Node differ only in their HTML parser and in how
 * pdf.js is loaded (`Readers`).
 */
import { decodeText } from "./charset";
import { formatOf, parseContentType } from "./contentType";
import { NotReadable } from "./errors";
import { sniffHtmlCharset } from "./html";
import { rtfToText } from "./rtf";
import { DEFAULT_MAX_BYTES, type ExtractOutcome, type ExtractorOptions, type TextExtractor } from "./types";

export interface Readers {
  /** Decoded HTML or XHTML source to text. */
  html(source: string): string;
  pdf(bytes: Uint8Array): Promise<ExtractOutcome>;
}

const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`);

export function makeExtractor(readers: Readers, options: ExtractorOptions = {}): TextExtractor {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const read = async (bytes: Uint8Array, contentType: string): Promise<ExtractOutcome> => {
    const media = parseContentType(contentType);
    const format = formatOf(media.type);
    if (!format) {
      const named = media.type || contentType.trim() || "no content type";
      return { ok: false, reason: "unsupported-type", message: `${named}: not a text, HTML, RTF or PDF document` };
    }
    if (bytes.length > maxBytes) {
      return { ok: false, reason: "too-large", message: `${size(bytes.length)}, over the ${size(maxBytes)} limit: not opened` };
    }
    switch (format) {
      case "text":
        return { ok: true, format, text: decodeText(bytes, media.charset).replace(/\r\n?/g, "\n").trim() };
      case "html":
        return { ok: true, format, text: readers.html(decodeText(bytes, media.charset, sniffHtmlCharset)) };
      case "rtf":
        return { ok: true, format, text: rtfToText(bytes) };
      case "pdf":
        return readers.pdf(bytes);
    }
  };
  return {
    async extract(bytes, contentType) {
      try {
        return await read(bytes, contentType);
      } catch (e) {
        if (e instanceof NotReadable) return { ok: false, reason: e.reason, message: e.message };
        const message = e instanceof Error ? e.message : String(e);
        return { ok: false, reason: "unreadable", message: `could not be read: ${message.split("\n")[0]}` };
      }
    },
  };
}
