/** Imaging studies and the reports on them (radiology and pathology) of the demo patients. */
import type { Attachment, CodeableConcept, Coding, DiagnosticReport, ImagingStudy } from "fhir/r4";
import { LOINC, coding, patientRef } from "./builders";

const DCM = "http://dicom.nema.org/resources/ontology/DCM";
const V2_0074 = "http://terminology.hl7.org/CodeSystem/v2-0074";

/**
 * A DICOM UID under the 2.25 root, derived from the resource id so it is stable across runs.
 * (Not a real UUID-derived value; only the syntax matters to the app.)
 */
export function dicomUid(seed: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  let digits = "";
  for (let round = 0; digits.length < 36; round++) {
    for (const ch of `${seed}#${round}`) {
      h1 = Math.imul(h1 ^ ch.charCodeAt(0), 0x01000193) >>> 0;
      h2 = Math.imul(h2 ^ ch.charCodeAt(0), 0x5bd1e995) >>> 0;
    }
    digits += String(h1) + String(h2);
  }
  return `2.25.${digits.replace(/^0+/, "1").slice(0, 36)}`;
}

export const MODALITY = {
  CR: coding(DCM, "CR", "Computed Radiography"),
  DX: coding(DCM, "DX", "Digital Radiography"),
  CT: coding(DCM, "CT", "Computed Tomography"),
  MR: coding(DCM, "MR", "Magnetic Resonance"),
  US: coding(DCM, "US", "Ultrasound"),
} as const;

export interface StudySpec {
  id: string;
  patientId: string;
  modality: keyof typeof MODALITY;
  started: string;
  description: string;
  bodySite: Coding;
  laterality?: Coding;
  seriesDescription?: string;
  instances: number;
}

export function imagingStudy(s: StudySpec): ImagingStudy {
  return {
    resourceType: "ImagingStudy",
    id: s.id,
    identifier: [{ system: "urn:dicom:uid", value: `urn:oid:${dicomUid(s.id)}` }],
    status: "available",
    modality: [MODALITY[s.modality]],
    subject: patientRef(s.patientId),
    started: s.started,
    numberOfSeries: 1,
    numberOfInstances: s.instances,
    description: s.description,
    series: [
      {
        uid: dicomUid(`${s.id}/series/1`),
        number: 1,
        modality: MODALITY[s.modality],
        description: s.seriesDescription ?? s.description,
        numberOfInstances: s.instances,
        bodySite: s.bodySite,
        ...(s.laterality ? { laterality: s.laterality } : {}),
        started: s.started,
      },
    ],
  };
}

const RADIOLOGY_CATEGORY: CodeableConcept[] = [
  { coding: [coding(V2_0074, "RAD", "Radiology")] },
  { coding: [coding(LOINC, "LP29684-5", "Radiology")] },
];

export interface ReportSpec {
  id: string;
  patientId: string;
  /** The exam name, e.g. "MR Shoulder left". */
  title: string;
  effective: string;
  issued: string;
  study?: string;
  /** The lesion text, where radiology systems put it; or, without it, only in `presentedForm`. */
  conclusion?: string;
  presentedForm?: Attachment[];
  status?: DiagnosticReport["status"];
}

/** An imaging report: its text in `conclusion`, in attachments (`presentedForm`), or both. */
export function imagingReport(r: ReportSpec): DiagnosticReport {
  return {
    resourceType: "DiagnosticReport",
    id: r.id,
    status: r.status ?? "final",
    category: RADIOLOGY_CATEGORY,
    code: { coding: [coding(LOINC, "18748-4", "Diagnostic imaging study")], text: r.title },
    subject: patientRef(r.patientId),
    effectiveDateTime: r.effective,
    issued: r.issued,
    ...(r.study ? { imagingStudy: [{ reference: `ImagingStudy/${r.study}` }] } : {}),
    ...(r.conclusion !== undefined ? { conclusion: r.conclusion } : {}),
    ...(r.presentedForm ? { presentedForm: r.presentedForm } : {}),
  };
}

export function pathologyReport(r: Omit<ReportSpec, "study" | "presentedForm">): DiagnosticReport {
  return {
    resourceType: "DiagnosticReport",
    id: r.id,
    status: r.status ?? "final",
    category: [
      { coding: [coding(V2_0074, "PAT", "Pathology (gross & histopath, not surgical)")] },
      { coding: [coding(LOINC, "LP7839-6", "Pathology")] },
    ],
    code: { coding: [coding(LOINC, "11526-1", "Pathology study")], text: r.title },
    subject: patientRef(r.patientId),
    effectiveDateTime: r.effective,
    issued: r.issued,
    conclusion: r.conclusion,
  };
}

export interface ExamSpec extends Omit<StudySpec, "id"> {
  /** The exam's key, e.g. "xr-hands": the study is `<patient>-img-<key>`, its report `<patient>-dr-<key>`. */
  key: string;
  /** The report's exam name, e.g. "XR Hands both". */
  title: string;
  issued: string;
  conclusion?: string;
  presentedForm?: Attachment[];
}

/** An imaging study and its report, dated when the study started. */
export function imagingExam(e: ExamSpec): [ImagingStudy, DiagnosticReport] {
  const { key, title, issued, conclusion, presentedForm, ...study } = e;
  const studyId = `${e.patientId}-img-${key}`;
  return [
    imagingStudy({ id: studyId, ...study }),
    imagingReport({
      id: `${e.patientId}-dr-${key}`,
      patientId: e.patientId,
      title,
      study: studyId,
      effective: e.started,
      issued,
      ...(conclusion !== undefined ? { conclusion } : {}),
      ...(presentedForm ? { presentedForm } : {}),
    }),
  ];
}
