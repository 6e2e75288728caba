/**
 * The order of a lab series: by day, then by sort key (the reference); rows equal on both keep
 * their input order (a panel with two results of one analyte). Computed as an array of row
 * numbers; the rows themselves never move.
 *
 * One stable sort (the engine's TimSort), after a pass that finds rows already in order (no sort
 * then). The sort adapts to what results usually look like: in day order, oldest or (as the loader
 * asks FHIR servers for them) newest first, it finds the runs that are in order or reversed and
 * merges them, a few comparisons per row. Measured against sorting only each day's rows (the old
 * store's way, on the same array of row numbers): as fast or faster on series in order, reversed
 * or shuffled within days, at 10,000 and 100,000 rows.
 */
import type { NumberColumn, StringColumn } from "./labColumns";

function compareRows(days: NumberColumn, keys: StringColumn, a: number, b: number): number {
  const byDay = days.get(a) - days.get(b);
  if (byDay !== 0) return byDay;
  const ka = keys.get(a);
  const kb = keys.get(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * Row numbers in sorted order: `order[k]` is the row at position k. `days`: the day number of each
 * row (undated rows carry one after every day); `keys`: its sort key.
 */
export function sortedOrder(days: NumberColumn, keys: StringColumn): number[] {
  const n = days.length;
  const order = new Array<number>(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    order[i] = i;
    if (sorted && i > 0 && compareRows(days, keys, i - 1, i) > 0) sorted = false;
  }
  return sorted ? order : order.sort((a, b) => compareRows(days, keys, a, b));
}
