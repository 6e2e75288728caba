/**
 * One Assessment as output text, and the document around them. `json` keeps the shape (and the
 * bytes) of JSON.stringify(list, null, 2): a pretty-printed array, one element per patient.
 */
import type { Assessment } from "../clinical/types";
import { formatText } from "./format";

export type OutputFormat = "json" | "ndjson" | "text" | "none";

export function render(a: Assessment, format: Exclude<OutputFormat, "none">): string {
  if (format === "ndjson") return JSON.stringify(a);
  if (format === "text") return formatText(a);
  // An element of a pretty-printed array is indented one level; JSON strings hold no raw newline.
  return JSON.stringify(a, null, 2).replace(/\n/g, "\n  ");
}

/** What goes before, between and after the rendered Assessments. */
export const FRAMING: Record<Exclude<OutputFormat, "none">, { open: string; between: string; close: string; empty: string }> = {
  json: { open: "[\n  ", between: ",\n  ", close: "\n]\n", empty: "[]\n" },
  ndjson: { open: "", between: "\n", close: "\n", empty: "" },
  text: { open: "", between: "\n\n", close: "\n", empty: "\n" },
};
