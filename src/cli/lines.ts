/**
 * Reading a file line by line in fixed-size chunks: memory stays at one chunk plus one line,
 * whatever the file's size. A line longer than LIMITS.lineBytes is refused (one resource that
 * large is not an export line; without a bound, one missing newline would load the whole file).
 */
import { closeSync, openSync, readSync } from "node:fs";
import { InputError, LIMITS, reasonOf } from "./input";

const CHUNK_BYTES = 4 * 1024 * 1024;

/** Pull-based: next() gives the next line (untrimmed, without "\n") or null at the end. */
export class LineReader {
  /** 1-based number of the line next() returned last. */
  lineNo = 0;
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private readonly decoder = new TextDecoder("utf-8");
  private text = "";
  private pos = 0;
  private done = false;
  private first = true;

  constructor(
    path: string,
    private readonly shown: string,
    private readonly maxLine: number = LIMITS.lineBytes,
  ) {
    try {
      this.fd = openSync(path, "r");
    } catch (e) {
      throw new InputError(shown, null, `cannot read (${reasonOf(e)})`);
    }
  }

  next(): string | null {
    let pending = "";
    for (;;) {
      const nl = this.text.indexOf("\n", this.pos);
      if (nl >= 0) {
        const part = this.text.slice(this.pos, nl);
        this.pos = nl + 1;
        this.lineNo++;
        return pending ? pending + part : part;
      }
      pending += this.text.slice(this.pos);
      this.text = "";
      this.pos = 0;
      if (pending.length > this.maxLine) {
        throw new InputError(
          this.shown,
          `line ${this.lineNo + 1}`,
          `line longer than ${this.maxLine / 2 ** 20} MiB: not one resource per line`,
        );
      }
      if (this.done) {
        if (!pending) return null;
        this.lineNo++;
        return pending;
      }
      this.fill();
    }
  }

  close(): void {
    closeSync(this.fd);
  }

  private fill(): void {
    let n: number;
    try {
      n = readSync(this.fd, this.buffer, 0, CHUNK_BYTES, null);
    } catch (e) {
      throw new InputError(this.shown, null, `cannot read (${reasonOf(e)})`);
    }
    if (n === 0) {
      this.done = true;
      this.text = this.decoder.decode();
    } else {
      this.text = this.decoder.decode(this.buffer.subarray(0, n), { stream: true });
    }
    if (this.first && this.text) {
      if (this.text.charCodeAt(0) === 0xfeff) this.text = this.text.slice(1);
      this.first = false;
    }
  }
}

/** Calls `onLine(text, lineNumber)` for every non-blank line (trimmed), in order. */
export function forEachLine(path: string, shown: string, onLine: (line: string, lineNo: number) => void): void {
  const reader = new LineReader(path, shown);
  try {
    for (let raw = reader.next(); raw !== null; raw = reader.next()) {
      const line = raw.trim();
      if (line) onLine(line, reader.lineNo);
    }
  } finally {
    reader.close();
  }
}
