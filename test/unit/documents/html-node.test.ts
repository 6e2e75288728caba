/**
 * HTML in Node (the CLI's extractor, htmlparser2): the shared corpus, and the charset of HTML sent
 * without one. test/unit/documents/html-browser.test.ts runs the same corpus through DOMParser.
 */
import { describe, expect, it } from "vitest";
import { nodeExtractor } from "../../../src/documents/node";
import { HTML_CASES } from "./html-corpus";

const extractor = nodeExtractor();
const bytes = (s: string) => new TextEncoder().encode(s);

describe("HTML to text in Node (htmlparser2)", () => {
  it.each(HTML_CASES)("$name", async ({ html, contentType, text }) => {
    expect(await extractor.extract(bytes(html), contentType ?? "text/html; charset=utf-8")).toEqual({ ok: true, format: "html", text });
  });

  it("reads the charset a <meta> names when the content type gives none; the content type's wins", async () => {
    const html = Uint8Array.from('<meta charset="windows-1252"><p>M\xfcller, 4\xb72 cm</p>', (c) => c.charCodeAt(0));
    expect(await extractor.extract(html, "text/html")).toMatchObject({ ok: true, text: "Müller, 4·2 cm" });
    const utf8 = bytes('<meta charset="windows-1252"><p>Müller</p>');
    expect(await extractor.extract(utf8, "text/html; charset=UTF-8")).toMatchObject({ ok: true, text: "Müller" });
  });
});
