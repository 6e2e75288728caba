/**
 * The last step of the command line: the result files of pass 2 are each sorted by patient id;
 * merging them gives the output in patient-id order while holding one record per file. Records
 * are copied as bytes (only the patient id is decoded, to compare as pass 2 sorted): decoding each
 * Assessment to a string and encoding it again for the output cost more than the copy.
 */
import { LineReader } from "./lines";
import { FRAMING, type OutputFormat } from "./render";

export type Sink = (chunk: string | Uint8Array) => Promise<void> | void;

const CHUNK_BYTES = 1024 * 1024;
/** One read buffer per result file is open at once: keep each small. */
const MERGE_CHUNK_BYTES = 256 * 1024;
const TAB = 9;

interface Head {
  reader: LineReader;
  id: string;
  /** The record, `<id as JSON> TAB <rendered text>` (a view into the reader's buffer). */
  line: Buffer;
  tab: number;
}

function advance(reader: LineReader): Omit<Head, "reader"> | null {
  const line = reader.nextBytes();
  if (line === null || line.length === 0) return null;
  const tab = line.indexOf(TAB);
  return { id: JSON.parse(line.toString("utf8", 0, tab)) as string, line, tab };
}

/** The output, gathered into chunks of about CHUNK_BYTES for the sink (a new buffer each: the sink may keep the last). */
class ChunkedOutput {
  private buf = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;

  constructor(private readonly sink: Sink) {}

  private async room(bytes: number): Promise<void> {
    if (this.used + bytes <= this.buf.length) return;
    await this.flush();
    this.buf = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, bytes));
  }

  async text(s: string): Promise<void> {
    await this.room(Buffer.byteLength(s));
    this.used += this.buf.write(s, this.used);
  }

  /** Copies bytes [from, to) of `src`; with `restoreNewlines`, NUL bytes become newlines (see assessBucket.ts). */
  async bytes(src: Buffer, from: number, to: number, restoreNewlines: boolean): Promise<void> {
    await this.room(to - from);
    const start = this.used;
    this.used += src.copy(this.buf, start, from, to);
    if (!restoreNewlines) return;
    for (let k = this.buf.indexOf(0, start); k >= 0 && k < this.used; k = this.buf.indexOf(0, k + 1)) this.buf[k] = 10;
  }

  async flush(): Promise<void> {
    if (this.used) await this.sink(this.buf.subarray(0, this.used));
    this.used = 0;
  }
}

export async function mergeResults(files: string[], format: Exclude<OutputFormat, "none">, sink: Sink): Promise<number> {
  const heads: Head[] = [];
  for (const f of files) {
    const reader = new LineReader(f, f, MERGE_CHUNK_BYTES);
    const first = advance(reader);
    if (first) heads.push({ reader, ...first });
    else reader.close();
  }
  const framing = FRAMING[format];
  const restoreNewlines = format !== "ndjson";
  const out = new ChunkedOutput(sink);
  let count = 0;
  while (heads.length) {
    let min = 0;
    for (let k = 1; k < heads.length; k++) if (heads[k]!.id < heads[min]!.id) min = k;
    const head = heads[min]!;
    await out.text(count === 0 ? framing.open : framing.between);
    await out.bytes(head.line, head.tab + 1, head.line.length, restoreNewlines);
    count++;
    const next = advance(head.reader);
    if (next) Object.assign(head, next);
    else {
      head.reader.close();
      heads.splice(min, 1);
    }
  }
  await out.text(count === 0 ? framing.empty : framing.close);
  await out.flush();
  return count;
}
