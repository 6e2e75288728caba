/**
 * A Bulk Data export of synthetic SSc patients for the CLI bench, written as NDJSON per type
 * (Patient, Condition, DiagnosticReport, Observation split into files of a million lines, as
 * servers split them), 100 resources per patient (bench/support/syntheticPatient.ts with 96
 * Observations). Deterministic: the same size gives the same bytes.
 */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { syntheticPatient } from "./syntheticPatient";

const PER_PATIENT = 100;
const LINES_PER_FILE = 1_000_000;

class NdjsonFiles {
  private fd = -1;
  private part = 0;
  private lines = 0;
  private buffer: string[] = [];

  constructor(
    private readonly dir: string,
    private readonly type: string,
  ) {}

  add(line: string): void {
    if (this.fd < 0 || this.lines === LINES_PER_FILE) this.next();
    this.buffer.push(line);
    this.lines++;
    if (this.buffer.length >= 5000) this.flush();
  }

  private next(): void {
    this.close();
    this.fd = openSync(join(this.dir, `${this.type}.${String(this.part++).padStart(3, "0")}.ndjson`), "w");
    this.lines = 0;
  }

  private flush(): void {
    if (this.buffer.length) writeSync(this.fd, `${this.buffer.join("\n")}\n`);
    this.buffer = [];
  }

  close(): void {
    if (this.fd < 0) return;
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
  }
}

/** Writes about `resources` resources into `dir`; returns the exact count and the bytes written. */
export function writeExport(dir: string, resources: number): number {
  mkdirSync(dir, { recursive: true });
  const files = new Map<string, NdjsonFiles>();
  let count = 0;
  const patients = Math.max(1, Math.round(resources / PER_PATIENT));
  for (let p = 0; p < patients; p++) {
    for (const r of syntheticPatient(`p${String(p).padStart(7, "0")}`, PER_PATIENT - 4, p + 1)) {
      let f = files.get(r.resourceType);
      if (!f) files.set(r.resourceType, (f = new NdjsonFiles(dir, r.resourceType)));
      f.add(JSON.stringify(r));
      count++;
    }
  }
  for (const f of files.values()) f.close();
  return count;
}
