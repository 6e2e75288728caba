/**
 * `npm run sandbox`: the local SMART EHR simulator on http://localhost:4010 (SANDBOX_PORT).
 * Environment variables: see sandbox/options.ts (SANDBOX_PORT, SANDBOX_MAX_PAGE,
 * SANDBOX_DEFAULT_PAGE, SANDBOX_CAPABILITIES, SANDBOX_TOKEN_LIFETIME_S, APP_ORIGIN / APP_PORT) and
 * sandbox/faults.ts (SANDBOX_LATENCY_MS, SANDBOX_FAULT_*).
 */
import { optionsFromEnv, type SandboxOptions } from "./options";
import { startSandbox } from "./server";

async function main(): Promise<void> {
  const started = performance.now();
  let options: SandboxOptions;
  try {
    options = optionsFromEnv();
  } catch (e) {
    return fail((e as Error).message);
  }
  const sandbox = await startSandbox(options).catch((e: NodeJS.ErrnoException) =>
    fail(e.code === "EADDRINUSE" ? `port ${options.port} is already in use (set SANDBOX_PORT)` : e.message),
  );
  console.log(`SMART sandbox ready in ${Math.round(performance.now() - started)} ms
  Launch page: ${sandbox.url}/
  FHIR base:   ${sandbox.fhirBase}
  Writes:      ${sandbox.url}/debug/writes`);
  const stop = () => void sandbox.close().finally(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

function fail(message: string): never {
  console.error(`sandbox: ${message}`);
  process.exit(1);
}

void main();
