/**
 * An attachment's content type ("text/plain; charset=ISO-8859-1") as a media type and a charset,
 * and which of the formats src/documents reads it as.
 */
import type { DocumentFormat } from "./types";

export interface MediaType {
  /** Lower case, without parameters: "text/plain". "" when the value names no type. */
  type: string;
  /** The charset parameter as given ("ISO-8859-1"), if any. */
  charset?: string;
}

export function parseContentType(value: string): MediaType {
  const [head, ...params] = value.split(";");
  const type = head.trim().toLowerCase();
  let charset: string | undefined;
  for (const param of params) {
    const eq = param.indexOf("=");
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== "charset") continue;
    charset = param
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, "$1");
  }
  return { type: /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type) ? type : "", ...(charset ? { charset } : {}) };
}

const FORMATS: Record<string, DocumentFormat> = {
  "text/plain": "text",
  "text/html": "html",
  "application/xhtml+xml": "html",
  "text/rtf": "rtf",
  "application/rtf": "rtf",
  "application/pdf": "pdf",
};

/** The format a media type is read as; undefined for everything else (images, DICOM, unknown). */
export function formatOf(type: string): DocumentFormat | undefined {
  return FORMATS[type];
}
