/**
 * `npm run load-demo`: the real command line (a child process running scripts/load-demo.ts with
 * tsx, as `npm run load-demo --` does) against a local sandbox started without demo patients.
 * Uploads every demo patient (the large one included), then proves the upload idempotent with the
 * sandbox's write log, which records every update, even one that changes nothing.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import type { Bundle, Observation, Resource } from "fhir/r4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoPatient, loadDemoPatients } from "../../sandbox/data/index";
import { startSandbox, type RunningSandbox } from "../../sandbox/server";
import { difference } from "../../scripts/load-demo/compare";
import { parseArgs } from "../../scripts/load-demo/args";
import { launchLinks } from "../../scripts/load-demo/links";
import { run } from "../../scripts/load-demo/run";
import { dependencyOrder, transactions } from "../../scripts/load-demo/plan";
import { fhir, fhirJson, login } from "./helpers";

const ROOT = resolve(import.meta.dirname, "../..");

/** Runs the CLI asynchronously (the sandbox it talks to lives in this process). */
function cli(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "scripts/load-demo.ts"), ...args], { cwd: ROOT });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", fail);
    child.on("close", (code) => done({ code, out, err }));
  });
}
const lines = (text: string) => text.split("\n").filter(Boolean);
const SLOW = { timeout: 90_000 };

const demo = loadDemoPatients();
const demoCount = demo.reduce((n, p) => n + p.resources.length, 0);
const withoutServerMeta = (r: Resource) => {
  const copy = structuredClone(r);
  delete copy.meta?.versionId;
  delete copy.meta?.lastUpdated;
  if (copy.meta && !Object.keys(copy.meta).length) delete copy.meta;
  return copy;
};

let sb: RunningSandbox;
let token: string;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, patients: [] });
  token = (await (await fetch(`${sb.url}/debug/token`, { method: "POST" })).json()).access_token;
});
afterAll(() => sb?.close());

async function requestLog(): Promise<{ method: string; path: string }[]> {
  return (await (await fetch(`${sb.url}/debug/requests`)).json()).requests;
}

describe("load-demo: bad input", SLOW, () => {
  it("refuses to run without --fhir, or with an unknown patient: one line, exit 2", async () => {
    const none = await cli();
    expect(none.code).toBe(2);
    expect(none.out).toBe("");
    expect(lines(none.err)).toEqual(["load-demo: --fhir <FHIR base URL> is required, e.g. --fhir http://localhost:4010/fhir"]);
    const unknown = await cli("--fhir", sb.fhirBase, "--patients", "modena-1,modena-9");
    expect(unknown.code).toBe(2);
    expect(lines(unknown.err)).toHaveLength(1);
    expect(unknown.err).toContain('unknown demo patient "modena-9"');
  });

  it("stops with one line and exit 2 when the token is refused (401), writing nothing", async () => {
    const r = await cli("--fhir", sb.fhirBase, "--bearer", "not-a-token");
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(lines(r.err)).toHaveLength(1);
    expect(r.err).toMatch(/^load-demo: .*refused the access token \(HTTP 401: The access token is not valid\)/);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(sb.writes()).toEqual([]);
  });

  it("stops with one line and exit 2 when the server cannot be reached", async () => {
    const port = await new Promise<number>((done) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => done(port));
      });
    });
    const r = await cli("--fhir", `http://127.0.0.1:${port}/fhir`, "--bearer", token);
    expect(r.code).toBe(2);
    expect(lines(r.err)).toEqual([`load-demo: cannot reach http://127.0.0.1:${port}/fhir (ECONNREFUSED)`]);
  });
});

// In order: each step starts from what the previous one left on the server.
describe("load-demo against an empty sandbox", SLOW, () => {
  it("--dry-run says what would be created and writes nothing", async () => {
    const before = (await requestLog()).length;
    const r = await cli("--fhir", sb.fhirBase, "--bearer", token, "--dry-run", "--patients", "modena-1,modena-2");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^modena-1: 20 to create, 0 to update, 0 unchanged$/m);
    expect(r.out).toMatch(/^modena-2: 14 to create, 0 to update, 0 unchanged$/m);
    expect(r.out).toContain("  create Patient/modena-1");
    expect(r.out).toContain("Total (dry run): 34 to create, 0 to update, 0 unchanged");
    expect(sb.writes()).toEqual([]);
    expect((await requestLog()).slice(before).every((q) => q.method === "GET")).toBe(true);
  });

  it("uploads every demo patient, the large one included, with their own ids, and prints the launch links", async () => {
    const r = await cli("--fhir", sb.fhirBase, "--bearer", token);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe("");
    for (const p of demo) expect(r.out).toMatch(new RegExp(`^${p.id}:\\s+${p.resources.length} created, 0 updated, 0 unchanged`, "m"));
    const large = demo.find((p) => p.id === "large")!.resources.length;
    expect(r.out).toMatch(
      new RegExp(`^large:\\s+${large} created, 0 updated, 0 unchanged \\(${Math.ceil(large / 200)} transactions\\)$`, "m"),
    );
    expect(r.out).toContain(`Total: ${demoCount} created, 0 updated, 0 unchanged`);

    // Every resource arrived once, under its demo id.
    const written = sb.writes().map((w) => `${w.resourceType}/${w.id}`);
    expect(written).toHaveLength(demoCount);
    expect(new Set(written)).toEqual(new Set(demo.flatMap((p) => p.resources.map((x) => `${x.resourceType}/${x.id}`))));

    // Per patient and type, the server finds what the demo data has.
    for (const p of demo) {
      const perType = new Map<string, number>();
      for (const x of p.resources) perType.set(x.resourceType, (perType.get(x.resourceType) ?? 0) + 1);
      for (const [type, count] of perType) {
        // Binary has no patient parameter (R4 puts it in no compartment): asked for by id.
        const binaries = p.resources.filter((x) => x.resourceType === "Binary").map((x) => x.id);
        const query =
          type === "Patient"
            ? `Patient?_id=${p.id}&_count=1`
            : type === "Binary"
              ? `Binary?_id=${binaries.join(",")}&_count=1`
              : `${type}?patient=${p.id}&_count=1`;
        expect((await fhirJson<Bundle>(sb, token, query)).total, `${p.id} ${type}`).toBe(count);
      }
    }
    // A Modena resource comes back as it is in the demo data, but for the server's meta.
    const modena1 = demoPatient("modena-1")!.resources;
    for (const key of ["Patient/modena-1", "DiagnosticReport/modena-1-dr-mr-shoulder"]) {
      const original = modena1.find((x) => `${x.resourceType}/${x.id}` === key)!;
      expect(original, key).toBeDefined();
      expect(withoutServerMeta(await fhirJson<Resource>(sb, token, key))).toEqual(original);
    }

    expect(r.out).toContain(`${sb.url}/launcher?launch_uri=http%3A%2F%2Flocalhost%3A5173%2Flaunch.html&patient=modena-3`);
    expect(r.out).toContain(`http://localhost:5173/launch.html?iss=${encodeURIComponent(sb.fhirBase)}`);
    expect(r.out).toContain('entry "Local sandbox (npm start)"');
  });

  it("writes nothing when run again: 0 created, 0 updated, all unchanged", async () => {
    const writes = sb.writes().length;
    const before = (await requestLog()).length;
    const r = await cli("--fhir", sb.fhirBase, "--bearer", token);
    expect(r.code, r.err).toBe(0);
    for (const p of demo) expect(r.out).toMatch(new RegExp(`^${p.id}:\\s+0 created, 0 updated, ${p.resources.length} unchanged$`, "m"));
    expect(r.out).toContain(`Total: 0 created, 0 updated, ${demoCount} unchanged`);
    expect(sb.writes()).toHaveLength(writes);
    const requests = (await requestLog()).slice(before);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((q) => q.method !== "GET")).toEqual([]);
  });

  it("puts back exactly the one resource changed on the server", async () => {
    const key = "Observation/modena-3-obs-pth";
    const current = await fhirJson<Observation>(sb, token, key);
    const changed = { ...current, valueQuantity: { ...current.valueQuantity, value: 99 } };
    expect((await fhir(sb, token, key, { method: "PUT", body: JSON.stringify(changed) })).status).toBe(200);
    const writes = sb.writes().length;

    const r = await cli("--fhir", sb.fhirBase, "--bearer", token);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^modena-3:\s+0 created, 1 updated, 16 unchanged$/m);
    expect(r.out).toContain(`  updated ${key} (valueQuantity.value differed)`);
    expect(r.out).toContain(`Total: 0 created, 1 updated, ${demoCount - 1} unchanged`);
    expect(
      sb
        .writes()
        .slice(writes)
        .map((w) => `${w.resourceType}/${w.id}`),
    ).toEqual([key]);
    const original = demoPatient("modena-3")!.resources.find((x) => x.id === "modena-3-obs-pth")!;
    expect(withoutServerMeta(await fhirJson<Resource>(sb, token, key))).toEqual(original);
  });

  it("gets its own token from a local sandbox when none is given", async () => {
    const r = await cli("--fhir", sb.fhirBase, "--patients", "xss-strings");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`Token: from ${sb.url}/debug/token`);
    expect(r.out).toMatch(/^xss-strings: 0 created, 0 updated, 8 unchanged$/m);
  });
});

describe("load-demo: refused writes", SLOW, () => {
  it("reports each refused transaction with the server's text, goes on with the rest, and exits 1", async () => {
    // Only modena-1's Patient is there, and the token may create Observations only.
    const patient = demoPatient("modena-1")!.resources.find((x) => x.resourceType === "Patient")!;
    const other = await startSandbox({ port: 0, patients: [], extraResources: [patient] });
    try {
      const narrow = (await login(other, { patient: "modena-1", scope: "launch patient/*.rs patient/Observation.cu" })).access_token;
      const r = await cli("--fhir", other.fhirBase, "--bearer", narrow, "--patients", "modena-1", "--chunk", "1");
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/^modena-1: 8 created, 0 updated, 1 unchanged, 11 failed \(19 transactions\)$/m);
      const failures = lines(r.out).filter((l) => l.startsWith("  failed: "));
      expect(failures).toHaveLength(11);
      expect(failures[0]).toMatch(
        /^ {2}failed: transaction 1\/19 \(Condition\/modena-1-cond-ssc\): HTTP 403: The access token does not allow update on Condition/,
      );
      expect(r.out).toContain("Total: 8 created, 0 updated, 1 unchanged, 11 failed");
      expect(other.writes().map((w) => w.resourceType)).toEqual(Array(8).fill("Observation"));
    } finally {
      await other.close();
    }
  });
});

describe("load-demo: a server that manages its own metadata (in-process fake, not the real public sandbox)", () => {
  /**
   * Answers like many FHIR servers do: no token needed, "201 Created" without bodies, and on read
   * its own meta (version, date, source, an extra tag) and absolute references to itself.
   */
  function fakeServer(base: string) {
    const stored = new Map<string, Resource>();
    const requests: { method: string; url: string; auth: string | null }[] = [];
    let version = 0;
    const json = (body: unknown, status = 200) =>
      new Response(JSON.stringify(body), { status, headers: { "content-type": "application/fhir+json" } });
    const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(String(input));
      const method = init?.method ?? "GET";
      requests.push({ method, url: url.href, auth: new Headers(init?.headers).get("authorization") });
      const path = url.pathname.slice(new URL(base).pathname.length);
      if (path === "/metadata")
        return json({
          resourceType: "CapabilityStatement",
          fhirVersion: "4.0.1",
          software: { name: "Some FHIR server" },
          rest: [{ mode: "server", interaction: [{ code: "transaction" }] }],
        });
      if (method === "GET") {
        const type = path.slice(1);
        const ids = url.searchParams.get("_id")!.split(",");
        const entry = ids.flatMap((id) => {
          const r = stored.get(`${type}/${id}`);
          if (!r) return [];
          const copy = JSON.parse(JSON.stringify(r).replaceAll('"reference":"Patient/', `"reference":"${base}/Patient/`));
          return [{ fullUrl: `${base}/${type}/${id}`, resource: copy, search: { mode: "match" } }];
        });
        return json({ resourceType: "Bundle", type: "searchset", total: entry.length, entry });
      }
      const bundle = JSON.parse(String(init!.body)) as Bundle;
      return json({
        resourceType: "Bundle",
        type: "transaction-response",
        entry: bundle.entry!.map((e) => {
          const key = e.request!.url;
          const existed = stored.has(key);
          const r = structuredClone(e.resource!) as Resource;
          r.meta = {
            ...r.meta,
            versionId: String(++version),
            lastUpdated: "2026-11-21T10:00:00Z",
            source: "#abc",
            tag: [...(r.meta?.tag ?? []), { system: "urn:server", code: "added" }],
          };
          stored.set(key, r);
          return { response: { status: existed ? "200 OK" : "201 Created", location: `${key}/_history/${version}` } };
        }),
      });
    }) as typeof fetch;
    return { fetchImpl, requests, stored };
  }

  it("uploads without a token, then finds everything unchanged and writes nothing", async () => {
    const base = "https://launch.smarthealthit.org/v/r4/fhir";
    const server = fakeServer(base);
    const options = parseArgs(["--fhir", base, "--patients", "modena-1,modena-3"]);
    if (options === "help") throw new Error("unexpected");
    const first: string[] = [];
    expect(await run(options, { out: (l) => first.push(l), fetch: server.fetchImpl })).toBe(0);
    expect(first).toContain("modena-1: 20 created, 0 updated, 0 unchanged");
    expect(server.stored.size).toBe(37);
    expect(server.requests.every((r) => r.auth === null)).toBe(true);

    const writes = server.requests.filter((r) => r.method !== "GET").length;
    const second: string[] = [];
    expect(await run(options, { out: (l) => second.push(l), fetch: server.fetchImpl })).toBe(0);
    expect(second).toContain("modena-3: 0 created, 0 updated, 17 unchanged");
    expect(second.join("\n")).toContain("Total: 0 created, 0 updated, 37 unchanged");
    expect(server.requests.filter((r) => r.method !== "GET")).toHaveLength(writes);
    expect(second.join("\n")).toContain('"Provider EHR Launch"');
  });
});

describe("load-demo: launch links", () => {
  const appUrl = "http://localhost:5173/";
  it("points a public SMART sandbox user at its launcher, with the app's launch URL and the patient ids", () => {
    const fhirBase = "https://launch.smarthealthit.org/v/r4/fhir";
    const text = launchLinks({ fhirBase, iss: fhirBase, appUrl, patients: ["modena-3", "ssc-ckd"] }).join("\n");
    expect(text).toContain("https://launch.smarthealthit.org/");
    expect(text).toMatch(
      /"Provider EHR Launch"[\s\S]*http:\/\/localhost:5173\/launch\.html\s+as the App's Launch URL[\s\S]*Patient\(s\)[\s\S]*modena-3, ssc-ckd/,
    );
    expect(text).toContain("http://localhost:5173/launch.html?iss=https%3A%2F%2Flaunch.smarthealthit.org%2Fv%2Fr4%2Ffhir");
    expect(text).toContain('entry "SMART Health IT public sandbox (launch.smarthealthit.org)"');
    expect(text).not.toContain("/launcher?");
  });

  it("warns when npm start's smart-config.json has no entry for the server", () => {
    const fhirBase = "https://fhir.example.org/r4";
    const text = launchLinks({ fhirBase, iss: fhirBase, appUrl, patients: ["modena-3"] }).join("\n");
    expect(text).toContain("no entry of scripts/smart-config.development.json (what npm start serves) matches https://fhir.example.org/r4");
    expect(text).toContain("launch.html?iss=https%3A%2F%2Ffhir.example.org%2Fr4");
  });
});

describe("load-demo: comparing and ordering", () => {
  const base = "https://ehr.example/fhir";
  const obs: Observation = {
    resourceType: "Observation",
    id: "o1",
    meta: { tag: [{ system: "urn:demo", code: "demo" }] },
    status: "final",
    code: { coding: [{ system: "http://loinc.org", code: "17861-6" }] },
    subject: { reference: "Patient/p1" },
    valueQuantity: { value: 9.4, unit: "mg/dL" },
  };

  it("ignores what servers manage: versions, added tags, a generated narrative, absolute self references, key order", () => {
    const server = {
      valueQuantity: { unit: "mg/dL", value: 9.4 },
      ...structuredClone(obs),
      meta: {
        versionId: "7",
        lastUpdated: "2026-01-01T00:00:00Z",
        source: "#x",
        tag: [
          { system: "urn:server", code: "added" },
          { system: "urn:demo", code: "demo" },
        ],
      },
      text: { status: "generated", div: '<div xmlns="http://www.w3.org/1999/xhtml">Calcium</div>' },
      subject: { reference: `${base}/Patient/p1` },
    } as Observation;
    expect(difference(obs, server, base)).toBeUndefined();
  });

  it("names where the server's copy differs, a missing demo tag included", () => {
    const changed = (patch: Partial<Observation>): Observation => ({ ...obs, ...patch });
    expect(difference(obs, changed({ valueQuantity: { value: 9.5, unit: "mg/dL" } }), base)).toBe("valueQuantity.value");
    expect(difference(obs, changed({ meta: { tag: [{ system: "urn:server", code: "other" }] } }), base)).toBe("meta");
    const twoTags = changed({
      meta: {
        tag: [
          { system: "urn:demo", code: "demo" },
          { system: "urn:demo", code: "second" },
        ],
      },
    });
    expect(difference(twoTags, obs, base)).toBe("meta.tag");
    expect(difference(obs, changed({ subject: { reference: "Patient/p2" } }), base)).toBe("subject.reference");
  });

  it("sends what others refer to first, and splits transactions by count", () => {
    const report = {
      resourceType: "DiagnosticReport",
      id: "r1",
      imagingStudy: [{ reference: "ImagingStudy/i1" }],
      subject: { reference: "Patient/p1" },
    } as Resource;
    const study = { resourceType: "ImagingStudy", id: "i1", subject: { reference: "Patient/p1" } } as Resource;
    const patient = { resourceType: "Patient", id: "p1" } as Resource;
    const ordered = dependencyOrder([report, study, obs, patient]).map((r) => `${r.resourceType}/${r.id}`);
    expect(ordered).toEqual(["Patient/p1", "ImagingStudy/i1", "DiagnosticReport/r1", "Observation/o1"]);
    const chunks = transactions(
      [report, study, obs].map((resource) => ({ resource, kind: "create" as const })),
      base,
      2,
    );
    expect(chunks.map((c) => c.bundle.entry!.map((e) => e.request!.url))).toEqual([
      ["DiagnosticReport/r1", "ImagingStudy/i1"],
      ["Observation/o1"],
    ]);
    expect(chunks[0].bundle.entry![0]).toMatchObject({ fullUrl: `${base}/DiagnosticReport/r1`, request: { method: "PUT" } });
  });
});
