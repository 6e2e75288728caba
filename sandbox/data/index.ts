import type { Bundle, Resource } from "fhir/r4";
import modena1 from "./modena-1.json";
import modena2 from "./modena-2.json";
import modena3 from "./modena-3.json";
import sscNoCalcinosis from "./ssc-no-calcinosis.json";
import sscCkd from "./ssc-ckd.json";
import noSsc from "./no-ssc.json";
import { generateLargeResources, LARGE_ID } from "./large";
import { generateSpineResources, SPINE_ID } from "./ssc-spine";
import { generateXssResources, XSS_ID } from "./xss-strings";
import {
  HTML_REPORT_ID,
  PDF_REPORT_ID,
  SCANNED_PDF_ID,
  generateHtmlReportResources,
  generatePdfReportResources,
  generateScannedPdfResources,
} from "./doc-reports";
import { RTF_LETTER_ID, TEXT_NOTE_ID, generateRtfLetterResources, generateTextNoteResources } from "./doc-notes";

/**
 * The demo patients of the local sandbox (design.md, "The local sandbox"). Each is a set of FHIR R4
 * resources with fixed ids; the sandbox loads them at start, tests read them as fixtures.
 *
 * Hand-written patients are FHIR collection Bundles in `<id>.json`; the others are generated
 * (large.ts, xss-strings.ts, doc-*.ts) because their size, strings or attachment bytes are easier
 * to state as code.
 */
export interface DemoPatient {
  /** Fixed Patient.id, e.g. "modena-3". */
  id: string;
  /** One-line description for the sandbox launch page. */
  summary: string;
  /** What the engine is expected to say (documentation for testers; tests assert it). */
  expectedStatus: "not-applicable" | "indeterminate" | "no-evidence" | "possible" | "probable" | "documented";
  resources: Resource[];
}

type Meta = Omit<DemoPatient, "resources"> & { resources: () => Resource[] };

/** JSON imports are shared module objects: hand out copies so a caller's edits never leak. */
const fromBundle = (json: unknown) => () => structuredClone((json as Bundle).entry ?? []).map((e) => e.resource as Resource);

const PATIENTS: Meta[] = [
  {
    id: "modena-1",
    summary:
      "Modena case 1: 81 F, limited SSc 14 y, anti-PM/Scl, left shoulder mass 12 × 11 cm (MRI: pseudotumoral calcinosis), right hip calcifications",
    expectedStatus: "documented",
    resources: fromBundle(modena1),
  },
  {
    id: "modena-2",
    summary:
      "Modena case 2: 41 F, diffuse SSc 17 y, anti-Scl-70, self-amputations, left elbow masses up to 5.7 cm (biopsy), spinal masses on re-review; no Ca/P labs on record",
    expectedStatus: "documented",
    resources: fromBundle(modena2),
  },
  {
    id: "modena-3",
    summary: "Modena case 3: 54 F, diffuse SSc 12 y, anti-Scl-70, right dorsal mass 8.8 → 10 cm in 2 years, PTH 86.5 pg/mL",
    expectedStatus: "probable",
    resources: fromBundle(modena3),
  },
  {
    id: "ssc-no-calcinosis",
    summary: "58 F, limited SSc 8 y with digital ulcers, normal labs, no calcinosis, no imaging for 5 years",
    expectedStatus: "no-evidence",
    resources: fromBundle(sscNoCalcinosis),
  },
  {
    id: "ssc-ckd",
    summary: "63 F, diffuse SSc 15 y, CKD stage 4 after renal crisis (eGFR 25 → 22), P 6.1 mg/dL, PTH 240 pg/mL, right hip mass 45 mm",
    expectedStatus: "probable",
    resources: fromBundle(sscCkd),
  },
  {
    id: "no-ssc",
    summary: "68 M, rheumatoid arthritis with calcinosis cutis of a fingertip; SSc suspected once and refuted",
    expectedStatus: "not-applicable",
    resources: fromBundle(noSsc),
  },
  {
    id: LARGE_ID,
    summary: "Large record: 60 F, diffuse SSc 16 y, 5,000+ lab results and 200 clinical notes over 15 years, left hip calcific mass 3.2 cm",
    expectedStatus: "probable",
    resources: generateLargeResources,
  },
  {
    id: XSS_ID,
    summary:
      "Security test: SSc with a 2.5 cm right knee calcific mass; names and texts carry HTML, script and a 5,000-character paragraph",
    expectedStatus: "probable",
    resources: generateXssResources,
  },
  {
    id: SPINE_ID,
    summary:
      "62 F, diffuse SSc 11 y with digital ulcers, left paravertebral calcific mass 3.4 cm at T10-T11 with thoracic radiculopathy: red flag RF-SPINE",
    expectedStatus: "probable",
    resources: generateSpineResources,
  },
  {
    id: HTML_REPORT_ID,
    summary:
      "57 F, diffuse SSc 9 y, digital ulcers; CT report only as an HTML attachment (Binary): tumoral calcinosis, 4.2 cm, side from the study (left elbow)",
    expectedStatus: "documented",
    resources: generateHtmlReportResources,
  },
  {
    id: PDF_REPORT_ID,
    summary:
      "63 F, limited SSc 15 y; radiograph report only as a PDF with a text layer: calcified mass at the right greater trochanter, 5.1 cm",
    expectedStatus: "probable",
    resources: generatePdfReportResources,
  },
  {
    id: RTF_LETTER_ID,
    summary:
      "49 F, diffuse SSc 7 y; rheumatology clinic letter in RTF (DocumentReference): calcinosis of the left elbow, about 3 cm, not ulcerated",
    expectedStatus: "probable",
    resources: generateRtfLetterResources,
  },
  {
    id: TEXT_NOTE_ID,
    summary: "66 F, limited SSc 20 y; inline ISO-8859-1 progress note: calcinosis cutis of the fingertips, largest nodule 6 mm",
    expectedStatus: "possible",
    resources: generateTextNoteResources,
  },
  {
    id: SCANNED_PDF_ID,
    summary:
      "58 F, diffuse SSc 11 y; the only imaging report is a scanned PDF without a text layer (not readable), with a shoulder radiograph",
    expectedStatus: "indeterminate",
    resources: generateScannedPdfResources,
  },
];

/**
 * The patients whose evidence is only in attachments (issue 12): their expected status holds once
 * the loader and engine read documents; until then tests that assess every patient leave them out.
 */
export const ATTACHMENT_ONLY_IDS: readonly string[] = [HTML_REPORT_ID, PDF_REPORT_ID, RTF_LETTER_ID, TEXT_NOTE_ID, SCANNED_PDF_ID];

/** Every demo patient, with freshly built resources (synchronous; `large` takes a few tens of ms). */
export function loadDemoPatients(): DemoPatient[] {
  return PATIENTS.map((p) => ({ ...p, resources: p.resources() }));
}

/** One demo patient by id, or undefined. Builds only that patient. */
export function demoPatient(id: string): DemoPatient | undefined {
  const p = PATIENTS.find((x) => x.id === id);
  return p && { ...p, resources: p.resources() };
}

/** The fixed ids, in launch-page order. */
export const DEMO_PATIENT_IDS: readonly string[] = PATIENTS.map((p) => p.id);
