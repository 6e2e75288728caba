/**
 * Comparing a result with a limit. The result's own reference range comes first, then its
 * interpretation code, then the spec's default (§3, secondary causes). A bounded value ("<5") that
 * cannot decide stays undecided, with a data-quality note.
 */
import type { Notes } from "../dataQuality";
import type { LabFact } from "../model";
import { fmt } from "../order";
import { ANALYTE_UNITS } from "../units";
import type { RuleId } from "../types";

export type Verdict = { decided: true; above: boolean; limit: number | null; by: "range" | "interpretation" | "default" } | { decided: false };

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

/** Above the upper limit: the result's range, else its interpretation, else `defaultMax` (null: no default). */
export function aboveUpper(f: LabFact, defaultMax: number | null, ruleId: RuleId, notes: Notes): Verdict {
  if (f.canonical === null) return { decided: false };
  let limit: number | null = null;
  let by: "range" | "interpretation" | "default" = "default";
  if (f.refHigh !== undefined) {
    limit = f.refHigh;
    by = "range";
  } else if (f.interp && (HIGH_CODES.has(f.interp) || NOT_HIGH_CODES.has(f.interp))) {
    return { decided: true, above: HIGH_CODES.has(f.interp), limit: null, by: "interpretation" };
  } else {
    limit = defaultMax;
  }
  if (limit === null) return { decided: false };
  const r = exceeds(f.canonical, f.comparator, limit);
  if (r === undefined) {
    undecided(f, ruleId, limit, notes);
    return { decided: false };
  }
  return { decided: true, above: r, limit, by };
}

export function undecided(f: LabFact, ruleId: RuleId, limit: number, notes: Notes): void {
  const unit = ANALYTE_UNITS[f.key].canonical;
  const example = `${f.comparator}${fmt(f.canonical!)} ${unit}`;
  notes.add(
    "bound-undecided",
    f.ref,
    (n) => `${ruleId}: ${n === 1 ? `a bounded result (${example})` : `${n} bounded results (e.g. ${example})`} cannot be compared with ${fmt(limit)} ${unit}: undecided.`,
    `${ruleId}|${limit}`,
  );
}

/** "10.8 mg/dL on 2024-03-01" */
export function describeResult(f: LabFact): string {
  const unit = ANALYTE_UNITS[f.key].canonical.replace("{1.73_m2}", "1.73 m²");
  const when = f.day ? ` on ${f.day.iso}` : "";
  return `${f.comparator ?? ""}${fmt(f.canonical ?? f.value ?? NaN)} ${unit}${when}`;
}

export function limitText(v: Verdict, unit: string): string {
  if (!v.decided) return "";
  if (v.by === "interpretation") return "flagged high by the laboratory";
  return `above ${v.by === "range" ? "the laboratory's upper limit" : "the default limit"} ${fmt(v.limit!)} ${unit}`;
}
