/**
 * Bench section: JavaScript a browser downloads for each HTML entry of the built app, gzipped.
 *
 * For `dist/index.html` and `dist/launch.html` it follows the module entry script and every
 * `modulepreload` link (what the page fetches before first paint), then the static imports inside
 * those chunks (in case a preload was left out). Dynamic imports (`import()`, e.g. the lazy chart
 * module) are not part of the entry: the naive baseline adds them back, i.e. what the app entry
 * would weigh if nothing were split out.
 *
 * Measures a fresh production build made into a temporary folder (so `dist/` is never disturbed
 * and never stale), or an existing build given as `distDir` / BUNDLE_DIST.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import type { BenchResult, BenchRow } from "./support/types";

const TARGET_LAUNCH_KB = 40;
const TARGET_APP_KB = 300;

/** Entry scripts and modulepreload hrefs of one HTML file, relative to the dist folder. */
export function entryScripts(html: string): string[] {
  const out: string[] = [];
  const tagRe = /<(script|link)\b[^>]*>/gi;
  for (const m of html.matchAll(tagRe)) {
    const tag = m[0];
    const attr = (name: string) => new RegExp(`\\b${name}\\s*=\\s*["']([^"']+)["']`, "i").exec(tag)?.[1];
    if (m[1].toLowerCase() === "script" && attr("type") === "module" && attr("src")) out.push(attr("src")!);
    if (m[1].toLowerCase() === "link" && /\bmodulepreload\b/i.test(attr("rel") ?? "") && attr("href")) out.push(attr("href")!);
  }
  return out.filter((s) => !/^(https?:)?\/\//.test(s));
}

// Minified output quotes with ", ' or ` alike.
const STATIC_IMPORT = /(?:^|[;\s}])(?:import|export)\s*(?:[\w*{}\s,$]*?\s*from\s*)?["'`]([^"'`]+\.js)["'`]/g;
const DYNAMIC_IMPORT = /\bimport\(\s*["'`]([^"'`]+\.js)["'`]\s*\)/g;
// Vite's preload helper lists the files of dynamic chunks in a `__vite__mapDeps` array:
// const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["./LabTrendChart-x.js", ...])))=>...
const MAP_DEPS = /__vite__mapDeps\s*=\s*\([^)]*?=\s*(\[[^\]]*\])/;

/** A chunk or HTML reference: "./x.js" and "../x.js" are relative to the file, "/x.js" and "assets/x.js" to dist. */
function resolveIn(distDir: string, fromFile: string, spec: string): string {
  if (spec.startsWith("/")) return join(distDir, spec.slice(1));
  if (spec.startsWith("./") || spec.startsWith("../") || fromFile.endsWith(".html")) return resolve(dirname(fromFile), spec);
  return join(distDir, spec);
}

/** The closure of static imports from the given files (absolute paths). */
function staticClosure(distDir: string, files: string[]): { statics: Set<string>; dynamics: Set<string> } {
  const statics = new Set<string>();
  const dynamics = new Set<string>();
  const queue = [...files];
  while (queue.length) {
    const f = queue.shift()!;
    if (statics.has(f) || !existsSync(f)) continue;
    statics.add(f);
    const code = readFileSync(f, "utf8");
    for (const m of code.matchAll(STATIC_IMPORT)) queue.push(resolveIn(distDir, f, m[1]));
    for (const m of code.matchAll(DYNAMIC_IMPORT)) dynamics.add(resolveIn(distDir, f, m[1]));
    const deps = MAP_DEPS.exec(code);
    if (deps) {
      for (const name of deps[1].matchAll(/["'`]([^"'`]+\.js)["'`]/g)) dynamics.add(resolveIn(distDir, f, name[1]));
    }
  }
  return { statics, dynamics };
}

function gzKb(files: Iterable<string>): number {
  let bytes = 0;
  for (const f of files) bytes += gzipSync(readFileSync(f), { level: 9 }).length;
  return Math.round((bytes / 1024) * 10) / 10;
}

export interface EntryWeight {
  entryKbGz: number;
  withLazyKbGz: number;
  files: string[];
  lazyFiles: string[];
}

export function measureEntry(distDir: string, htmlName: string): EntryWeight {
  const htmlPath = join(distDir, htmlName);
  const html = readFileSync(htmlPath, "utf8");
  const roots = entryScripts(html).map((s) => resolveIn(distDir, htmlPath, s));
  const { statics, dynamics } = staticClosure(distDir, roots);
  // The lazy closure: dynamic chunks and everything they import that the entry does not have.
  const lazy = staticClosure(
    distDir,
    [...dynamics].filter((f) => !statics.has(f)),
  );
  const lazyOnly = [...lazy.statics].filter((f) => !statics.has(f));
  return {
    entryKbGz: gzKb(statics),
    withLazyKbGz: gzKb([...statics, ...lazyOnly]),
    files: [...statics].map((f) => f.slice(distDir.length + 1)),
    lazyFiles: lazyOnly.map((f) => f.slice(distDir.length + 1)),
  };
}

async function freshBuild(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), "bench-bundle-"));
  const { build } = await import("vite");
  await build({ root: resolve(import.meta.dirname, ".."), logLevel: "error", build: { outDir, emptyOutDir: true } });
  return outDir;
}

export async function run(options: { distDir?: string } = {}): Promise<BenchResult> {
  const given = options.distDir ?? process.env.BUNDLE_DIST;
  const distDir = given ? resolve(given) : await freshBuild();
  try {
    if (!existsSync(join(distDir, "index.html")) || !existsSync(join(distDir, "launch.html"))) {
      throw new Error(`no index.html/launch.html in ${distDir}`);
    }
    return measure(distDir);
  } finally {
    if (!given) rmSync(distDir, { recursive: true, force: true });
  }
}

function measure(distDir: string): BenchResult {
  const app = measureEntry(distDir, "index.html");
  const launch = measureEntry(distDir, "launch.html");
  const allJs = readdirSync(join(distDir, "assets"))
    .filter((f) => f.endsWith(".js"))
    .map((f) => join(distDir, "assets", f));
  const rows: BenchRow[] = [
    {
      metric: "launch.html JS (gzip)",
      value: launch.entryKbGz,
      unit: "KB",
      note: `target < ${TARGET_LAUNCH_KB} KB; ${launch.files.length} file(s)`,
    },
    {
      metric: "index.html JS before first paint (gzip)",
      value: app.entryKbGz,
      unit: "KB",
      baseline: app.withLazyKbGz,
      note: `target < ${TARGET_APP_KB} KB; baseline = same app with lazy chunks (charts) loaded up front`,
    },
    {
      metric: "lazy chunks of index.html (gzip)",
      value: Math.round((app.withLazyKbGz - app.entryKbGz) * 10) / 10,
      unit: "KB",
      note: app.lazyFiles.join(", ") || "none",
    },
    { metric: "all JS in dist (gzip)", value: gzKb(allJs), unit: "KB" },
  ];
  return {
    rows,
    results: {
      appJsKbGz: app.entryKbGz,
      launchJsKbGz: launch.entryKbGz,
      appJsWithLazyKbGz: app.withLazyKbGz,
    },
  };
}

// `npx tsx bench/bundle.ts [distDir]` prints the section on its own.
if (import.meta.url === `file://${process.argv[1]}`) {
  run({ distDir: process.argv[2] }).then(
    (r) => {
      console.table(r.rows);
      console.log(JSON.stringify(r.results));
    },
    (e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
