/**
 * Bench section: the clinical engine (issues 3 and 14).
 *
 * - engine{1k,10k,100k,1000k}Ms (and Min, Max): wall time of `assess()` on one synthetic SSc
 *   patient with 1,000 to 1,000,000 lab Observations (bench/support/syntheticPatient.ts), after
 *   warm-up, median of every run. Each size runs in Nodes of its own (bench/support/engineChild.ts),
 *   in ROUNDS rounds that alternate the sizes, so that a busy spell of the machine falls on all of
 *   them. The input is parsed JSON, as the CLI and the app give it. Aim: 10,000 well under 50 ms.
 *   Baseline beside each: the same values converted the naive way, one UCUM call per value,
 *   without the engine's per-unit factors (what unit handling alone would cost without them).
 * - engineScaling: median time(100k) / median time(10k); engineScaling1M: time(1M) / time(100k).
 *   10 means linear; aim: 12 or less. The Min variants: the same ratio of the fastest runs, which a
 *   busy machine disturbs less.
 * - engineGcShare{100k,1000k}: the share of the call's wall time spent in garbage-collection
 *   pauses (perf_hooks "gc" entries that began during the call); aim at 1M: under 15%.
 *   engineMajorGcPerCall1000k: full (mark-compact) collections per call at 1M.
 * - engineAlloc{10k,100k,1000k}BytesPerObs / engineRetained...: heap bytes one assess() allocates,
 *   and keeps (the Assessment), per Observation. Measured in a child Node whose young generation
 *   is larger than the call allocates, so no collection runs during the call and the heap growth
 *   is the allocation: a count, not a time, and the same on a busy machine.
 * - cliResourcesPerSec: `npm run assess` as a child process over a folder of 1,000 generated
 *   patients (one Bundle file each), wall time including Node start-up; baseline: the same process
 *   on one small file (start-up cost).
 *
 * BENCH_ENGINE_MAX=100000 leaves out the 1,000,000 size (about 3 minutes of the section).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { BenchResult, BenchRow } from "./support/types";
import { syntheticPatient } from "./support/syntheticPatient";

const AS_OF = "2026-11-21";
const ROOT = resolve(import.meta.dirname, "..");
const CHILD = join(ROOT, "bench/support/engineChild.ts");

const MAX_SIZE = Number(process.env.BENCH_ENGINE_MAX ?? 1_000_000);
const SIZES = [1_000, 10_000, 100_000, 1_000_000].filter((n) => n <= MAX_SIZE);
/** Timed calls per child, by size; every size runs in ROUNDS children. */
const RUNS: Record<number, number> = { 1_000: 15, 10_000: 15, 100_000: 5, 1_000_000: 3 };
const ROUNDS = 3;
/** Young generation (semi-space, MB) for the allocation count: more than one call allocates. */
const ALLOC_SEMI_SPACE_MB: Record<number, number> = { 10_000: 256, 100_000: 256, 1_000_000: 1024 };

interface Timing {
  wallMs: number[];
  gcMs: number[];
  majorGcs: number[];
  baselineMs: number[];
  peakRssMb: number;
}

function child<T>(flags: string[], args: string[]): T {
  const r = spawnSync(process.execPath, [...flags, "--import", "tsx", CHILD, ...args], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`engine bench child (${args.join(" ")}) exited ${r.status}: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as T;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const label = (n: number) => `${n / 1000}k`;

export async function run(): Promise<BenchResult> {
  const rows: BenchRow[] = [];
  const results: Record<string, number> = {};

  const timings = new Map<number, Timing>(SIZES.map((n) => [n, { wallMs: [], gcMs: [], majorGcs: [], baselineMs: [], peakRssMb: 0 }]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const n of SIZES) {
      process.stderr.write(`bench: engine: ${n.toLocaleString("en")} Observations, round ${round + 1} of ${ROUNDS}\n`);
      const t = child<Timing>([], ["time", String(n), String(RUNS[n])]);
      const all = timings.get(n)!;
      all.wallMs.push(...t.wallMs);
      all.gcMs.push(...t.gcMs);
      all.majorGcs.push(...t.majorGcs);
      all.baselineMs.push(...t.baselineMs);
      all.peakRssMb = Math.max(all.peakRssMb, t.peakRssMb);
    }
  }

  for (const n of SIZES) {
    const t = timings.get(n)!;
    const key = `engine${label(n)}Ms`;
    const gcShare = (100 * sum(t.gcMs)) / sum(t.wallMs);
    results[key] = round(median(t.wallMs));
    results[`${key}Min`] = round(Math.min(...t.wallMs));
    results[`${key}Max`] = round(Math.max(...t.wallMs));
    results[`engineGcShare${label(n)}`] = round(gcShare);
    const aim = n === 10_000 ? "aim: well under 50 ms; " : "";
    rows.push({
      metric: `assess(), ${n.toLocaleString("en")} Observations (median of ${t.wallMs.length})`,
      value: round(median(t.wallMs)),
      unit: "ms",
      baseline: round(median(t.baselineMs)),
      note: `${aim}min ${round(Math.min(...t.wallMs))}, max ${round(Math.max(...t.wallMs))} ms; GC ${round(gcShare)}% of the time; baseline: uncached UCUM per value`,
    });
  }

  const ratio = (a: number, b: number, pick: (xs: number[]) => number) =>
    round(pick(timings.get(a)!.wallMs) / pick(timings.get(b)!.wallMs));
  const fastest = (xs: number[]) => Math.min(...xs);
  for (const [from, to, key] of [
    [10_000, 100_000, "engineScaling"],
    [100_000, 1_000_000, "engineScaling1M"],
  ] as const) {
    if (!timings.has(to)) continue;
    results[key] = ratio(to, from, median);
    results[`${key}Min`] = ratio(to, from, fastest);
    rows.push({
      metric: `scaling ${label(from)} -> ${label(to)} Observations (medians)`,
      value: results[key],
      unit: "x",
      note: `10 = linear, aim: 12 or less; fastest runs: ${results[`${key}Min`]}x`,
    });
  }
  const largest = SIZES[SIZES.length - 1]!;
  const big = timings.get(largest)!;
  results[`engineMajorGcPerCall${label(largest)}`] = round(sum(big.majorGcs) / big.majorGcs.length);
  results[`enginePeakRss${label(largest)}Mb`] = big.peakRssMb;
  rows.push({
    metric: `GC share of assess(), ${largest.toLocaleString("en")} Observations`,
    value: results[`engineGcShare${label(largest)}`]!,
    unit: "%",
    note: `aim: under 15%; ${results[`engineMajorGcPerCall${label(largest)}`]} full collections per call; peak RSS ${big.peakRssMb} MB (the input included)`,
  });

  // Heap allocation per Observation (CPU-independent; see the header).
  for (const n of SIZES.filter((s) => s >= 10_000)) {
    const semi = String(ALLOC_SEMI_SPACE_MB[n]);
    const a = child<{ allocated: number; retained: number }>(
      ["--expose-gc", `--max-semi-space-size=${semi}`, `--min-semi-space-size=${semi}`],
      ["alloc", String(n)],
    );
    results[`engineAlloc${label(n)}BytesPerObs`] = a.allocated;
    results[`engineRetained${label(n)}BytesPerObs`] = a.retained;
    rows.push({
      metric: `assess() heap allocated per Observation, ${n.toLocaleString("en")}`,
      value: a.allocated,
      unit: "B",
      note: `of which ${a.retained} B kept in the Assessment; no GC during the call (child Node, large young generation)`,
    });
  }

  // CLI throughput over a folder of 1,000 patients.
  const dir = mkdtempSync(join(tmpdir(), "assess-bench-"));
  try {
    let resources = 0;
    for (let p = 0; p < 1000; p++) {
      const id = `p${String(p).padStart(4, "0")}`;
      const list = syntheticPatient(id, 40, p + 1);
      resources += list.length;
      writeFileSync(
        join(dir, `${id}.json`),
        JSON.stringify({ resourceType: "Bundle", type: "collection", entry: list.map((resource) => ({ resource })) }),
      );
    }
    const cli = (path: string) => {
      const t = performance.now();
      const r = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "src/cli/assess.ts"), path, "--as-of", AS_OF], {
        cwd: ROOT,
        maxBuffer: 1 << 30,
        encoding: "utf8",
      });
      if (r.status !== 0) throw new Error(`assess exited ${r.status}: ${r.stderr}`);
      return performance.now() - t;
    };
    const one = cli(join(dir, "p0000.json"));
    const all = cli(dir);
    const perSec = resources / (all / 1000);
    results.cliFolderMs = Math.round(all);
    results.cliResourcesPerSec = Math.round(perSec);
    rows.push({
      metric: `CLI over a folder of 1,000 patients (${resources.toLocaleString("en")} resources)`,
      value: Math.round(all),
      unit: "ms",
      baseline: Math.round(one),
      note: "baseline: the CLI on one patient file (start-up)",
    });
    rows.push({ metric: "CLI throughput", value: Math.round(perSec), unit: "resources/s" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { rows, results };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
