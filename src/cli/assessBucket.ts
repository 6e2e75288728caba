/**
 * Pass 2 of the command line, one bucket at a time (in a worker): read the bucket's records
 * (partition.ts), group them by patient, and for each patient in id order parse its resources,
 * check the first pass's guesses, assess, and append the rendered Assessment to the bucket's
 * result file, one record per line:  <patient id as JSON> TAB <rendered text, "\n" written as NUL>.
 * (Rendered text holds no other control character: JSON escapes them, the text format strips them.)
 * Memory: one bucket's text plus one patient's parsed resources at a time.
 */
import { closeSync, existsSync, openSync, writeSync } from "node:fs";
import type { Resource } from "fhir/r4";
import { assess } from "../clinical";
import type { Assessment, UnavailableData } from "../clinical/types";
import { isResource, notFhir, ownPatient, parseJson } from "./flatten";
import { InputError, type InputFile } from "./input";
import { BinaryPool, exportAttachments } from "./attachments";
import { LineReader, withFileLines } from "./lines";
import { bucketFile } from "./partition";
import { render, type OutputFormat } from "./render";

export interface BucketTask {
  dir: string;
  bucket: number;
  /** How many buckets pass 1 made (the Binary pool is bucketed the same way). */
  buckets: number;
  writers: number;
  /** The input files, by index (for messages). */
  files: readonly Pick<InputFile, "path" | "shown">[];
  asOf: string;
  format: OutputFormat;
  unavailable?: UnavailableData[];
  resultFile: string;
  /** Called with each Assessment (the screening's worklist and per-patient files). */
  onAssessment?: (a: Assessment) => void;
}

export interface BucketResult {
  patients: number;
  /** Resources the first pass placed by their text that, parsed, name no patient. */
  unplaced: number;
}

const FLUSH_CHARS = 1024 * 1024;

function readRecords(task: BucketTask): Map<string, string[]> {
  const byPatient = new Map<string, string[]>();
  for (let w = 0; w < task.writers; w++) {
    const path = bucketFile(task.dir, task.bucket, w);
    if (!existsSync(path)) continue;
    // Line by line (no readFileSync + split): one huge allocation would kill the worker's
    // process outright, where gradual growth ends in a catchable ERR_WORKER_OUT_OF_MEMORY.
    const reader = new LineReader(path, path);
    try {
      for (let record = reader.next(); record !== null; record = reader.next()) {
        if (!record) continue;
        const key = record.slice(0, record.indexOf("\t"));
        const list = byPatient.get(key);
        if (list) list.push(record);
        else byPatient.set(key, [record]);
      }
    } finally {
      reader.close();
    }
  }
  return byPatient;
}

/** Parse one record; null when a first-pass guess turns out to name no patient. */
function parseRecord(record: string, patientId: string, files: BucketTask["files"]): Resource | null {
  const t1 = record.indexOf("\t");
  const t2 = record.indexOf("\t", t1 + 1);
  // <flag><file index>[@<first byte of the part>]:<where>
  const source = record.slice(t1 + 1, t2);
  const colon = source.indexOf(":");
  const at = source.indexOf("@");
  const part = at > 0 && at < colon ? Number(source.slice(at + 1, colon)) : 0;
  const input = files[Number(source.slice(1, part ? at : colon))];
  const file = input?.shown ?? "?";
  const where = source.slice(colon + 1) || null;
  const json = record.slice(t2 + 1);
  const checked = source[0] === "f" ? patientId : null;
  if (!part || !input) return parseChecked(json, file, where, checked);
  return withFileLines(input.path, part, () => parseChecked(json, file, where, checked));
}

/** The resource; with `patientId` (a first-pass guess), checked against what the parse says. */
function parseChecked(json: string, file: string, where: string | null, patientId: string | null): Resource | null {
  const value = parseJson(json, file, where?.startsWith("line ") ? Number(where.slice(5)) : 0);
  if (patientId === null) return value as Resource;
  if (!isResource(value)) throw new InputError(file, where, notFhir(value));
  const own = ownPatient(value);
  if (own === patientId) return value as unknown as Resource;
  if (own === null || own === undefined) return null;
  throw new InputError(file, where, "the patient reference is ambiguous (duplicate property names?); FHIR JSON allows each name once");
}

export async function assessBucket(task: BucketTask): Promise<BucketResult> {
  const byPatient = readRecords(task);
  const ids = [...byPatient.keys()].map((key) => ({ key, id: JSON.parse(key) as string }));
  ids.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const pool = new BinaryPool(task.dir, task.buckets, task.writers);
  const fd = openSync(task.resultFile, "w");
  let out: string[] = [];
  let size = 0;
  let unplaced = 0;
  let patients = 0;
  try {
    for (const { key, id } of ids) {
      const resources: Resource[] = [];
      for (const record of byPatient.get(key)!) {
        const r = parseRecord(record, id, task.files);
        if (r) resources.push(r);
        else unplaced++;
      }
      byPatient.delete(key);
      if (resources.length === 0) continue;
      const attachments = await exportAttachments(resources, pool);
      const a = assess(resources, { asOf: task.asOf, patientId: id, unavailable: task.unavailable, attachments });
      patients++;
      task.onAssessment?.(a);
      if (task.format === "none") continue;
      const text = render(a, task.format);
      // NDJSON is one JSON.stringify: it never holds a raw newline, and the merge copies it as is.
      const line = `${key}\t${task.format === "ndjson" ? text : text.replaceAll("\n", "\0")}\n`;
      out.push(line);
      size += line.length;
      if (size >= FLUSH_CHARS) {
        writeSync(fd, out.join(""));
        out = [];
        size = 0;
      }
    }
    if (out.length) writeSync(fd, out.join(""));
  } finally {
    closeSync(fd);
  }
  return { patients, unplaced };
}
