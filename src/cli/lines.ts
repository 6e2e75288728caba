/**
 * Reading a file line by line in fixed-size chunks: memory stays at one chunk plus one line,
 * whatever the file's size. Lines are found in the bytes ('\n' never occurs inside a UTF-8
 * sequence), so only whole lines are decoded. A line longer than LIMITS.lineBytes is refused (one
 * resource that large is not an export line; without a bound, one missing newline would load the
 * whole file).
 */
import { closeSync, openSync, readSync } from "node:fs";
import { InputError, LIMITS, reasonOf } from "./input";

const CHUNK_BYTES = 4 * 1024 * 1024;

/** Part of a file, in bytes: its lines are those whose first byte is in [start, end). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Calls `onLine(bytes, start, end, lineNumber)` for every line, newline excluded (bytes is only
 * valid during the call). A UTF-8 byte order mark at the start of the file is skipped. With a
 * range, only the lines that start in it are read, and they are numbered from 1 (linesBefore
 * gives the offset, when a message needs it): workers can read one large file in parts.
 */
export function forEachLineBytes(
  path: string,
  shown: string,
  onLine: (bytes: Buffer, start: number, end: number, lineNo: number) => void,
  maxLine: number = LIMITS.lineBytes,
  range?: ByteRange,
): void {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw new InputError(shown, null, `cannot read (${reasonOf(e)})`);
  }
  const chunks = new ChunkBuffer();
  const stopAt = range?.end ?? Infinity;
  // A line starts at range.start only if the byte before it is a newline: read from that byte.
  let skipping = range !== undefined && range.start > 0;
  let readAt = skipping ? range!.start - 1 : 0;
  /** The file offset of chunks.bytes[0]. */
  let base = readAt;
  let lineNo = 0;
  let first = !skipping;
  /** While the file's first line is unread: the length of its byte order mark (the line starts at byte 0). */
  let bom = 0;
  try {
    for (;;) {
      let n: number;
      try {
        n = chunks.fill(fd, readAt);
      } catch (e) {
        throw new InputError(shown, null, `cannot read (${reasonOf(e)})`);
      }
      readAt += n;
      const buf = chunks.bytes;
      let start = 0;
      if (first && buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = bom = 3;
      if (buf.length) first = false;
      if (skipping) {
        // The rest of a line that the range before this one reads.
        const nl = buf.indexOf(10);
        if (nl < 0) {
          if (n === 0) return;
          chunks.keepFrom(buf.length);
          base += buf.length;
          continue;
        }
        start = nl + 1;
        skipping = false;
      }
      for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
        if (base + start - bom >= stopAt) return;
        onLine(buf, start, nl, ++lineNo);
        start = nl + 1;
        bom = 0;
      }
      if (base + start - bom >= stopAt) return;
      if (n === 0) {
        if (start < buf.length) onLine(buf, start, buf.length, ++lineNo);
        return;
      }
      base += start;
      if (chunks.keepFrom(start) > maxLine) {
        throw new InputError(shown, `line ${lineNo + 1}`, `line longer than ${maxLine / 2 ** 20} MiB: not one resource per line`);
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** How many lines start before byte `offset` (for messages about a part read with a range). */
export function linesBefore(path: string, offset: number): number {
  if (offset <= 0) return 0;
  let lines = 0;
  forEachLineBytes(path, path, () => void lines++, Infinity, { start: 0, end: offset });
  return lines;
}

/**
 * Runs `read` over the part of `path` that starts at byte `partStart`; an InputError it throws
 * names its line in the whole file ("line N" counted from the part's start is shifted). Lines are
 * counted only then: errors are rare, and counting them on every part would read the file twice.
 */
export function withFileLines<T>(path: string, partStart: number, read: () => T): T {
  if (partStart <= 0) return read();
  try {
    return read();
  } catch (e) {
    if (!(e instanceof InputError) || !e.where?.startsWith("line ")) throw e;
    const before = linesBefore(path, partStart);
    const where = e.where.replace(/^line (\d+)/, (_, n: string) => `line ${Number(n) + before}`);
    throw new InputError(e.file, where, e.what);
  }
}

/**
 * One read buffer, reused for every chunk of a file: the unfinished line at the end of a chunk is
 * moved to the front and the next read lands after it. (A fresh buffer and a concatenation per
 * chunk cost more than the reads: every new page is zeroed and mapped by the kernel.)
 */
class ChunkBuffer {
  private buf: Buffer;
  private used = 0;

  constructor(private readonly chunkBytes = CHUNK_BYTES) {
    this.buf = Buffer.allocUnsafe(chunkBytes);
  }

  /** The bytes read so far and kept (valid until the next fill). */
  get bytes(): Buffer {
    return this.buf.subarray(0, this.used);
  }

  /** Reads the next chunk after what is kept (at file offset `position`, or where the last read ended); returns the bytes read, 0 at the end. */
  fill(fd: number, position: number | null = null): number {
    // A kept line longer than half the buffer: grow it (doubling, so a long line costs few copies).
    if (this.buf.length - this.used < this.chunkBytes / 2) {
      const bigger = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.used + this.chunkBytes));
      this.buf.copy(bigger, 0, 0, this.used);
      this.buf = bigger;
    }
    const n = readSync(fd, this.buf, this.used, this.buf.length - this.used, position);
    this.used += n;
    return n;
  }

  /** Keeps bytes [from, used) at the front; returns how many are kept. */
  keepFrom(from: number): number {
    this.buf.copyWithin(0, from, this.used);
    this.used -= from;
    return this.used;
  }
}

/** Calls `onLine(text, lineNumber)` for every non-blank line (trimmed), in order. */
export function forEachLine(path: string, shown: string, onLine: (line: string, lineNo: number) => void, maxLine?: number): void {
  forEachLineBytes(
    path,
    shown,
    (bytes, start, end, lineNo) => {
      const line = bytes.toString("utf8", start, end).trim();
      if (line) onLine(line, lineNo);
    },
    maxLine,
  );
}

/** Pull-based reading of (untrimmed) lines, for merging several files at once; no length limit. */
export class LineReader {
  private readonly fd: number;
  private readonly chunks: ChunkBuffer;
  private pos = 0;
  private eof = false;

  /** `chunkBytes`: small when many readers are open at once (the merge). */
  constructor(path: string, shown: string, chunkBytes = CHUNK_BYTES) {
    try {
      this.fd = openSync(path, "r");
    } catch (e) {
      throw new InputError(shown, null, `cannot read (${reasonOf(e)})`);
    }
    this.chunks = new ChunkBuffer(chunkBytes);
  }

  /** The next line as bytes, or null at the end: a view, valid until the next call. */
  nextBytes(): Buffer | null {
    for (;;) {
      const buf = this.chunks.bytes;
      const nl = buf.indexOf(10, this.pos);
      if (nl >= 0) {
        const line = buf.subarray(this.pos, nl);
        this.pos = nl + 1;
        return line;
      }
      if (this.eof) {
        if (this.pos >= buf.length) return null;
        const line = buf.subarray(this.pos);
        this.pos = buf.length;
        return line;
      }
      this.chunks.keepFrom(this.pos);
      this.pos = 0;
      if (this.chunks.fill(this.fd) === 0) this.eof = true;
    }
  }

  /** The next line, or null at the end. */
  next(): string | null {
    const line = this.nextBytes();
    return line === null ? null : line.toString("utf8");
  }

  close(): void {
    closeSync(this.fd);
  }
}
