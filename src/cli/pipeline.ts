/**
 * The command line's engine room, shared by `npm run assess` and `npm run screen`: input files
 * to Assessments in bounded memory. Pass 1 (workers, one input file or one part of a large NDJSON
 * file at a time) streams every resource into temporary bucket files by a hash of its patient id;
 * pass 2 (workers, one bucket at a time) groups, assesses and renders; the merge writes the output
 * in patient-id order. The temporary folder is removed on every exit path. Why buckets and not a
 * database: docs/cli.md.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import type { UnavailableData } from "../clinical/types";
import { InputError, type InputFile } from "./input";
import { mergeResults, type Sink } from "./merge";
import type { ByteRange } from "./lines";
import { emptyFile, type FileCounts } from "./partition";
import { Pool } from "./pool";
import type { OutputFormat } from "./render";
import type { WorklistRow } from "./summary";
import type { WorkerSetup } from "./worker";

/** Bucket size aimed at: one bucket's text is held in a worker while it is assessed. */
const BUCKET_BYTES = 32 * 1024 * 1024;
const MAX_BUCKETS = 4096;
/**
 * An NDJSON file larger than this is read in parts of about this size, each by whichever worker is
 * free: an export often has one large Observation file, which one worker alone would read.
 */
const PART_BYTES = 32 * 1024 * 1024;

interface PartitionTask {
  type: "partition";
  fileIndex: number;
  part?: ByteRange;
}

/** Pass 1's tasks: each file, or each part of a large NDJSON file. */
export function partitionTasks(files: readonly InputFile[], partBytes = PART_BYTES): PartitionTask[] {
  return files.flatMap((file, fileIndex): PartitionTask[] => {
    if (file.kind !== "ndjson" || file.bytes <= partBytes) return [{ type: "partition", fileIndex }];
    const parts = Math.ceil(file.bytes / partBytes);
    const size = Math.ceil(file.bytes / parts);
    return Array.from({ length: parts }, (_, k) => ({
      type: "partition",
      fileIndex,
      part: { start: k * size, end: k === parts - 1 ? Infinity : (k + 1) * size },
    }));
  });
}

/** The counts of each file, from those of its tasks; a file whose parts read nothing is empty. */
function countsByFile(files: readonly InputFile[], tasks: PartitionTask[], counts: FileCounts[]): FileCounts[] {
  const byFile = files.map(() => ({ placed: 0, unplaced: 0, patients: 0 }));
  tasks.forEach((task, k) => {
    const into = byFile[task.fileIndex]!;
    into.placed += counts[k]!.placed;
    into.unplaced += counts[k]!.unplaced;
    into.patients += counts[k]!.patients;
  });
  files.forEach((file, k) => {
    if (file.kind === "ndjson" && byFile[k]!.placed + byFile[k]!.unplaced === 0) throw emptyFile(file);
  });
  return byFile;
}

export interface PipelineOptions {
  /** The path the user gave (for messages). */
  input: string;
  files: InputFile[];
  asOf: string;
  format: OutputFormat;
  sink?: Sink;
  unavailable?: UnavailableData[];
  jobs?: number;
  tmpDir?: string;
  workerMemoryMb?: number;
  assessmentDir?: string;
  worklist?: boolean;
  warn?: (text: string) => void;
}

export interface PipelineResult {
  resources: number;
  patients: number;
  unplaced: number;
  skippedFiles: string[];
  rows: WorklistRow[];
}

export const DEFAULT_WORKER_MEMORY_MB = 2048;

export function defaultJobs(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

/** Removes the temporary folder when the process is interrupted (a finally does not run then). */
function cleanupOnSignal(dir: string): () => void {
  const handler = (signal: NodeJS.Signals) => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", handler);
  process.once("SIGTERM", handler);
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
}

export async function runPipeline(o: PipelineOptions): Promise<PipelineResult> {
  const totalBytes = o.files.reduce((n, f) => n + f.bytes, 0);
  const buckets = Math.min(MAX_BUCKETS, Math.max(1, Math.ceil(totalBytes / BUCKET_BYTES)));
  const jobs = Math.max(1, Math.min(o.jobs ?? defaultJobs(), Math.max(partitionTasks(o.files).length, buckets)));
  const dir = mkdtempSync(join(o.tmpDir ?? tmpdir(), "calcinosis-assess-"));
  const release = cleanupOnSignal(dir);
  const setups: WorkerSetup[] = Array.from({ length: jobs }, (_, writer) => ({
    dir,
    buckets,
    writer,
    writers: jobs,
    files: o.files,
    asOf: o.asOf,
    format: o.format,
    unavailable: o.unavailable,
    assessmentDir: o.assessmentDir,
    worklist: o.worklist,
  }));
  const pool = new Pool(setups, o.workerMemoryMb ?? DEFAULT_WORKER_MEMORY_MB);
  try {
    const tasks = partitionTasks(o.files);
    const taskCounts = (await pool.run(tasks)) as FileCounts[];
    await pool.broadcast({ type: "close" });
    const counts = countsByFile(o.files, tasks, taskCounts);
    const skippedFiles = o.files.filter((_, k) => counts[k]!.placed === 0 && counts[k]!.patients === 0).map((f) => f.shown);
    if (!counts.some((c) => c.patients > 0)) {
      const where = o.files.length === 1 ? o.files[0]!.shown : o.input;
      throw new InputError(where, null, "no Patient resource in the input: nothing to assess");
    }
    for (const f of skippedFiles) o.warn?.(`${f}: skipped: no Patient and no resource that refers to a patient`);
    const resultFiles = Array.from({ length: buckets }, (_, b) => join(dir, `r${b}.tsv`));
    const results = (await pool.run(resultFiles.map((resultFile, bucket) => ({ type: "bucket", bucket, resultFile })))) as {
      patients: number;
      unplaced: number;
      rows: WorklistRow[];
    }[];
    await pool.close();
    if (o.format !== "none" && o.sink) await mergeResults(resultFiles, o.format, o.sink);
    return {
      resources: counts.reduce((n, c) => n + c.placed + c.unplaced, 0),
      patients: results.reduce((n, r) => n + r.patients, 0),
      // Resources of skipped files are reported by the file's warning, not counted again here.
      unplaced: counts.reduce((n, c) => n + (c.placed || c.patients ? c.unplaced : 0), 0) + results.reduce((n, r) => n + r.unplaced, 0),
      skippedFiles,
      rows: results.flatMap((r) => r.rows),
    };
  } finally {
    await pool.close();
    release();
    rmSync(dir, { recursive: true, force: true });
  }
}
