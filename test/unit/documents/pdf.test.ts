/**
 * PDF text in Node (pdf.js's legacy build, as the CLI runs it): real files made by LibreOffice and
 * a scanner-like image PDF, and PDFs built here with pdf-lib for the layouts reading order must
 * survive. The browser runs the same readPdf() with pdf.js in a Web Worker (test/e2e/documents).
 */
import { readFileSync } from "node:fs";
import { PDFDocument, StandardFonts, rgb } from "pdf-lib";
import type { TextItem } from "pdfjs-dist/types/src/display/api";
import { describe, expect, it } from "vitest";
import { nodeExtractor } from "../../../src/documents/node";
import { pageText } from "../../../src/documents/pdf";
import { HIP_FINDINGS } from "../../../sandbox/data/attachments/sources";
import { FEATURE_LINES } from "./fixtures/sources";

const extractor = nodeExtractor();
const file = (path: string) => new Uint8Array(readFileSync(new URL(path, import.meta.url)));
const FEATURES = "./fixtures/features.pdf";
const SCAN = "../../../sandbox/data/attachments/doc-scanned-pdf.pdf";

/** A PDF with lines of Helvetica drawn at the given positions (in the order given), one page per array. */
async function drawn(pages: { text: string; x: number; y: number; size?: number }[][]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = doc.addPage([595, 842]);
    if (!lines.length) page.drawRectangle({ x: 50, y: 400, width: 200, height: 100, color: rgb(0.5, 0.5, 0.5) });
    for (const l of lines) page.drawText(l.text, { x: l.x, y: l.y, size: l.size ?? 11, font });
  }
  return doc.save();
}

describe("PDFs with a text layer", () => {
  it("the features document: characters, table rows, list items and both pages, in order", async () => {
    const L = FEATURE_LINES;
    expect(await extractor.extract(file(FEATURES), "application/pdf")).toEqual({
      ok: true,
      format: "pdf",
      text: [
        L.heading,
        L.name,
        L.symbols,
        ...L.cells.map((c) => c.join(" ")),
        ...L.items.map((i) => `• ${i}`),
        L.afterPicture,
        L.secondPage,
      ].join("\n"),
    });
  });

  it("the demo hip report: its findings as one line, although the PDF wraps them", async () => {
    const outcome = await extractor.extract(file("../../../sandbox/data/attachments/doc-pdf-report.pdf"), "application/pdf");
    expect(outcome.ok && outcome.text.split("\n")).toContain(`Findings: ${HIP_FINDINGS}`);
  });

  it("reads lines top to bottom and left to right, whatever order they were drawn in", async () => {
    const pdf = await drawn([
      [
        { text: "Impression: calcific mass.", x: 50, y: 700 },
        { text: "MRN 123", x: 400, y: 800 },
        { text: "Radiology report", x: 50, y: 800 },
        { text: "Findings: soft-tissue calcification.", x: 50, y: 750 },
      ],
    ]);
    const outcome = await extractor.extract(pdf, "application/pdf");
    expect(outcome).toMatchObject({
      ok: true,
      text: "Radiology report MRN 123\nFindings: soft-tissue calcification.\nImpression: calcific mass.",
    });
  });

  it("joins a line wrapped mid-sentence; keeps headings, labels and new sentences apart", async () => {
    const pdf = await drawn([
      [
        { text: "Findings", x: 50, y: 800 },
        { text: "Calcified mass lateral to the right greater", x: 50, y: 786 },
        { text: "trochanter measuring 5.1 x 3.6 cm. No", x: 50, y: 772 },
        { text: "fracture.", x: 50, y: 758 },
        { text: "Impression: as above.", x: 50, y: 744 },
        { text: "Far below, a new paragraph.", x: 50, y: 600 },
        { text: "lower case far below stays apart.", x: 50, y: 500 },
      ],
    ]);
    const outcome = await extractor.extract(pdf, "application/pdf");
    expect(outcome).toMatchObject({
      ok: true,
      text: [
        "Findings",
        "Calcified mass lateral to the right greater trochanter measuring 5.1 x 3.6 cm. No fracture.",
        "Impression: as above.",
        "Far below, a new paragraph.",
        "lower case far below stays apart.",
      ].join("\n"),
    });
  });

  it("lists the pages without text when only some have it", async () => {
    const pdf = await drawn([[{ text: "Page one text.", x: 50, y: 800 }], [], [{ text: "Page three text.", x: 50, y: 800 }]]);
    expect(await extractor.extract(pdf, "application/pdf")).toEqual({
      ok: true,
      format: "pdf",
      text: "Page one text.\nPage three text.",
      unreadPages: [2],
    });
    // A real text page followed by a real scanned page.
    const mixed = await PDFDocument.create();
    for (const source of [FEATURES, SCAN]) {
      const from = await PDFDocument.load(file(source));
      const [page] = await mixed.copyPages(from, [0]);
      mixed.addPage(page);
    }
    const outcome = await extractor.extract(await mixed.save(), "application/pdf");
    expect(outcome).toMatchObject({ ok: true, unreadPages: [2] });
    expect(outcome.ok && outcome.text.startsWith(FEATURE_LINES.heading)).toBe(true);
  });

  it("leaves the caller's bytes intact (pdf.js is given a copy)", async () => {
    const bytes = file(FEATURES);
    const length = bytes.length;
    await extractor.extract(bytes, "application/pdf");
    expect(bytes.length).toBe(length);
    expect(await extractor.extract(bytes, "application/pdf")).toMatchObject({ ok: true });
  });
});

describe("PDFs that cannot be read as text", () => {
  it("a scan (one image per page, no text) is no-text-layer", async () => {
    expect(await extractor.extract(file(SCAN), "application/pdf")).toEqual({
      ok: false,
      reason: "no-text-layer",
      message: "no text layer on its page (a scanned document?)",
    });
    const blank = await drawn([[], []]);
    expect(await extractor.extract(blank, "application/pdf")).toMatchObject({
      reason: "no-text-layer",
      message: "no text layer on any of its 2 pages (a scanned document?)",
    });
  });

  it("a password-protected PDF is unreadable, saying so", async () => {
    expect(await extractor.extract(file("./fixtures/encrypted.pdf"), "application/pdf")).toEqual({
      ok: false,
      reason: "unreadable",
      message: "the PDF is password-protected",
    });
  });

  it("bytes that are not a PDF, or a PDF cut short, are unreadable", async () => {
    expect(await extractor.extract(new TextEncoder().encode("<html>not a pdf</html>"), "application/pdf")).toEqual({
      ok: false,
      reason: "unreadable",
      message: "not a valid PDF (damaged or not a PDF)",
    });
    expect(await extractor.extract(new Uint8Array(0), "application/pdf")).toMatchObject({ ok: false, reason: "unreadable" });
    const cut = file(FEATURES).subarray(0, 2000);
    expect(await extractor.extract(cut, "application/pdf")).toMatchObject({ ok: false, reason: "unreadable" });
  });
});

describe("pageText (reading order of text items)", () => {
  const item = (str: string, x: number, y: number, width: number, height = 10): TextItem =>
    ({ str, dir: "ltr", transform: [height, 0, 0, height, x, y], width, height, fontName: "f", hasEOL: false }) as TextItem;

  it("puts items on one baseline (within half a line) together, spaced where they leave a gap", () => {
    const items = [item("cm", 130, 500, 15), item("4.2", 100, 500, 14), item("2", 146, 503, 4, 6), item("Next line", 100, 486, 40)];
    expect(pageText(items)).toBe("4.2 cm2\nNext line");
  });

  it("does not add a space between items that touch, or where the text has one", () => {
    expect(pageText([item("calci", 100, 500, 25), item("fication", 125, 500, 35), item(" seen", 160, 500, 25)])).toBe("calcification seen");
  });
});
