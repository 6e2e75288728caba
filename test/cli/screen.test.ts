/**
 * Cohort screening end to end: `npm run screen` (a real child process) against the sandbox
 * started here: key generation, JWKS registration, Backend Services token, Bulk Data export of the
 * SSc registry Group (interrupted once, then resumed), the worklist in urgency order with the
 * statuses README's demo table promises, the CSV, the HTML report and one Assessment per patient.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Assessment } from "../../src/clinical/types";
import { startSandbox, type RunningSandbox } from "../../sandbox/server";

const ROOT = resolve(import.meta.dirname, "../..");
const tmp = mkdtempSync(join(tmpdir(), "screen-e2e-"));
const AS_OF = "2026-11-21";

interface Run {
  code: number | null;
  out: string;
  err: string;
  ms: number;
}

function screen(...args: string[]): Promise<Run> {
  const started = performance.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src/cli/screen.ts"), ...args], { cwd: ROOT });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (out += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (err += s));
    child.on("close", (code) => done({ code, out, err, ms: performance.now() - started }));
  });
}

/** README's demo table: id -> expected status (the promise this test holds the screening to). */
function readmeStatuses(): Map<string, string> {
  const rows = readFileSync(join(ROOT, "README.md"), "utf8").matchAll(/^\|\s*`([a-z0-9-]+)`\s*\|\s*([a-z-]+)\s*\|/gm);
  return new Map([...rows].map((m) => [m[1]!, m[2]!]));
}

/** CSV rows as objects (the worklist has no quoted commas in these columns). */
function readCsv(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, "utf8").trimEnd().split("\r\n");
  const cols = head!.split(",");
  return lines.map((l) => Object.fromEntries(l.split(",").map((v, k) => [cols[k]!, v])));
}

/** The urgency tiers of issue 14, computed from the CSV columns alone. */
function expectedTier(r: Record<string, string>): number {
  if (r.red_flags) return 1;
  const calcinosis = r.status === "probable" || r.status === "documented";
  if (calcinosis && /\bG-(SPINE|NEO)\b/.test(r.workup_gaps!)) return 2;
  if (calcinosis) return 3;
  return { possible: 4, indeterminate: 5, "no-evidence": 6, "not-applicable": 7 }[r.status!] ?? 5;
}

async function registerKey(sb: RunningSandbox, dir: string): Promise<string> {
  const keygen = await screen("keygen", "--alg", "RS384", "--out", dir);
  expect(keygen.code).toBe(0);
  const jwks = JSON.parse(readFileSync(join(dir, "jwks.json"), "utf8")) as { keys: { d?: string }[] };
  expect(jwks.keys[0]!.d).toBeUndefined();
  const res = await fetch(`${sb.url}/auth/backend-clients`, { method: "POST", body: JSON.stringify({ jwks, scope: "system/*.rs" }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { client_id: string }).client_id;
}

let sb: RunningSandbox;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, bulk: { retryAfterS: 1, pollsBeforeReady: 2, fileMaxResources: 1000, cutFileOnce: 2 } });
});
afterAll(async () => {
  await sb?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe("npm run screen against the sandbox", { timeout: 180_000 }, () => {
  it("screens the SSc registry Group: interrupted download resumed, worklist in urgency order, CSV, HTML, JSON", async () => {
    const clientId = await registerKey(sb, join(tmp, "key"));
    const out = join(tmp, "registry");
    const args = ["--fhir-base", sb.fhirBase, "--client-id", clientId, "--key", join(tmp, "key/private-key.pem")];
    const run = (...more: string[]) => screen(...args, "--group", "ssc-registry", "--out", out, "--as-of", AS_OF, ...more);

    // First run: the third file's download is cut halfway by the sandbox.
    const first = await run();
    expect(first.code).toBe(1);
    expect(first.err.trimEnd().split("\n").pop()).toMatch(/^screen: download of .* (interrupted|incomplete).*re-run to resume/);
    expect(first.err).toMatch(/export in progress: \d+%/);
    // Two in-progress answers with Retry-After: 1 were waited out.
    expect(first.ms).toBeGreaterThan(2000);

    const second = await run();
    expect(second.err).not.toMatch(/internal error|\n\s+at /);
    expect(second.code).toBe(0);
    expect(second.err).toMatch(/export: \d+ file\(s\) downloaded, 2 already complete/);
    const downloads = (await (await fetch(`${sb.url}/debug/bulk`)).json()) as Record<string, number>;
    const counts = Object.entries(downloads)
      .filter(([k]) => !k.includes("error-"))
      .sort(([a], [b]) => Number(a.split("/")[1]) - Number(b.split("/")[1]))
      .map(([, n]) => n);
    expect(counts[0]).toBe(1);
    expect(counts[1]).toBe(1);
    expect(counts[2]).toBe(2);
    expect(counts.slice(3).every((n) => n === 1)).toBe(true);

    const rows = readCsv(join(out, "worklist.csv"));
    const expected = readmeStatuses();
    const members = [...expected].filter(([, s]) => s !== "not-applicable").map(([id]) => id);
    expect(rows.map((r) => r.patient_id).sort()).toEqual(members.sort());
    for (const r of rows) expect(`${r.patient_id}:${r.status}`).toBe(`${r.patient_id}:${expected.get(r.patient_id!)}`);
    const tiers = rows.map(expectedTier);
    expect(rows.map((r) => Number(r.tier))).toEqual(tiers);
    expect([...tiers].sort((a, b) => a - b)).toEqual(tiers);
    // Red flags first: ssc-spine's RF-SPINE and (§6 RF-CANAL) modena-2's intracanal mass; documented before probable.
    expect(rows.slice(0, 2).map((r) => [r.patient_id, r.red_flags])).toEqual([
      ["modena-2", "RF-CANAL"],
      ["ssc-spine", "RF-SPINE"],
    ]);
    expect(rows.at(-1)).toMatchObject({ status: "no-evidence" });
    expect(rows.map((r) => Number(r.rank))).toEqual(rows.map((_, k) => k + 1));

    for (const r of rows) {
      const a = JSON.parse(readFileSync(join(out, r.assessment_file!), "utf8")) as Assessment;
      expect(a.patient.id).toBe(r.patient_id);
      expect(a.status).toBe(r.status);
      expect(a.asOf).toBe(AS_OF);
      expect(r.patient_link).toBe(`${sb.fhirBase}/Patient/${r.patient_id}`);
    }

    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<script|<link|\ssrc=|url\(|@import/i);
    for (const r of rows) expect(html).toContain(`<a href="${sb.fhirBase}/Patient/${r.patient_id}">${r.patient_id}</a>`);
    const byStatus = (s: string) => rows.filter((r) => r.status === s).length;
    for (const s of new Set(rows.map((r) => r.status)))
      expect(html).toMatch(new RegExp(`\\[${s}\\]</td><td class="n">${byStatus(s)}</td>`));
    const spineGaps = rows.filter((r) => r.workup_gaps!.split(" ").includes("G-SPINE")).length;
    expect(html).toMatch(new RegExp(`G-SPINE: [^<]*</td><td class="n">${spineGaps}</td>`));
    expect(existsSync(join(out, "export/state.json"))).toBe(true);
  });

  it("Patient/$export: not-applicable last; a type the server refuses is reported, not taken as absent", async () => {
    const refusing = await startSandbox({ port: 0, bulk: { retryAfterS: 0, pollsBeforeReady: 1, refusedTypes: ["ImagingStudy"] } });
    try {
      const clientId = await registerKey(refusing, join(tmp, "key2"));
      const out = join(tmp, "all");
      const r = await screen(
        ...["--fhir-base", refusing.fhirBase, "--client-id", clientId, "--key", join(tmp, "key2/private-key.pem")],
        ...["--all-patients", "--out", out, "--as-of", AS_OF],
      );
      expect(r.err).not.toMatch(/internal error/);
      expect(r.code).toBe(0);
      expect(r.out).toContain("not delivered by the export: ImagingStudy");
      const rows = readCsv(join(out, "worklist.csv"));
      expect(rows.map((x) => x.patient_id).sort()).toEqual([...readmeStatuses().keys()].sort());
      expect(rows.at(-1)).toMatchObject({ patient_id: "no-ssc", status: "not-applicable" });
      const tiers = rows.map(expectedTier);
      expect([...tiers].sort((a, b) => a - b)).toEqual(tiers);
      expect(readFileSync(join(out, "report.html"), "utf8")).toMatch(/Not delivered by the export:<\/strong> ImagingStudy/);
      const sample = JSON.parse(readFileSync(join(out, "assessments/modena-3.json"), "utf8")) as Assessment;
      expect(sample.notEvaluated?.map((n) => n.ruleId)).toContain("PC-DOC");
      expect(JSON.stringify(sample.notEvaluated)).toContain("Imaging studies could not be loaded");
    } finally {
      await refusing.close();
    }
  });
});
