/**
 * A worker thread of the command line (pool.ts starts them): pass 1 (partition input files into
 * bucket files) and pass 2 (assess a bucket), one task at a time. Bad input comes back as
 * { inputError }, anything else as { internal }; never an uncaught exception.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Assessment, UnavailableData } from "../clinical/types";
import { assessBucket } from "./assessBucket";
import { InputError, type InputFile } from "./input";
import type { ByteRange } from "./lines";
import { BucketWriter, partitionFile } from "./partition";
import type { OutputFormat } from "./render";
import { summarise, writeAssessmentFile, type WorklistRow } from "./summary";

export interface WorkerSetup {
  dir: string;
  buckets: number;
  writer: number;
  writers: number;
  files: InputFile[];
  asOf: string;
  format: OutputFormat;
  unavailable?: UnavailableData[];
  /** Screening: write each Assessment as <dir>/<patient>.json and return worklist rows. */
  assessmentDir?: string;
  worklist?: boolean;
}

export type WorkerTask =
  { type: "partition"; fileIndex: number; part?: ByteRange } | { type: "close" } | { type: "bucket"; bucket: number; resultFile: string };

export type WorkerReply =
  { ok: true; value: unknown } | { ok: false; inputError?: { file: string; where: string | null; what: string }; internal?: string };

const setup = workerData as WorkerSetup;
const writer = new BucketWriter(setup.dir, setup.buckets, setup.writer);

async function perform(task: WorkerTask): Promise<unknown> {
  if (task.type === "partition") return partitionFile(setup.files[task.fileIndex]!, task.fileIndex, writer, task.part);
  if (task.type === "close") return void writer.close();
  const rows: WorklistRow[] = [];
  const onAssessment =
    setup.assessmentDir || setup.worklist
      ? (a: Assessment) => {
          if (setup.assessmentDir) writeAssessmentFile(setup.assessmentDir, a);
          if (setup.worklist) rows.push(summarise(a));
        }
      : undefined;
  const result = await assessBucket({
    dir: setup.dir,
    bucket: task.bucket,
    buckets: setup.buckets,
    writers: setup.writers,
    files: setup.files,
    asOf: setup.asOf,
    format: setup.format,
    unavailable: setup.unavailable,
    resultFile: task.resultFile,
    onAssessment,
  });
  return { ...result, rows };
}

parentPort!.on("message", async (task: WorkerTask) => {
  let reply: WorkerReply;
  try {
    reply = { ok: true, value: await perform(task) };
  } catch (e) {
    reply =
      e instanceof InputError
        ? { ok: false, inputError: { file: e.file, where: e.where, what: e.what } }
        : { ok: false, internal: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply);
});
