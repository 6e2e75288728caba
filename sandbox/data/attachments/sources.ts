/**
 * The words of the demo attachments: the HTML report as it is sent, the sources of the PDF and
 * RTF files (made from them by `npx tsx scripts/make-document-fixtures.ts`), and the sentences the
 * engine is expected to find in them. The plain-text note is written in doc-notes.ts.
 */
import { mrn } from "../builders";

/** doc-pdf-report: the findings of its right hip radiograph, the report's only lesion text. */
export const HIP_FINDINGS =
  "Calcified soft-tissue mass lateral to the right greater trochanter measuring 5.1 x 3.6 cm. No fracture or dislocation.";

/** doc-rtf-letter: the clinic letter's examination finding. */
export const ELBOW_EXAMINATION =
  "On examination there is calcinosis of the left elbow, about 3 cm across, without ulceration or discharge.";

/** doc-scanned-pdf: what the scanned page shows (pixels only: nothing can read it as text). */
export const SHOULDER_SCAN_FINDINGS =
  "Dense amorphous calcification in the soft tissues superior to the right shoulder, measuring 6.3 x 4.0 cm.";

const page = (title: string, body: string) =>
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>` +
  `<style>body{font-family:'Liberation Sans',Arial,sans-serif;font-size:11pt} h1{font-size:14pt} td{padding-right:24pt}</style>` +
  `</head><body>${body}</body></html>`;

const header = (name: string, id: string, birthDate: string) =>
  `<table><tr><td><b>Patient:</b> ${name}</td><td><b>MRN:</b> ${mrn(id)}</td><td><b>Date of birth:</b> ${birthDate}</td></tr></table>`;

export const HIP_REPORT_HTML = page(
  "XR Hip right",
  `<h1>Lakeside General Hospital, Department of Diagnostic Imaging</h1>${header("Dorothea Vance", "doc-pdf-report", "1963-08-17")}` +
    `<p><b>Examination:</b> XR Hip right, AP and lateral views</p><p><b>Date of examination:</b> 6 October 2026</p>` +
    `<p><b>Clinical information:</b> Limited cutaneous systemic sclerosis. Firm swelling over the lateral right hip.</p>` +
    `<p><b>Comparison:</b> None available.</p><p><b>Findings:</b> ${HIP_FINDINGS}</p>` +
    `<p>Reported by Dr. Samuel Whitcombe, Consultant Radiologist. Electronically signed 6 October 2026 16:42.</p>`,
);

export const SHOULDER_REPORT_HTML = page(
  "XR Shoulder right",
  `<h1>Northfield Community Hospital, Radiology</h1>${header("Agnes Thornbury", "doc-scanned-pdf", "1968-05-30")}` +
    `<p><b>Examination:</b> XR Shoulder right, two views</p><p><b>Date of examination:</b> 14 August 2026</p>` +
    `<p><b>Clinical information:</b> Diffuse systemic sclerosis. Painful swelling above the right shoulder.</p>` +
    `<p><b>Findings:</b> ${SHOULDER_SCAN_FINDINGS} The glenohumeral joint is preserved.</p>` +
    `<p>Dr. Ruth Okonkwo, Radiologist. Signed 14 August 2026.</p>`,
);

export const ELBOW_LETTER_HTML = page(
  "Rheumatology clinic letter",
  `<p><b>Riverside University Hospital, Department of Rheumatology</b></p><p>15 October 2026</p>` +
    `<p>Dr. Peter Ng<br>Elm Street Medical Practice</p>` +
    `<p><b>Re: Clara Jankowski, date of birth 11/03/1977, MRN ${mrn("doc-rtf-letter")}</b></p>` +
    `<p>Dear Dr. Ng,</p>` +
    `<p>I reviewed Ms Jankowski in the rheumatology clinic today. She has diffuse cutaneous systemic sclerosis, diagnosed in 2019, ` +
    `with Raynaud’s phenomenon and interstitial lung disease that has been stable on mycophenolate mofetil.</p>` +
    `<p>She describes a firm, painless lump at the back of her left elbow, first noticed in the spring. ${ELBOW_EXAMINATION} ` +
    `The overlying skin is intact and the range of movement at the elbow is full.</p>` +
    `<p>Her calcium, phosphate and renal function were normal in September. I have requested radiographs of the left elbow ` +
    `and will see her again with the results in three months.</p>` +
    `<p>Medication: mycophenolate mofetil 1 g twice daily; nifedipine MR 30 mg once daily.</p>` +
    `<p>Yours sincerely,</p><p>Dr. Amélie Laurent<br>Consultant Rheumatologist</p>`,
);

export const ELBOW_CT_FINDINGS =
  "Lobulated calcific masses in the soft tissues posterior to the elbow, the largest measuring 4.2 x 3.1 x 2.8 cm.";
export const ELBOW_CT_IMPRESSION = "Appearances consistent with tumoral calcinosis in a patient with systemic sclerosis.";

/** The CT report as the radiology system renders it. Its side is only in the ImagingStudy. */
export const ELBOW_CT_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>CT Elbow</title>
<style>
  body { font-family: Arial, sans-serif; font-size: 10pt; }
  h1 { font-size: 13pt; border-bottom: 1px solid #999; }
  h2 { font-size: 11pt; margin-bottom: 0; }
</style>
</head>
<body>
<h1>Department of Radiology &amp; Nuclear Medicine</h1>
<p><b>Examination:</b> CT elbow without contrast<br><b>Date:</b> 2 October 2026</p>
<h2>Clinical history</h2>
<p>Diffuse cutaneous systemic sclerosis. Hard swelling behind the elbow, enlarging over six months.</p>
<h2>Findings</h2>
<p>${ELBOW_CT_FINDINGS}</p>
<p>No erosion of the adjacent bone. The elbow joint is congruent.</p>
<h2>Impression</h2>
<p>${ELBOW_CT_IMPRESSION}</p>
<p class="signature">Dr. Henrik Aalto, Consultant Radiologist<br>Electronically signed 2 October 2026 14:05</p>
</body>
</html>
`;
