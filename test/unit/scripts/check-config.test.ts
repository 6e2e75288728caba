import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "check-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return exec("node_modules/.bin/tsx", [script, ...args], { timeout: 30_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe("npm run check-config", { timeout: 60_000 }, () => {
  it("names the line and column of a syntax error, and exits 1", async () => {
    const file = write("broken.json", '{\n  "ehrs": [\n    { "issMatch": "https://a.example/fhir" "clientId": "a" }\n  ]\n}\n');
    const { code, stdout } = await run("scripts/check-config.ts", [file]);
    expect(code).toBe(1);
    expect(stdout.trim()).toBe(`${file}:3:44: error: a "," is missing before this`);
  });

  it("prints the warnings of a valid file and exits 0, or 1 with --strict", async () => {
    const file = write(
      "loose.json",
      JSON.stringify({ ehrs: [{ issMatch: "/https://a\\.example/fhir/", clientId: "a", connectOrigins: [] }] }, null, 2),
    );
    const loose = await run("scripts/check-config.ts", [file]);
    expect(loose.code).toBe(0);
    expect(loose.stdout).toMatch(new RegExp(`^${file}:1:1: warning: no "appUrl"`, "m"));
    expect(loose.stdout).toMatch(new RegExp(`^${file}:4:7: warning: .*not anchored.*\\(unanchored-pattern\\)$`, "m"));
    expect(loose.stdout).toMatch(/1 EHR\(s\) \(EHR 1\), 2 warning\(s\)$/m);
    expect((await run("scripts/check-config.ts", [file, "--strict"])).code).toBe(1);
  });

  it("says so in one line when the file cannot be read", async () => {
    const { code, stderr } = await run("scripts/check-config.ts", [join(dir, "missing.json")]);
    expect(code).toBe(2);
    expect(stderr.trim()).toMatch(/^check-config: .*missing\.json: cannot read \(no such file\)$/);
  });
});

describe("npm run security-headers", { timeout: 60_000 }, () => {
  it("emits HSTS among the nginx lines", async () => {
    const file = write(
      "ok.json",
      JSON.stringify({ appUrl: "https://a.example/", ehrs: [{ issMatch: "https://fhir.example/r4", clientId: "a" }] }),
    );
    const { code, stdout } = await run("scripts/security-headers.ts", ["--config", file, "--frame-ancestors", "https://ehr.example"]);
    expect(code).toBe(0);
    expect(stdout).toContain('add_header Strict-Transport-Security "max-age=31536000" always;\n');
    expect(stdout).toContain("connect-src 'self' https://fhir.example;");
  });

  it("refuses an invalid config, naming the line and column", async () => {
    const file = write("bad.json", '{ "ehrs": [ { "clientId": "a", "issMatch": "/([/" } ] }');
    const { code, stdout, stderr } = await run("scripts/security-headers.ts", ["--config", file]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trim()).toMatch(new RegExp(`^${file}:1:32: error: ehrs\\[0\\]: "/\\(\\[/" is not a valid regular expression$`));
  });
});
