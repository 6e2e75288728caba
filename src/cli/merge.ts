/**
 * The last step of the command line: the result files of pass 2 are each sorted by patient id;
 * merging them gives the output in patient-id order while holding one record per file.
 */
import { LineReader } from "./lines";
import { FRAMING, type OutputFormat } from "./render";

export type Sink = (text: string) => Promise<void> | void;

const CHUNK_CHARS = 1024 * 1024;
/** One read buffer per result file is open at once: keep each small. */
const MERGE_CHUNK_BYTES = 256 * 1024;

interface Head {
  reader: LineReader;
  id: string;
  text: string;
}

function advance(reader: LineReader): Omit<Head, "reader"> | null {
  const line = reader.next();
  if (line === null || line === "") return null;
  const tab = line.indexOf("\t");
  return { id: JSON.parse(line.slice(0, tab)) as string, text: line.slice(tab + 1).replaceAll("\0", "\n") };
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
  let count = 0;
  let chunk: string[] = [];
  let size = 0;
  while (heads.length) {
    let min = 0;
    for (let k = 1; k < heads.length; k++) if (heads[k]!.id < heads[min]!.id) min = k;
    const head = heads[min]!;
    const piece = (count === 0 ? framing.open : framing.between) + head.text;
    count++;
    chunk.push(piece);
    size += piece.length;
    if (size >= CHUNK_CHARS) {
      await sink(chunk.join(""));
      chunk = [];
      size = 0;
    }
    const next = advance(head.reader);
    if (next) Object.assign(head, next);
    else {
      head.reader.close();
      heads.splice(min, 1);
    }
  }
  chunk.push(count === 0 ? framing.empty : framing.close);
  await sink(chunk.join(""));
  return count;
}
