/**
 * The local sandbox for the load bench: in a process of its own, as an EHR would be (in the bench's
 * process its searches would compete with the loaders for one thread and inflate every round trip),
 * and launched the way a browser would (launcher → authorize with PKCE S256 → token).
 */
import { spawn } from "node:child_process";
import { loginToSandbox, type SandboxToken } from "../../sandbox/login";
import { buildScope } from "../../src/session/scopes";

export interface SandboxProcess {
  url: string;
  fhirBase: string;
  close(): Promise<void>;
}

/**
 * Starts `sandbox/main.ts` with `maxPage`-entry pages; resolves once it prints its FHIR base.
 * `appOrigin`: where the app is served (CORS and the launch page's links), for browser benches.
 */
export async function startSandboxProcess(maxPage: number, appOrigin?: string): Promise<SandboxProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "sandbox/main.ts"], {
    env: { ...process.env, SANDBOX_PORT: "0", SANDBOX_MAX_PAGE: String(maxPage), ...(appOrigin ? { APP_ORIGIN: appOrigin } : {}) },
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

/** What the app reads (documents, Binaries, procedures and medications too), without its write scopes. */
const SCOPE = buildScope("ehr", "v2", { write: false });

/**
 * An EHR launch of `patient`; the sandbox adds `latencyMs` before every FHIR answer of this token
 * (the launcher's `latency_ms`), so one sandbox serves a slow and a zero-latency session side by side.
 * `scope`: the load bench's read scopes by default; the browser bench asks what the app asks.
 */
export async function launch(sandbox: SandboxProcess, patient: string, latencyMs: number, scope = SCOPE): Promise<SandboxToken> {
  const token = await loginToSandbox(sandbox, {
    patient,
    scope,
    clientId: "calcinosis-app",
    launchUri: "http://127.0.0.1:5173/launch.html",
    redirectUri: "http://127.0.0.1:5173/index.html",
    launchParams: { latency_ms: String(latencyMs) },
  });
  if (token.patient !== patient) throw new Error(`token names patient ${token.patient}, expected ${patient}`);
  return token;
}
