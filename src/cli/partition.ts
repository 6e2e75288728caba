/**
 * Pass 1 of the command line: every input resource is appended to one of B temporary bucket
 * files, chosen by a hash of its patient id, so that each bucket holds whole patients and is small
 * enough to group in memory (pass 2, assessBucket.ts). One bucket record per line:
 *
 *   <patient id as JSON> TAB <check flag><file>:<position> TAB <resource JSON>
 *
 * The check flag is "f" when the patient came from fastPatientId (pass 2 verifies it after
 * parsing) and "p" when it came from a parse. <file> is the file's index, and for a part of a large
 * NDJSON file "@<first byte of the part>" after it (its lines are numbered from the part's start;
 * see withFileLines). Each worker writes its own set of bucket files.
 */
import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fastPatientId } from "./fastRoute";
import { flatten, parseJson, type Placed } from "./flatten";
import { InputError, LIMITS, reasonOf, type InputFile } from "./input";
import { forEachLineBytes, withFileLines, type ByteRange } from "./lines";

const FLUSH_BYTES = 256 * 1024;
const NEWLINE = Buffer.from("\n");

export interface FileCounts {
  placed: number;
  unplaced: number;
  patients: number;
}

/** FNV-1a over the id's UTF-16 code units: cheap, stable across runs and threads. */
export function bucketOf(patientId: string, buckets: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < patientId.length; i++) {
    h ^= patientId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % buckets;
}

export function bucketFile(dir: string, bucket: number, writer: number): string {
  return join(dir, `b${bucket}.w${writer}.tsv`);
}

/** The pool of Binaries that name no patient, by a hash of the Binary id (BinaryPool reads it). */
export function binaryPoolFile(dir: string, bucket: number, writer: number): string {
  return join(dir, `binary${bucket}.w${writer}.tsv`);
}

/** Buffered appends to this worker's bucket files (each opened for the append, so no fd is held). */
export class BucketWriter {
  private readonly buffers: Buffer[] = [];
  private readonly used: number[] = [];

  constructor(
    private readonly dir: string,
    private readonly buckets: number,
    private readonly writer: number,
  ) {}

  /** A Binary of no patient: `<id JSON> TAB <json> LF` in the pool (written at once: Binaries are few). */
  addBinary(id: string, json: string): void {
    appendFileSync(binaryPoolFile(this.dir, bucketOf(id, this.buckets), this.writer), `${JSON.stringify(id)}\t${json}\n`);
  }

  /** Appends `<patient JSON> TAB <source> TAB <json> LF`; json as a string or as bytes[start, end). */
  add(patientId: string, source: string, json: string | Buffer, start = 0, end = json.length): void {
    const b = bucketOf(patientId, this.buckets);
    const head = `${JSON.stringify(patientId)}\t${source}\t`;
    const body = typeof json === "string" ? Buffer.from(json) : json;
    const [from, to] = typeof json === "string" ? [0, body.length] : [start, end];
    const size = Buffer.byteLength(head) + (to - from) + 1;
    let buf = this.buffers[b];
    if (!buf) buf = this.buffers[b] = Buffer.allocUnsafe(FLUSH_BYTES);
    if ((this.used[b] ?? 0) + size > FLUSH_BYTES) this.flush(b);
    if (size > FLUSH_BYTES) {
      appendFileSync(bucketFile(this.dir, b, this.writer), Buffer.concat([Buffer.from(head), body.subarray(from, to), NEWLINE]));
      return;
    }
    let at = this.used[b] ?? 0;
    at += buf.write(head, at, "utf8");
    at += body.copy(buf, at, from, to);
    buf[at++] = 10;
    this.used[b] = at;
  }

  private flush(b: number): void {
    const used = this.used[b] ?? 0;
    if (!used) return;
    appendFileSync(bucketFile(this.dir, b, this.writer), this.buffers[b]!.subarray(0, used));
    this.used[b] = 0;
  }

  close(): void {
    for (let b = 0; b < this.buckets; b++) this.flush(b);
    this.buffers.length = 0;
  }
}

function addPlaced(placed: Placed[], fileRef: string, where: string, out: BucketWriter, counts: FileCounts): void {
  placed.forEach((p, k) => {
    if (p.resource.resourceType === "Patient" && p.patientId !== null) counts.patients++;
    // A Binary of no patient: kept in the pool, for the reports and notes that point at it.
    if (p.patientId === null && p.resource.resourceType === "Binary" && typeof p.resource.id === "string") {
      return void out.addBinary(p.resource.id, JSON.stringify(p.resource));
    }
    if (p.patientId === null) return void counts.unplaced++;
    counts.placed++;
    const position = [where, placed.length > 1 ? `resource ${k + 1}` : ""].filter(Boolean).join(", ");
    out.add(p.patientId, `p${fileRef}:${position}`, JSON.stringify(p.resource));
  });
}

/** Pass 1 over one NDJSON file, or over the lines that start in `part` of it. */
function partitionLines(file: InputFile, fileIndex: number, out: BucketWriter, counts: FileCounts, part?: ByteRange): void {
  const fileRef = part?.start ? `${fileIndex}@${part.start}` : `${fileIndex}`;
  forEachLineBytes(
    file.path,
    file.shown,
    (bytes, from, to, lineNo) => {
      // Trim white space (and a CR) at both ends; blank lines are skipped.
      while (from < to && (bytes[from] === 32 || bytes[from] === 9 || bytes[from] === 13)) from++;
      while (to > from && (bytes[to - 1] === 32 || bytes[to - 1] === 9 || bytes[to - 1] === 13)) to--;
      if (from === to) return;
      const line = bytes.subarray(from, to);
      const fast = fastPatientId(line);
      if (fast !== undefined) {
        counts.placed++;
        out.add(fast, `f${fileRef}:line ${lineNo}`, line);
        return;
      }
      const placed = flatten(parseJson(line.toString("utf8"), file.shown, lineNo), file.shown, `line ${lineNo}`);
      addPlaced(placed, fileRef, `line ${lineNo}`, out, counts);
    },
    undefined,
    part,
  );
}

/**
 * Pass 1 over one input file, or over a part of a large NDJSON file (the pipeline checks such a
 * file's parts together: a part may hold no line). Throws InputError on bad input.
 */
export function partitionFile(file: InputFile, fileIndex: number, out: BucketWriter, part?: ByteRange): FileCounts {
  const counts: FileCounts = { placed: 0, unplaced: 0, patients: 0 };
  if (file.kind === "ndjson") {
    withFileLines(file.path, part?.start ?? 0, () => partitionLines(file, fileIndex, out, counts, part));
    if (!part && counts.placed + counts.unplaced === 0) throw emptyFile(file);
    return counts;
  }
  if (file.bytes > LIMITS.jsonFileBytes) {
    throw new InputError(
      file.shown,
      null,
      `JSON file larger than ${LIMITS.jsonFileBytes / 2 ** 20} MiB: export it as NDJSON (read line by line)`,
    );
  }
  let text: string;
  try {
    text = readFileSync(file.path, "utf8");
  } catch (e) {
    throw new InputError(file.shown, null, `cannot read (${reasonOf(e)})`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  addPlaced(flatten(parseJson(text, file.shown), file.shown, null), `${fileIndex}`, "", out, counts);
  return counts;
}

export const emptyFile = (file: InputFile) => new InputError(file.shown, null, "empty: no resources");
