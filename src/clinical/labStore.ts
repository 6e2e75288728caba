/**
 * The lab results of one analyte, one row per result, in a store built for large records: a
 * record with 100,000 results holds a handful of arrays instead of 100,000 objects with boxed
 * numbers, so extraction allocates (and the garbage collector copies) almost nothing per result.
 *
 * - the numbers of a row (day number, value, canonical value, range bounds, flags, and the codes
 *   below) sit side by side in one Float64Array: a typed array, which the garbage collector never
 *   scans or copies, and one allocation per series (typed arrays are slow to allocate);
 * - units, interpretation codes and days have few distinct values: a dictionary shared by the
 *   series of the record, and the row keeps the code;
 * - the reference and its sort key, strings of their own: chunked lists, which grow without copying.
 *
 * Rows are appended during extraction, then put in (day, reference) order once by `seal()`; after
 * that the series is read only. Rules read rows by index; `fact(i)` builds a plain LabFact for the
 * few rows a rule reports on (text, evidence).
 */
import type { Day } from "./dates";
import type { LabFact } from "./model";
import type { LabKey } from "./types";

export type Comparator = "<" | "<=" | ">" | ">=";

/** Bits of the flags. The comparator code (0 none, 1..4) sits in the low three bits. */
const COMPARATOR_MASK = 0b111;
const HAS_CANONICAL = 1 << 3;
const HAS_LOW = 1 << 4;
const HAS_HIGH = 1 << 5;

const COMPARATORS: readonly (Comparator | undefined)[] = [undefined, "<", "<=", ">", ">="];

function comparatorCode(c: Comparator | undefined): number {
  switch (c) {
    case "<":
      return 1;
    case "<=":
      return 2;
    case ">":
      return 3;
    case ">=":
      return 4;
    default:
      return 0;
  }
}

/** Day number of an undated row: after every real one, so undated rows sort last. */
const UNDATED = 0x7fffffff;

// The fields of a row, at these offsets.
const DAY = 0;
const VALUE = 1;
const CANONICAL = 2;
const LOW = 3;
const HIGH = 4;
const FLAGS = 5;
const UNIT = 6;
const INTERP = 7;
const DAY_CODE = 8;
const STRIDE = 9;

const INITIAL_ROWS = 32;
const NO_ROWS = new Float64Array(0);

const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;

/**
 * A list of strings in chunks of 4,096. The first chunk grows like any array (a short series stays
 * small); later ones are allocated at full size at once, so pushing never copies what is there.
 */
class ChunkedList<T> {
  private chunks: T[][] = [[]];
  /** Used slots of the last chunk. */
  private fill = 0;

  push(v: T): void {
    let last = this.chunks[this.chunks.length - 1];
    if (this.fill === CHUNK) {
      last = new Array<T>(CHUNK);
      this.chunks.push(last);
      this.fill = 0;
    }
    last[this.fill++] = v;
  }

  get(i: number): T {
    return this.chunks[i >>> CHUNK_BITS][i & (CHUNK - 1)];
  }

  set(i: number, v: T): void {
    this.chunks[i >>> CHUNK_BITS][i & (CHUNK - 1)] = v;
  }
}

/** Distinct values of a field and their codes (0 is null). */
class Dictionary<T> {
  readonly values: (T | null)[] = [null];
  private codes = new Map<T, number>();

  code(v: T | null): number {
    if (v === null) return 0;
    let c = this.codes.get(v);
    if (c === undefined) {
      c = this.values.length;
      this.values.push(v);
      this.codes.set(v, c);
    }
    return c;
  }
}

/**
 * The few distinct units, interpretation codes and days of one record, shared by its series. Days
 * are keyed by the Day object, not its number: two spellings of one day number keep their own text.
 */
export class LabDictionaries {
  readonly units = new Dictionary<string>();
  readonly interps = new Dictionary<string>();
  readonly days = new Dictionary<Day>();
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class LabSeries {
  length = 0;
  private rows: Float64Array = NO_ROWS;
  private refs = new ChunkedList<string>();
  private sortKeys = new ChunkedList<string>();
  /** Range text by row: most rows have none. */
  private rangeText = new Map<number, string>();

  constructor(
    readonly key: LabKey,
    private readonly dict: LabDictionaries,
  ) {}

  /**
   * Append a result and return its row; then set its value, canonical value and range with the
   * setters. (Numbers go in one at a time rather than as the arguments of one call or the fields
   * of an object: either would box each double, one allocation per number per result.) `sortKey`
   * orders results of one day: the reference without its "Observation/" prefix (the same order as
   * the reference, and a string the input already has).
   */
  push(
    ref: string,
    sortKey: string,
    day: Day | null,
    unit: string | null,
    comparator: Comparator | undefined,
    interp: string | null,
  ): number {
    const i = this.length;
    if ((i + 1) * STRIDE > this.rows.length) {
      const grown = new Float64Array(Math.max(INITIAL_ROWS, i * 2) * STRIDE);
      grown.set(this.rows);
      this.rows = grown;
    }
    const o = i * STRIDE;
    const rows = this.rows;
    rows[o + DAY] = day ? day.n : UNDATED;
    rows[o + FLAGS] = comparatorCode(comparator);
    rows[o + UNIT] = this.dict.units.code(unit);
    rows[o + INTERP] = this.dict.interps.code(interp);
    rows[o + DAY_CODE] = this.dict.days.code(day);
    this.refs.push(ref);
    this.sortKeys.push(sortKey);
    this.length = i + 1;
    return i;
  }

  /** The value as written. */
  setValue(i: number, v: number): void {
    this.rows[i * STRIDE + VALUE] = v;
  }
  /** The value in the canonical unit (none: the unit cannot be converted). */
  setCanonical(i: number, v: number): void {
    this.rows[i * STRIDE + CANONICAL] = v;
    this.rows[i * STRIDE + FLAGS] = this.flags(i) | HAS_CANONICAL;
  }
  /** Reference range bounds of row `i`, in the canonical unit. */
  setLow(i: number, v: number): void {
    this.rows[i * STRIDE + LOW] = v;
    this.rows[i * STRIDE + FLAGS] = this.flags(i) | HAS_LOW;
  }
  setHigh(i: number, v: number): void {
    this.rows[i * STRIDE + HIGH] = v;
    this.rows[i * STRIDE + FLAGS] = this.flags(i) | HAS_HIGH;
  }
  setRangeText(i: number, text: string): void {
    this.rangeText.set(i, text);
  }

  private flags(i: number): number {
    return this.rows[i * STRIDE + FLAGS];
  }

  /** Day number (days since 1970-01-01); read only when `isDated(i)`. */
  dayN(i: number): number {
    return this.rows[i * STRIDE + DAY];
  }
  value(i: number): number {
    return this.rows[i * STRIDE + VALUE];
  }
  /** Value in the canonical unit; read only when `hasCanonical(i)`. */
  canonical(i: number): number {
    return this.rows[i * STRIDE + CANONICAL];
  }
  /** Reference range bounds in the canonical unit; read only when `hasLow(i)` / `hasHigh(i)`. */
  low(i: number): number {
    return this.rows[i * STRIDE + LOW];
  }
  high(i: number): number {
    return this.rows[i * STRIDE + HIGH];
  }
  ref(i: number): string {
    return this.refs.get(i);
  }
  day(i: number): Day | null {
    return this.dict.days.values[this.rows[i * STRIDE + DAY_CODE]];
  }
  unit(i: number): string | null {
    return this.dict.units.values[this.rows[i * STRIDE + UNIT]];
  }
  interp(i: number): string | null {
    return this.dict.interps.values[this.rows[i * STRIDE + INTERP]];
  }
  rangeTextOf(i: number): string | undefined {
    return this.rangeText.size ? this.rangeText.get(i) : undefined;
  }
  hasCanonical(i: number): boolean {
    return (this.flags(i) & HAS_CANONICAL) !== 0;
  }
  hasLow(i: number): boolean {
    return (this.flags(i) & HAS_LOW) !== 0;
  }
  hasHigh(i: number): boolean {
    return (this.flags(i) & HAS_HIGH) !== 0;
  }
  comparator(i: number): Comparator | undefined {
    return COMPARATORS[this.flags(i) & COMPARATOR_MASK];
  }
  /** 0 without a comparator, else 1..4 (one per comparator). */
  comparatorCode(i: number): number {
    return this.flags(i) & COMPARATOR_MASK;
  }
  isDated(i: number): boolean {
    return this.rows[i * STRIDE + DAY] !== UNDATED;
  }
  /** Dated, converted, and not a bound ("<5"): the results that pair up and make trends. */
  isExact(i: number): boolean {
    return (this.flags(i) & (HAS_CANONICAL | COMPARATOR_MASK)) === HAS_CANONICAL && this.isDated(i);
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

  /**
   * Put the rows in day order, then reference order; rows equal on both keep their input order
   * (a panel with two results of one analyte). Results usually arrive in day order, oldest or (as
   * the loader asks FHIR servers for them) newest first: then, in place and in linear time, the
   * rows are turned around if need be, and only results of one day out of reference order move.
   */
  seal(): void {
    const n = this.length;
    let ascending = true;
    let descending = true;
    for (let i = 1; i < n && (ascending || descending); i++) {
      if (this.dayN(i) < this.dayN(i - 1)) ascending = false;
      else if (this.dayN(i) > this.dayN(i - 1)) descending = false;
    }
    if (!ascending && descending) {
      this.reverse(0, n);
      // Rows equal on day and reference (consecutive: one resource's components) are now the wrong
      // way round: put them back in input order.
      const keys = this.sortKeys;
      let start = 0;
      for (let i = 1; i <= n; i++) {
        if (i < n && this.dayN(i) === this.dayN(start) && keys.get(i) === keys.get(start)) continue;
        if (i - start > 1) this.reverse(start, i);
        start = i;
      }
    }
    if (ascending || descending) {
      let start = 0;
      for (let i = 1; i <= n; i++) {
        if (i < n && this.dayN(i) === this.dayN(start)) continue;
        if (i - start > 1) this.sortDay(start, i);
        start = i;
      }
      return;
    }
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const keys = this.sortKeys;
    order.sort((a, b) => this.dayN(a) - this.dayN(b) || compareKeys(keys.get(a), keys.get(b)) || a - b);
    this.permute(order);
  }

  /** Reference order within rows [start, end) of one day. */
  private sortDay(start: number, end: number): void {
    const keys = this.sortKeys;
    let ordered = true;
    for (let i = start + 1; i < end && ordered; i++) if (keys.get(i) < keys.get(i - 1)) ordered = false;
    if (ordered) return;
    if (end - start <= 32) {
      // Insertion sort: stable, in place, nothing allocated; a day rarely has more than a few results.
      for (let i = start + 1; i < end; i++) {
        for (let j = i; j > start && keys.get(j) < keys.get(j - 1); j--) this.swap(j, j - 1);
      }
      return;
    }
    const order = new Int32Array(end - start);
    for (let k = 0; k < order.length; k++) order[k] = start + k;
    order.sort((a, b) => compareKeys(keys.get(a), keys.get(b)) || a - b);
    // Row start+k takes the row that was at order[k]: follow where each original row went.
    const at = new Int32Array(order.length); // at[r - start]: where original row r is now
    const holds = new Int32Array(order.length); // holds[p - start]: which original row is at p
    for (let k = 0; k < order.length; k++) at[k] = holds[k] = start + k;
    for (let k = 0; k < order.length; k++) {
      const want = order[k];
      const from = at[want - start];
      const to = start + k;
      if (from === to) continue;
      const displaced = holds[k];
      this.swap(from, to);
      holds[from - start] = displaced;
      at[displaced - start] = from;
      holds[k] = want;
      at[want - start] = to;
    }
  }

  /** Rows [start, end) in reverse order. */
  private reverse(start: number, end: number): void {
    for (let a = start, b = end - 1; a < b; a++, b--) this.swap(a, b);
  }

  private swap(a: number, b: number): void {
    const rows = this.rows;
    for (let f = 0, oa = a * STRIDE, ob = b * STRIDE; f < STRIDE; f++) {
      const t = rows[oa + f];
      rows[oa + f] = rows[ob + f];
      rows[ob + f] = t;
    }
    const ref = this.refs.get(a);
    this.refs.set(a, this.refs.get(b));
    this.refs.set(b, ref);
    const key = this.sortKeys.get(a);
    this.sortKeys.set(a, this.sortKeys.get(b));
    this.sortKeys.set(b, key);
    if (this.rangeText.size) {
      const ta = this.rangeText.get(a);
      const tb = this.rangeText.get(b);
      if (tb === undefined) this.rangeText.delete(a);
      else this.rangeText.set(a, tb);
      if (ta === undefined) this.rangeText.delete(b);
      else this.rangeText.set(b, ta);
    }
  }

  /** Row k takes the row that was at order[k]. */
  private permute(order: Int32Array): void {
    const n = this.length;
    const src = this.rows.slice(0, n * STRIDE);
    const rows = this.rows;
    const refs = new ChunkedList<string>();
    const keys = new ChunkedList<string>();
    for (let k = 0; k < n; k++) {
      const from = order[k];
      for (let f = 0; f < STRIDE; f++) rows[k * STRIDE + f] = src[from * STRIDE + f];
      refs.push(this.refs.get(from));
      keys.push(this.sortKeys.get(from));
    }
    this.refs = refs;
    this.sortKeys = keys;
    if (this.rangeText.size) {
      const text = new Map<number, string>();
      for (let k = 0; k < n; k++) {
        const t = this.rangeText.get(order[k]);
        if (t !== undefined) text.set(k, t);
      }
      this.rangeText = text;
    }
  }
}
