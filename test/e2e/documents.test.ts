/**
 * src/documents in a real browser, built as the app is built: a test page (test/e2e/documents/)
 * added to a production build of the app, served under the app's Content-Security-Policy.
 *
 * - Bundle: pdf.js is in chunks of its own, loaded by import(), and its worker is a separate file;
 *   neither is in what index.html (or the test page) loads up front.
 * - Lazy: a page that reads HTML, RTF and text never fetches pdf.js; the first PDF fetches it and
 *   starts one worker, under `script-src 'self'` with nothing refused.
 * - Same text: the HTML corpus gives in Chromium's DOMParser what it gives in jsdom and Node.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { measureEntry } from "../../bench/bundle";
import { HIP_FINDINGS } from "../../sandbox/data/attachments/sources";
import { parseSmartConfig } from "../../src/session/config";
import { securityHeaders } from "../../src/session/security-headers";
import type { ExtractOutcome } from "../../src/documents/types";
import { HTML_CASES } from "../unit/documents/html-corpus";
import { newPage, openBrowser } from "./harness";
import { serveStatic, type StaticServer } from "./support/static-server";

const ROOT = resolve(import.meta.dirname, "../..");
const PAGE = "test/e2e/documents/page.html";
const PDFJS_VERSION = (JSON.parse(readFileSync(join(ROOT, "node_modules/pdfjs-dist/package.json"), "utf8")) as { version: string }).version;
const attachment = (name: string) => readFileSync(join(ROOT, "sandbox/data/attachments", name)).toString("base64");

let outDir: string;
let server: StaticServer;
let browser: Browser;
let csp: string;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), "documents-e2e-"));
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    // The app's own inputs (index.html, launch.html) plus the test page, in one production build.
    await build({
      root: ROOT,
      mode: "production",
      logLevel: "warn",
      build: { outDir, emptyOutDir: true, rollupOptions: { input: { documents: join(ROOT, PAGE) } } },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  const config = parseSmartConfig(JSON.parse(readFileSync(join(outDir, "smart-config.json"), "utf8")));
  const headers = securityHeaders(config, { frameAncestors: ["'self'"] });
  csp = headers["Content-Security-Policy"];
  server = await serveStatic(outDir, { headers });
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

/** The built files that are pdf.js (its version string is in both of its parts). */
function pdfjsFiles(): { main: string[]; worker: string[] } {
  const assets = readdirSync(join(outDir, "assets")).filter((f) => f.endsWith(".js"));
  const version = new RegExp(`["'\`]${PDFJS_VERSION.replaceAll(".", "\\.")}["'\`]`);
  const withPdfjs = assets.filter((f) => version.test(readFileSync(join(outDir, "assets", f), "utf8")));
  // The worker script is the file that defines the worker global (the main part only reads it).
  const isWorker = (f: string) => /pdfjsWorker\s*=\s*\{/.test(readFileSync(join(outDir, "assets", f), "utf8"));
  return {
    main: withPdfjs.filter((f) => !isWorker(f)).map((f) => `assets/${f}`),
    worker: withPdfjs.filter(isWorker).map((f) => `assets/${f}`),
  };
}

describe("the bundle", () => {
  it("keeps pdf.js out of what index.html and the test page load up front", () => {
    const { main, worker } = pdfjsFiles();
    expect(main).toHaveLength(1);
    expect(worker).toHaveLength(1);
    for (const html of ["index.html", "launch.html", PAGE]) {
      const entry = measureEntry(outDir, html);
      expect(entry.files.length, html).toBeGreaterThan(0);
      for (const f of [...main, ...worker]) expect(entry.files, html).not.toContain(f);
    }
    // On the page that uses it, pdf.js is a dynamic import; the worker is never imported at all.
    const page = measureEntry(outDir, PAGE);
    expect(page.lazyFiles).toEqual(expect.arrayContaining(main));
    expect(page.lazyFiles).not.toContain(worker[0]);
  });
});

describe("the browser extractor in Chromium", { timeout: 60_000 }, () => {
  async function open(): Promise<{ page: Page; requests: string[]; problems: string[]; close(): Promise<void> }> {
    const { page, context, console: logs } = await newPage(browser);
    const requests: string[] = [];
    const failed: string[] = [];
    page.on("request", (r) => requests.push(new URL(r.url()).pathname.replace(/^\//, "")));
    // Failed requests count as problems (but the favicon, which the test page does not have).
    page.on("response", (r) => {
      if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) failed.push(`${r.status()} ${r.url()}`);
    });
    // The worker's console (a CSP refusal inside it is reported there) goes with the page's.
    page.on("worker", (w) => w.on("console", (m) => logs.push(`worker ${m.type()}: ${m.text()}`)));
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto(`${server.appUrl}${PAGE}`);
    await page.waitForSelector("body[data-ready=true]", { state: "attached" });
    const problems = () => [...logs.filter((c) => /^pageerror|CSP violation|Refused/i.test(c)), ...failed];
    return {
      page,
      requests,
      get problems() {
        return problems();
      },
      close: () => context.close(),
    };
  }
  const extract = (page: Page, base64: string, contentType: string) =>
    page.evaluate(([b, t]) => window.extractDocument(b, t), [base64, contentType] as const) as Promise<ExtractOutcome>;

  it("reads HTML, RTF and text without fetching pdf.js; the first PDF fetches it and starts one worker", async () => {
    const { main, worker } = pdfjsFiles();
    const tab = await open();
    const { page, requests } = tab;
    expect(await extract(page, Buffer.from("<p>Calcific mass, <b>left</b> hip.</p>").toString("base64"), "text/html")).toEqual({
      ok: true,
      format: "html",
      text: "Calcific mass, left hip.",
    });
    expect(await extract(page, attachment("doc-rtf-letter.rtf"), "text/rtf")).toMatchObject({ ok: true, format: "rtf" });
    expect(await extract(page, Buffer.from("Zo\xeb", "latin1").toString("base64"), "text/plain; charset=ISO-8859-1")).toMatchObject({
      text: "Zoë",
    });
    expect(requests.filter((r) => [...main, ...worker].includes(r))).toEqual([]);

    const report = await extract(page, attachment("doc-pdf-report.pdf"), "application/pdf");
    expect(report).toMatchObject({ ok: true, format: "pdf" });
    expect(report.ok && report.text.split("\n")).toContain(`Findings: ${HIP_FINDINGS}`);
    expect(await extract(page, attachment("doc-scanned-pdf.pdf"), "application/pdf")).toEqual({
      ok: false,
      reason: "no-text-layer",
      message: "no text layer on its page (a scanned document?)",
    });
    expect(requests.filter((r) => r === main[0])).toHaveLength(1);
    expect(requests.filter((r) => r === worker[0])).toHaveLength(1);
    expect(tab.problems).toEqual([]);
    await tab.close();
  });

  it("runs under the app's CSP, which allows no eval and no other origin", async () => {
    const directives = csp.split(";").map((d) => d.trim());
    // Workers fall back to script-src: same-origin files only, no blob: or data: workers, no eval.
    expect(directives).toContain("script-src 'self'");
    expect(directives.filter((d) => /^(worker-src|child-src)\b/.test(d))).toEqual([]);
    expect(csp).not.toMatch(/unsafe-eval/);
    const tab = await open();
    expect(await extract(tab.page, attachment("doc-pdf-report.pdf"), "application/pdf")).toMatchObject({ ok: true });
    expect(tab.problems).toEqual([]);
    await tab.close();
  });

  it("gives the HTML corpus the same text as jsdom and Node do", async () => {
    const tab = await open();
    for (const c of HTML_CASES) {
      const outcome = await extract(tab.page, Buffer.from(c.html).toString("base64"), c.contentType ?? "text/html; charset=utf-8");
      expect(outcome, c.name).toEqual({ ok: true, format: "html", text: c.text });
    }
    await tab.close();
  });

  // Last: it removes the worker from the build.
  it("says a PDF was not read when its reader cannot start (the worker file is missing), and keeps reading the rest", async () => {
    const { worker } = pdfjsFiles();
    rmSync(join(outDir, worker[0]));
    const tab = await open();
    expect(await extract(tab.page, attachment("doc-pdf-report.pdf"), "application/pdf")).toEqual({
      ok: false,
      reason: "unreadable",
      message: "could not be read: the PDF reader (pdf.js worker) could not be started",
    });
    expect(await extract(tab.page, Buffer.from("Still read.").toString("base64"), "text/plain")).toMatchObject({
      ok: true,
      text: "Still read.",
    });
    await tab.close();
  });
});
