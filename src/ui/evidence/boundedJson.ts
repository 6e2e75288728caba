/**
 * JSON for the evidence viewer, bounded: nesting deeper than `maxDepth` is elided and the text is
 * cut at `maxChars`, so a hostile or broken resource (5,000 levels deep, megabytes of text) can
 * neither overflow the stack nor freeze the page. What was left out is said in the text itself.
 */
export interface JsonBounds {
  maxDepth: number;
  maxChars: number;
}

export const JSON_BOUNDS: JsonBounds = { maxDepth: 40, maxChars: 200_000 };

export function boundedJson(value: unknown, bounds: JsonBounds = JSON_BOUNDS): { text: string; elided: boolean } {
  let elided = false;
  const prune = (v: unknown, depth: number): unknown => {
    if (v === null || typeof v !== "object") return v;
    if (depth >= bounds.maxDepth) {
      elided = true;
      return `… nested deeper than ${bounds.maxDepth} levels: not shown`;
    }
    if (Array.isArray(v)) return v.map((x) => prune(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = prune(x, depth + 1);
    return out;
  };
  let text = JSON.stringify(prune(value, 0), null, 2) ?? "";
  if (text.length > bounds.maxChars) {
    elided = true;
    text = `${text.slice(0, bounds.maxChars)}\n… cut at ${bounds.maxChars.toLocaleString("en-US")} characters: the rest is not shown`;
  }
  return { text, elided };
}
