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

/**
 * Calls `onLine(bytes, start, end, lineNumber)` for every line, newline excluded (bytes is only
 * valid during the call). A UTF-8 byte order mark at the start of the file is skipped.
 */
export function forEachLineBytes(
  path: string,
  shown: string,
  onLine: (bytes: Buffer, start: number, end: number, lineNo: number) => void,
  maxLine: number = LIMITS.lineBytes,
): void {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw new InputError(shown, null, `cannot read (${reasonOf(e)})`);
  }
  let carry: Buffer = Buffer.alloc(0);
  let lineNo = 0;
  let first = true;
  try {
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      let n: number;
      try {
        n = readSync(fd, chunk, 0, CHUNK_BYTES, null);
      } catch (e) {
        throw new InputError(shown, null, `cannot read (${reasonOf(e)})`);
      }
      let buf = n === 0 ? carry : carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      if (first && buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
      if (buf.length) first = false;
      let start = 0;
      for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, start)) {
        onLine(buf, start, nl, ++lineNo);
        start = nl + 1;
      }
      if (n === 0) {
        if (start < buf.length) onLine(buf, start, buf.length, ++lineNo);
        return;
      }
      carry = Buffer.from(buf.subarray(start));
      if (carry.length > maxLine) {
        throw new InputError(shown, `line ${lineNo + 1}`, `line longer than ${maxLine / 2 ** 20} MiB: not one resource per line`);
      }
    }
  } finally {
    closeSync(fd);
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
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private eof = false;

  /** `chunkBytes`: small when many readers are open at once (the merge). */
  constructor(
    path: string,
    shown: string,
    private readonly chunkBytes = CHUNK_BYTES,
  ) {
    try {
      this.fd = openSync(path, "r");
    } catch (e) {
      throw new InputError(shown, null, `cannot read (${reasonOf(e)})`);
    }
  }

  /** The next line, or null at the end. */
  next(): string | null {
    for (;;) {
      const nl = this.buf.indexOf(10, this.pos);
      if (nl >= 0) {
        const line = this.buf.toString("utf8", this.pos, nl);
        this.pos = nl + 1;
        return line;
      }
      if (this.eof) {
        if (this.pos >= this.buf.length) return null;
        const line = this.buf.toString("utf8", this.pos);
        this.pos = this.buf.length;
        return line;
      }
      const chunk = Buffer.allocUnsafe(this.chunkBytes);
      const n = readSync(this.fd, chunk, 0, this.chunkBytes, null);
      if (n === 0) this.eof = true;
      const rest = this.buf.subarray(this.pos);
      this.buf = rest.length ? Buffer.concat([rest, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      this.pos = 0;
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}
