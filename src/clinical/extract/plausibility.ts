/**
 * Physiological plausibility (§6 UNITS): a lab value outside its analyte's limits is shown, noted
 * ("implausible-value") and left out of every rule.
 */
import { LAB_LABELS } from "../codes";
import type { Facts } from "../model";
import { fmt } from "../order";
import { PLAUSIBLE_LIMITS } from "../thresholds";
import type { LabKey } from "../types";
import { ANALYTE_UNITS, displayUnit } from "../units";
import type { Comparator } from "./values";

/** §6 UNITS: inside the physiological limits; a bound outside them only when it lies beyond the limit. */
export function plausible(key: LabKey, canonical: number, comparator: Comparator | undefined): boolean {
  const limits = (PLAUSIBLE_LIMITS as Partial<Record<LabKey, readonly [number, number]>>)[key];
  if (!limits) return true;
  // Indexes, not `const [min, max]`: array destructuring runs the iterator protocol, once per result.
  const min = limits[0];
  const max = limits[1];
  if (comparator === "<" || comparator === "<=") return canonical >= min;
  if (comparator === ">" || comparator === ">=") return canonical <= max;
  return canonical >= min && canonical <= max;
}

export function noteImplausible(facts: Facts, key: LabKey, ref: string, canonical: number): void {
  facts.implausible.push({ key, ref });
  const [min, max] = (PLAUSIBLE_LIMITS as Partial<Record<LabKey, readonly [number, number]>>)[key]!;
  const unit = displayUnit(ANALYTE_UNITS[key].canonical);
  facts.notes.add(
    "implausible-value",
    ref,
    (n) =>
      // The value only for a single result: which of several comes first depends on input order.
      `${LAB_LABELS[key]}: ${n === 1 ? `a result of ${fmt(canonical)} ${unit}` : `${n} results`} outside physiological limits (${fmt(min)}-${fmt(max)} ${unit}): shown, left out of every rule; check the value and its unit.`,
    key,
  );
}
