/**
 * Bytes to a string for text/plain and HTML: a byte order mark wins (as in browsers), then the
 * declared charset, else UTF-8; bytes that are not UTF-8 and came with no charset are read as
 * windows-1252, what such text almost always is (ISO-8859-1 is its subset).
 */
import { NotReadable } from "./errors";

const BOMS: [number[], string][] = [
  [[0xef, 0xbb, 0xbf], "utf-8"],
  [[0xfe, 0xff], "utf-16be"],
  [[0xff, 0xfe], "utf-16le"],
];

function bomCharset(bytes: Uint8Array): string | undefined {
  return BOMS.find(([mark]) => mark.every((b, i) => bytes[i] === b))?.[1];
}

/** windows-1252's 0x80-0x9F (WHATWG Encoding); the five it leaves undefined map to themselves. */
const WINDOWS_1252_C1 =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f" +
  "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

/**
 * A TextDecoder for `label`, or an "unknown charset" refusal. windows-1252 (which every
 * ISO-8859-1 label means) is corrected after decoding: Node 20.18.3+ decodes it as Latin-1, giving
 * C1 controls where the text has "€", curly quotes and dashes (nodejs/node#56542). Browsers decode
 * it right, and then the correction finds nothing to change.
 */
export function decoder(label: string, fatal = false): { decode(bytes: Uint8Array): string } {
  let platform: TextDecoder;
  try {
    platform = new TextDecoder(label, { fatal });
  } catch {
    throw new NotReadable("unreadable", `unknown charset "${label}"`);
  }
  if (platform.encoding !== "windows-1252") return platform;
  return { decode: (bytes) => platform.decode(bytes).replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_C1[c.charCodeAt(0) - 0x80]) };
}

/**
 * The text of `bytes`. `declared` is the content type's charset; `sniff` may find one in the
 * content itself (an HTML <meta charset>) when nothing was declared.
 */
export function decodeText(bytes: Uint8Array, declared?: string, sniff?: (bytes: Uint8Array) => string | undefined): string {
  // TextDecoder drops the BOM of the encoding it decodes.
  const bom = bomCharset(bytes);
  if (bom) return decoder(bom).decode(bytes);
  const label = declared ?? sniff?.(bytes);
  if (label) return decoder(label).decode(bytes);
  try {
    return decoder("utf-8", true).decode(bytes);
  } catch {
    return decoder("windows-1252").decode(bytes);
  }
}
