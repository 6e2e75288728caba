/** Deterministic ordering and number formatting for the Assessment (no locale, no clock). */

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Distinct references, sorted. */
export function refs(...lists: (readonly string[] | string | null | undefined)[]): string[] {
  const out = new Set<string>();
  for (const l of lists) {
    if (!l) continue;
    if (typeof l === "string") out.add(l);
    else for (const r of l) out.add(r);
  }
  return [...out].sort(cmp);
}

/** A number for people: at most two decimals, no trailing zeros ("8.8", "10", "86.5"). */
export function fmt(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** Round for the JSON output (3 decimals): converted values stay readable and byte-stable. */
export function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
