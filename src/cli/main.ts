/**
 * `npm run assess -- <file.json|file.ndjson|folder> [--as-of YYYY-MM-DD] [--format json|text]`
 * Prints one Assessment per patient: a JSON array (default) or readable text. Bad input: one line
 * on stderr naming the file and position, exit code 1; bad arguments: exit code 2.
 */
import { assess } from "../clinical";
import type { Assessment } from "../clinical/types";
import { formatText } from "./format";
import { groupByPatient } from "./group";
import { InputError, displayPath, inputFiles, readInputFile, type ReadResource } from "./input";

export const USAGE = "usage: npm run assess -- <file.json|file.ndjson|folder> [--as-of YYYY-MM-DD] [--format json|text]";

export interface Args {
  path: string;
  asOf: string;
  format: "json" | "text";
}

export class UsageError extends Error {}

function today(): string {
  // The command line, not the engine, reads the clock: only for the default --as-of.
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

function validDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() + 1 === Number(m[2]) && d.getUTCDate() === Number(m[3]);
}

export function parseArgs(argv: string[]): Args | "help" {
  let path: string | undefined;
  let asOf: string | undefined;
  let format: string | undefined;
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    const [flag, inline] =
      a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    if (flag === "-h" || flag === "--help") return "help";
    if (flag === "--as-of" || flag === "--format") {
      const v = inline ?? argv[++k];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      if (flag === "--as-of") asOf = v;
      else format = v;
    } else if (a.startsWith("-")) {
      throw new UsageError(`unknown option ${a}`);
    } else if (path === undefined) {
      path = a;
    } else {
      throw new UsageError(`one input path expected, got also ${a}`);
    }
  }
  if (!path) throw new UsageError("no input path");
  if (asOf !== undefined && !validDate(asOf)) throw new UsageError(`--as-of must be a date YYYY-MM-DD, got ${asOf}`);
  if (format !== undefined && format !== "json" && format !== "text") throw new UsageError(`--format must be json or text, got ${format}`);
  return { path, asOf: asOf ?? today(), format: (format as Args["format"]) ?? "json" };
}

export interface RunResult {
  assessments: Assessment[];
  resources: number;
  unplaced: number;
}

/** Read the input and assess every patient in it. Throws InputError on bad input. */
export function run(args: Args): RunResult {
  const items: ReadResource[] = [];
  for (const file of inputFiles(args.path)) items.push(...readInputFile(file, displayPath(file, args.path)));
  if (!items.some((i) => i.resource.resourceType === "Patient")) {
    throw new InputError(displayPath(args.path, args.path), null, "no Patient resource in the input");
  }
  const { groups, unplaced } = groupByPatient(items);
  const assessments = groups.map((g) => assess(g.resources, { asOf: args.asOf, patientId: g.patientId }));
  return { assessments, resources: items.length, unplaced };
}

export function render(result: RunResult, format: Args["format"]): string {
  if (format === "text") return `${result.assessments.map(formatText).join("\n\n")}\n`;
  return `${JSON.stringify(result.assessments, null, 2)}\n`;
}

/** The whole command: returns the exit code; writes only through the given sinks. */
export function main(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
  try {
    const args = parseArgs(argv);
    if (args === "help") {
      out(`${USAGE}\n`);
      return 0;
    }
    const result = run(args);
    if (result.unplaced) err(`assess: warning: ${result.unplaced} resource(s) name no patient and were left out\n`);
    out(render(result, args.format));
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      err(`assess: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof InputError) {
      err(`assess: ${e.message}\n`);
      return 1;
    }
    err(`assess: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 70;
  }
}
