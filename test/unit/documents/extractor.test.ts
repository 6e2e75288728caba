/**
 * The dispatcher both extractors share: which content types are read, the size limit applied
 * before any parsing, and failures as outcomes (extract() never rejects).
 */
import { describe, expect, it } from "vitest";
import { parseContentType } from "../../../src/documents/contentType";
import { makeExtractor, type Readers } from "../../../src/documents/extractor";
import { nodeExtractor } from "../../../src/documents/node";
import { DEFAULT_MAX_BYTES } from "../../../src/documents/types";

const bytes = (s: string) => new TextEncoder().encode(s);

/** Readers that record being called (to show the limit refuses before parsing). */
function recording(): Readers & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    html: (source) => (calls.push("html"), source),
    pdf: async () => (calls.push("pdf"), { ok: true, format: "pdf", text: "" }),
  };
}

describe("content types", () => {
  it("parses type and charset, in any case, with quotes and other parameters", () => {
    expect(parseContentType('Text/Plain; format=flowed; Charset="ISO-8859-1"')).toEqual({ type: "text/plain", charset: "ISO-8859-1" });
    expect(parseContentType("application/pdf")).toEqual({ type: "application/pdf" });
    expect(parseContentType("not a type")).toEqual({ type: "" });
  });

  it("reads text, HTML, XHTML, RTF (both types) and PDF", async () => {
    const extractor = nodeExtractor();
    expect(await extractor.extract(bytes("a"), "text/plain")).toMatchObject({ ok: true, format: "text" });
    expect(await extractor.extract(bytes("<p>a</p>"), "TEXT/HTML")).toMatchObject({ ok: true, format: "html" });
    expect(await extractor.extract(bytes("<p>a</p>"), "application/xhtml+xml")).toMatchObject({ ok: true, format: "html" });
    expect(await extractor.extract(bytes("{\\rtf1 a}"), "text/rtf")).toMatchObject({ ok: true, format: "rtf" });
    expect(await extractor.extract(bytes("{\\rtf1 a}"), "application/rtf")).toMatchObject({ ok: true, format: "rtf" });
  });

  it("refuses images, DICOM, octet-stream, XML, Word and unnamed types as unsupported-type, naming the type", async () => {
    const extractor = nodeExtractor();
    for (const type of ["image/jpeg", "image/png", "application/dicom", "application/octet-stream", "text/xml", "application/msword"]) {
      expect(await extractor.extract(bytes("%PDF-1.7"), type)).toEqual({
        ok: false,
        reason: "unsupported-type",
        message: `${type}: not a text, HTML, RTF or PDF document`,
      });
    }
    expect(await extractor.extract(bytes("a"), "")).toMatchObject({
      reason: "unsupported-type",
      message: "no content type: not a text, HTML, RTF or PDF document",
    });
    expect(await extractor.extract(bytes("a"), "garbage")).toMatchObject({
      reason: "unsupported-type",
      message: "garbage: not a text, HTML, RTF or PDF document",
    });
  });
});

describe("the size limit", () => {
  it("refuses bytes over maxBytes as too-large without parsing them", async () => {
    const readers = recording();
    const extractor = makeExtractor(readers, { maxBytes: 1024 });
    for (const type of ["text/html", "application/pdf", "text/rtf", "text/plain"]) {
      expect(await extractor.extract(new Uint8Array(1025), type)).toEqual({
        ok: false,
        reason: "too-large",
        message: "2 KiB, over the 1 KiB limit: not opened",
      });
    }
    expect(readers.calls).toEqual([]);
    expect(await extractor.extract(new Uint8Array(1024), "application/pdf")).toMatchObject({ ok: true });
    expect(readers.calls).toEqual(["pdf"]);
  });

  it("defaults to 10 MiB", async () => {
    const extractor = makeExtractor(recording());
    expect(DEFAULT_MAX_BYTES).toBe(10 * 1024 * 1024);
    expect(await extractor.extract(new Uint8Array(DEFAULT_MAX_BYTES + 1), "text/plain")).toMatchObject({
      reason: "too-large",
      message: "10.0 MiB, over the 10.0 MiB limit: not opened",
    });
  });
});

describe("failures are outcomes", () => {
  it("never rejects, whatever a reader throws", async () => {
    const extractor = makeExtractor({
      html: () => {
        throw new TypeError("boom\n    at somewhere (file.ts:1:1)");
      },
      pdf: () => Promise.reject("not even an Error"),
    });
    expect(await extractor.extract(bytes("<p>"), "text/html")).toEqual({
      ok: false,
      reason: "unreadable",
      message: "could not be read: boom",
    });
    expect(await extractor.extract(bytes("%PDF"), "application/pdf")).toEqual({
      ok: false,
      reason: "unreadable",
      message: "could not be read: not even an Error",
    });
  });
});
