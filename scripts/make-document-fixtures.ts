/**
 * `npx tsx scripts/make-document-fixtures.ts` rebuilds the PDF and RTF files of the demo patients
 * (sandbox/data/attachments/, from its sources.ts) and of the src/documents tests
 * (test/unit/documents/fixtures/, from its sources.ts), with a tool hospitals' systems use, so they
 * are real files (embedded font subsets, LibreOffice's RTF):
 *
 * - doc-pdf-report.pdf: the hip report, exported by LibreOffice (a text layer);
 * - doc-scanned-pdf.pdf: the shoulder report exported the same way, rasterised by pdftoppm at
 *   100 dpi and wrapped in a PDF as one image per page (pdf-lib): a scan, no text;
 * - doc-rtf-letter.rtf: the clinic letter, saved as RTF by LibreOffice;
 * - features.rtf, features.pdf: the test document (characters, a table, a list, a picture, two pages);
 * - encrypted.pdf: features.pdf behind a user password (qpdf, AES-256).
 *
 * Needs Debian's libreoffice-writer-nogui, poppler-utils and qpdf. The outputs are committed: tests and
 * the sandbox never run this.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PDFDocument } from "pdf-lib";
import { ELBOW_LETTER_HTML, HIP_REPORT_HTML, SHOULDER_REPORT_HTML } from "../sandbox/data/attachments/sources";
import { FEATURES_HTML } from "../test/unit/documents/fixtures/sources";

const OUT = join(import.meta.dirname, "../sandbox/data/attachments");
const TEST_OUT = join(import.meta.dirname, "../test/unit/documents/fixtures");
// Fixed dates: the committed scan does not change when it is rebuilt.
const FIXED_DATE = new Date("2026-08-14T12:00:00Z");

function convert(work: string, name: string, html: string, format: "pdf" | "rtf"): string {
  const source = join(work, `${name}.html`);
  writeFileSync(source, html);
  // Imported as a Writer document (not Writer/Web), which exports both formats.
  execFileSync("soffice", ["--headless", "--infilter=HTML (StarWriter)", "--convert-to", format, "--outdir", work, source], {
    stdio: "ignore",
  });
  return join(work, `${name}.${format}`);
}

async function scan(work: string, pdf: string): Promise<Uint8Array> {
  execFileSync("pdftoppm", ["-gray", "-r", "100", "-png", pdf, join(work, "page")]);
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setCreationDate(FIXED_DATE);
  doc.setModificationDate(FIXED_DATE);
  doc.setProducer("Demo scanner");
  for (const file of readdirSync(work)
    .filter((f) => /^page-\d+\.png$/.test(f))
    .sort()) {
    const image = await doc.embedPng(readFileSync(join(work, file)));
    // A4 at 72 points per inch; the image fills the page, as a scanner's output does.
    const page = doc.addPage([595.28, 841.89]);
    page.drawImage(image, { x: 0, y: 0, width: 595.28, height: 841.89 });
  }
  return doc.save();
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "demo-documents-"));
  try {
    copyFileSync(convert(work, "doc-pdf-report", HIP_REPORT_HTML, "pdf"), join(OUT, "doc-pdf-report.pdf"));
    copyFileSync(convert(work, "doc-rtf-letter", ELBOW_LETTER_HTML, "rtf"), join(OUT, "doc-rtf-letter.rtf"));
    const shoulder = convert(work, "doc-scanned-pdf-source", SHOULDER_REPORT_HTML, "pdf");
    writeFileSync(join(OUT, "doc-scanned-pdf.pdf"), await scan(work, shoulder));
    for (const format of ["rtf", "pdf"] as const)
      copyFileSync(convert(work, "features", FEATURES_HTML, format), join(TEST_OUT, `features.${format}`));
    execFileSync("qpdf", [
      "--encrypt",
      "user-secret",
      "owner-secret",
      "256",
      "--",
      join(work, "features.pdf"),
      join(TEST_OUT, "encrypted.pdf"),
    ]);
    console.log(
      `written: ${OUT}/doc-{pdf-report.pdf,rtf-letter.rtf,scanned-pdf.pdf}, ${TEST_OUT}/{features.rtf,features.pdf,encrypted.pdf}`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`make-document-fixtures: ${(error as Error).message.split("\n")[0]}`);
  process.exit(1);
});
