/**
 * Straightforward stand-ins for the engine's optimised paths, for optimised-paths.test.ts: a lab
 * series as one object per result sorted with Array.prototype.sort (stable), no shared
 * dictionaries, memos that never remember, and duplicates found with a Set per resource type.
 * Typed against the real modules, so a method the engine gains must be given here too.
 */
import type { Day } from "../../../src/clinical/dates";
import type * as Real from "../../../src/clinical/labStore";
import type { LabFact } from "../../../src/clinical/model";
import type { LabKey } from "../../../src/clinical/types";

type Public<T> = { [K in keyof T]: T[K] };

interface Row {
  ref: string;
  sortKey: string;
  day: Day | null;
  unit: string | null;
  comparator: Real.Comparator | undefined;
  interp: string | null;
  value: number;
  canonical: number | null;
  low?: number;
  high?: number;
  rangeText?: string;
}

const COMPARATOR_CODES = { "<": 1, "<=": 2, ">": 3, ">=": 4 } as const;

export class LabDictionaries {}

export class LabSeries implements Public<Real.LabSeries> {
  length = 0;
  private rows: Row[] = [];

  constructor(
    readonly key: LabKey,
    _dict: LabDictionaries,
  ) {}

  push(ref: string, sortKey: string, day: Day | null, unit: string | null, comparator: Real.Comparator | undefined, interp: string | null) {
    this.rows.push({ ref, sortKey, day, unit, comparator, interp, value: NaN, canonical: null });
    return this.length++;
  }
  setValue(i: number, v: number) {
    this.rows[i]!.value = v;
  }
  setCanonical(i: number, v: number) {
    this.rows[i]!.canonical = v;
  }
  setLow(i: number, v: number) {
    this.rows[i]!.low = v;
  }
  setHigh(i: number, v: number) {
    this.rows[i]!.high = v;
  }
  setRangeText(i: number, text: string) {
    this.rows[i]!.rangeText = text;
  }

  seal() {
    const dayOf = (r: Row) => (r.day ? r.day.n : Infinity);
    this.rows.sort((a, b) => dayOf(a) - dayOf(b) || (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  }

  dayN(i: number) {
    return this.rows[i]!.day!.n;
  }
  value(i: number) {
    return this.rows[i]!.value;
  }
  canonical(i: number) {
    return this.rows[i]!.canonical!;
  }
  low(i: number) {
    return this.rows[i]!.low!;
  }
  high(i: number) {
    return this.rows[i]!.high!;
  }
  ref(i: number) {
    return this.rows[i]!.ref;
  }
  day(i: number) {
    return this.rows[i]!.day;
  }
  unit(i: number) {
    return this.rows[i]!.unit;
  }
  interp(i: number) {
    return this.rows[i]!.interp;
  }
  rangeTextOf(i: number) {
    return this.rows[i]!.rangeText;
  }
  hasCanonical(i: number) {
    return this.rows[i]!.canonical !== null;
  }
  hasLow(i: number) {
    return this.rows[i]!.low !== undefined;
  }
  hasHigh(i: number) {
    return this.rows[i]!.high !== undefined;
  }
  comparator(i: number) {
    return this.rows[i]!.comparator;
  }
  comparatorCode(i: number) {
    const c = this.rows[i]!.comparator;
    return c === undefined ? 0 : COMPARATOR_CODES[c];
  }
  isDated(i: number) {
    return this.rows[i]!.day !== null;
  }
  isExact(i: number) {
    return this.comparator(i) === undefined && this.hasCanonical(i) && this.isDated(i);
  }
  nextExact(i: number) {
    for (let k = i + 1; k < this.length; k++) if (this.isExact(k)) return k;
    return -1;
  }
  prevExact(i: number) {
    for (let k = i - 1; k >= 0; k--) if (this.isExact(k)) return k;
    return -1;
  }
  fact(i: number): LabFact {
    const r = this.rows[i]!;
    return {
      key: this.key,
      ref: r.ref,
      day: r.day,
      value: r.value,
      unit: r.unit,
      comparator: r.comparator,
      canonical: r.canonical,
      refLow: r.low,
      refHigh: r.high,
      refText: r.rangeText,
      interp: r.interp,
    };
  }
}

/** A memo that never remembers: every call computes its value again. */
export class Memo<K, V> {
  constructor(_limit: number) {}
  get(_key: K): V | undefined {
    return undefined;
  }
  set(_key: K, _value: V): void {}
}

/** Duplicates by (type, id) with a Set per type. */
export class SeenIds {
  private byType = new Map<string, Set<string>>();

  constructor(_resources: readonly unknown[]) {}

  seenBefore(type: string, id: string, _position: number): boolean {
    let ids = this.byType.get(type);
    if (!ids) this.byType.set(type, (ids = new Set()));
    if (ids.has(id)) return true;
    ids.add(id);
    return false;
  }
}
