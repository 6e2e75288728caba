// @vitest-environment jsdom
/**
 * The browser extractor in jsdom (a real DOMParser): the shared HTML corpus gives the same text as
 * in Node; markup in a report is parsed, never run; text and RTF go through the same dispatcher;
 * and a PDF where no worker can start is "unreadable", not an exception.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { browserExtractor } from "../../../src/documents/browser";
import { HTML_CASES } from "./html-corpus";

const extractor = browserExtractor();
const bytes = (s: string) => new TextEncoder().encode(s);

afterEach(() => {
  delete (globalThis as { ranScript?: boolean }).ranScript;
  vi.unstubAllGlobals();
});

describe("HTML to text in the browser (DOMParser)", () => {
  it("runs in a DOM", () => {
    expect(typeof DOMParser).toBe("function");
  });

  it.each(HTML_CASES)("$name", async ({ html, contentType, text }) => {
    expect(await extractor.extract(bytes(html), contentType ?? "text/html; charset=utf-8")).toEqual({ ok: true, format: "html", text });
  });

  it("never runs the report's scripts or event handlers, and fetches nothing it links", async () => {
    const fetch = vi.fn();
    vi.stubGlobal("fetch", fetch);
    const html =
      '<p>Text<img src="https://tracker.example/x.png" onerror="globalThis.ranScript=true"></p>' +
      '<script>globalThis.ranScript = true</script><iframe srcdoc="<script>parent.ranScript=true</script>"></iframe>' +
      '<link rel="stylesheet" href="https://cdn.example/x.css">';
    expect(await extractor.extract(bytes(html), "text/html")).toEqual({ ok: true, format: "html", text: "Text" });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((globalThis as { ranScript?: boolean }).ranScript).toBeUndefined();
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe("the browser extractor's other formats", () => {
  it("reads text and RTF like the Node extractor", async () => {
    expect(await extractor.extract(Uint8Array.of(0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72), "text/plain; charset=ISO-8859-1")).toEqual({
      ok: true,
      format: "text",
      text: "Müller",
    });
    expect(await extractor.extract(bytes("{\\rtf1\\ansi Calcinosis, left elbow.\\par 3 cm.}"), "application/rtf")).toEqual({
      ok: true,
      format: "rtf",
      text: "Calcinosis, left elbow.\n3 cm.",
    });
  });

  it("reports a PDF as unreadable, with why, where pdf.js's worker cannot start (jsdom has no Worker)", async () => {
    expect(typeof Worker).toBe("undefined");
    const outcome = await extractor.extract(bytes("%PDF-1.7\n%%EOF"), "application/pdf");
    expect(outcome).toEqual({ ok: false, reason: "unreadable", message: expect.stringMatching(/Worker/) });
  });
});
