/**
 * The engine bench's measurements, each in a Node of its own (bench/engine.ts starts them), so
 * that one size's heap does not slow the next and the garbage collector sees one patient's input:
 *
 *   engineChild.ts time <n> <runs>   wall time, GC pause time and full collections of each call,
 *                                     after warm-up; the naive unit baseline; peak RSS
 *   engineChild.ts alloc <n>          heap bytes one call allocates and keeps, per Observation
 *                                     (run with --expose-gc and a young generation larger than the
 *                                     call allocates: then no collection runs during the call)
 *
 * The input is the synthetic patient as a parser gives it (JSON text parsed back): the CLI and the
 * app both hand the engine parsed JSON, whose strings and objects lie in memory as a parser lays
 * them out, not as the generator's template strings do. Prints one line of JSON.
 */
import { PerformanceObserver, constants, type PerformanceEntry } from "node:perf_hooks";
import type { Resource } from "fhir/r4";
import ucum from "@lhncbc/ucum-lhc";
import { assess } from "../../src/clinical";
import { syntheticPatient } from "./syntheticPatient";

const AS_OF = "2026-11-21";
const options = { asOf: AS_OF, patientId: "bench" };

/** The synthetic patient through JSON text, in slices (one string of a million resources would be too long). */
function parsedPatient(n: number): Resource[] {
  const generated = syntheticPatient("bench", n);
  const out: Resource[] = [];
  for (let i = 0; i < generated.length; i += 10_000) {
    for (const r of JSON.parse(JSON.stringify(generated.slice(i, i + 10_000))) as Resource[]) out.push(r);
  }
  return out;
}

/** The naive unit path: one UCUM conversion per value, no cache. */
function naiveUnits(resources: Resource[]): void {
  const u = ucum.UcumLhcUtils.getInstance();
  for (const r of resources) {
    const q = (r as { valueQuantity?: { value: number; code: string } }).valueQuantity;
    if (q) u.convertUnitTo(q.code, q.value, q.code);
  }
}

/** Garbage collections as they are reported (after the fact, from the event loop). */
const collections: PerformanceEntry[] = [];
new PerformanceObserver((list) => collections.push(...list.getEntries())).observe({ entryTypes: ["gc"] });
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** Pause time and full collections that began within [from, to). */
async function collectionsBetween(from: number, to: number): Promise<{ ms: number; major: number; any: number }> {
  await settle();
  let ms = 0;
  let major = 0;
  let any = 0;
  for (const e of collections) {
    if (e.startTime < from || e.startTime >= to) continue;
    any++;
    ms += e.duration;
    if ((e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) major++;
  }
  return { ms, major, any };
}

async function time(n: number, runs: number): Promise<void> {
  const resources = parsedPatient(n);
  // Warm-up: at least as many Observations as one timed run, so the optimising compiler is done.
  for (let i = 0; i < Math.max(2, 300_000 / n); i++) assess(resources, options);
  await settle();
  const wallMs: number[] = [];
  const gcMs: number[] = [];
  const majorGcs: number[] = [];
  for (let k = 0; k < runs; k++) {
    const from = performance.now();
    assess(resources, options);
    const to = performance.now();
    const gc = await collectionsBetween(from, to);
    wallMs.push(to - from);
    gcMs.push(gc.ms);
    majorGcs.push(gc.major);
  }
  const baselineMs: number[] = [];
  for (let k = 0; k < 3; k++) {
    const from = performance.now();
    naiveUnits(resources);
    baselineMs.push(performance.now() - from);
  }
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(`${JSON.stringify({ wallMs, gcMs, majorGcs, baselineMs, peakRssMb })}\n`);
}

/** The Assessment of the last measured call, kept alive across the collection that measures it. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- written only to keep the Assessment reachable while it is measured
let kept: unknown = null;

/** One measured call (a function of its own, so no stale register keeps an earlier Assessment alive). */
function measureOnce(resources: Resource[], gc: () => void): { allocated: number; retained: number; from: number; to: number } {
  kept = null;
  gc();
  const before = process.memoryUsage().heapUsed;
  const from = performance.now();
  kept = assess(resources, options);
  const to = performance.now();
  const allocated = process.memoryUsage().heapUsed - before;
  gc();
  return { allocated, retained: process.memoryUsage().heapUsed - before, from, to };
}

/**
 * Warm up (as many Observations as the timed runs see, so the compiler's own allocations are not
 * counted), then the median of five calls. Heap growth across a call is its allocation (the young
 * generation holds it all: a call during which a collection ran is refused); what a full collection
 * leaves while the Assessment is alive is what it keeps.
 */
async function alloc(n: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc");
  const resources = parsedPatient(n);
  for (let i = 0; i < Math.max(3, 500_000 / n); i++) assess(resources, options);
  const runs = [];
  for (let k = 0; k < 5; k++) {
    const r = measureOnce(resources, gc);
    if ((await collectionsBetween(r.from, r.to)).any > 0)
      throw new Error(`a collection ran during the call at ${n}: raise the young generation`);
    runs.push(r);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const allocated = Math.round(median(runs.map((r) => r.allocated)) / n);
  const retained = Math.round(median(runs.map((r) => r.retained)) / n);
  process.stdout.write(`${JSON.stringify({ allocated, retained })}\n`);
}

const [mode, size, runs] = process.argv.slice(2);
const main = mode === "time" ? time(Number(size), Number(runs)) : mode === "alloc" ? alloc(Number(size)) : null;
if (!main) {
  process.stderr.write("usage: engineChild.ts time <n> <runs> | alloc <n>\n");
  process.exitCode = 2;
} else {
  main.catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
