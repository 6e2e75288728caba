/**
 * Comparing a result with a limit. The result's own reference range comes first, then its
 * interpretation code, then the spec's default (§3, secondary causes). A bounded value ("<5") that
 * cannot decide stays undecided, with a data-quality note.
 */
import type { Notes } from "../dataQuality";
import type { LabSeries } from "../labStore";
import type { LabFact } from "../model";
import { fmt } from "../order";
import { ANALYTE_UNITS, displayUnit } from "../units";
import type { RuleId } from "../types";

export type Verdict =
  { decided: true; above: boolean; limit: number | null; by: "range" | "interpretation" | "default" } | { decided: false };

const HIGH_CODES = new Set(["H", "HH", "HU", ">"]);
const NOT_HIGH_CODES = new Set(["N", "L", "LL", "LU", "<"]);

/** Is `value` (with its comparator) above `limit`? undefined when the bound cannot tell. */
export function exceeds(value: number, comparator: LabFact["comparator"], limit: number): boolean | undefined {
  switch (comparator) {
    case undefined:
      return value > limit;
    case ">":
      return value >= limit ? true : undefined;
    case ">=":
      return value > limit ? true : undefined;
    case "<":
      return value <= limit ? false : undefined;
    case "<=":
      return value <= limit ? false : undefined;
  }
}

/** Is `value` below `limit`? undefined when the bound cannot tell. */
export function under(value: number, comparator: LabFact["comparator"], limit: number): boolean | undefined {
  switch (comparator) {
    case undefined:
      return value < limit;
    case "<":
      return value <= limit ? true : undefined;
    case "<=":
      return value < limit ? true : undefined;
    case ">":
      return value >= limit ? false : undefined;
    case ">=":
      return value >= limit ? false : undefined;
  }
}

/**
 * Whether row `i` is above its upper limit: the result's range, else its interpretation, else
 * `defaultMax` (null: no default). The verdict when it is; null when it is not, or when that cannot
 * be told (no canonical value, no limit, or a bound that cannot decide: then a data-quality note).
 * Allocates only for a result above the limit.
 */
export function aboveUpperAt(s: LabSeries, i: number, defaultMax: number | null, ruleId: RuleId, notes: Notes): Verdict | null {
  if (!s.hasCanonical(i)) return null;
  let limit: number | null;
  let by: "range" | "default";
  if (s.hasHigh(i)) {
    limit = s.high(i);
    by = "range";
  } else {
    const interp = s.interp(i);
    if (interp && HIGH_CODES.has(interp)) return { decided: true, above: true, limit: null, by: "interpretation" };
    if (interp && NOT_HIGH_CODES.has(interp)) return null;
    limit = defaultMax;
    by = "default";
  }
  if (limit === null) return null;
  const r = exceeds(s.canonical(i), s.comparator(i), limit);
  if (r === undefined) {
    undecidedAt(s, i, ruleId, limit, notes);
    return null;
  }
  return r ? { decided: true, above: true, limit, by } : null;
}

/** Note that row `i`, a bounded value ("<5"), cannot be compared with `limit`. */
export function undecidedAt(s: LabSeries, i: number, ruleId: RuleId, limit: number, notes: Notes): void {
  const unit = displayUnit(ANALYTE_UNITS[s.key].canonical);
  const comparator = s.comparator(i);
  const value = s.canonical(i);
  notes.add(
    "bound-undecided",
    s.ref(i),
    (n) => {
      const example = `${comparator}${fmt(value)} ${unit}`;
      return `${ruleId}: ${n === 1 ? `a bounded result (${example})` : `${n} bounded results (e.g. ${example})`} cannot be compared with ${fmt(limit)} ${unit}: undecided.`;
    },
    `${ruleId}|${limit}`,
  );
}

/** "10.8 mg/dL on 2024-03-01" */
export function describeResult(f: LabFact): string {
  const unit = displayUnit(ANALYTE_UNITS[f.key].canonical);
  const when = f.day ? ` on ${f.day.iso}` : "";
  return `${f.comparator ?? ""}${fmt(f.canonical ?? f.value ?? NaN)} ${unit}${when}`;
}

export function limitText(v: Verdict, unit: string): string {
  if (!v.decided) return "";
  if (v.by === "interpretation") return "flagged high by the laboratory";
  return `above ${v.by === "range" ? "the laboratory's upper limit" : "the default limit"} ${fmt(v.limit!)} ${unit}`;
}
