import type { Resource } from "fhir/r4";
import { DIFFUSE_SSC, DIGITAL_ULCERS, LEFT, RIGHT, SCT, coding, condition, patient } from "./builders";
import { ELBOW_CT_HTML } from "./attachments/sources";
import { attachmentFile, binary, binaryAttachment, procedure, utf8 } from "./document-builders";
import { imagingExam } from "./imaging-builders";
import { LAB, labDraw } from "./lab-builders";

/**
 * Demo patients whose imaging evidence is only in report attachments, as US Core EHRs send it
 * (DiagnosticReport.presentedForm with a url to a Binary, no conclusion): an HTML CT report, a PDF
 * radiograph report with a text layer, and a scanned PDF that nothing can read. The labs are
 * complete and normal, so the attachments are the whole story.
 */

export const HTML_REPORT_ID = "doc-html-report";
export const PDF_REPORT_ID = "doc-pdf-report";
export const SCANNED_PDF_ID = "doc-scanned-pdf";

const LIMITED_SSC = { coding: [coding(SCT, "299276009")], text: "Systemic sclerosis, limited cutaneous subset" };

/** Calcium, phosphate, albumin, creatinine and eGFR, all within range, on one morning. */
function normalLabs(patientId: string, day: string): Resource[] {
  return labDraw(patientId, { effective: `${day}T08:15:00Z`, issued: `${day}T13:00:00Z` }, [
    ["ca", LAB.calcium, 9.4],
    ["phos", LAB.phosphate, 3.6],
    ["alb", LAB.albumin, 4.2],
    ["creat", LAB.creatinine, 0.78],
    ["egfr", LAB.egfr, 88],
  ]);
}

export function generateHtmlReportResources(): Resource[] {
  const P = HTML_REPORT_ID;
  const html = binary({ id: `${P}-bin-ct-elbow`, contentType: "text/html", bytes: utf8(ELBOW_CT_HTML), securityContext: `Patient/${P}` });
  const [study, report] = imagingExam({
    key: "ct-elbow",
    patientId: P,
    modality: "CT",
    started: "2026-10-02T09:40:00Z",
    description: "CT elbow without contrast",
    bodySite: coding(SCT, "16953009", "Elbow joint structure"),
    laterality: LEFT,
    instances: 210,
    title: "CT Elbow",
    issued: "2026-10-02T14:05:00Z",
    presentedForm: [binaryAttachment(html, "CT Elbow report", "2026-10-02T14:05:00Z")],
  });
  return [
    patient({ id: P, given: ["Ingrid"], family: "Halvorsen", gender: "female", birthDate: "1969-04-02" }),
    condition({ id: `${P}-cond-ssc`, patientId: P, code: DIFFUSE_SSC, onsetDateTime: "2017-06-01", recordedDate: "2017-08-22" }),
    condition({ id: `${P}-cond-du`, patientId: P, code: DIGITAL_ULCERS, recordedDate: "2024-02-14" }),
    ...normalLabs(P, "2026-09-29"),
    procedure({ id: `${P}-proc-capillaroscopy`, patientId: P, text: "Nailfold capillaroscopy", date: "2025-05-12T10:00:00Z" }),
    study,
    html,
    report,
  ];
}

export function generatePdfReportResources(): Resource[] {
  const P = PDF_REPORT_ID;
  // Access to the PDF follows its report (securityContext), as Epic's Binary resources do.
  const pdf = binary({
    id: `${P}-bin-xr-hip`,
    contentType: "application/pdf",
    bytes: attachmentFile("doc-pdf-report.pdf"),
    securityContext: `DiagnosticReport/${P}-dr-xr-hip`,
  });
  const [study, report] = imagingExam({
    key: "xr-hip",
    patientId: P,
    modality: "DX",
    started: "2026-10-06T11:20:00Z",
    description: "XR hip, AP and lateral",
    bodySite: coding(SCT, "29836001", "Hip region structure"),
    laterality: RIGHT,
    instances: 2,
    title: "XR Hip right",
    issued: "2026-10-06T16:42:00Z",
    presentedForm: [binaryAttachment(pdf, "XR Hip right report", "2026-10-06T16:42:00Z")],
  });
  return [
    patient({ id: P, given: ["Dorothea"], family: "Vance", gender: "female", birthDate: "1963-08-17" }),
    condition({ id: `${P}-cond-ssc`, patientId: P, code: LIMITED_SSC, onsetDateTime: "2011-09-01", recordedDate: "2011-11-03" }),
    ...normalLabs(P, "2026-09-15"),
    study,
    pdf,
    report,
  ];
}

export function generateScannedPdfResources(): Resource[] {
  const P = SCANNED_PDF_ID;
  const scan = binary({
    id: `${P}-bin-xr-shoulder`,
    contentType: "application/pdf",
    bytes: attachmentFile("doc-scanned-pdf.pdf"),
    securityContext: `Patient/${P}`,
  });
  const [study, report] = imagingExam({
    key: "xr-shoulder",
    patientId: P,
    modality: "CR",
    started: "2026-08-14T10:05:00Z",
    description: "XR shoulder, two views",
    bodySite: coding(SCT, "16982005", "Shoulder region structure"),
    laterality: RIGHT,
    instances: 2,
    title: "XR Shoulder right",
    issued: "2026-08-14T15:30:00Z",
    // The radiology department's paper report, scanned into the record.
    presentedForm: [binaryAttachment(scan, "XR Shoulder right report (scanned)", "2026-08-14T15:30:00Z")],
  });
  return [
    patient({ id: P, given: ["Agnes"], family: "Thornbury", gender: "female", birthDate: "1968-05-30" }),
    condition({ id: `${P}-cond-ssc`, patientId: P, code: DIFFUSE_SSC, onsetDateTime: "2015-07-01", recordedDate: "2015-09-10" }),
    ...normalLabs(P, "2026-08-03"),
    study,
    scan,
    report,
  ];
}
