/**
 * The command line at export scale and on awkward folders (issue 14): each test here failed on the
 * CLI that read every file whole (stack overflow on large files, heap exhaustion, a Synthea folder
 * refused, links and FIFOs hanging or crashing, nested Bundles overflowing the stack).
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Assessment } from "../../src/clinical/types";

const ROOT = resolve(import.meta.dirname, "../..");
const DEMO = join(ROOT, "sandbox/data");
const tmp = mkdtempSync(join(tmpdir(), "assess-scale-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  code: number | null;
  out: string;
  err: string;
}

/** The CLI as `npm run assess` runs it; `nodeFlags` go to the main Node process. */
function cli(args: string[], nodeFlags: string[] = []): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [...nodeFlags, "--import", "tsx", join(ROOT, "src/cli/assess.ts"), ...args], { cwd: ROOT });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (out += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (err += s));
    child.on("close", (code) => done({ code, out, err }));
  });
}

const SLOW = { timeout: 120_000 };

function expectOneLine(r: Run, code: number, ...parts: (string | RegExp)[]) {
  expect(r.code).toBe(code);
  expect(r.out).toBe("");
  const lines = r.err.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^assess: /);
  for (const p of parts) expect(lines[0]).toMatch(p);
  expect(r.err).not.toMatch(/\n\s+at |node:internal|Maximum call stack/);
}

/** An NDJSON export of `patients` SSc patients with `n` calcium results each, written in chunks. */
function bigExport(path: string, n: number, { patients = 1, pad = 0 } = {}): void {
  const fd = openSync(path, "w");
  const note = pad ? [{ text: "x".repeat(pad) }] : undefined;
  for (let p = 0; p < patients; p++) {
    const id = patients === 1 ? "big" : `p${p}`;
    const subject = { reference: `Patient/${id}` };
    const ssc = { coding: [{ system: "http://snomed.info/sct", code: "128460000" }] };
    let chunk = [
      JSON.stringify({ resourceType: "Patient", id, gender: "female", birthDate: "1966-03-09" }),
      JSON.stringify({ resourceType: "Condition", id: `${id}-ssc`, subject, code: ssc, onsetDateTime: "2010-06-01" }),
    ];
    for (let i = 0; i < n; i++) {
      const day = new Date(Date.UTC(2016, 0, 1) + (i % 3650) * 86_400_000).toISOString().slice(0, 10);
      const valueQuantity = { value: 9 + (i % 10) / 10, unit: "mg/dL", system: "http://unitsofmeasure.org", code: "mg/dL" };
      const code = { coding: [{ system: "http://loinc.org", code: "17861-6" }] };
      chunk.push(
        JSON.stringify({
          resourceType: "Observation",
          id: `${id}-o${i}`,
          status: "final",
          subject,
          code,
          effectiveDateTime: day,
          valueQuantity,
          note,
        }),
      );
      if (chunk.length === 10_000) {
        writeSync(fd, `${chunk.join("\n")}\n`);
        chunk = [];
      }
    }
    if (chunk.length) writeSync(fd, `${chunk.join("\n")}\n`);
  }
  closeSync(fd);
}

describe("assess CLI at export scale", SLOW, () => {
  it("reads one NDJSON file of 200,000 resources (was: Maximum call stack size exceeded past ~125,000)", async () => {
    const file = join(tmp, "Observation.ndjson");
    bigExport(file, 200_000);
    const r = await cli([file, "--as-of", "2026-11-21"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const [a] = JSON.parse(r.out) as Assessment[];
    expect(a!.patient.id).toBe("big");
    expect(a!.labs.calcium?.count).toBe(200_000);
  });

  it("does not hold the input in memory: 125 MB of NDJSON with a 64 MB main heap (was: heap out of memory)", async () => {
    const file = join(tmp, "padded.ndjson");
    bigExport(file, 100, { patients: 500, pad: 2_500 });
    const r = await cli([file, "--as-of", "2026-11-21"], ["--max-old-space-size=64"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out) as Assessment[];
    expect(list).toHaveLength(500);
    expect(list.every((a) => a.labs.calcium?.count === 100)).toBe(true);
  });

  it("a patient too large for the worker heap: one documented line, no V8 trace", async () => {
    const r = await cli([join(tmp, "Observation.ndjson"), "--as-of", "2026-11-21", "--worker-memory", "24"]);
    expectOneLine(r, 1, "out of memory", "--worker-memory");
  });
});

describe("assess CLI on awkward folders", SLOW, () => {
  it("a Synthea folder: hospital and practitioner Bundles are skipped with a warning (was: exit 1, no output)", async () => {
    const dir = join(tmp, "synthea");
    mkdirSync(dir, { recursive: true });
    spawnSync("cp", [join(DEMO, "modena-3.json"), join(dir, "Jane_Doe_0b7e.json")]);
    const org = { resourceType: "Organization", id: "org-1", name: "General Hospital" };
    const pract = { resourceType: "Practitioner", id: "pr-1", name: [{ family: "Smith" }] };
    const bundle = (r: object) =>
      JSON.stringify({ resourceType: "Bundle", type: "transaction", entry: [{ fullUrl: "urn:uuid:1", resource: r }] });
    writeFileSync(join(dir, "hospitalInformation1700000000000.json"), bundle(org));
    writeFileSync(join(dir, "practitionerInformation1700000000000.json"), bundle(pract));
    const r = await cli([dir, "--as-of", "2026-11-21"]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as Assessment[]).map((a) => `${a.patient.id}:${a.status}`)).toEqual(["modena-3:probable"]);
    const warnings = r.err.trimEnd().split("\n");
    expect(warnings).toEqual([
      expect.stringMatching(/^assess: warning: .*hospitalInformation1700000000000\.json: skipped: no Patient/),
      expect.stringMatching(/^assess: warning: .*practitionerInformation1700000000000\.json: skipped: no Patient/),
    ]);
  });

  const folderWith = (name: string, make: (dir: string) => void) => {
    const dir = join(tmp, name);
    mkdirSync(dir, { recursive: true });
    spawnSync("cp", [join(DEMO, "modena-1.json"), dir]);
    make(dir);
    return dir;
  };

  it("a symbolic link loop: one line (was: exit 70)", async () => {
    const dir = folderWith("loop", (d) => symlinkSync("..", join(d, "up")));
    expectOneLine(await cli([dir]), 1, "symbolic link loop", /loop\/up/);
  });

  it("a dangling link: one line (was: exit 70)", async () => {
    const dir = folderWith("dangling", (d) => symlinkSync(join(d, "gone.json"), join(d, "link.json")));
    expectOneLine(await cli([dir]), 1, "link.json", "broken symbolic link");
  });

  it("a FIFO: one line, no hang", async () => {
    const dir = folderWith("fifo", (d) => spawnSync("mkfifo", [join(d, "Observation.ndjson")]));
    expectOneLine(await cli([dir]), 1, "Observation.ndjson", "FIFO", "not a regular file");
  });

  it("Bundles nested 100,000 deep: one line (was: stack overflow)", async () => {
    const file = join(tmp, "nested.json");
    const depth = 100_000;
    const open = '{"resourceType":"Bundle","type":"collection","entry":[{"resource":';
    writeFileSync(file, `${open.repeat(depth)}{"resourceType":"Patient","id":"deep"}${"}]}".repeat(depth)}`);
    expectOneLine(await cli([file]), 1, "nested.json", "Bundles nested more than 32 deep");
  });

  it("a resource nested 100,000 levels deep in a Bundle: one line", async () => {
    const file = join(tmp, "deep-resource.json");
    const depth = 100_000;
    const obs = `{"resourceType":"Observation","subject":{"reference":"urn:uuid:p"},"extension":${'[{"extension":'.repeat(depth)}[]${"}]".repeat(depth)}}`;
    writeFileSync(
      file,
      `{"resourceType":"Bundle","type":"transaction","entry":[{"fullUrl":"urn:uuid:p","resource":{"resourceType":"Patient"}},{"resource":${obs}}]}`,
    );
    expectOneLine(await cli([file]), 1, "deep-resource.json", "nested more than 256 levels deep");
  });
});
