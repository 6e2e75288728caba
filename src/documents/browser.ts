/**
 * The extractor for the browser (the app): HTML through DOMParser (parsed, never rendered: the
 * document is inert, its scripts never run and nothing it links is fetched), PDF through pdf.js
 * in its own Web Worker. pdf.js is loaded by dynamic import on the first PDF: a patient without
 * PDFs never downloads it.
 */
import type { PDFWorker } from "pdfjs-dist";
import { makeExtractor } from "./extractor";
import { htmlToText, type HtmlTreeAdapter } from "./html";
import { PDF_PARAMS, readPdf, type OpenPdf } from "./pdf";
import type { ExtractorOptions, TextExtractor } from "./types";

const adapter: HtmlTreeAdapter<Node> = {
  kind: (n) => (n.nodeType === Node.ELEMENT_NODE ? "element" : n.nodeType === Node.TEXT_NODE ? "text" : "other"),
  name: (n) => (n as Element).localName.toLowerCase(),
  text: (n) => n.nodeValue ?? "",
  children: (n) => n.childNodes,
};

/** XHTML is parsed as HTML too: an XML parser would refuse the whole report over one stray "&". */
function htmlSourceToText(source: string): string {
  const doc = new DOMParser().parseFromString(source, "text/html");
  return htmlToText(doc, adapter);
}

/** Starts pdf.js's worker and waits until it answers (or fails to load: CSP, missing file). */
function startWorker(): Promise<Worker> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./pdf-worker.ts", import.meta.url), { type: "module", name: "pdf.js" });
    const ready = () => {
      worker.removeEventListener("error", failed);
      resolve(worker);
    };
    const failed = () => {
      worker.removeEventListener("message", ready);
      worker.terminate();
      reject(new Error("the PDF reader (pdf.js worker) could not be started"));
    };
    worker.addEventListener("message", ready, { once: true });
    worker.addEventListener("error", failed, { once: true });
  });
}

async function loadPdfReader(): Promise<OpenPdf> {
  const [pdfjs, port] = await Promise.all([import("pdfjs-dist"), startWorker()]);
  const worker: PDFWorker = pdfjs.PDFWorker.create({ port, verbosity: PDF_PARAMS.verbosity });
  return (data) => pdfjs.getDocument({ ...PDF_PARAMS, data, worker });
}

export function browserExtractor(options: ExtractorOptions = {}): TextExtractor {
  let reader: Promise<OpenPdf> | undefined;
  return makeExtractor(
    {
      html: htmlSourceToText,
      pdf: async (bytes) => {
        // A failed load (offline, blocked) is retried on the next PDF rather than remembered.
        reader ??= loadPdfReader().catch((e: unknown) => {
          reader = undefined;
          throw e;
        });
        return readPdf(await reader, bytes);
      },
    },
    options,
  );
}
