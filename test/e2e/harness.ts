/**
 * Helpers for end-to-end tests: a headless Debian Chromium driven by playwright-core, and SMART
 * launches through the local sandbox exactly as a person would click them.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from "playwright-core";
import { inject } from "vitest";
import type Axe from "axe-core";

export const stack = () => inject("stack");

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const ARTIFACTS_DIR = "test-artifacts";

export async function openBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
      "--disable-quic",
    ],
  });
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Every console message and page error, for leak checks. */
  console: string[];
}

export async function newPage(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const console: string[] = [];
  page.on("console", (message: ConsoleMessage) => console.push(`${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => console.push(`pageerror: ${error.message}`));
  return { context, page, console };
}

export interface LaunchOptions {
  /** The public launcher's simulated error names (auth_invalid_client_id, request_expired_token, …). */
  authError?: string;
  /** Extra launcher parameters (fault injection: latency_ms, fail_rate, …). */
  params?: Record<string, string>;
  /** Override the app URL (e.g. a sub-path deployment). */
  appUrl?: string;
}

/** The sandbox launcher URL for an EHR launch of `patientId`, as the sandbox's launch page builds it. */
export function ehrLaunchUrl(patientId: string, options: LaunchOptions = {}): string {
  const { sandboxUrl, appUrl } = stack();
  const url = new URL(`${sandboxUrl}/launcher`);
  url.searchParams.set("launch_uri", new URL("launch.html", options.appUrl ?? appUrl).href);
  url.searchParams.set("patient", patientId);
  if (options.authError) url.searchParams.set("auth_error", options.authError);
  for (const [name, value] of Object.entries(options.params ?? {})) url.searchParams.set(name, value);
  return url.href;
}

/** The app's launch URL for a standalone launch (no `launch` parameter: the EHR asks for a patient). */
export function standaloneLaunchUrl(options: { appUrl?: string } = {}): string {
  const { appUrl, fhirBase } = stack();
  const url = new URL("launch.html", options.appUrl ?? appUrl);
  url.searchParams.set("iss", fhirBase);
  return url.href;
}

/** Waits until the app has finished launching: a record on screen, or a problem screen. */
export async function waitForAppPhase(page: Page, phase: "ready" | "problem"): Promise<void> {
  await page.waitForSelector(`[data-app-phase="${phase}"]`, { timeout: 30_000 });
}

export async function ehrLaunch(page: Page, patientId: string, options: LaunchOptions = {}): Promise<void> {
  await page.goto(ehrLaunchUrl(patientId, options));
  await waitForAppPhase(page, options.authError ? "problem" : "ready");
}

/** Waits for the final assessment: every search finished and a status on screen. */
export async function waitForRecord(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="status-label"]', { timeout: 50_000 });
  await page.waitForSelector('main[aria-busy="false"]', { timeout: 90_000 });
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return `${ARTIFACTS_DIR}/${name}`;
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * Serious and critical axe-core violations on the page as it stands once its transitions have
 * finished (a panel fading in has not reached its final contrast yet). axe is evaluated through
 * the DevTools protocol, so the app's Content-Security-Policy stays as deployed.
 */
export async function axeSerious(page: Page): Promise<string[]> {
  // Finite transitions only (a progress bar or skeleton pulse runs forever); one cancelled while we
  // wait rejects its promise, and has ended all the same.
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((animation) => Number.isFinite(animation.effect?.getComputedTiming().endTime ?? Infinity))
        .map((animation) => animation.finished.catch(() => undefined)),
    ),
  );
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: typeof Axe }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
  });
}
