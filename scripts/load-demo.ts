/**
 * `npm run load-demo -- --fhir <base URL> [--bearer TOKEN] [--patients a,b] [--skip-large]
 * [--chunk 200] [--dry-run] [--app-url URL]`: uploads the local sandbox's demo patients
 * (sandbox/data) to a FHIR R4 server with their own ids, idempotently, and prints the launch links.
 * The work is in scripts/load-demo/; this file maps outcomes to output and exit codes:
 * 0 done; 1 some resources failed (reported); 2 bad arguments, server unreachable or token refused
 * (one line on stderr); 70 an internal error (one line). See docs/public-sandbox.md.
 */
import { USAGE, UsageError, parseArgs } from "./load-demo/args";
import { FatalError, run } from "./load-demo/run";

async function main(): Promise<number> {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) return fail(2, e.message);
    throw e;
  }
  if (options === "help") {
    console.log(USAGE);
    return 0;
  }
  try {
    return await run(options, { out: (line) => console.log(line) });
  } catch (e) {
    if (e instanceof FatalError) return fail(2, e.message);
    return fail(70, `internal error: ${(e as Error)?.message ?? String(e)}`);
  }
}

function fail(code: number, message: string): number {
  console.error(`load-demo: ${message.replace(/\s+/g, " ").trim()}`);
  return code;
}

// `npm run load-demo … | head`: a closed pipe ends the output, not with a stack trace.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.exitCode = fail(70, `internal error: ${(e as Error)?.message ?? String(e)}`);
  },
);
