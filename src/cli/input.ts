/**
 * Finding the command line's input: a FHIR JSON file (a Bundle of any type, or one resource), an
 * NDJSON file (Bulk Data $export: one resource per line), or a folder of them (recursively, files
 * in name order). Symbolic links are followed, but a loop or a dangling link is an error, and so is
 * an input that is not a regular file (a FIFO would block the read forever). Every problem becomes
 * an InputError naming the file and the position.
 */
import { lstatSync, readdirSync, realpathSync, statSync, type Stats } from "node:fs";
import { join, relative } from "node:path";

export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly where: string | null,
    readonly what: string,
  ) {
    super(`${file}${where ? `: ${where}` : ""}: ${what}`);
  }
}

/** A documented limit was reached (docs/cli.md); like bad input, exit code 1. */
export class LimitError extends Error {}

/** Documented limits (docs/cli.md): past them the input is refused with a one-line error. */
export const LIMITS = {
  /** A JSON file is parsed whole; beyond this, NDJSON (read line by line) is the way. */
  jsonFileBytes: 256 * 1024 * 1024,
  /** One NDJSON line (one resource). */
  lineBytes: 64 * 1024 * 1024,
  /** Bundles inside Bundles. */
  bundleDepth: 32,
  /** Objects and arrays inside one resource of a Bundle file (read where references are resolved). */
  jsonDepth: 256,
} as const;

export type InputKind = "json" | "ndjson";

export interface InputFile {
  path: string;
  /** The name shown in messages (relative to the working folder when inside it). */
  shown: string;
  kind: InputKind;
  bytes: number;
}

const JSON_EXT = /\.json$/i;
const NDJSON_EXT = /\.(ndjson|jsonl)$/i;

export function kindOf(name: string): InputKind | null {
  return NDJSON_EXT.test(name) ? "ndjson" : JSON_EXT.test(name) ? "json" : null;
}

export function reasonOf(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === "ENOENT") return "no such file or folder";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "is a folder";
  if (code === "ELOOP") return "symbolic link loop";
  return code ?? (e instanceof Error ? e.message : String(e));
}

export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith("..") ? rel : file;
}

/** stat() through links, with the link's own problems named. */
function follow(path: string): Stats {
  let own: Stats;
  try {
    own = lstatSync(path);
  } catch (e) {
    throw new InputError(displayPath(path), null, `cannot read (${reasonOf(e)})`);
  }
  if (!own.isSymbolicLink()) return own;
  try {
    return statSync(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "ENOENT") throw new InputError(displayPath(path), null, "broken symbolic link: its target does not exist");
    if (code === "ELOOP") throw new InputError(displayPath(path), null, "symbolic link loop: the link resolves to itself");
    throw new InputError(displayPath(path), null, `cannot read (${reasonOf(e)})`);
  }
}

function notRegular(path: string, st: Stats): InputError {
  const what = st.isFIFO() ? "a FIFO (named pipe)" : st.isSocket() ? "a socket" : "a device";
  return new InputError(displayPath(path), null, `is ${what}, not a regular file: copy the data into a file first`);
}

/** Every input file under `path`, in a stable order. */
export function inputFiles(path: string): InputFile[] {
  const st = follow(path);
  if (st.isFile()) {
    return [{ path, shown: displayPath(path), kind: kindOf(path) ?? "json", bytes: st.size }];
  }
  if (!st.isDirectory()) throw notRegular(path, st);
  const out: InputFile[] = [];
  // Depth-first, in name order, with an explicit stack (deep trees do not touch the call stack).
  // `ancestors` holds the real paths of the folders above, so a link back up is a loop.
  const stack: { dir: string; ancestors: Set<string> }[] = [{ dir: path, ancestors: new Set() }];
  while (stack.length) {
    const { dir, ancestors } = stack.pop()!;
    const real = realpathSync(dir);
    if (ancestors.has(real)) {
      throw new InputError(displayPath(dir), null, `symbolic link loop: the folder is its own ancestor (${displayPath(real)})`);
    }
    const below = new Set(ancestors).add(real);
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (e) {
      throw new InputError(displayPath(dir), null, `cannot read folder (${reasonOf(e)})`);
    }
    const subfolders: string[] = [];
    for (const name of names) {
      if (name.startsWith(".")) continue;
      const full = join(dir, name);
      const kind = kindOf(name);
      const s = follow(full);
      if (s.isDirectory()) subfolders.push(full);
      else if (kind && s.isFile()) out.push({ path: full, shown: displayPath(full), kind, bytes: s.size });
      else if (kind) throw notRegular(full, s);
    }
    // Folders are read after the files of their parent, in name order (hence pushed reversed).
    for (const sub of subfolders.reverse()) stack.push({ dir: sub, ancestors: below });
  }
  if (out.length === 0) throw new InputError(displayPath(path), null, "folder has no .json or .ndjson files");
  return out;
}
