/**
 * Pass 1 of the command line: every input resource is appended to one of B temporary bucket
 * files, chosen by a hash of its patient id, so that each bucket holds whole patients and is small
 * enough to group in memory (pass 2, assessBucket.ts). One bucket record per line:
 *
 *   <patient id as JSON> TAB <check flag><file index>:<position> TAB <resource JSON>
 *
 * The check flag is "f" when the patient came from fastPatientId (pass 2 verifies it after
 * parsing) and "p" when it came from a parse. Each worker writes its own set of bucket files.
 */
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { fastPatientId } from "./fastRoute";
import { flatten, parseJson, type Placed } from "./flatten";
import { InputError, LIMITS, reasonOf, type InputFile } from "./input";
import { forEachLine } from "./lines";

const FLUSH_CHARS = 256 * 1024;

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

/** Buffered appends to this worker's bucket files (opened on first use). */
export class BucketWriter {
  private readonly fds = new Map<number, number>();
  private readonly buffers: string[][] = [];
  private readonly sizes: number[] = [];

  constructor(
    private readonly dir: string,
    private readonly buckets: number,
    private readonly writer: number,
  ) {
    for (let b = 0; b < buckets; b++) {
      this.buffers.push([]);
      this.sizes.push(0);
    }
  }

  add(patientId: string, source: string, json: string): void {
    const b = bucketOf(patientId, this.buckets);
    const record = `${JSON.stringify(patientId)}\t${source}\t${json}\n`;
    this.buffers[b]!.push(record);
    this.sizes[b]! += record.length;
    if (this.sizes[b]! >= FLUSH_CHARS) this.flush(b);
  }

  private flush(b: number): void {
    if (this.sizes[b] === 0) return;
    let fd = this.fds.get(b);
    if (fd === undefined) {
      fd = openSync(bucketFile(this.dir, b, this.writer), "a");
      this.fds.set(b, fd);
    }
    writeSync(fd, this.buffers[b]!.join(""));
    this.buffers[b] = [];
    this.sizes[b] = 0;
  }

  close(): void {
    for (let b = 0; b < this.buckets; b++) this.flush(b);
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}

function addPlaced(placed: Placed[], fileIndex: number, where: string, out: BucketWriter, counts: FileCounts): void {
  placed.forEach((p, k) => {
    if (p.resource.resourceType === "Patient" && p.patientId !== null) counts.patients++;
    if (p.patientId === null) return void counts.unplaced++;
    counts.placed++;
    const position = [where, placed.length > 1 ? `resource ${k + 1}` : ""].filter(Boolean).join(", ");
    out.add(p.patientId, `p${fileIndex}:${position}`, JSON.stringify(p.resource));
  });
}

/** Pass 1 over one input file. Throws InputError on bad input. */
export function partitionFile(file: InputFile, fileIndex: number, out: BucketWriter): FileCounts {
  const counts: FileCounts = { placed: 0, unplaced: 0, patients: 0 };
  if (file.kind === "ndjson") {
    forEachLine(file.path, file.shown, (line, lineNo) => {
      const fast = fastPatientId(line);
      if (fast !== undefined) {
        counts.placed++;
        out.add(fast, `f${fileIndex}:line ${lineNo}`, line);
      } else {
        addPlaced(flatten(parseJson(line, file.shown, lineNo), file.shown, `line ${lineNo}`), fileIndex, `line ${lineNo}`, out, counts);
      }
    });
    if (counts.placed + counts.unplaced === 0) throw new InputError(file.shown, null, "empty: no resources");
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
  addPlaced(flatten(parseJson(text, file.shown), file.shown, null), fileIndex, "", out, counts);
  return counts;
}
