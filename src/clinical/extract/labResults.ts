/**
 * Lab results: the value in the canonical unit, its reference range, and the data-quality notes
 * for results that cannot be used (no number, no or unknown unit, no date).
 */
import { LAB_LABELS } from "../codes";
import type { Day } from "../dates";
import { plural } from "../dataQuality";
import { isObject, type Json } from "../json";
import type { LabSeries } from "../labStore";
import type { Facts } from "../model";
import type { LabKey } from "../types";
import { labUnitFactor, readUnit, type UnitInput, type UnitOutcome, type UnitSource } from "../units";
import { noteImplausible, plausible } from "./plausibility";
import { comparatorOf, readInterpretation, readValue, type Comparator, type ReadValue } from "./values";

/** Round converted values to 2 decimals so that unit round trips do not cross a threshold (2.62 mmol/L is 10.50 mg/dL). */
function roundConverted(v: number): number {
  return Math.round(v * 100) / 100;
}

export function addLab(key: LabKey, holder: Json, ref: string, sortKey: string, day: Day | null, facts: Facts): void {
  const notes = facts.notes;
  // Fast path (almost every lab result): a numeric valueQuantity; no intermediate objects.
  let value: number;
  let unitText: string | null;
  let source: UnitSource = "text";
  let comparator: Comparator | undefined;
  const q = holder.valueQuantity;
  if (isObject(q) && typeof q.value === "number" && Number.isFinite(q.value) && holder.dataAbsentReason === undefined) {
    value = q.value;
    const u = readUnit(q as UnitInput);
    unitText = u ? u.unit : null;
    if (u) source = u.source;
    comparator = comparatorOf(q.comparator);
  } else {
    const v = readValue(holder);
    if (v.kind !== "number") {
      noteNoNumber(notes, key, ref, v);
      return;
    }
    value = v.value;
    unitText = v.unit;
    source = v.unitSource ?? "text";
    comparator = v.comparator;
  }
  const unit = labUnitFactor(key, unitText, source);
  if (!unit.ok || unit.note) noteUnit(notes, key, ref, unit, unitText);
  const s = facts.labs[key];
  const i = s.push(ref, sortKey, day, unitText, comparator, readInterpretation(holder));
  s.setValue(i, value);
  if (unit.ok) {
    const canonical = unit.factor === 1 ? value : roundConverted(value * unit.factor);
    if (plausible(key, canonical, comparator)) s.setCanonical(i, canonical);
    else noteImplausible(facts, key, ref, canonical);
  }
  applyRange(s, i, holder, unitText);
  if (day === null) notes.add("no-date", ref, noDateText);
}

// The notes of addLab, out of it on purpose: a closure inside addLab that captured its variables
// would make V8 allocate a context on every call, for every result.

const noDateText = (n: number) => `${plural(n, "result")} without a date: not used for lookbacks or trends.`;

function noteNoNumber(notes: Facts["notes"], key: LabKey, ref: string, v: ReadValue): void {
  const label = LAB_LABELS[key];
  if (v.kind === "absent") {
    notes.add(
      "data-absent",
      ref,
      (n) => `${label}: ${plural(n, "result")} without a value (dataAbsentReason ${v.reason}): treated as missing.`,
      `${key}|${v.reason}`,
    );
  } else if (v.kind === "text") {
    notes.add(
      "value-unreadable",
      ref,
      (n) => `${label}: ${plural(n, "result")} with a text value that is not a number: left out of every rule.`,
      key,
    );
  } else {
    notes.add("no-value", ref, (n) => `${label}: ${plural(n, "result")} without a value: treated as missing.`, key);
  }
}

function noteUnit(notes: Facts["notes"], key: LabKey, ref: string, unit: UnitOutcome, unitText: string | null): void {
  const label = LAB_LABELS[key];
  if (unit.ok) {
    if (unit.note === "egfr-unit-assumed")
      notes.add("egfr-unit-assumed", ref, (n) => `eGFR: ${plural(n, "result")} in mL/min taken as per 1.73 m².`);
  } else if (unit.reason === "unit-missing") {
    notes.add(
      "unit-missing",
      ref,
      (n) =>
        `${label}: ${plural(n, "result")} without a unit, which cannot be interpreted: shown, left out of every rule (the test was done).`,
      key,
    );
  } else {
    notes.add(
      "unit-unknown",
      ref,
      (n) =>
        `${label}: ${plural(n, "result")} in "${unitText}", which cannot be interpreted: shown, left out of every rule (the test was done: not listed as missing).`,
      `${key}|${unitText}`,
    );
  }
}

/** The first reference range with a bound or text, in the canonical unit (a bound's own unit, else the result's). */
function applyRange(s: LabSeries, i: number, holder: Json, unitText: string | null): void {
  const ranges = holder.referenceRange;
  if (!Array.isArray(ranges)) return;
  for (let k = 0; k < ranges.length; k++) {
    const r: unknown = ranges[k];
    if (!isObject(r)) continue;
    let found = false;
    const low = canonicalBound(s.key, r.low, unitText);
    if (low !== undefined) {
      found = true;
      if (low !== null) s.setLow(i, low);
    }
    const high = canonicalBound(s.key, r.high, unitText);
    if (high !== undefined) {
      found = true;
      if (high !== null) s.setHigh(i, high);
    }
    if (typeof r.text === "string") {
      s.setRangeText(i, r.text);
      found = true;
    }
    if (found) return;
  }
}

/** A range bound in the canonical unit: undefined when there is no numeric bound, null when its unit cannot be converted. */
function canonicalBound(key: LabKey, q: unknown, resultUnit: string | null): number | null | undefined {
  if (!isObject(q) || typeof q.value !== "number" || !Number.isFinite(q.value)) return undefined;
  const u = readUnit(q as UnitInput) ?? (resultUnit ? { unit: resultUnit, source: "text" as const } : null);
  const f = labUnitFactor(key, u?.unit ?? null, u?.source);
  if (!f.ok) return null;
  return f.factor === 1 ? q.value : roundConverted(q.value * f.factor);
}
