/**
 * RTF to text: LibreOffice's real RTF (letters, tables, lists, pictures), and the parts of the
 * RTF 1.9.1 spec Word writes that LibreOffice does not: code pages and font charsets, \uc skipping,
 * \bin data, fields, escaped braces, unknown destinations.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { rtfToText } from "../../../src/documents/rtf";
import { nodeExtractor } from "../../../src/documents/node";
import { ELBOW_EXAMINATION } from "../../../sandbox/data/attachments/sources";
import { FEATURE_LINES } from "./fixtures/sources";

const rtf = (source: string) => rtfToText(Uint8Array.from(source, (c) => c.charCodeAt(0)));
const fixture = (path: string) => new Uint8Array(readFileSync(new URL(path, import.meta.url)));

describe("RTF files written by LibreOffice", () => {
  it("the features document: characters in and outside the code page, table cells, list bullets; no picture data", () => {
    const L = FEATURE_LINES;
    const text = rtfToText(fixture("./fixtures/features.rtf"));
    expect(text.split("\n").filter(Boolean)).toEqual([
      L.heading,
      L.name,
      L.symbols,
      ...L.cells.map((c) => c.join("\t")),
      ...L.items.map((i) => `•\t${i}`),
      L.afterPicture,
      L.secondPage,
    ]);
  });

  it("the demo clinic letter: paragraphs on their own lines, the finding whole, no font or style names", () => {
    const text = rtfToText(fixture("../../../sandbox/data/attachments/doc-rtf-letter.rtf"));
    expect(text.split("\n")).toContain(
      `She describes a firm, painless lump at the back of her left elbow, first noticed in the spring. ${ELBOW_EXAMINATION} The overlying skin is intact and the range of movement at the elbow is full.`,
    );
    expect(text).toContain("Raynaud’s phenomenon");
    expect(text).toContain("Dr. Amélie Laurent");
    expect(text).not.toMatch(/Liberation|Times New Roman|Normal;|Heading|LibreOffice/);
  });
});

describe("the RTF reader", () => {
  it("ends lines at \\par, \\line, \\sect, \\page and \\row; tabs at \\tab and \\cell", () => {
    expect(rtf("{\\rtf1 One\\par Two\\line Three\\sect Four\\page Five\\cell Six\\tab Seven\\row}")).toBe(
      "One\nTwo\nThree\nFour\nFive\tSix\tSeven",
    );
  });

  it("decodes \\'hh in \\ansicpg, and in a font's \\fcharset code page", () => {
    expect(rtf("{\\rtf1\\ansi\\ansicpg1252 M\\'fcller \\'93q\\'94 \\'80}")).toBe("Müller “q” €");
    expect(rtf("{\\rtf1\\ansi\\ansicpg1250 \\'8ailhav\\'fd}")).toBe("Šilhavý");
    const fonts = "{\\fonttbl{\\f0\\fswiss\\fcharset0 Arial;}{\\f1\\fnil\\fcharset204 Arial Cyr;}}";
    expect(rtf(`{\\rtf1\\ansi\\ansicpg1252${fonts}\\f0 caf\\'e9 {\\f1 \\'cc\\'e0\\'f1\\'f1\\'e0} caf\\'e9}`)).toBe("café Масса café");
  });

  it("reads \\uN (negative and surrogate pairs too) and skips the \\ucN fallback after it", () => {
    expect(rtf("{\\rtf1 5 \\u181\\'b5g, \\u8805?2 cm}")).toBe("5 µg, ≥2 cm");
    // The space after \u8212 ends the control word: it is not text.
    expect(rtf("{\\rtf1\\uc2 \\u8364\\'80\\'80x \\uc0\\u8212 y}")).toBe("€x —y");
    expect(rtf("{\\rtf1 \\u-3908?}")).toBe("\uf0bc");
    expect(rtf("{\\rtf1 \\u55357?\\u56846?}")).toBe("😎");
    // \uc is per group: the outer group's 1 applies again after the inner group closes.
    expect(rtf("{\\rtf1\\uc1{\\uc3 \\u233abc}\\u233?d}")).toBe("ééd");
  });

  it("skips the font, colour and style tables, document info, pictures, objects and {\\*…} destinations", () => {
    const source =
      "{\\rtf1{\\fonttbl{\\f0 Arial;}}{\\colortbl;\\red255\\green0\\blue0;}{\\stylesheet{\\s0 Normal;}}" +
      "{\\info{\\author Someone}{\\title Secret title}}{\\*\\generator Word;}{\\*\\unknowndest hidden}" +
      "{\\pict\\pngblip 89504e470d0a1a0a}{\\object{\\*\\objdata 0105}{\\result Shown}}Visible text.}";
    expect(rtf(source)).toBe("ShownVisible text.");
  });

  it("shows a field's result, not its instruction", () => {
    expect(rtf('{\\rtf1 See {\\field{\\*\\fldinst HYPERLINK "https://x.example"}{\\fldrslt the report}}.}')).toBe("See the report.");
  });

  it("skips \\binN data without reading it as text or groups", () => {
    expect(rtf("{\\rtf1 A{\\pict\\bin6 }{\\par}B}")).toBe("AB");
    expect(rtf("{\\rtf1 A\\bin3 {}}B}")).toBe("AB");
  });

  it("keeps escaped braces and backslashes; \\~ is a space and \\_ a hyphen; \\- is an optional hyphen", () => {
    expect(rtf("{\\rtf1 \\{x\\} a\\\\b 4\\~cm re\\_do calci\\-nosis}")).toBe("{x} a\\b 4 cm re-do calcinosis");
  });

  it("ignores the source's own line breaks (writers break before a space or a control word)", () => {
    expect(rtf("{\\rtf1 Calcific\r\n mass of the\n hip.\\par\r\nNext}")).toBe("Calcific mass of the hip.\nNext");
  });

  it("refuses what is not RTF", async () => {
    expect(() => rtf("Plain text with a .rtf name")).toThrow(/not an RTF document/);
    expect(await nodeExtractor().extract(new TextEncoder().encode("<html>"), "text/rtf")).toEqual({
      ok: false,
      reason: "unreadable",
      message: "not an RTF document (it does not start with {\\rtf)",
    });
  });

  it("reads a truncated or unbalanced document as far as it goes", () => {
    expect(rtf("{\\rtf1 Calcinosis of the left elbow.\\par 3 cm")).toBe("Calcinosis of the left elbow.\n3 cm");
    expect(rtf("{\\rtf1 A}} B}")).toBe("A B");
  });
});
