/**
 * Bench section: the clinical engine (issue 3).
 *
 * - engine1k/10k/100kMs: median time of `assess()` on one synthetic SSc patient with 1,000, 10,000
 *   and 100,000 lab Observations (mixed analytes, mass and molar units, reference ranges, some
 *   panels, some bounded or absent values), after warm-up. Aim: 10,000 well under 50 ms.
 *   Baseline beside each: the same values converted the naive way, one UCUM call per value, without
 *   the engine's per-unit factor cache (what unit handling alone would cost without it).
 * - engineScaling: median time(100k) / median time(10k); 10 means linear (aim: 12 or less, the
 *   rest being caches: 100,000 Observations no longer fit in them). engineScalingMin: the same
 *   ratio of the fastest runs, which a busy machine disturbs less.
 * - engineAlloc{10k,100k}BytesPerObs / engineRetained{10k,100k}BytesPerObs: heap bytes one
 *   assess() allocates, and keeps (the Assessment), per Observation. Measured in a child Node
 *   whose young generation is large enough that no collection runs during the call, so the heap
 *   growth is the allocation: a count, not a time, and the same on a busy machine. Allocation is
 *   what the garbage collector pays for; flat per Observation means it scales linearly too.
 * - cliResourcesPerSec: `npm run assess` as a child process over a folder of 1,000 generated
 *   patients (one Bundle file each), wall time including Node start-up; baseline: the same process
 *   on one small file (start-up cost).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Resource } from "fhir/r4";
import ucum from "@lhncbc/ucum-lhc";
import { assess } from "../src/clinical";
import type { BenchResult, BenchRow } from "./support/types";
import { mulberry32 } from "../sandbox/random";

const AS_OF = "2026-11-21";
const ROOT = resolve(import.meta.dirname, "..");

interface LabSpec {
  code: string;
  unit: string;
  mean: number;
  sd: number;
  high: number;
}
const LABS: LabSpec[] = [
  { code: "17861-6", unit: "mg/dL", mean: 9.4, sd: 0.5, high: 10.2 },
  { code: "2000-8", unit: "mmol/L", mean: 2.35, sd: 0.12, high: 2.6 },
  { code: "2777-1", unit: "mg/dL", mean: 3.6, sd: 0.6, high: 4.5 },
  { code: "2777-1", unit: "mmol/L", mean: 1.15, sd: 0.2, high: 1.45 },
  { code: "2731-8", unit: "pg/mL", mean: 45, sd: 15, high: 65 },
  { code: "14866-8", unit: "pmol/L", mean: 5, sd: 1.5, high: 6.9 },
  { code: "62292-8", unit: "ng/mL", mean: 35, sd: 10, high: 100 },
  { code: "2160-0", unit: "mg/dL", mean: 0.9, sd: 0.2, high: 1.1 },
  { code: "14682-9", unit: "umol/L", mean: 80, sd: 15, high: 97 },
  { code: "33914-3", unit: "mL/min/{1.73_m2}", mean: 80, sd: 15, high: 200 },
  { code: "1751-7", unit: "g/dL", mean: 4.0, sd: 0.3, high: 5.0 },
  { code: "1751-7", unit: "g/L", mean: 40, sd: 3, high: 50 },
];

/** One SSc patient with `n` lab Observations over ten years, plus a handful of other resources. */
export function syntheticPatient(id: string, n: number, seed = 1): Resource[] {
  const rnd = mulberry32(seed);
  const subject = { reference: `Patient/${id}` };
  const out: Resource[] = [
    { resourceType: "Patient", id, gender: "female", birthDate: "1966-03-09" } as Resource,
    {
      resourceType: "Condition",
      id: `${id}-ssc`,
      subject,
      clinicalStatus: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "active" }] },
      code: { coding: [{ system: "http://snomed.info/sct", code: "128460000" }], text: "Diffuse cutaneous systemic sclerosis" },
      onsetDateTime: "2010-06-01",
    } as Resource,
    {
      resourceType: "Condition",
      id: `${id}-du`,
      subject,
      code: { coding: [{ system: "http://hl7.org/fhir/sid/icd-10-cm", code: "L98.491" }], text: "Digital ulcers" },
    } as Resource,
    {
      resourceType: "DiagnosticReport",
      id: `${id}-xr`,
      subject,
      status: "final",
      code: { text: "XR Hip left" },
      effectiveDateTime: "2026-02-10",
      conclusion: "Periarticular calcific mass of the left hip, 3.2 x 2.4 cm.",
    } as Resource,
  ];
  const start = Date.UTC(2016, 10, 21);
  const span = Date.UTC(2026, 10, 20) - start;
  for (let i = 0; i < n; i++) {
    const spec = LABS[i % LABS.length]!;
    const day = new Date(start + Math.floor((span * i) / n)).toISOString().slice(0, 10);
    const value = Math.round((spec.mean + (rnd() - 0.5) * 2 * spec.sd) * 100) / 100;
    const obs: Record<string, unknown> = {
      resourceType: "Observation",
      id: `${id}-o${i}`,
      status: "final",
      subject,
      code: { coding: [{ system: "http://loinc.org", code: spec.code }] },
      effectiveDateTime: `${day}T08:00:00Z`,
      referenceRange: [{ high: { value: spec.high, unit: spec.unit, system: "http://unitsofmeasure.org", code: spec.unit } }],
    };
    const kind = i % 50;
    if (kind === 7) obs.dataAbsentReason = { coding: [{ code: "error" }] };
    else if (kind === 13) obs.valueString = `<${spec.mean}`;
    else obs.valueQuantity = { value, unit: spec.unit, system: "http://unitsofmeasure.org", code: spec.unit };
    if (kind === 21) obs.status = "entered-in-error";
    out.push(obs as unknown as Resource);
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median and fastest wall time of `runs` runs after `warmup` runs (the fastest shows the cost without a busy machine's noise). */
function time(fn: () => void, runs: number, warmup: number): { median: number; min: number } {
  for (let i = 0; i < warmup; i++) fn();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    xs.push(performance.now() - t);
  }
  return { median: median(xs), min: Math.min(...xs) };
}

/** The naive unit path: one UCUM conversion per value, no cache. */
function naiveUnits(resources: Resource[]): void {
  const u = ucum.UcumLhcUtils.getInstance();
  for (const r of resources) {
    const q = (r as { valueQuantity?: { value: number; code: string } }).valueQuantity;
    if (q) u.convertUnitTo(q.code, q.value, q.code);
  }
}

export async function run(): Promise<BenchResult> {
  const rows: BenchRow[] = [];
  const results: Record<string, number> = {};
  const engineMs: Record<number, number> = {};
  const engineMin: Record<number, number> = {};
  for (const n of [1_000, 10_000, 100_000]) {
    const resources = syntheticPatient("bench", n);
    const runs = n >= 100_000 ? 7 : 15;
    const t = time(() => assess(resources, { asOf: AS_OF, patientId: "bench" }), runs, 3);
    const base = time(() => naiveUnits(resources), n >= 100_000 ? 3 : 5, 1).median;
    engineMs[n] = t.median;
    engineMin[n] = t.min;
    const key = `engine${n / 1000}kMs`;
    results[key] = round(t.median);
    results[`${key}Min`] = round(t.min);
    const aim = n === 10_000 ? "aim: well under 50 ms; " : "";
    rows.push({
      metric: `assess(), ${n.toLocaleString("en")} Observations (median)`,
      value: round(t.median),
      unit: "ms",
      baseline: round(base),
      note: `${aim}fastest ${round(t.min)} ms; baseline: uncached UCUM per value`,
    });
  }
  const scaling = engineMs[100_000]! / engineMs[10_000]!;
  const scalingMin = engineMin[100_000]! / engineMin[10_000]!;
  results.engineScaling = round(scaling);
  results.engineScalingMin = round(scalingMin);
  rows.push({
    metric: "scaling 10k -> 100k Observations (medians)",
    value: round(scaling),
    unit: "x",
    note: `10 = linear, aim: 12 or less; fastest runs: ${round(scalingMin)}x`,
  });

  // Heap allocation per Observation (CPU-independent; see the header).
  for (const n of [10_000, 100_000]) {
    const a = allocation(n);
    const key = `${n / 1000}k`;
    results[`engineAlloc${key}BytesPerObs`] = a.allocated;
    results[`engineRetained${key}BytesPerObs`] = a.retained;
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

/** Heap bytes allocated and retained per Observation by one assess(), from a child Node (see `allocationChild`). */
function allocation(n: number): { allocated: number; retained: number } {
  const flags = ["--import", "tsx", "--expose-gc", "--max-semi-space-size=256", "--min-semi-space-size=256"];
  const r = spawnSync(process.execPath, [...flags, fileURLToPath(import.meta.url), ALLOCATION_FLAG, String(n)], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`allocation child exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as { allocated: number; retained: number };
}

const ALLOCATION_FLAG = "--allocation-child";

/** The Assessment of the last measured call, kept alive across the collection that measures it. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- written only to keep the Assessment reachable while it is measured
let kept: unknown = null;

/** One measured call (a function of its own, so no stale register keeps an earlier Assessment alive). */
function measureOnce(resources: Resource[], gc: () => void): { allocated: number; retained: number } {
  kept = null;
  gc();
  const before = process.memoryUsage().heapUsed;
  kept = assess(resources, { asOf: AS_OF, patientId: "bench" });
  const allocated = process.memoryUsage().heapUsed - before;
  gc();
  return { allocated, retained: process.memoryUsage().heapUsed - before };
}

/**
 * In the child: warm up (as many Observations as the timed runs see, so the optimising compiler
 * is done and its own allocations are not counted), then take the median of five calls. Heap
 * growth across a call is its allocation (the young generation holds it all); what a full
 * collection leaves while the Assessment is alive is what it keeps.
 */
function allocationChild(n: number): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc");
  const resources = syntheticPatient("bench", n);
  for (let i = 0; i < Math.max(3, 500_000 / n); i++) assess(resources, { asOf: AS_OF, patientId: "bench" });
  const runs = Array.from({ length: 5 }, () => measureOnce(resources, gc));
  const allocated = median(runs.map((r) => r.allocated));
  const retained = median(runs.map((r) => r.retained));
  process.stdout.write(`${JSON.stringify({ allocated: Math.round(allocated / n), retained: Math.round(retained / n) })}\n`);
}

if (process.argv[2] === ALLOCATION_FLAG && process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  allocationChild(Number(process.argv[3]));
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
