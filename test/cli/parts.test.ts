/**
 * Pass 1 reads a large NDJSON file in parts, one per worker task (src/cli/pipeline.ts): every line
 * must be read by exactly one part, and a message about a line in a later part must still name its
 * line in the whole file. Part sizes here are tiny so that boundaries fall everywhere: inside a
 * line, on a newline, on a CR, inside a multi-byte character, on a blank line.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { assessBucket } from "../../src/cli/assessBucket";
import type { InputFile } from "../../src/cli/input";
import { forEachLineBytes, linesBefore } from "../../src/cli/lines";
import { BucketWriter, partitionFile } from "../../src/cli/partition";
import { partitionTasks } from "../../src/cli/pipeline";

const tmp = mkdtempSync(join(tmpdir(), "assess-parts-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const observation = (k: number, patient: string) =>
  JSON.stringify({
    resourceType: "Observation",
    id: `o${k}`,
    status: "final",
    subject: { reference: `Patient/${patient}` },
    code: { text: k % 3 ? "Calcium" : "Kalzium – Gesamt" },
    note: [{ text: "x".repeat(k % 17) }],
  });

/** An NDJSON file with a byte order mark, CRLF endings, blank lines and no final newline. */
function awkwardFile(name: string, lines: string[]): InputFile {
  const path = join(tmp, name);
  writeFileSync(
    path,
    `\uFEFF${lines
      .map((l, k) => (k % 5 === 4 ? `${l}\r\n\n` : `${l}\n`))
      .join("")
      .trimEnd()}`,
  );
  return { path, shown: name, kind: "ndjson", bytes: statSync(path).size };
}

/** Every line as [number in the file, text], reading the file in the parts pass 1 would make. */
function readInParts(file: InputFile, partBytes: number): [number, string][] {
  const out: [number, string][] = [];
  for (const task of partitionTasks([file], partBytes)) {
    const before = task.part ? linesBefore(file.path, task.part.start) : 0;
    forEachLineBytes(file.path, file.shown, (b, s, e, n) => out.push([before + n, b.toString("utf8", s, e)]), undefined, task.part);
  }
  return out;
}

describe("reading an NDJSON file in parts", () => {
  const lines = Array.from({ length: 300 }, (_, k) => observation(k, `p${k % 7}`));
  const file = awkwardFile("awkward.ndjson", lines);

  it("splits only NDJSON files larger than a part", () => {
    expect(partitionTasks([file], file.bytes)).toEqual([{ type: "partition", fileIndex: 0 }]);
    expect(partitionTasks([{ ...file, kind: "json" }], 100)).toHaveLength(1);
    const tasks = partitionTasks([file], 1000);
    expect(tasks.length).toBe(Math.ceil(file.bytes / 1000));
    expect(tasks[0]!.part!.start).toBe(0);
    expect(tasks.at(-1)!.part!.end).toBe(Infinity);
  });

  for (const partBytes of [2, 3, 97, 256, 1000, 4093]) {
    it(`reads every line once, with its number in the file, in parts of ${partBytes} bytes`, () => {
      const whole: [number, string][] = [];
      forEachLineBytes(file.path, file.shown, (b, s, e, n) => whole.push([n, b.toString("utf8", s, e)]));
      expect(whole.length).toBeGreaterThan(300);
      expect(readInParts(file, partBytes)).toEqual(whole);
    });
  }

  it("counts the lines before a byte as a whole read does", () => {
    const text = readFileSync(file.path);
    for (const offset of [1, 2, 3, 4, 5, 500, 2048, text.length]) {
      const starts = [0, ...[...text.subarray(0, offset - 1).entries()].filter(([, c]) => c === 10).map(([k]) => k + 1)];
      expect(linesBefore(file.path, offset)).toBe(starts.filter((k) => k < offset).length);
    }
  });
});

describe("messages about a line in a later part name its line in the whole file", () => {
  const writerDir = () => mkdtempSync(join(tmp, "buckets-"));
  const lines = Array.from({ length: 200 }, (_, k) => observation(k, "p1"));

  it("not valid JSON, found by pass 1", () => {
    const bad = [...lines];
    bad[150] = '{"resourceType":"Observation",';
    const file = awkwardFile("bad-json.ndjson", bad);
    const badLine = readInParts(file, file.bytes).find(([, text]) => text === bad[150])![0];
    const tasks = partitionTasks([file], 2000);
    const out = new BucketWriter(writerDir(), 1, 0);
    const errors = tasks.flatMap((t) => {
      try {
        partitionFile(file, 0, out, t.part);
        return [];
      } catch (e) {
        return [(e as Error).message];
      }
    });
    expect(errors).toEqual([expect.stringMatching(new RegExp(`^bad-json\\.ndjson: line ${badLine}, column \\d+: not valid JSON`))]);
  });

  it("an ambiguous patient reference, found by pass 2's check", async () => {
    const dup = [...lines];
    // The fast route sees one name, the nested "patient"; the parse reads the top-level "subject"
    // written with an escape, which names another patient.
    dup[180] =
      '{"resourceType":"Observation","id":"dup2","subj\\u0065ct":{"reference":"Patient/p2"},"extension":[{"patient":{"reference":"Patient/p1"}}]}';
    const file = awkwardFile("ambiguous.ndjson", dup);
    const badLine = readInParts(file, file.bytes).find(([, text]) => text.includes('"dup2"'))![0];
    const dir = writerDir();
    const out = new BucketWriter(dir, 1, 0);
    for (const t of partitionTasks([file], 2000)) partitionFile(file, 0, out, t.part);
    out.close();
    const task = {
      dir,
      bucket: 0,
      buckets: 1,
      writers: 1,
      files: [file],
      asOf: "2026-11-21",
      format: "none" as const,
      resultFile: join(dir, "r0"),
    };
    await expect(assessBucket(task)).rejects.toThrow(`ambiguous.ndjson: line ${badLine}: the patient reference is ambiguous`);
  });
});
