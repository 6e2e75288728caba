/**
 * `npm run bench [-- section ...]`: runs the bench sections in order, prints one table, and merges
 * every section's `results` into bench-results.json at the repository root (git ignores it).
 *
 * A section is a module in bench/ exporting
 *   async function run(): Promise<{ rows: BenchRow[]; results: Record<string, number> }>
 * Sections listed in ORDER run first, in that order; any other bench/*.ts module exporting `run`
 * runs after them, by file name. Adding a section is adding a file. A section that throws is
 * reported and the others still run; the exit code is then 1.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { BenchResult, BenchRow } from "./support/types";

const BENCH_DIR = import.meta.dirname;
const ROOT = resolve(BENCH_DIR, "..");
const RESULTS_FILE = join(ROOT, "bench-results.json");
/** Sections that run first, in this order. */
const ORDER = ["engine", "bundle", "load"];

function sections(): string[] {
  const names = readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && f !== "run.ts")
    .map((f) => basename(f, ".ts"));
  const known = ORDER.filter((n) => names.includes(n));
  return [...known, ...names.filter((n) => !ORDER.includes(n)).sort()];
}

function table(rows: (BenchRow & { section: string })[]): string {
  const head = ["section", "metric", "value", "unit", "baseline", "note"];
  const cells = rows.map((r) => [
    r.section,
    r.metric,
    String(r.value),
    r.unit,
    r.baseline === undefined ? "" : String(r.baseline),
    r.note ?? "",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((x, i) => (i === 2 || i === 4 ? x.padStart(widths[i]!) : x.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)].join("\n");
}

async function main(): Promise<number> {
  const wanted = process.argv.slice(2);
  const all = sections();
  if (wanted.includes("--help") || wanted.includes("-h")) {
    process.stdout.write(`Usage: npm run bench [-- section ...]

Runs the bench sections (all by default, or those named: ${all.join(", ")}), prints one table and
merges the results into bench-results.json.

  --help   this text
`);
    return 0;
  }
  const chosen = wanted.length ? all.filter((s) => wanted.includes(s)) : all;
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length) {
    process.stderr.write(`bench: unknown section(s): ${unknown.join(", ")} (have: ${all.join(", ")})\n`);
    return 2;
  }
  const rows: (BenchRow & { section: string })[] = [];
  const results: Record<string, number> = {};
  let failed = false;
  for (const name of chosen) {
    const mod = (await import(pathToFileURL(join(BENCH_DIR, `${name}.ts`)).href)) as { run?: () => Promise<BenchResult> };
    if (typeof mod.run !== "function") continue;
    process.stderr.write(`bench: ${name} ...\n`);
    try {
      const r = await mod.run();
      for (const row of r.rows) rows.push({ section: name, ...row });
      Object.assign(results, r.results);
    } catch (e) {
      failed = true;
      process.stderr.write(`bench: section ${name} failed: ${e instanceof Error ? e.message : String(e)}\n`);
      rows.push({
        section: name,
        metric: "FAILED",
        value: Number.NaN,
        unit: "",
        note: e instanceof Error ? e.message.split("\n")[0] : String(e),
      });
    }
  }
  process.stdout.write(`${table(rows)}\n`);
  // Merge with earlier results so that running one section keeps the others' numbers.
  let previous: Record<string, number> = {};
  if (existsSync(RESULTS_FILE)) {
    try {
      previous = JSON.parse(readFileSync(RESULTS_FILE, "utf8")) as Record<string, number>;
    } catch {
      previous = {};
    }
  }
  const merged = { ...previous, ...results };
  const sorted = Object.fromEntries(
    Object.keys(merged)
      .sort()
      .map((k) => [k, merged[k]]),
  );
  writeFileSync(RESULTS_FILE, `${JSON.stringify(sorted, null, 2)}\n`);
  process.stdout.write(`results: ${RESULTS_FILE}\n`);
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
