/**
 * The screen at a glance, on paper and in a side panel (issue 13): where the next steps sit at
 * 360 px, one row per lesion, the skip link and focus ring, and how many A4 pages print takes.
 * Measured numbers are logged for the report.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PDFDocument } from "pdf-lib";
import type { Browser, Page } from "playwright-core";
import { artifactPath, ehrLaunch, newPage, openBrowser, waitForRecord } from "./harness";

let browser: Browser;
beforeAll(async () => {
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Bottom edge of an element in page coordinates (independent of the scroll position). */
async function pageBottom(page: Page, selector: string): Promise<number> {
  return page.locator(selector).evaluate((el) => el.getBoundingClientRect().bottom + window.scrollY);
}

/** Prints to A4 (saved in test-artifacts/ for review) and counts the pages. */
async function printedPages(page: Page, name: string): Promise<number> {
  const pdf = await page.pdf({ format: "A4", path: artifactPath(`print-${name}.pdf`) });
  return (await PDFDocument.load(pdf)).getPageCount();
}

const SCREEN = { width: 360, height: 780 };

describe("at 360 px (an EHR side panel)", { timeout: 120_000 }, () => {
  for (const id of ["modena-3", "ssc-ckd"]) {
    it(`${id}: the next steps end within the first two screens`, async () => {
      const { page, context } = await newPage(browser, SCREEN);
      await ehrLaunch(page, id);
      await waitForRecord(page);
      const bottom = await pageBottom(page, "#next-steps");
      const total = await page.evaluate(() => document.documentElement.scrollHeight);
      console.log(
        `[glance] ${id} at 360 px: next steps end at y = ${Math.round(bottom)} of ${total} px (2 screens = ${2 * SCREEN.height})`,
      );
      expect(bottom).toBeLessThanOrEqual(2 * SCREEN.height);
      expect(await page.getByTestId("next-step").count()).toBeGreaterThan(0);
      await page.screenshot({ path: artifactPath(`glance-${id}-360.png`) });
      await context.close();
    });
  }

  it("ssc-ckd: the headline names the secondary causes", async () => {
    const { page, context } = await newPage(browser, SCREEN);
    await ehrLaunch(page, "ssc-ckd");
    await waitForRecord(page);
    const causes = await page.getByTestId("secondary-cause").count();
    expect(causes).toBeGreaterThan(0);
    expect(await page.getByTestId("headline-causes").textContent()).toContain(`${causes} possible secondary causes`);
    await context.close();
  });
});

describe("lesions and keyboard", { timeout: 120_000 }, () => {
  it("modena-3: one row for the dorsal mass, with its dated size history", async () => {
    const { page, context } = await newPage(browser);
    await ehrLaunch(page, "modena-3");
    await waitForRecord(page);
    const lesions = page.getByTestId("lesion");
    expect(await lesions.count()).toBe(1);
    const history = await lesions.first().getByTestId("lesion-measurement").count();
    expect(history).toBeGreaterThanOrEqual(2);
    expect(await page.locator("[data-markers]").count()).toBe(1);
    // The assessment ran in the page's Web Worker, not on the main thread.
    expect(page.workers().map((w) => w.url())).toEqual(expect.arrayContaining([expect.stringMatching(/assess\.worker/)]));
    await context.close();
  });

  it("the first Tab reaches the skip link, which moves focus to the summary; focus is drawn as a ring", async () => {
    const { page, context } = await newPage(browser);
    await ehrLaunch(page, "modena-3");
    await waitForRecord(page);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press("Tab");
    const first = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return { text: el.textContent, outline: getComputedStyle(el).outlineStyle, top: el.getBoundingClientRect().top };
    });
    expect(first.text).toBe("Skip to the summary");
    expect(first.outline).not.toBe("none");
    expect(first.top).toBeGreaterThanOrEqual(0); // shown on screen while focused
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.id === "headline");
    await page.keyboard.press("Tab");
    const next = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return { inHeadline: !!el.closest("#headline"), outline: parseFloat(getComputedStyle(el).outlineWidth) };
    });
    expect(next.inHeadline).toBe(true); // Tab continues from the summary, in reading order
    expect(next.outline).toBeGreaterThanOrEqual(2);
    await context.close();
  });
});

describe("print (A4)", { timeout: 180_000 }, () => {
  it("modena-3: the clinical summary takes at most two pages; the results table only when asked, unclipped", async () => {
    const { page, context } = await newPage(browser);
    await ehrLaunch(page, "modena-3");
    await waitForRecord(page);
    const pages = await printedPages(page, "modena-3");
    await page.getByLabel("Print all lab results too").check();
    await page.emulateMedia({ media: "print" });
    const table = page.getByTestId("print-results");
    const clipped = await table.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
    const header = await page.getByTestId("print-header").textContent();
    await page.emulateMedia({ media: null });
    const withTable = await printedPages(page, "modena-3-all-results");
    console.log(`[glance] modena-3 print: ${pages} A4 page(s); with all lab results: ${withTable}`);
    expect(pages).toBeLessThanOrEqual(2);
    expect(clipped).toBe(false);
    expect(header).toContain("ruleset pc-ssc 1.1.0");
    await context.close();
  });

  it("large: prints in three pages or fewer", async () => {
    const { page, context } = await newPage(browser);
    await ehrLaunch(page, "large");
    await waitForRecord(page);
    const pages = await printedPages(page, "large");
    console.log(`[glance] large print: ${pages} A4 page(s)`);
    expect(pages).toBeLessThanOrEqual(3);
    await context.close();
  });
});
