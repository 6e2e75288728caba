/**
 * Every attachment of the demo patients, read as the app and the CLI will read them (here with the
 * Node extractor): each gives the text its patient's expected status rests on, or, for the scan,
 * says it has no text layer.
 */
import type { Attachment, Binary, DiagnosticReport, DocumentReference } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { demoPatient } from "../../../sandbox/data";
import { ELBOW_EXAMINATION, HIP_FINDINGS } from "../../../sandbox/data/attachments/sources";
import { FINGERTIP_NOTE_FINDING } from "../../../sandbox/data/doc-notes";
import { ELBOW_CT_FINDINGS, ELBOW_CT_IMPRESSION } from "../../../sandbox/data/attachments/sources";
import { nodeExtractor } from "../../../src/documents/node";
import type { ExtractOutcome } from "../../../src/documents/types";

const extractor = nodeExtractor();

/** Each attachment of a demo patient, read: the Binary it points at, or its inline data. */
async function read(id: string): Promise<ExtractOutcome[]> {
  const resources = demoPatient(id)!.resources;
  const binaries = new Map(resources.filter((r): r is Binary => r.resourceType === "Binary").map((b) => [`Binary/${b.id}`, b]));
  const attachments: Attachment[] = resources.flatMap((r) =>
    r.resourceType === "DiagnosticReport"
      ? ((r as DiagnosticReport).presentedForm ?? [])
      : r.resourceType === "DocumentReference"
        ? (r as DocumentReference).content.map((c) => c.attachment)
        : [],
  );
  return Promise.all(
    attachments.map((a) => {
      const data = a.data ?? binaries.get(a.url!)!.data!;
      return extractor.extract(new Uint8Array(Buffer.from(data, "base64")), a.contentType!);
    }),
  );
}
const lines = (o: ExtractOutcome) => (o.ok ? o.text.split("\n") : []);

describe("the demo patients' attachments", () => {
  it("doc-html-report: the HTML CT report gives its findings and impression as lines", async () => {
    const [report] = await read("doc-html-report");
    expect(report).toMatchObject({ ok: true, format: "html" });
    expect(lines(report)).toEqual(
      expect.arrayContaining([ELBOW_CT_FINDINGS, ELBOW_CT_IMPRESSION, "Department of Radiology & Nuclear Medicine"]),
    );
  });

  it("doc-pdf-report: the PDF's text layer gives the findings", async () => {
    const [report] = await read("doc-pdf-report");
    expect(report).toMatchObject({ ok: true, format: "pdf" });
    expect(lines(report)).toContain(`Findings: ${HIP_FINDINGS}`);
  });

  it("doc-rtf-letter: the RTF letter gives the examination sentence", async () => {
    const [letter] = await read("doc-rtf-letter");
    expect(letter).toMatchObject({ ok: true, format: "rtf" });
    expect(letter.ok && letter.text).toContain(ELBOW_EXAMINATION);
  });

  it("doc-text-note: the ISO-8859-1 note gives the names right and the finding", async () => {
    const [note] = await read("doc-text-note");
    expect(note).toMatchObject({ ok: true, format: "text" });
    expect(lines(note)).toEqual(expect.arrayContaining(["Patient: Hélène Brunner", FINGERTIP_NOTE_FINDING]));
    expect(note.ok && note.text).toContain("Dr. Jürgen Weiß");
  });

  it("doc-scanned-pdf: the scanned report is not read: no text layer", async () => {
    expect(await read("doc-scanned-pdf")).toEqual([{ ok: false, reason: "no-text-layer", message: expect.any(String) }]);
  });

  it("large: all 200 notes read as text, one naming the left hip mass", async () => {
    const notes = await read("large");
    expect(notes).toHaveLength(200);
    expect(notes.every((n) => n.ok && n.format === "text" && n.text.length > 50)).toBe(true);
    expect(notes.filter((n) => n.ok && /left hip calcific mass, 3\.2 cm/.test(n.text))).toHaveLength(1);
  });
});
