/**
 * Memo tables of pure functions: with units.ts's two factor caches (the same rules, kept in
 * units.ts by hand), the engine's only state that outlives a call to `assess()`.
 *
 * | memo                   | module            | key -> value                                                                    | limit   |
 * | ---------------------- | ----------------- | ------------------------------------------------------------------------------- | ------- |
 * | REF_PREFIXES           | json.ts           | resource type -> "Type/" (one string, not one per reference)                    | 1,000   |
 * | PATIENT_IDS            | json.ts           | subject reference -> patient id (a regex spared per resource)                   | 10,000  |
 * | DAYS                   | dates.ts          | YYYYMMDD as a number -> Day (one Day per calendar date)                         | 100,000 |
 * | CANONICAL_SYSTEMS      | systems.ts        | code system as written -> canonical URI (a trim and a lookup spared per coding) | 1,000   |
 * | ICD10_CODES            | codes.ts          | ICD-10 code as written -> without dots, upper case (per coding and value set)   | 10,000  |
 * | UCUM_READS, TEXT_READS | units.ts          | unit as written -> one frozen { unit, source } (an object spared per result)    | 1,000   |
 * | GLOBAL_COPIES          | text/negation.ts  | word pattern -> its global copy (a RegExp spared per search)                    | weak    |
 * | lastRead               | text/negation.ts  | text -> its clauses and their triggers (found once for all the word lists)      | 1       |
 *
 * Why they are safe:
 * - pure: each value is a function of its key alone (not of the record, the options or the clock),
 *   so a hit returns what computing it again would, and no output depends on what was assessed
 *   before; the values are strings, frozen Day objects, and in text/negation.ts RegExps whose
 *   lastIndex is reset before each use and clause lists that are only read;
 * - bounded: keys come from the input, which may hold any number of distinct strings; a memo that
 *   reaches its limit empties itself and fills again. The limits are far above what one record
 *   needs (a record of 1,000,000 results spans a few thousand days and a handful of units), so
 *   within a record each key is computed about once.
 *
 * Each earns its place in `npm run bench -- engine` (1,000,000 Observations): without DAYS every
 * result parses its date again, without PATIENT_IDS every resource runs a regular expression,
 * without REF_PREFIXES every reference builds two strings. The two of text/negation.ts earn theirs
 * on ordinary records, where every coded Condition's text is read for six word lists.
 */
export class Memo<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly limit: number) {}

  /** The remembered value, or undefined (remember "none" as null, not as undefined). */
  get(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): void {
    if (this.map.size >= this.limit) this.map.clear();
    this.map.set(key, value);
  }
}
