/**
 * text/plain: the charset parameter, a byte order mark, UTF-8 by default, and windows-1252 for
 * undeclared bytes that are not UTF-8; an unknown charset is unreadable, not guessed.
 */
import { describe, expect, it } from "vitest";
import { nodeExtractor } from "../../../src/documents/node";

const extractor = nodeExtractor();
const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const read = async (bytes: Uint8Array, contentType: string) => {
  const outcome = await extractor.extract(bytes, contentType);
  if (!outcome.ok) throw new Error(`not read: ${outcome.message}`);
  return outcome.text;
};

describe("text/plain charsets", () => {
  it("decodes the declared charset: ISO-8859-1, windows-1252, UTF-8 (labels in any case, quoted or not)", async () => {
    expect(await read(latin1("H\xe9l\xe8ne M\xfcller, Wei\xdf"), "text/plain; charset=ISO-8859-1")).toBe("Hélène Müller, Weiß");
    // windows-1252's 0x80-0x9F: euro sign, curly quotes, en dash; ISO-8859-1 labels decode the same way (WHATWG).
    expect(await read(latin1("\x93quoted\x94 \x80 5\x969 mm"), 'text/plain; charset="windows-1252"')).toBe("“quoted” € 5–9 mm");
    expect(await read(new TextEncoder().encode("μ ≥ 2 cm"), "text/plain;charset=utf-8")).toBe("μ ≥ 2 cm");
    expect(await read(Uint8Array.of(0xc8, 0xe5, 0xeb), "text/plain; CHARSET=windows-1251")).toBe("Иел");
  });

  it("lets a byte order mark win over the declared charset, and drops it", async () => {
    const utf8Bom = Uint8Array.of(0xef, 0xbb, 0xbf, ...new TextEncoder().encode("Müller"));
    expect(await read(utf8Bom, "text/plain; charset=ISO-8859-1")).toBe("Müller");
    const utf16le = Uint8Array.of(0xff, 0xfe, 0x4d, 0x00, 0xfc, 0x00);
    expect(await read(utf16le, "text/plain")).toBe("Mü");
    const utf16be = Uint8Array.of(0xfe, 0xff, 0x00, 0x4d, 0x00, 0xfc);
    expect(await read(utf16be, "text/plain")).toBe("Mü");
  });

  it("reads undeclared text as UTF-8, or as windows-1252 when it is not valid UTF-8", async () => {
    expect(await read(new TextEncoder().encode("Zoë"), "text/plain")).toBe("Zoë");
    expect(await read(latin1("Zo\xeb"), "text/plain")).toBe("Zoë");
  });

  it("normalises line ends and trims, nothing else", async () => {
    expect(await read(latin1("\r\n Line one\r\nLine two\rLine three  \n\n"), "text/plain")).toBe("Line one\nLine two\nLine three");
  });

  it("refuses an unknown charset as unreadable, naming it", async () => {
    expect(await extractor.extract(latin1("x"), "text/plain; charset=klingon-8")).toEqual({
      ok: false,
      reason: "unreadable",
      message: 'unknown charset "klingon-8"',
    });
  });
});
