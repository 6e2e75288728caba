/** One row of the bench table: a measurement beside the naive baseline of the same run. */
export interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  baseline?: number;
  note?: string;
}

/** What each bench section returns: rows for the table, numbers for bench-results.json. */
export interface BenchResult {
  rows: BenchRow[];
  results: Record<string, number>;
}
