/**
 * The start of a long report for the screen: a radiology report can run to 5,000 characters, and
 * shown whole it pushes everything else out of view. The preview keeps the first few lines, at most
 * about PREVIEW_CHARS characters, cut after a sentence when there is one late enough, else between
 * two words; the panel offers the full text beside it.
 */

export const PREVIEW_CHARS = 600;
export const PREVIEW_LINES = 6;
/** Not worth a toggle: a text at most this much longer than the preview is shown whole. */
const SLACK = 80;

export interface ReportPreview {
  text: string;
  /** The preview is shorter than the report (the panel then offers "Show full report"). */
  cut: boolean;
}

export function reportPreview(report: string, maxChars = PREVIEW_CHARS, maxLines = PREVIEW_LINES): ReportPreview {
  const text = report.trim();
  const lines = text.split(/\r?\n/);
  if (text.length <= maxChars + SLACK && lines.length <= maxLines) return { text, cut: false };
  const byLines = lines.slice(0, maxLines).join("\n");
  // The first lines end at a line break: a boundary already, when they fit.
  if (lines.length > maxLines && byLines.length <= maxChars) return { text: `${byLines.trimEnd()} …`, cut: true };
  const head = byLines.slice(0, maxChars);
  return { text: `${cutAtBoundary(head, maxChars)} …`, cut: true };
}

/** `head` up to its last sentence end (or line break) past 40 % of `maxChars`, else its last word. */
function cutAtBoundary(head: string, maxChars: number): string {
  let sentenceEnd = -1;
  for (const m of head.matchAll(/[.!?](?=\s)|\n/g)) sentenceEnd = m.index + (m[0] === "\n" ? 0 : 1);
  if (sentenceEnd >= maxChars * 0.4) return head.slice(0, sentenceEnd).trimEnd();
  const space = head.search(/\s\S*$/);
  return (space > 0 ? head.slice(0, space) : head).trimEnd();
}
