/**
 * Bulk Data export, client side (https://hl7.org/fhir/uv/bulkdata/export.html): kick-off on a
 * Group (or on Patient), polling the status URL as Retry-After says (X-Progress shown), then the
 * NDJSON files, each streamed to disk. Resumable: state.json in the export folder remembers the
 * job and every file downloaded completely with its size, so a re-run polls the same job and
 * skips those files (a file whose size on disk differs is fetched again).
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { setTimeout as wait } from "node:timers/promises";
import { OBSERVATION_CODE_GROUPS } from "../../clinical";
import { RULE_TYPES, type TokenSource } from "./auth";
import { ScreenError, describeResponse, http, retryAfterMs } from "./net";

export interface ManifestItem {
  type: string;
  url: string;
  count?: number;
}

export interface Manifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: boolean;
  output: ManifestItem[];
  error?: ManifestItem[];
}

interface ExportState {
  request: string;
  statusUrl?: string;
  manifest?: Manifest;
  /** url -> the completed file and its size. */
  files: Record<string, { file: string; bytes: number }>;
}

export interface ExportOptions {
  fhirBase: string;
  /** Group id, or null for Patient/$export. */
  group: string | null;
  /** The types to ask for (those the rules read that the token may read). */
  types: readonly string[];
  typeFilter: boolean;
  tokens: TokenSource;
  dir: string;
  maxWaitMs: number;
  log: (line: string) => void;
}

export interface ExportResult {
  dataDir: string;
  manifest: Manifest;
  /** Requested types the server said it did not export (from the manifest's error files). */
  refusedTypes: string[];
  downloaded: number;
  skipped: number;
}

/** The kick-off URL: only the types the rules read, and for Observation only the codes they read. */
export function kickoffUrl(fhirBase: string, group: string | null, types: readonly string[], typeFilter: boolean): string {
  const url = new URL(`${fhirBase}/${group === null ? "Patient" : `Group/${encodeURIComponent(group)}`}/$export`);
  url.searchParams.set("_outputFormat", "application/fhir+ndjson");
  url.searchParams.set("_type", types.join(","));
  if (typeFilter && types.includes("Observation")) {
    const codes = [...new Set(OBSERVATION_CODE_GROUPS.flatMap((g) => g.codes))];
    // Filters are OR-ed: a result coded so, or a panel with such a component (the engine reads both).
    url.searchParams.append("_typeFilter", `Observation?code=${codes.join(",")}`);
    url.searchParams.append("_typeFilter", `Observation?component-code=${codes.join(",")}`);
  }
  return url.href;
}

function loadState(path: string, request: string): ExportState {
  if (!existsSync(path)) return { request, files: {} };
  const state = JSON.parse(readFileSync(path, "utf8")) as ExportState;
  if (state.request !== request) {
    throw new ScreenError(`${path} belongs to another export (${state.request}): use another --out, or --restart`);
  }
  return state;
}

export async function runExport(o: ExportOptions): Promise<ExportResult> {
  const dataDir = join(o.dir, "data");
  const errorDir = join(o.dir, "errors");
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(errorDir, { recursive: true });
  const statePath = join(o.dir, "state.json");
  const request = kickoffUrl(o.fhirBase, o.group, o.types, o.typeFilter);
  const state = loadState(statePath, request);
  const save = () => writeFileSync(statePath, `${JSON.stringify(state, null, 2)}\n`);
  const auth = async () => ({ Authorization: `Bearer ${await o.tokens.get()}` });

  if (!state.manifest) {
    if (!state.statusUrl) {
      const res = await http(request, { headers: { ...(await auth()), Accept: "application/fhir+json", Prefer: "respond-async" } });
      const location = res.headers.get("content-location");
      if (res.status !== 202 || !location) {
        const hint = res.status === 400 && o.typeFilter ? " (a server without _typeFilter support: re-run with --no-type-filter)" : "";
        throw new ScreenError(`export kick-off refused: ${await describeResponse(res)}${hint}`);
      }
      state.statusUrl = location;
      save();
      o.log(`export started: ${o.group === null ? "all patients" : `Group/${o.group}`}`);
    } else {
      o.log("export: resuming the job started earlier");
    }
    state.manifest = await poll(state.statusUrl, o, auth);
    save();
  }
  const manifest = state.manifest;
  let downloaded = 0;
  let skipped = 0;
  const perType = new Map<string, number>();
  const items = [
    ...manifest.output.map((item) => ({ item, dir: dataDir })),
    ...(manifest.error ?? []).map((item) => ({ item, dir: errorDir })),
  ];
  for (const { item, dir } of items) {
    const n = perType.get(item.type) ?? 0;
    perType.set(item.type, n + 1);
    const file = join(dir, `${item.type}.${String(n).padStart(3, "0")}.ndjson`);
    const done = state.files[item.url];
    if (done && existsSync(done.file) && statSync(done.file).size === done.bytes) {
      skipped++;
      continue;
    }
    const bytes = await download(item.url, file, manifest.requiresAccessToken ? await auth() : {});
    state.files[item.url] = { file, bytes };
    save();
    downloaded++;
  }
  o.log(`export: ${downloaded} file(s) downloaded, ${skipped} already complete`);
  return { dataDir, manifest, refusedTypes: refusedTypes(manifest, state), downloaded, skipped };
}

async function poll(statusUrl: string, o: ExportOptions, auth: () => Promise<Record<string, string>>): Promise<Manifest> {
  const started = Date.now();
  let backoff = 1000;
  for (;;) {
    const res = await http(statusUrl, { headers: { ...(await auth()), Accept: "application/json" } });
    if (res.status === 200) return (await res.json()) as Manifest;
    if (res.status === 202 || res.status === 429 || res.status === 503) {
      await res.arrayBuffer();
      const progress = res.headers.get("x-progress");
      o.log(`export in progress${progress ? `: ${progress}` : ""}`);
      const delay = retryAfterMs(res.headers.get("retry-after"), backoff, 0, 120_000);
      backoff = Math.min(backoff * 2, 60_000);
      if (Date.now() - started + delay > o.maxWaitMs) {
        throw new ScreenError(
          `the export is still running after ${Math.round(o.maxWaitMs / 60_000)} min: re-run later to continue the same job`,
        );
      }
      await wait(delay);
      continue;
    }
    const what = await describeResponse(res);
    if (res.status === 404) throw new ScreenError(`the export job is gone (${what}): re-run with --restart`);
    throw new ScreenError(`the export failed: ${what}`);
  }
}

/** Streams one file to `<file>.part`, checks its size against Content-Length, then renames it. */
async function download(url: string, file: string, headers: Record<string, string>): Promise<number> {
  const res = await http(url, { headers: { ...headers, Accept: "application/fhir+ndjson" } });
  if (!res.ok || !res.body) throw new ScreenError(`download of ${url} refused: ${await describeResponse(res)}`);
  const part = `${file}.part`;
  try {
    await pipeline(Readable.fromWeb(res.body as WebReadableStream), createWriteStream(part));
  } catch {
    throw new ScreenError(`download of ${url} was interrupted: re-run to resume (completed files are kept)`);
  }
  const bytes = statSync(part).size;
  const expected = res.headers.get("content-length");
  if (expected !== null && Number(expected) !== bytes) {
    rmSync(part, { force: true });
    throw new ScreenError(`download of ${url} is incomplete (${bytes} of ${expected} bytes): re-run to resume`);
  }
  renameSync(part, file);
  return bytes;
}

/** Requested types that an error file of the manifest says were not exported. */
function refusedTypes(manifest: Manifest, state: ExportState): string[] {
  const texts: string[] = [];
  for (const item of manifest.error ?? []) {
    const f = state.files[item.url]?.file;
    if (!f) continue;
    for (const line of readFileSync(f, "utf8").split("\n")) {
      if (!line.trim()) continue;
      try {
        const oo = JSON.parse(line) as { issue?: { diagnostics?: string; details?: { text?: string } }[] };
        for (const i of oo.issue ?? []) texts.push(`${i.diagnostics ?? ""} ${i.details?.text ?? ""}`);
      } catch {
        // An unreadable error line names no type; the files themselves were checked by size.
      }
    }
  }
  return RULE_TYPES.filter((t) => texts.some((x) => new RegExp(`\\b${t}\\b`).test(x)));
}
