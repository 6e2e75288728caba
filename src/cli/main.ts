/**
 * `npm run assess -- <file.json|file.ndjson|folder> [--as-of YYYY-MM-DD] [--format json|ndjson|text]
 * [--jobs N] [--tmp-dir DIR] [--worker-memory MB]`
 * Prints one Assessment per patient, in patient-id order: a JSON array (default), NDJSON or
 * readable text. Bad input: one line on stderr naming the file and position, exit code 1; bad
 * arguments: exit code 2. The work is done by pipeline.ts, in bounded memory.
 */
import { DEFAULT_WORKER_MEMORY_MB, defaultJobs, runPipeline } from "./pipeline";
import { InputError, LimitError, inputFiles } from "./input";
import type { Sink } from "./merge";
import { parseOptions, UsageError, validDate, today } from "./options";

export const USAGE =
  "usage: npm run assess -- <file.json|file.ndjson|folder> [--as-of YYYY-MM-DD] [--format json|ndjson|text] [--jobs N] [--tmp-dir DIR] [--worker-memory MB]";

export interface Args {
  path: string;
  asOf: string;
  format: "json" | "ndjson" | "text";
  jobs: number;
  tmpDir?: string;
  workerMemoryMb: number;
}

const FORMATS = ["json", "ndjson", "text"] as const;

export function parseArgs(argv: string[]): Args | "help" {
  const parsed = parseOptions(argv, ["--as-of", "--format", "--jobs", "--tmp-dir", "--worker-memory"], []);
  if (parsed === "help") return "help";
  const { values, positional } = parsed;
  if (positional.length === 0) throw new UsageError("no input path");
  if (positional.length > 1) throw new UsageError(`one input path expected, got also ${positional[1]}`);
  const asOf = values["--as-of"];
  if (asOf !== undefined && !validDate(asOf)) throw new UsageError(`--as-of must be a date YYYY-MM-DD, got ${asOf}`);
  const format = values["--format"] ?? "json";
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be json, ndjson or text, got ${format}`);
  const count = (flag: string, fallback: number) => {
    const v = values[flag];
    if (v === undefined) return fallback;
    if (!/^[1-9]\d{0,5}$/.test(v)) throw new UsageError(`${flag} must be a positive whole number, got ${v}`);
    return Number(v);
  };
  return {
    path: positional[0]!,
    asOf: asOf ?? today(),
    format: format as Args["format"],
    jobs: count("--jobs", defaultJobs()),
    tmpDir: values["--tmp-dir"],
    workerMemoryMb: count("--worker-memory", DEFAULT_WORKER_MEMORY_MB),
  };
}

/** The whole command: returns the exit code; writes only through the given sinks. */
export async function main(argv: string[], out: Sink, err: (s: string) => void): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args === "help") {
      await out(`${USAGE}\n`);
      return 0;
    }
    const result = await runPipeline({
      input: args.path,
      files: inputFiles(args.path),
      asOf: args.asOf,
      format: args.format,
      sink: out,
      jobs: args.jobs,
      tmpDir: args.tmpDir,
      workerMemoryMb: args.workerMemoryMb,
      warn: (w) => err(`assess: warning: ${w}\n`),
    });
    if (result.unplaced) err(`assess: warning: ${result.unplaced} resource(s) name no patient and were left out\n`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      err(`assess: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof InputError || e instanceof LimitError) {
      err(`assess: ${e.message}\n`);
      return 1;
    }
    err(`assess: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 70;
  }
}
