/**
 * The lab results of one analyte, one row per result, stored by column: a record with 1,000,000
 * results holds a dozen arrays instead of 1,000,000 objects, so extraction allocates almost nothing
 * per result.
 *
 * - numbers sit in plain arrays, which V8 keeps unboxed (doubles, or small integers for codes);
 *   an absent canonical value or range bound is NaN (every stored value is finite or infinite);
 * - units, interpretation codes, range texts and days have few distinct values: a dictionary
 *   shared by the series of the record (labDictionaries.ts), and the row keeps the code;
 * - not typed arrays: their memory lies outside the JavaScript heap, and every 64 MB of it makes
 *   V8 collect the whole heap (the patient's input with it), which made 1,000,000 results cost
 *   three full collections per call.
 *
 * Rows are appended during extraction, then put in (day, reference) order once by `seal()`
 * (labOrder.ts); after that the series is read only. Rules read rows by index; `fact(i)` builds a
 * plain LabFact for the few rows a rule reports on (text, evidence).
 */
import type { Day } from "./dates";
import { NumberColumn, StringColumn } from "./labColumns";
import { LabDictionaries } from "./labDictionaries";
import { sortedOrder } from "./labOrder";
import type { LabFact } from "./model";
import type { LabKey } from "./types";

export { LabDictionaries };

export type Comparator = "<" | "<=" | ">" | ">=";

/** Comparator codes: 0 none, then one per comparator. */
const COMPARATORS: readonly (Comparator | undefined)[] = [undefined, "<", "<=", ">", ">="];

function comparatorCode(c: Comparator | undefined): number {
  return c === undefined ? 0 : COMPARATORS.indexOf(c);
}

/** Day number of an undated row: after every real one, so undated rows sort last (a small integer). */
const UNDATED = 0x3fffffff;

export class LabSeries {
  length = 0;
  // The columns: entry i of each is row i.
  private readonly dayNs = new NumberColumn();
  private readonly dayCodes = new NumberColumn();
  private readonly values = new NumberColumn();
  private readonly canonicals = new NumberColumn();
  private readonly lows = new NumberColumn();
  private readonly highs = new NumberColumn();
  private readonly comparators = new NumberColumn();
  private readonly units = new NumberColumn();
  private readonly interps = new NumberColumn();
  private readonly rangeTexts = new NumberColumn();
  private readonly refs = new StringColumn();
  /** Orders results of one day: the reference without its "Observation/" prefix. */
  private readonly sortKeys = new StringColumn();
  /** The rows in (day, reference) order, set by `seal()`: position i shows row `order[i]`. */
  private order: number[] = [];

  constructor(
    readonly key: LabKey,
    private readonly dict: LabDictionaries,
  ) {}

  // Writers, before `seal()`: `i` is the row `push` returned.

  /**
   * Append a result and return its row; then set its value, canonical value and range with the
   * setters. `sortKey` orders results of one day: the reference without its "Observation/" prefix
   * (the same order as the reference, and a string the input already has).
   */
  push(
    ref: string,
    sortKey: string,
    day: Day | null,
    unit: string | null,
    comparator: Comparator | undefined,
    interp: string | null,
  ): number {
    this.dayNs.push(day ? day.n : UNDATED);
    this.dayCodes.push(this.dict.days.code(day));
    this.values.push(NaN);
    this.canonicals.push(NaN);
    this.lows.push(NaN);
    this.highs.push(NaN);
    this.comparators.push(comparatorCode(comparator));
    this.units.push(this.dict.units.code(unit));
    this.interps.push(this.dict.interps.code(interp));
    this.rangeTexts.push(0);
    this.refs.push(ref);
    this.sortKeys.push(sortKey);
    return this.length++;
  }

  /** The value as written. */
  setValue(i: number, v: number): void {
    this.values.set(i, v);
  }
  /** The value in the canonical unit (none: the unit cannot be converted). */
  setCanonical(i: number, v: number): void {
    this.canonicals.set(i, v);
  }
  /** Reference range bounds of row `i`, in the canonical unit. */
  setLow(i: number, v: number): void {
    this.lows.set(i, v);
  }
  setHigh(i: number, v: number): void {
    this.highs.set(i, v);
  }
  setRangeText(i: number, text: string): void {
    this.rangeTexts.set(i, this.dict.rangeTexts.code(text));
  }

  // Readers, after `seal()`: `i` is a position in (day, reference) order.

  /** Day number (days since 1970-01-01); read only when `isDated(i)`. */
  dayN(i: number): number {
    return this.dayNs.get(this.order[i]);
  }
  value(i: number): number {
    return this.values.get(this.order[i]);
  }
  /** Value in the canonical unit; read only when `hasCanonical(i)`. */
  canonical(i: number): number {
    return this.canonicals.get(this.order[i]);
  }
  /** Reference range bounds in the canonical unit; read only when `hasLow(i)` / `hasHigh(i)`. */
  low(i: number): number {
    return this.lows.get(this.order[i]);
  }
  high(i: number): number {
    return this.highs.get(this.order[i]);
  }
  ref(i: number): string {
    return this.refs.get(this.order[i]);
  }
  day(i: number): Day | null {
    return this.dict.days.values[this.dayCodes.get(this.order[i])];
  }
  unit(i: number): string | null {
    return this.dict.units.values[this.units.get(this.order[i])];
  }
  interp(i: number): string | null {
    return this.dict.interps.values[this.interps.get(this.order[i])];
  }
  rangeTextOf(i: number): string | undefined {
    return this.dict.rangeTexts.values[this.rangeTexts.get(this.order[i])] ?? undefined;
  }
  hasCanonical(i: number): boolean {
    return !Number.isNaN(this.canonical(i));
  }
  hasLow(i: number): boolean {
    return !Number.isNaN(this.low(i));
  }
  hasHigh(i: number): boolean {
    return !Number.isNaN(this.high(i));
  }
  comparator(i: number): Comparator | undefined {
    return COMPARATORS[this.comparatorCode(i)];
  }
  /** 0 without a comparator, else 1..4 (one per comparator). */
  comparatorCode(i: number): number {
    return this.comparators.get(this.order[i]);
  }
  isDated(i: number): boolean {
    return this.dayN(i) !== UNDATED;
  }
  /** Dated, converted, and not a bound ("<5"): the results that pair up and make trends. */
  isExact(i: number): boolean {
    return this.comparatorCode(i) === 0 && this.hasCanonical(i) && this.isDated(i);
  }

  /** The first row after `i` for which `isExact` holds, or -1 (`nextExact(-1)` is the first). */
  nextExact(i: number): number {
    for (let k = i + 1; k < this.length; k++) if (this.isExact(k)) return k;
    return -1;
  }

  /** The last row before `i` for which `isExact` holds, or -1 (`prevExact(length)` is the last). */
  prevExact(i: number): number {
    for (let k = i - 1; k >= 0; k--) if (this.isExact(k)) return k;
    return -1;
  }

  /** Row `i` as a plain object, for the few rows a rule describes or cites. */
  fact(i: number): LabFact {
    return {
      key: this.key,
      ref: this.ref(i),
      day: this.day(i),
      value: this.value(i),
      unit: this.unit(i),
      comparator: this.comparator(i),
      canonical: this.hasCanonical(i) ? this.canonical(i) : null,
      refLow: this.hasLow(i) ? this.low(i) : undefined,
      refHigh: this.hasHigh(i) ? this.high(i) : undefined,
      refText: this.rangeTextOf(i),
      interp: this.interp(i),
    };
  }

  /** Put the rows in (day, reference) order, rows equal on both in input order (labOrder.ts). */
  seal(): void {
    this.order = sortedOrder(this.dayNs, this.sortKeys);
  }
}
