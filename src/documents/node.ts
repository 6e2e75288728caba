/**
 * The extractor for Node (the CLI): htmlparser2 for HTML, pdf.js's legacy build in-process (loaded
 * on the first PDF, so reading an export without PDFs never loads it).
 */
import { parseDocument } from "htmlparser2";
import type * as PdfJs from "pdfjs-dist/legacy/build/pdf.mjs";
import { makeExtractor } from "./extractor";
import { htmlToText, type HtmlTreeAdapter } from "./html";
import { PDF_PARAMS, readPdf } from "./pdf";
import type { ExtractorOptions, TextExtractor } from "./types";

type Document = ReturnType<typeof parseDocument>;
type Node = Document | Document["children"][number];

const PRE = new Set(["pre", "listing", "textarea"]);

const adapter: HtmlTreeAdapter<Node> = {
  // htmlparser2 types <script> and <style> elements apart from other tags; CDATA is dropped, as in HTML.
  kind: (n) => (n.type === "tag" || n.type === "script" || n.type === "style" ? "element" : n.type === "text" ? "text" : "other"),
  name: (n) => ("name" in n ? n.name.toLowerCase().replace(/^.*:/, "") : ""),
  text: (n) => ("data" in n ? n.data : ""),
  children: (n) => ("children" in n ? childrenOf(n) : []),
};

/** An HTML parser drops the new line right after <pre>'s start tag; htmlparser2 keeps it. */
function childrenOf(n: Node & { children: Node[] }): Node[] {
  const first = n.children[0];
  if (!("name" in n) || !PRE.has(n.name.toLowerCase()) || first?.type !== "text") return n.children;
  return [Object.assign(first.cloneNode(), { data: first.data.replace(/^\r?\n/, "") }), ...n.children.slice(1)];
}

export function nodeExtractor(options: ExtractorOptions = {}): TextExtractor {
  let pdfjs: Promise<typeof PdfJs> | undefined;
  return makeExtractor(
    {
      html: (source) => htmlToText(parseDocument(source, { decodeEntities: true }), adapter),
      pdf: async (bytes) => {
        const lib = await (pdfjs ??= import("pdfjs-dist/legacy/build/pdf.mjs"));
        return readPdf((data) => lib.getDocument({ ...PDF_PARAMS, data }), bytes);
      },
    },
    options,
  );
}
