/**
 * Loading end to end: the `large` demo patient (thousands of results) through the sandbox with
 * latency on every request and the sandbox's 100-entry pages; the page must end with every
 * resource and say so.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { demoPatient } from "../../sandbox/data";
import { ehrLaunch, newPage, openBrowser } from "./harness";

let browser: Browser;
beforeAll(async () => {
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("the large record under latency", () => {
  it("loads completely, page by page, and shows the right counts", { timeout: 120_000 }, async () => {
    // Binaries are read as attachments, not found by a search; notes older than the documents
    // lookback (10 years, quirks.ts) are not searched.
    const today = new Date().toISOString().slice(0, 10);
    const since = `${Number(today.slice(0, 4)) - 10}${today.slice(4)}`;
    const record = (demoPatient("large")?.resources ?? []).filter(
      (r) => r.resourceType !== "Binary" && (r.resourceType !== "DocumentReference" || ((r as { date?: string }).date ?? "") >= since),
    );
    expect(record.filter((r) => r.resourceType === "DocumentReference").length).toBeGreaterThan(100);
    const { page, context } = await newPage(browser);
    await ehrLaunch(page, "large", { params: { latency_ms: "50" } });

    const strip = page.getByTestId("load-strip");
    await expect.poll(() => strip.textContent(), { timeout: 90_000 }).toMatch(/^All \d+ searches finished/);
    expect(await strip.textContent()).toContain(`${record.length} resources.`);
    // Every search done (none failed or cut short), and per search the counts add up to the record.
    const rows = page.getByTestId("search-progress");
    expect(new Set(await rows.evaluateAll((els) => els.map((el) => el.getAttribute("data-state"))))).toEqual(new Set(["done"]));
    const counts = (await rows.allTextContents()).map((row) => Number(/·\s*(\d+)\s*$/.exec(row)?.[1]));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(record.length);
    // Far more than one page (the sandbox serves 100 per page) in the biggest analyte searches.
    expect(Math.max(...counts)).toBeGreaterThan(1000);
    await context.close();
  });
});
