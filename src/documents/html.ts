/**
 * HTML (and XHTML) to plain text, without rendering: the parsed tree is walked, never displayed.
 * The browser parses with DOMParser, Node with htmlparser2; both trees go through this one walker
 * (through a small adapter), so the same document gives the same text in the app and in the CLI.
 *
 * What survives: the text of the body, with entities decoded. Dropped: head, script, style,
 * template, comments and other non-content. Block elements and <br> become line breaks, so the
 * sentences of two paragraphs never run together; table cells are separated by tabs. Inline white
 * space collapses as a browser would show it, except inside <pre>.
 */

export type HtmlNodeKind = "element" | "text" | "other";

/** How to read one parser's tree. */
export interface HtmlTreeAdapter<N> {
  kind(node: N): HtmlNodeKind;
  /** Lower-case local name of an element. */
  name(node: N): string;
  /** The decoded text of a text node. */
  text(node: N): string;
  children(node: N): Iterable<N>;
}

/** Elements whose content is not document text. */
const SKIPPED = new Set([
  "head",
  "script",
  "style",
  "template",
  "noscript",
  "iframe",
  "object",
  "embed",
  "svg",
  "canvas",
  "audio",
  "video",
  "select",
  "datalist",
  "button",
]);

/** Elements that start and end a line. */
const BLOCKS = new Set(
  (
    "address article aside blockquote body caption center dd details dialog dir div dl dt fieldset figcaption figure footer " +
    "form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li listing main menu nav ol p plaintext pre section summary table " +
    "tbody tfoot thead tr ul xmp"
  ).split(" "),
);
const CELLS = new Set(["td", "th"]);
const PREFORMATTED = new Set(["pre", "listing", "plaintext", "textarea", "xmp"]);

/** A block edge: a private-use character, removed from the document's own text first. */
const SOFT_BREAK = "\uE000";

/** The text of a parsed document (`root` is the document node, whose children are walked). */
export function htmlToText<N>(root: N, adapter: HtmlTreeAdapter<N>): string {
  const out: string[] = [];
  const walk = (node: N, pre: boolean): void => {
    const kind = adapter.kind(node);
    if (kind === "text") {
      const text = adapter
        .text(node)
        .replace(/\u00a0/g, " ")
        .replace(/\uE000/g, "");
      if (pre) out.push(text.replace(/\r\n?/g, "\n"));
      else {
        // White space collapses across text nodes too ("a <!-- x --> b" shows one space).
        let collapsed = text.replace(/[ \t\n\r\f]+/g, " ");
        if (/[ \n\uE000]$/.test(out.at(-1) ?? "\n")) collapsed = collapsed.replace(/^ /, "");
        if (collapsed) out.push(collapsed);
      }
      return;
    }
    if (kind !== "element") return;
    const name = adapter.name(node);
    if (SKIPPED.has(name)) return;
    if (name === "br") {
      out.push("\n");
      return;
    }
    const block = BLOCKS.has(name);
    if (block) out.push(SOFT_BREAK);
    if (CELLS.has(name)) out.push("\t");
    const inPre = pre || PREFORMATTED.has(name);
    for (const child of adapter.children(node)) walk(child, inPre);
    if (block) out.push(SOFT_BREAK);
  };
  for (const child of adapter.children(root)) walk(child, false);
  return tidy(out.join(""));
}

/**
 * Soft breaks (block edges) count once however many meet; hard ones (<br>, <pre> new lines) each
 * count. Lines lose the spaces around them and at most one blank line stays between paragraphs.
 */
function tidy(text: string): string {
  return text
    .replace(/\s*\uE000[\s\uE000]*/g, (run) => "\n".repeat(Math.max(1, (run.match(/\n/g) ?? []).length)))
    .split("\n")
    .map((line) => line.replace(/^[ \t]+|[ \t]+$/g, ""))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * A charset named by the document itself: `<meta charset="…">` or an http-equiv Content-Type in
 * its first 1024 bytes (the HTML prescan's range), for HTML sent without a charset parameter.
 */
export function sniffHtmlCharset(bytes: Uint8Array): string | undefined {
  const head = String.fromCharCode(...bytes.subarray(0, 1024));
  return /<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)/i.exec(head)?.[1];
}
