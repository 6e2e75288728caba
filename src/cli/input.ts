/**
 * Reading the command line's input: a FHIR JSON file (a Bundle of any type, or one resource), an
 * NDJSON file (Bulk Data $export: one resource per line), or a folder of them (recursively, files
 * in name order). Every problem becomes an InputError naming the file and the position.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { locateJsonError } from "./jsonError";

export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly where: string | null,
    readonly what: string,
  ) {
    super(`${file}${where ? `: ${where}` : ""}: ${what}`);
  }
}

/** One resource as read, with where it came from (for grouping and messages). */
export interface ReadResource {
  resource: Record<string, unknown>;
  /** Bundle.entry.fullUrl, when the resource came from a Bundle entry. */
  fullUrl?: string;
  /** Identifies the Bundle (file and position) the resource came from, if any. */
  bundle?: string;
}

const JSON_EXT = /\.json$/i;
const NDJSON_EXT = /\.(ndjson|jsonl)$/i;

/** Every input file under `path`, in a stable order. */
export function inputFiles(path: string): string[] {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    throw new InputError(path, null, `cannot read (${reasonOf(e)})`);
  }
  if (st.isFile()) return [path];
  if (!st.isDirectory()) throw new InputError(path, null, "not a file or folder");
  const out: string[] = [];
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (e) {
      throw new InputError(dir, null, `cannot read folder (${reasonOf(e)})`);
    }
    for (const name of names) {
      if (name.startsWith(".")) continue;
      const full = join(dir, name);
      const s = statSync(full);
      if (s.isDirectory()) walk(full);
      else if (JSON_EXT.test(name) || NDJSON_EXT.test(name)) out.push(full);
    }
  };
  walk(path);
  if (out.length === 0) throw new InputError(path, null, "folder has no .json or .ndjson files");
  return out;
}

function reasonOf(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === "ENOENT") return "no such file or folder";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "is a folder";
  return code ?? (e instanceof Error ? e.message : String(e));
}

export function readInputFile(file: string, shown = file): ReadResource[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(shown, null, `cannot read (${reasonOf(e)})`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return NDJSON_EXT.test(file) ? readNdjson(text, shown) : readJson(text, shown);
}

function parseJson(text: string, file: string, lineOffset = 0): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    if (text.trim() === "") throw new InputError(file, lineOffset ? `line ${lineOffset}` : null, "empty: not JSON");
    const at = locateJsonError(text);
    const where = at ? `line ${lineOffset || at.line}, column ${at.column}` : lineOffset ? `line ${lineOffset}` : null;
    throw new InputError(file, where, `not valid JSON (${at ? at.message : e instanceof Error ? e.message : "parse error"})`);
  }
}

function readJson(text: string, file: string): ReadResource[] {
  const value = parseJson(text, file);
  const out: ReadResource[] = [];
  addResource(value, file, null, out);
  return out;
}

function readNdjson(text: string, file: string): ReadResource[] {
  const out: ReadResource[] = [];
  const lines = text.split("\n");
  let any = false;
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!.trim();
    if (!line) continue;
    any = true;
    const value = parseJson(line, file, k + 1);
    addResource(value, file, `line ${k + 1}`, out);
  }
  if (!any) throw new InputError(file, null, "empty: no resources");
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function notFhir(value: unknown): string {
  if (Array.isArray(value)) return "a JSON array is not a FHIR resource (expected a Bundle or one resource)";
  if (!isObject(value)) return `${value === null ? "null" : typeof value} is not a FHIR resource`;
  return "not a FHIR resource (no resourceType)";
}

/** Add a resource (flattening Bundles, nested ones too) and check what the CLI promises to check. */
function addResource(value: unknown, file: string, where: string | null, out: ReadResource[]): void {
  if (!isObject(value) || typeof value.resourceType !== "string" || !/^[A-Z][A-Za-z]+$/.test(value.resourceType)) {
    throw new InputError(file, where, notFhir(value));
  }
  if (value.resourceType !== "Bundle") {
    out.push({ resource: value });
    return;
  }
  const bundleId = `${file}${where ? `:${where}` : ""}`;
  const entries = value.entry;
  if (entries !== undefined && !Array.isArray(entries)) throw new InputError(file, where, "Bundle.entry is not a list");
  const before = out.length;
  (entries ?? []).forEach((entry: unknown, k: number) => {
    const at = `${where ? `${where}, ` : ""}entry ${k + 1}`;
    if (!isObject(entry)) throw new InputError(file, at, "Bundle entry is not an object");
    if (entry.resource === undefined) return; // e.g. a transaction DELETE: nothing to read
    const r = entry.resource;
    if (isObject(r) && r.resourceType === "Bundle") {
      addResource(r, file, at, out);
      return;
    }
    if (!isObject(r) || typeof r.resourceType !== "string") throw new InputError(file, at, notFhir(r));
    out.push({ resource: r, fullUrl: typeof entry.fullUrl === "string" ? entry.fullUrl : undefined, bundle: bundleId });
  });
  if (!out.slice(before).some((x) => x.resource.resourceType === "Patient")) {
    throw new InputError(file, where, "Bundle has no Patient resource");
  }
}

export function displayPath(file: string, root: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith("..") ? rel : file || root;
}
