/**
 * The command line through a real child process: `node --import tsx src/cli/assess.ts`, i.e. what
 * `npm run assess --` runs.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Assessment } from "../../src/clinical/types";

const ROOT = resolve(import.meta.dirname, "../..");
const FIX = join(ROOT, "test/fixtures/clinical");
const DEMO = join(ROOT, "sandbox/data");
const tmp = mkdtempSync(join(tmpdir(), "assess-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "src/cli/assess.ts"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const json = (out: string) => JSON.parse(out) as Assessment[];

// Each test starts Node with tsx: allow for a busy machine.
const SLOW = { timeout: 60_000 };

describe("assess CLI: output", SLOW, () => {
  it("prints a JSON array with one Assessment per patient of a Bundle", () => {
    const r = cli(join(DEMO, "modena-3.json"), "--as-of", "2026-11-21");
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    const list = json(r.out);
    expect(list).toHaveLength(1);
    expect(list[0]).toEqual(
      expect.objectContaining({ asOf: "2026-11-21", status: "probable", ruleset: { id: "pc-ssc", version: "1.1.0" } }),
    );
    expect(list[0]!.patient.id).toBe("modena-3");
    expect(list[0]!.secondaryCauses.map((s) => s.ruleId)).toContain("S-PTH");
  });

  it("prints readable text with --format text", () => {
    const r = cli(join(DEMO, "modena-2.json"), "--as-of", "2026-11-21", "--format", "text");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Patient modena-2 (female, 41 y), as of 2026-11-21");
    expect(r.out).toContain("Status: Pseudotumoral calcinosis documented [documented]");
    expect(r.out).toMatch(/shoulder-elbow \(left\): 5\.7 cm/);
    expect(r.out).toContain("[G-PTH]");
    expect(() => JSON.parse(r.out)).toThrow();
  });

  it("reads NDJSON (Bulk Data export) and groups resources per patient, sorted by id", () => {
    const r = cli(join(FIX, "export.ndjson"), "--as-of", "2026-11-21");
    expect(r.code).toBe(0);
    const list = json(r.out);
    expect(list.map((a) => [a.patient.id, a.status])).toEqual([
      ["nd-1", "probable"],
      ["nd-2", "not-applicable"],
    ]);
    expect(list[0]!.labs.pth?.latest?.normalized).toEqual({ value: 84.87, unit: "pg/mL" });
    expect(list[0]!.secondaryCauses.map((s) => s.ruleId)).toEqual(["S-PTH"]);
  });

  it("reads a folder of Bundles and NDJSON files", () => {
    const dir = join(tmp, "folder");
    rmSync(dir, { recursive: true, force: true });
    spawnSync("mkdir", ["-p", join(dir, "sub")]);
    copyFileSync(join(DEMO, "modena-1.json"), join(dir, "modena-1.json"));
    copyFileSync(join(DEMO, "no-ssc.json"), join(dir, "sub", "no-ssc.json"));
    copyFileSync(join(FIX, "export.ndjson"), join(dir, "export.ndjson"));
    writeFileSync(join(dir, "README.txt"), "not an input");
    const r = cli(dir, "--as-of", "2026-11-21");
    expect(r.code).toBe(0);
    expect(json(r.out).map((a) => `${a.patient.id}:${a.status}`)).toEqual([
      "modena-1:documented",
      "nd-1:probable",
      "nd-2:not-applicable",
      "no-ssc:not-applicable",
    ]);
  });

  it("resolves urn:uuid references of a transaction Bundle", () => {
    const r = cli(join(FIX, "transaction-urn.json"), "--as-of", "2026-11-21");
    expect(r.code).toBe(0);
    const [a] = json(r.out);
    expect(a!.patient.id).toBe("7f3c0a52-0000-4000-8000-000000000001");
    expect(a!.status).toBe("documented");
    expect(a!.ssc.evidence).toEqual(["Condition/7f3c0a52-0000-4000-8000-000000000002"]);
    expect(a!.findings[0]!.evidence).toEqual(["Condition/7f3c0a52-0000-4000-8000-000000000003"]);
  });

  it("gives byte-identical output for the same input and --as-of", () => {
    const a = cli(join(DEMO, "ssc-ckd.json"), "--as-of", "2026-11-21");
    const b = cli(join(DEMO, "ssc-ckd.json"), "--as-of", "2026-11-21");
    expect(a.out).toBe(b.out);
  });
});

describe("assess CLI: bad input gives one clear line and a non-zero exit, never a stack trace", SLOW, () => {
  const expectOneLine = (r: ReturnType<typeof cli>, code: number, ...parts: (string | RegExp)[]) => {
    expect(r.code).toBe(code);
    expect(r.out).toBe("");
    const lines = r.err.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^assess: /);
    for (const p of parts) expect(lines[0]).toMatch(p);
    expect(r.err).not.toMatch(/\n\s+at |Error:|node:internal/);
    return lines;
  };

  it("not JSON: file, line and column", () => {
    const lines = expectOneLine(
      cli(join(FIX, "not-json.json")),
      1,
      "test/fixtures/clinical/not-json.json",
      "line 4, column 14",
      "not valid JSON",
    );
    expect(lines).toHaveLength(1);
  });
  it("NDJSON with a bad line: file and line", () => {
    expectOneLine(cli(join(FIX, "bad-line.ndjson")), 1, "bad-line.ndjson: line 3", "not valid JSON");
  });
  it("JSON that is not FHIR", () => {
    expectOneLine(cli(join(FIX, "not-fhir.json")), 1, "not-fhir.json", "not a FHIR resource");
  });
  it("a Bundle without a Patient, alone", () => {
    expectOneLine(cli(join(FIX, "bundle-no-patient.json")), 1, "bundle-no-patient.json", "no Patient resource in the input");
  });
  it("an unreadable path", () => {
    expectOneLine(cli(join(tmp, "does-not-exist.json")), 1, "does-not-exist.json", "cannot read (no such file or folder)");
  });
  it("an empty file", () => {
    const f = join(tmp, "empty.json");
    writeFileSync(f, "");
    expectOneLine(cli(f), 1, "empty.json", "empty");
  });
  it("bad arguments: usage and exit code 2", () => {
    const r = cli(join(FIX, "export.ndjson"), "--as-of", "2026-02-30");
    expect(r.code).toBe(2);
    expect(r.err).toContain("--as-of must be a date YYYY-MM-DD");
    expect(r.err).toContain("usage:");
    expect(cli().code).toBe(2);
    expect(cli(join(FIX, "export.ndjson"), "--format", "xml").code).toBe(2);
  });
});
