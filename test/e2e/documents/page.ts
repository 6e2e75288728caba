/**
 * A test page for the browser extractor (test/e2e/documents.test.ts): built by Vite like the app,
 * served under the app's Content-Security-Policy, driven from Playwright.
 */
import { browserExtractor } from "../../../src/documents/browser";
import type { ExtractOutcome } from "../../../src/documents/types";

declare global {
  interface Window {
    extractDocument(base64: string, contentType: string): Promise<ExtractOutcome>;
  }
}

const extractor = browserExtractor();
window.extractDocument = (base64, contentType) =>
  extractor.extract(
    Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)),
    contentType,
  );
document.body.dataset.ready = "true";
