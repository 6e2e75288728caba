/**
 * Bench section `cli` (issue 14): `npm run assess` over a generated Bulk Data export of 100,000,
 * 1,000,000 and 10,000,000 resources (100 per patient; BENCH_CLI_MAX caps the largest size), as a
 * child process writing NDJSON to /dev/null, timed with /usr/bin/time for wall time, CPU time
 * (user + system, every thread) and peak RSS (the whole process: main thread and workers). The
 * CPU-time ratio shows the work done whatever else the machine is running; wall time is what a
 * user waits, and on 2 shared cores it depends on the other load.
 *
 * Baseline, in the same run on the same files: reading every line and JSON.parse alone, in one
 * thread (bench/support/parseOnly.ts). Aims: peak RSS at most 1.5 GB at 10M; wall time at most
 * 1.5 x the baseline; linear: resources per second kept from one size to the next. 100k and 1M are
 * run 5 and 3 times (min/median/max); 10M once (generating and running it takes minutes).
 * Generation is not timed and never part of `npm test`.
 *
 * Floor, up to 1M (it holds the export's text in memory): the work each resource needs whatever
 * the design (parse, assess, render; bench/support/workFloor.ts), its CPU time divided by the
 * cores. No way of grouping resources by patient can make the CLI faster than that, so it says
 * how much of the aim is left for reading, grouping, spilling and merging.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, openSync, closeSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { BenchResult, BenchRow } from "./support/types";
import { writeExport } from "./support/cliInput";

const ROOT = resolve(import.meta.dirname, "..");
const SIZES = [100_000, 1_000_000, 10_000_000];
const RUNS: Record<number, number> = { 100_000: 5, 1_000_000: 3, 10_000_000: 1 };
const RSS_LIMIT_MB = 1536;

interface Timed {
  seconds: number;
  cpuSeconds: number;
  rssMb: number;
}

const r2 = (x: number) => Math.round(x * 100) / 100;
const labelOf = (size: number) => (size >= 1e6 ? `${size / 1e6}M` : `${size / 1e3}k`);

/** One child process under /usr/bin/time: wall seconds and peak RSS. */
function timed(args: string[]): Timed {
  const devnull = openSync("/dev/null", "w");
  try {
    const r = spawnSync("/usr/bin/time", ["-f", "TIME %e %M %U %S", process.execPath, "--import", "tsx", ...args], {
      cwd: ROOT,
      stdio: ["ignore", devnull, "pipe"],
      encoding: "utf8",
      maxBuffer: 1 << 26,
    });
    const m = /TIME ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(r.stderr ?? "");
    if (r.status !== 0 || !m) throw new Error(`${args[0]} exited ${r.status}: ${(r.stderr ?? "").slice(0, 400)}`);
    return { seconds: Number(m[1]), rssMb: Math.round(Number(m[2]) / 1024), cpuSeconds: r2(Number(m[3]) + Number(m[4])) };
  } finally {
    closeSync(devnull);
  }
}

const FLOOR_MAX = 1_000_000;
const FLOOR_RUNS = 3;

/** The floor at one size: parse + assess + render in one thread, spread over the cores (see the header). */
function floorRows(exportDir: string, label: string, parseS: number, results: Record<string, number>): BenchRow[] {
  const cpu: number[] = [];
  for (let k = 0; k < FLOOR_RUNS; k++) {
    const r = spawnSync(process.execPath, ["--import", "tsx", "bench/support/workFloor.ts", exportDir, "2026-11-21"], {
      cwd: ROOT,
      encoding: "utf8",
      maxBuffer: 1 << 20,
    });
    if (r.status !== 0) throw new Error(`workFloor exited ${r.status}: ${(r.stderr ?? "").slice(0, 400)}`);
    cpu.push((JSON.parse(r.stdout) as { cpuSeconds: number }).cpuSeconds);
  }
  const c = stats(cpu);
  const cores = availableParallelism();
  const floor = r2(c.median / cores);
  Object.assign(results, {
    [`cli${label}WorkCpuS`]: r2(c.median),
    [`cli${label}FloorS`]: floor,
    [`cli${label}FloorVsParse`]: r2(floor / parseS),
  });
  return [
    {
      metric: `work floor, ${label}: parse + assess + render over ${cores} cores (median)`,
      value: floor,
      unit: "s",
      baseline: parseS,
      note: `${r2(floor / parseS)}x JSON parsing alone, before any grouping by patient; one thread's CPU ${r2(c.median)} s (min ${r2(c.min)} / max ${r2(c.max)}, ${FLOOR_RUNS} runs)`,
    },
  ];
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0]!, median: s[Math.floor(s.length / 2)]!, max: s[s.length - 1]! };
};

export async function run(): Promise<BenchResult> {
  const rows: BenchRow[] = [];
  const results: Record<string, number> = {};
  const max = Number(process.env.BENCH_CLI_MAX ?? SIZES[SIZES.length - 1]);
  const perSec: Record<number, number> = {};
  for (const size of SIZES.filter((s) => s <= max)) {
    const dir = mkdtempSync(join(tmpdir(), "cli-bench-"));
    try {
      const count = writeExport(join(dir, "export"), size);
      const label = labelOf(size);
      const runs = RUNS[size] ?? 1;
      const cli: Timed[] = [];
      const base: Timed[] = [];
      for (let k = 0; k < runs; k++) {
        base.push(timed(["bench/support/parseOnly.ts", join(dir, "export")]));
        cli.push(timed(["src/cli/assess.ts", join(dir, "export"), "--as-of", "2026-11-21", "--format", "ndjson", "--tmp-dir", dir]));
      }
      if (size <= FLOOR_MAX) rows.push(...floorRows(join(dir, "export"), label, stats(base.map((c) => c.seconds)).median, results));
      const t = stats(cli.map((c) => c.seconds));
      const b = stats(base.map((c) => c.seconds));
      const rss = Math.max(...cli.map((c) => c.rssMb));
      const cpu = stats(cli.map((c) => c.cpuSeconds)).median;
      const baseCpu = stats(base.map((c) => c.cpuSeconds)).median;
      perSec[size] = count / t.median;
      Object.assign(results, {
        [`cli${label}S`]: t.median,
        [`cli${label}SMin`]: t.min,
        [`cli${label}SMax`]: t.max,
        [`cli${label}ParseS`]: b.median,
        [`cli${label}VsParse`]: r2(t.median / b.median),
        [`cli${label}RssMb`]: rss,
        [`cli${label}CpuS`]: cpu,
        [`cli${label}CpuVsParse`]: r2(cpu / baseCpu),
        [`cli${label}ResourcesPerSec`]: Math.round(perSec[size]!),
      });
      const runsNote = runs > 1 ? `${runs} runs, min ${t.min} / max ${t.max} s` : "1 run";
      rows.push({
        metric: `assess CLI, ${count.toLocaleString("en")} resources (median)`,
        value: t.median,
        unit: "s",
        baseline: b.median,
        note: `${r2(t.median / b.median)}x JSON parsing alone (aim <= 1.5x); ${runsNote}; ${availableParallelism()} CPUs`,
      });
      rows.push({
        metric: `assess CLI CPU time, ${label} (median)`,
        value: cpu,
        unit: "s",
        baseline: baseCpu,
        note: `${r2(cpu / baseCpu)}x the CPU of JSON parsing alone; all threads, user + system`,
      });
      rows.push({
        metric: `assess CLI peak RSS, ${label}`,
        value: rss,
        unit: "MB",
        baseline: Math.max(...base.map((c) => c.rssMb)),
        note: `aim <= ${RSS_LIMIT_MB} MB; baseline: the parse-only process`,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  // Linear: resources per second kept as the input grows (the smallest size carries Node, tsx and
  // worker start-up, about 2 s, so each larger size is also compared with the next smaller one).
  const sizes = Object.keys(perSec)
    .map(Number)
    .sort((a, b) => a - b);
  for (let k = 1; k < sizes.length; k++) {
    const [small, big] = [sizes[k - 1]!, sizes[k]!];
    const ratio = r2(perSec[big]! / perSec[small]!);
    results[`cliThroughput${labelOf(big)}Vs${labelOf(small)}`] = ratio;
    rows.push({
      metric: `throughput ${big.toLocaleString("en")} / ${small.toLocaleString("en")} resources`,
      value: ratio,
      unit: "x",
      note: "1 = linear (resources per second kept); above 1: start-up amortised",
    });
  }
  return { rows, results };
}
