/**
 * The loader alone in headless Chromium (loaderPage/): what the browser itself costs the load
 * (CORS preflights, its network stack, the document reader), apart from what the app's screen
 * costs. With it the browser bench splits its ratio in two:
 *   loader in the browser / loader in Node   the browser's share,
 *   app full screen / loader in the browser   the screen's share.
 */
import { join, resolve } from "node:path";
import type { Browser } from "playwright-core";
import { build } from "vite";
import type { LoadTiming } from "./loadWays";
import type { PageToken } from "./loaderPage/main";

const ROOT = resolve(import.meta.dirname, "../..");
export const LOADER_PAGE = "bench/support/loaderPage/index.html";

/** Builds the page (production mode, as the app) into `out`; the page is then at `out`/LOADER_PAGE. */
export async function buildLoaderPage(out: string): Promise<void> {
  await build({
    configFile: false,
    root: ROOT,
    base: "./",
    mode: "production",
    logLevel: "warn",
    build: { outDir: out, emptyOutDir: true, rollupOptions: { input: join(ROOT, LOADER_PAGE) } },
  });
}

/** One load in a fresh context; `pageUrl` serves the built page. Timed in the page as in Node. */
export async function loaderInBrowserRun(
  browser: Browser,
  pageUrl: string,
  token: PageToken,
): Promise<{ timing: LoadTiming; urls: string[] }> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(pageUrl);
    await page.waitForFunction(() => "runLoader" in window);
    return await page.evaluate(async (t) => {
      const w = window as unknown as { runLoader(token: typeof t): Promise<LoadTiming> };
      const timing = await w.runLoader(t);
      const urls = (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
        .map((e) => e.name)
        .filter((u) => u.startsWith(t.serverUrl));
      return { timing, urls };
    }, token);
  } finally {
    await context.close();
  }
}
