/**
 * Bench section: loading speed (issue 4). Against the local sandbox with 100 ms added per request
 * and pages capped at 100 entries, for the `large` patient:
 *
 * - loadFirstMs: from the token to the first assessment on screen, i.e. `assess()` done on the
 *   first snapshot in which the Patient read and the Condition search have finished (before that
 *   the status cannot be right: eligibility rests on the SSc diagnosis).
 * - loadFullMs: from the token to `assess()` done on the complete snapshot.
 * - criticalPathRequests: requests of the longest dependent chain (one search's pages).
 * - naiveFullMs: the same data loaded the naive way, in the same run, with the same client and the
 *   same page size: one search per code, one after another, each following its pages in turn, and
 *   one assessment at the end.
 * - lowerBoundMs: the longest single paging chain × the latency, which no loader can beat.
 *
 * Targets: full load at least 5× faster than naive, and within 1.5× of the lower bound.
 *
 * The token comes from the sandbox's real OAuth flow, driven with fetch (launcher → authorize with
 * PKCE S256 → token), and the fhirclient Client is built as in the tests.
 */
import { assess } from "../src/clinical";
import { OBSERVATION_CODE_GROUPS } from "../src/clinical/codes";
import { loadPatientRecord } from "../src/fhir";
import type { LoadSnapshot } from "../src/fhir/types";
import { spawn } from "node:child_process";
import { loginToSandbox, type SandboxToken } from "../sandbox/login";
import { createFhirClient, type FhirClient } from "../test/integration/helpers/fhir-client";
import type { BenchResult, BenchRow } from "./support/types";

const LATENCY_MS = 100;
const MAX_PAGE_SIZE = 100;
const PATIENT = "large";
const RUNS = 5;
const CLIENT_ID = "calcinosis-app";
const REDIRECT_URI = "http://127.0.0.1:5173/index.html";
const SCOPE =
  "launch openid fhirUser patient/Patient.r patient/Observation.rs patient/Condition.rs patient/ImagingStudy.rs patient/DiagnosticReport.rs";

/** An EHR launch of the bench patient through the sandbox, as a browser would do it. */
async function launch(sandboxUrl: string, fhirBase: string): Promise<SandboxToken> {
  const token = await loginToSandbox(
    { url: sandboxUrl, fhirBase },
    { patient: PATIENT, scope: SCOPE, clientId: CLIENT_ID, launchUri: "http://127.0.0.1:5173/launch.html", redirectUri: REDIRECT_URI },
  );
  if (token.patient !== PATIENT) throw new Error(`token names patient ${token.patient}, expected ${PATIENT}`);
  return token;
}

function client(fhirBase: string, token: SandboxToken): FhirClient {
  return createFhirClient({ serverUrl: fhirBase, patientId: token.patient, accessToken: token.access_token, scope: token.scope });
}

const asOf = () => new Date().toISOString().slice(0, 10);

function settled(s: LoadSnapshot, key: string): boolean {
  const p = s.progress.find((x) => x.key === key);
  return !!p && p.state !== "waiting" && p.state !== "loading";
}

interface OurRun {
  firstMs: number;
  fullMs: number;
  longestChain: number;
  requests: number;
  snapshot: LoadSnapshot;
}

/** The app's loader; the UI would throttle assessments, the bench assesses only the two it times. */
async function ours(c: FhirClient): Promise<OurRun> {
  const t0 = performance.now();
  let firstMs = -1;
  const final = await loadPatientRecord(c, {}, (s) => {
    if (firstMs < 0 && settled(s, "Patient") && settled(s, "Condition")) {
      assess(s.resources, { asOf: asOf(), patientId: s.patientId, unavailable: s.unavailable });
      firstMs = performance.now() - t0;
    }
  });
  // The complete snapshot is emitted before the promise settles (the CapabilityStatement may still
  // be on its way); the full time is when the engine has assessed the complete record.
  assess(final.resources, { asOf: asOf(), patientId: final.patientId, unavailable: final.unavailable });
  const fullMs = performance.now() - t0;
  const stats = final.stats!;
  return { firstMs, fullMs, longestChain: stats.longestChain, requests: stats.requests, snapshot: final };
}

interface Bundle {
  entry?: { resource?: { resourceType: string } }[];
  link?: { relation?: string; url?: string }[];
}

/** The naive loader: every search in turn, each code on its own, pages one after another. */
async function naive(c: FhirClient, patientId: string): Promise<{ fullMs: number; requests: number; resources: number }> {
  const t0 = performance.now();
  let requests = 0;
  const resources: unknown[] = [];
  const follow = async (first: string) => {
    let url: string | undefined = first;
    while (url) {
      requests++;
      const page: Bundle = await c.request<Bundle>({ url }, { pageLimit: 1 });
      for (const e of page.entry ?? []) if (e.resource) resources.push(e.resource);
      url = page.link?.find((l) => l.relation === "next")?.url;
    }
  };
  const p = encodeURIComponent(patientId);
  requests++;
  resources.push(await c.request(`Patient/${p}`));
  for (const type of ["Condition", "ImagingStudy", "DiagnosticReport"]) {
    await follow(`${type}?patient=${p}&_count=1000`);
  }
  for (const code of OBSERVATION_CODE_GROUPS.flatMap((g) => g.codes)) {
    await follow(`Observation?patient=${p}&code=${encodeURIComponent(code)}&_count=1000`);
  }
  assess(resources as LoadSnapshot["resources"], { asOf: asOf(), patientId, unavailable: [] });
  return { fullMs: performance.now() - t0, requests, resources: resources.length };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number) => Math.round(x);

/**
 * The sandbox in a process of its own, as an EHR would be: in the bench's process its searches
 * would compete with the loader for one thread and inflate every round trip.
 */
async function startSandboxProcess(): Promise<{ url: string; fhirBase: string; close(): Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", "sandbox/main.ts"], {
    env: { ...process.env, SANDBOX_PORT: "0", SANDBOX_LATENCY_MS: String(LATENCY_MS), SANDBOX_MAX_PAGE: String(MAX_PAGE_SIZE) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const fhirBase = await new Promise<string>((ready, fail) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /FHIR base:\s+(\S+)/.exec(out);
      if (match) ready(match[1]);
    });
    child.once("exit", (code) => fail(new Error(`sandbox exited (${code}) before it was ready`)));
  });
  const close = () =>
    new Promise<void>((done) => (child.exitCode !== null ? done() : (child.once("exit", () => done()), child.kill("SIGTERM"))));
  return { url: fhirBase.replace(/\/fhir$/, ""), fhirBase, close };
}

export async function run(): Promise<BenchResult> {
  const sandbox = await startSandboxProcess();
  try {
    const token = await launch(sandbox.url, sandbox.fhirBase);
    const fresh = () => client(sandbox.fhirBase, token);

    await ours(fresh()); // warm-up: JIT, the sandbox's indexes, keep-alive connections
    const baseline = await naive(fresh(), PATIENT);
    const runs: OurRun[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await ours(fresh()));

    const loadFirstMs = round(median(runs.map((r) => r.firstMs)));
    const loadFullMs = round(median(runs.map((r) => r.fullMs)));
    // The machine may be shared: the best run shows what the loader does when nothing else runs.
    const loadFullMinMs = round(Math.min(...runs.map((r) => r.fullMs)));
    const last = runs.at(-1)!;
    const criticalPathRequests = last.longestChain;
    const lowerBoundMs = criticalPathRequests * LATENCY_MS;
    const naiveFullMs = round(baseline.fullMs);
    const speedup = naiveFullMs / loadFullMs;
    const overBound = loadFullMs / lowerBoundMs;
    // What one request really costs here (latency + the in-process sandbox's search + parsing),
    // measured by the naive loader, whose requests never overlap: the same chain at that cost.
    const perRequestMs = baseline.fullMs / baseline.requests;
    const effectiveBoundMs = round(criticalPathRequests * perRequestMs);
    if (last.snapshot.resources.length !== baseline.resources) {
      throw new Error(`loaders disagree: ${last.snapshot.resources.length} resources vs naive ${baseline.resources}`);
    }

    const rows: BenchRow[] = [
      {
        metric: `Load '${PATIENT}' (${last.snapshot.resources.length} resources): token → first assessment`,
        value: loadFirstMs,
        unit: "ms",
        baseline: naiveFullMs,
        note: "naive shows nothing before it has everything",
      },
      {
        metric: `Load: token → full assessment (median of ${RUNS}, best ${loadFullMinMs} ms)`,
        value: loadFullMs,
        unit: "ms",
        baseline: naiveFullMs,
        note:
          `${speedup.toFixed(1)}× faster (target ≥ 5×); ${overBound.toFixed(2)}× the lower bound ` +
          `${criticalPathRequests} × ${LATENCY_MS} ms = ${lowerBoundMs} ms (target ≤ 1.5×); ` +
          `${(loadFullMs / effectiveBoundMs).toFixed(2)}× the chain at the measured ${perRequestMs.toFixed(0)} ms per request`,
      },
      {
        metric: "Load: requests on the critical path",
        value: criticalPathRequests,
        unit: "requests",
        baseline: baseline.requests,
        note: `${last.requests} requests in all, ≤ 6 at a time; naive sends each after the last`,
      },
    ];
    return {
      rows,
      results: {
        loadFirstMs,
        loadFullMs,
        loadFullMinMs,
        naiveFullMs,
        criticalPathRequests,
        lowerBoundMs,
        effectiveBoundMs,
        loadRequests: last.requests,
        naiveRequests: baseline.requests,
      },
    };
  } finally {
    await sandbox.close();
  }
}

// `npx tsx bench/load.ts` runs this section alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  run().then(
    ({ rows, results }) => {
      console.table(rows);
      console.log(JSON.stringify(results));
    },
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
