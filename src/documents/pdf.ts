/**
 * PDF text with pdf.js (pdfjs-dist): the text layer of each page, in reading order, pages joined
 * by line breaks. A PDF with no text on any page is a scan: `no-text-layer`, never an empty
 * report. How pdf.js is loaded (lazily with a Web Worker in the browser, in-process in Node) is
 * the caller's; this file imports only its types.
 */
import type { DocumentInitParameters, PDFDocumentLoadingTask, TextItem } from "pdfjs-dist/types/src/display/api";
import { NotReadable } from "./errors";
import type { ExtractOutcome } from "./types";

/** Parameters for every document: nothing evaluated, fetched or rendered; errors only in the console. */
export const PDF_PARAMS = {
  isEvalSupported: false,
  useWasm: false,
  useWorkerFetch: false,
  useSystemFonts: false,
  disableFontFace: true,
  enableXfa: false,
  stopAtErrors: false,
  verbosity: 0,
} satisfies DocumentInitParameters;

export type OpenPdf = (data: Uint8Array) => PDFDocumentLoadingTask;

/** Reads the text layer of a PDF; refuses after `timeoutMs` (a pathological file must not hang a load). */
export async function readPdf(open: OpenPdf, bytes: Uint8Array, timeoutMs = 30_000): Promise<ExtractOutcome> {
  // pdf.js transfers the buffer it is given to its worker: hand it a copy, the caller keeps its bytes.
  const task = open(bytes.slice());
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NotReadable("unreadable", `PDF not read within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    return await Promise.race([pagesText(task), timeout]);
  } catch (e) {
    throw e instanceof NotReadable ? e : new NotReadable("unreadable", pdfErrorText(e));
  } finally {
    clearTimeout(timer);
    await task.destroy().catch(() => undefined);
  }
}

async function pagesText(task: PDFDocumentLoadingTask): Promise<ExtractOutcome> {
  const doc = await task.promise;
  const pages: string[] = [];
  const unreadPages: number[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    const text = pageText(content.items.filter((i): i is TextItem => "str" in i));
    page.cleanup();
    if (text) pages.push(text);
    else unreadPages.push(n);
  }
  if (!pages.length) {
    const count = doc.numPages === 1 ? "its page" : `any of its ${doc.numPages} pages`;
    return { ok: false, reason: "no-text-layer", message: `no text layer on ${count} (a scanned document?)` };
  }
  return { ok: true, format: "pdf", text: pages.join("\n"), ...(unreadPages.length ? { unreadPages } : {}) };
}

function pdfErrorText(e: unknown): string {
  const name = (e as { name?: string })?.name;
  if (name === "PasswordException") return "the PDF is password-protected";
  if (name === "InvalidPDFException") return "not a valid PDF (damaged or not a PDF)";
  const message = e instanceof Error ? e.message : String(e);
  return `the PDF could not be read: ${message.split("\n")[0]}`;
}

/** The text items a line is made of, top to bottom: their baseline and height. */
interface Line {
  y: number;
  height: number;
  items: TextItem[];
}

/**
 * Reading order for one page: items grouped into lines by baseline (within half a line height),
 * lines top to bottom, items left to right; a space where two items on a line leave a gap; lines
 * wrapped mid-sentence joined again (see continues()).
 * Works for the single-column reports and letters EHRs produce, header tables included.
 */
export function pageText(items: readonly TextItem[]): string {
  const lines: Line[] = [];
  const placed = items
    .filter((i) => i.str.length > 0)
    .map((i) => ({ item: i, y: i.transform[5] as number, height: Math.abs(i.height || (i.transform[3] as number)) || 1 }))
    .sort((a, b) => b.y - a.y);
  for (const p of placed) {
    const line = lines.at(-1);
    if (line && Math.abs(line.y - p.y) <= Math.max(line.height, p.height) / 2) {
      line.items.push(p.item);
      line.height = Math.max(line.height, p.height);
    } else lines.push({ y: p.y, height: p.height, items: [p.item] });
  }
  let text = "";
  let previous: (Line & { text: string }) | undefined;
  for (const line of lines) {
    const current = { ...line, text: joinLine(line) };
    if (!current.text) continue;
    text += previous ? (continues(previous, current) ? " " : "\n") : "";
    text += current.text;
    previous = current;
  }
  return text;
}

/**
 * A line wrapped inside a sentence ("... 5.1 x 3.6 cm. No" / "fracture or dislocation.") is
 * joined back, so a reader that splits text at line breaks keeps the sentence whole: the next line
 * is close below, starts in lower case or with a digit, and this one does not end a sentence or a
 * label. Lines starting with a capital stay apart (headings, labels, new sentences).
 */
function continues(line: Line & { text: string }, next: Line & { text: string }): boolean {
  const close = line.y - next.y <= Math.max(line.height, next.height) * 1.6;
  return close && !/[.:;!?]$/.test(line.text) && /^[a-z0-9]/.test(next.text);
}

function joinLine(line: Line): string {
  const items = [...line.items].sort((a, b) => (a.transform[4] as number) - (b.transform[4] as number));
  let text = "";
  let end = -Infinity;
  for (const item of items) {
    const x = item.transform[4] as number;
    const gap = x - end > line.height * 0.15;
    if (text && gap && !/\s$/.test(text) && !/^\s/.test(item.str)) text += " ";
    text += item.str;
    end = x + item.width;
  }
  return text.replace(/\s+/g, " ").trim();
}
