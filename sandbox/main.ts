/**
 * `npm run sandbox`: the local SMART EHR simulator on http://localhost:4010 (SANDBOX_PORT).
 * Environment variables: see sandbox/options.ts (SANDBOX_PORT, SANDBOX_MAX_PAGE,
 * SANDBOX_DEFAULT_PAGE, SANDBOX_CAPABILITIES, SANDBOX_TOKEN_LIFETIME_S, APP_ORIGIN / APP_PORT) and
 * sandbox/faults.ts (SANDBOX_LATENCY_MS, SANDBOX_FAULT_*).
 */
import { parseArgs } from "node:util";
import { optionsFromEnv, type SandboxOptions } from "./options";
import { startSandbox } from "./server";

const USAGE = `Usage: npm run sandbox

Runs the local SMART EHR simulator alone, on 127.0.0.1 (launch page http://localhost:4010/, FHIR
base http://localhost:4010/fhir). Ctrl-C stops it. Settings are environment variables:

  SANDBOX_PORT=4010               port
  APP_ORIGIN / APP_PORT           where the launch page's links point (default http://localhost:5173)
  SANDBOX_LATENCY_MS=0            added delay per FHIR request
  SANDBOX_MAX_PAGE=100            _count cap
  SANDBOX_DEFAULT_PAGE=20         page size without _count
  SANDBOX_CAPABILITIES=basic      no transactions, no conditional create (default full)
  SANDBOX_TOKEN_LIFETIME_S=3600   access token lifetime
  SANDBOX_FAULT_<NAME>            default for a launcher fault parameter, e.g. SANDBOX_FAULT_FAIL_RATE=0.1
                                  (names: fail_rate, rate_limit, malformed, endless_next,
                                  expire_after_s, auth_error, fault_seed)

  --help                          this text`;

async function main(): Promise<void> {
  try {
    if (parseArgs({ options: { help: { type: "boolean", short: "h" } } }).values.help) {
      console.log(USAGE);
      return;
    }
  } catch (e) {
    return fail(`${(e as Error).message.split(". ")[0]} (see --help)`, 2);
  }
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

function fail(message: string, exitCode = 1): never {
  console.error(`sandbox: ${message}`);
  process.exit(exitCode);
}

void main();
