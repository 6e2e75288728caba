/**
 * Bench section: the app in the browser (issue 13). The production build, served like a
 * deployment (static files, the security headers), in headless Chromium (playwright-core), launched
 * from the local sandbox as a clinician would; the `large` patient, 100 ms added to every FHIR
 * answer, 100-entry pages, as in the load section. Measured in the page, from the token response to
 *   first: the first status on screen ([data-testid=status-label]),
 *   full:  the screen of the complete record (main[aria-busy=false]).
 * Beside them, in the same run and interleaved, the loader alone in Node ((d) of the load
 * section: the loader as shipped and one assessment of the complete record), with the app's scopes
 * and a document reader, so it runs the app's searches and reads the same attachments. Both sides'
 * requests are logged and compared URL by URL (support/requestLog.ts): the bench says so when they
 * differ. Target: browser full ≤ 1.15× the loader alone.
 *
 * Third, the same loader alone in a bare page of the same browser (support/loaderInBrowser.ts),
 * which splits the ratio into what the browser costs the load and what the app's screen adds. The
 * browser's share includes a CORS preflight per request (the Authorization header makes every
 * request non-simple, and browsers cache a preflight per URL, so each page and each Binary has its
 * own), its network stack and its document reader, not measured apart; the bare page pays it too.
 * The screen's share is the app's own cost, and it gets the same verdict.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { build } from "vite";
import { parseSmartConfig } from "../src/session/config";
import { buildScope } from "../src/session/scopes";
import { securityHeaders } from "../src/session/security-headers";
import { e2eConfig } from "../test/e2e/global-setup";
import { serveStatic } from "../test/e2e/support/static-server";
import { createFhirClient } from "../test/integration/helpers/fhir-client";
import { nodeExtractor } from "../src/documents/node";
import { loaderLoad } from "./support/loadWays";
import { LOADER_PAGE, buildLoaderPage, loaderInBrowserRun } from "./support/loaderInBrowser";
import { differences, kindsOf, kindsText, withFetchLog } from "./support/requestLog";
import { median } from "./support/lowerBound";
import { launch, startSandboxProcess } from "./support/sandbox";
import type { BenchResult } from "./support/types";

const LATENCY_MS = 100;
const MAX_PAGE_SIZE = 100;
const PATIENT = "large";
const RUNS = Number(process.env.BENCH_BROWSER_RUNS ?? 5);
const TARGET = 1.15;
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Installed before the app's scripts: stamps when the first status and the complete screen appear. */
function stampScreen() {
  const w = window as unknown as { __bench: { first?: number; full?: number } };
  w.__bench = {};
  new MutationObserver(() => {
    if (w.__bench.first === undefined && document.querySelector('[data-testid="status-label"]')) w.__bench.first = performance.now();
    if (w.__bench.full === undefined && document.querySelector('main[aria-busy="false"] [data-testid="status-label"]'))
      w.__bench.full = performance.now();
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-busy"] });
}

async function buildApp(): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), "calcinosis-bench-site-"));
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ mode: "production", logLevel: "warn", build: { outDir: out, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  return out;
}

interface BrowserTiming {
  firstMs: number;
  fullMs: number;
  /** Token → the last FHIR answer: the loading part of full, the rest is assessment and render. */
  lastResponseMs: number;
  /** Token → the first FHIR request: the app's start-up before the load begins. */
  firstRequestMs: number;
  /** Every FHIR request of the page, in order. */
  urls: string[];
}

async function browserRun(browser: Browser, launchUrl: string, fhirBase: string): Promise<BrowserTiming> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(stampScreen);
    await page.goto(launchUrl);
    await page.waitForFunction(() => (window as unknown as { __bench?: { full?: number } }).__bench?.full !== undefined, null, {
      timeout: 120_000,
      polling: 100,
    });
    return await page.evaluate((base) => {
      const b = (window as unknown as { __bench: { first: number; full: number } }).__bench;
      const entries = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
      const token = entries.find((e) => e.name.includes("/auth/token"));
      if (!token) throw new Error("no token request seen in this page");
      const fhir = entries.filter((e) => e.name.startsWith(base));
      const last = Math.max(...fhir.map((e) => e.responseEnd));
      const firstRequest = Math.min(...fhir.map((e) => e.startTime));
      return {
        firstRequestMs: firstRequest - token.responseEnd,
        firstMs: b.first - token.responseEnd,
        fullMs: b.full - token.responseEnd,
        lastResponseMs: last - token.responseEnd,
        urls: fhir.map((e) => e.name),
      };
    }, fhirBase);
  } finally {
    await context.close();
  }
}

export async function run(): Promise<BenchResult> {
  const site = await buildApp();
  await buildLoaderPage(join(site, "bench-loader"));
  // The headers hold the CSP, which names the sandbox: filled in once the sandbox is up (the server
  // reads them, and smart-config.json, per request).
  const headers: Record<string, string> = {};
  const server = await serveStatic(site, { headers });
  const sandbox = await startSandboxProcess(MAX_PAGE_SIZE, server.origin);
  const config = e2eConfig(sandbox.fhirBase);
  writeFileSync(join(site, "smart-config.json"), `${JSON.stringify(config, null, 2)}\n`);
  Object.assign(headers, securityHeaders(parseSmartConfig(config), { frameAncestors: [] }));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const url = new URL(`${sandbox.url}/launcher`);
    url.searchParams.set("launch_uri", new URL("launch.html", server.appUrl).href);
    url.searchParams.set("patient", PATIENT);
    url.searchParams.set("latency_ms", String(LATENCY_MS));
    // The app's own scopes, so that the loader alone runs the very searches the app runs.
    const token = await launch(sandbox, PATIENT, LATENCY_MS, buildScope("ehr", "v2"));
    const client = () =>
      createFhirClient({ serverUrl: sandbox.fhirBase, patientId: token.patient, accessToken: token.access_token, scope: token.scope });
    await browserRun(browser, url.href, sandbox.fhirBase); // warm-up: the sandbox's indexes, the browser's caches
    // The same work as the app: the notes' attachments fetched and read too (Node's reader).
    const alone = () => withFetchLog(sandbox.fhirBase, () => loaderLoad(client(), { concurrency: 6, extractor: nodeExtractor() }));
    await alone();
    const pageToken = { serverUrl: sandbox.fhirBase, patientId: token.patient!, accessToken: token.access_token };
    const loaderPageUrl = new URL(`bench-loader/${LOADER_PAGE}`, server.appUrl).href;
    const inBrowser = () => loaderInBrowserRun(browser, loaderPageUrl, pageToken);
    await inBrowser();
    const inPage: number[] = [];
    const first: number[] = [];
    const full: number[] = [];
    const lastResponse: number[] = [];
    const firstRequest: number[] = [];
    const loader: number[] = [];
    // Requests that only one side made, over all runs (none when both do the same work).
    const unmatched: { browser: string[]; loader: string[]; page: string[] } = { browser: [], loader: [], page: [] };
    let browserUrls: string[] = [];
    let loaderUrls: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      const b = await browserRun(browser, url.href, sandbox.fhirBase);
      first.push(b.firstMs);
      full.push(b.fullMs);
      lastResponse.push(b.lastResponseMs);
      firstRequest.push(b.firstRequestMs);
      const l = await alone();
      loader.push(l.value.fullMs);
      const p = await inBrowser();
      inPage.push(p.timing.fullMs);
      unmatched.page.push(...differences(p.urls, l.urls).onlyA, ...differences(l.urls, p.urls).onlyA);
      const diff = differences(b.urls, l.urls);
      unmatched.browser.push(...diff.onlyA);
      unmatched.loader.push(...diff.onlyB);
      browserUrls = b.urls;
      loaderUrls = l.urls;
    }
    const same =
      unmatched.browser.length + unmatched.loader.length === 0
        ? "the same requests on both sides"
        : `NOT the same requests: ${unmatched.browser.length} only in the page (${kindsText(kindsOf(unmatched.browser))}), ` +
          `${unmatched.loader.length} only in the loader (${kindsText(kindsOf(unmatched.loader))}), over ${RUNS} runs`;
    const pageSame =
      unmatched.page.length === 0 ? "the same requests as in Node" : `NOT the same requests as in Node (${unmatched.page.length} differ)`;
    const browserShare = median(inPage) / median(loader);
    const screenShare = median(full) / median(inPage);
    const r = median(full) / median(loader);
    const spread = (xs: number[]) => `min ${Math.round(Math.min(...xs))}, max ${Math.round(Math.max(...xs))}`;
    return {
      rows: [
        {
          metric: "browser token → first FHIR request (median)",
          value: Math.round(median(firstRequest)),
          unit: "ms",
          note: `${spread(firstRequest)}; the app's start-up after the token`,
        },
        { metric: "browser token → first assessment (median)", value: Math.round(median(first)), unit: "ms", note: spread(first) },
        {
          metric: "browser token → full screen (median)",
          value: Math.round(median(full)),
          unit: "ms",
          baseline: Math.round(median(loader)),
          note: `${spread(full)}; baseline: loader alone in Node, ${kindsText(kindsOf(loaderUrls))} requests (${spread(loader)})`,
        },
        {
          metric: "browser token → last FHIR answer (median)",
          value: Math.round(median(lastResponse)),
          unit: "ms",
          note: `${spread(lastResponse)}; ${kindsText(kindsOf(browserUrls))} FHIR requests in the page`,
        },
        {
          metric: "browser full / loader alone in Node",
          value: Number(r.toFixed(2)),
          unit: "×",
          note: `target ≤ ${TARGET}×: ${r <= TARGET ? "met" : "NOT met"}; ${same}; ${RUNS} runs, ${PATIENT}, ${LATENCY_MS} ms latency`,
        },
        {
          metric: "loader alone in the browser (median)",
          value: Math.round(median(inPage)),
          unit: "ms",
          baseline: Math.round(median(loader)),
          note: `${spread(inPage)}; a bare page, no screen; ${pageSame}; baseline: loader alone in Node`,
        },
        {
          metric: "  = the browser's share: loader in browser / in Node",
          value: Number(browserShare.toFixed(2)),
          unit: "×",
          note: "CORS preflights, the browser's network stack and document reader",
        },
        {
          metric: "  × the screen's share: browser full / loader in browser",
          value: Number(screenShare.toFixed(2)),
          unit: "×",
          note: `the app's own cost (start-up after the token, the worker's assessments, renders): ≤ ${TARGET}×: ${screenShare <= TARGET ? "met" : "NOT met"}`,
        },
      ],
      results: {
        browserFirstMs: Math.round(median(first)),
        browserFullMs: Math.round(median(full)),
        browserLoaderOnlyMs: Math.round(median(loader)),
        browserLastResponseMs: Math.round(median(lastResponse)),
        browserFirstRequestMs: Math.round(median(firstRequest)),
        browserOverLoaderRatio: Number(r.toFixed(3)),
        browserLoaderInPageMs: Math.round(median(inPage)),
        browserScreenShare: Number(screenShare.toFixed(3)),
        browserOwnShare: Number(browserShare.toFixed(3)),
      },
    };
  } finally {
    await browser.close();
    await server.close();
    await sandbox.close();
    rmSync(site, { recursive: true, force: true });
  }
}
