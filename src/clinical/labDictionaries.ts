/**
 * The few distinct texts of a record's lab results (units, interpretation codes, range texts, days),
 * each kept once: a row of a LabSeries holds a small integer code instead of its own string.
 */
import type { Day } from "./dates";

/** Distinct values of a field and their codes; code 0 is "none" (null). */
export class Dictionary<T> {
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
 * The dictionaries shared by the lab series of one record. Days are keyed by the Day object, not
 * its number: two spellings of one day number ("1999-05-01", "0099-05-01") keep their own text.
 */
export class LabDictionaries {
  readonly units = new Dictionary<string>();
  readonly interps = new Dictionary<string>();
  readonly rangeTexts = new Dictionary<string>();
  readonly days = new Dictionary<Day>();
}
