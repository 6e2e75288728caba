import type { Resource } from "fhir/r4";
import { DIFFUSE_SSC, SCT, coding, condition, patient } from "./builders";
import {
  attachmentFile,
  binary,
  binaryAttachment,
  clinicalNote,
  inlineAttachment,
  latin1,
  medicationRequest,
  medicationStatement,
} from "./document-builders";
import { LAB, labDraw } from "./lab-builders";

/**
 * Demo patients whose calcinosis is written only in clinical notes (DocumentReference): a
 * rheumatology clinic letter in RTF behind a Binary, and a progress note inline as ISO-8859-1 text,
 * where reading it as UTF-8 would garble the names.
 */

export const RTF_LETTER_ID = "doc-rtf-letter";
export const TEXT_NOTE_ID = "doc-text-note";

export const FINGERTIP_NOTE_FINDING =
  "Known calcinosis cutis of the fingertips. Hand X-ray shows small subcutaneous calcified nodules, the largest 6 mm.";

/** Latin-1 characters only (ü, é, ß): the note is sent as text/plain; charset=ISO-8859-1. */
export const FINGERTIP_NOTE_TEXT = [
  "Rheumatology progress note",
  "Patient: Hélène Brunner",
  "Seen by: Dr. Jürgen Weiß, rheumatology clinic",
  "",
  "Limited cutaneous systemic sclerosis since 2006. Raynaud's phenomenon, controlled on nifedipine.",
  FINGERTIP_NOTE_FINDING,
  "Skin thickening confined to the fingers and face; no new symptoms since the last visit.",
  "Plan: continue nifedipine; review in six months.",
].join("\r\n");

/** Calcium, phosphate, albumin and creatinine, all within range, on one morning. */
function labs(patientId: string, day: string): Resource[] {
  return labDraw(patientId, { effective: `${day}T08:30:00Z`, issued: `${day}T12:45:00Z` }, [
    ["ca", LAB.calcium, 9.2],
    ["phos", LAB.phosphate, 3.3],
    ["alb", LAB.albumin, 4.0],
    ["creat", LAB.creatinine, 0.71],
  ]);
}

export function generateRtfLetterResources(): Resource[] {
  const P = RTF_LETTER_ID;
  // No securityContext: the letter is reachable through its DocumentReference only.
  const rtf = binary({ id: `${P}-bin-letter`, contentType: "text/rtf", bytes: attachmentFile("doc-rtf-letter.rtf") });
  return [
    patient({ id: P, given: ["Clara"], family: "Jankowski", gender: "female", birthDate: "1977-03-11" }),
    condition({ id: `${P}-cond-ssc`, patientId: P, code: DIFFUSE_SSC, onsetDateTime: "2019-05-01", recordedDate: "2019-06-18" }),
    condition({
      id: `${P}-cond-ild`,
      patientId: P,
      code: { coding: [coding(SCT, "233703007", "Interstitial lung disease")], text: "SSc-associated interstitial lung disease" },
      onsetDateTime: "2020-02",
      recordedDate: "2020-03-04",
    }),
    ...labs(P, "2026-09-22"),
    medicationStatement({
      id: `${P}-meds-mmf`,
      patientId: P,
      rxnorm: "68149",
      text: "Mycophenolate mofetil",
      dosage: "1 g twice daily",
      date: "2020-04-01",
    }),
    medicationRequest({
      id: `${P}-medrx-nifedipine`,
      patientId: P,
      rxnorm: "7417",
      text: "Nifedipine MR 30 mg tablet",
      dosage: "30 mg once daily",
      date: "2026-10-15T11:00:00Z",
    }),
    rtf,
    clinicalNote({
      id: `${P}-doc-letter`,
      patientId: P,
      type: "consult",
      date: "2026-10-15T11:30:00Z",
      author: "Dr. Amélie Laurent, Consultant Rheumatologist",
      description: "Rheumatology clinic letter",
      attachment: binaryAttachment(rtf, "Rheumatology clinic letter", "2026-10-15T11:30:00Z"),
    }),
  ];
}

export function generateTextNoteResources(): Resource[] {
  const P = TEXT_NOTE_ID;
  return [
    patient({ id: P, given: ["Hélène"], family: "Brunner", gender: "female", birthDate: "1960-02-14" }),
    condition({
      id: `${P}-cond-ssc`,
      patientId: P,
      code: { coding: [coding(SCT, "299276009")], text: "Limited cutaneous systemic sclerosis" },
      onsetDateTime: "2006-04-01",
      recordedDate: "2006-05-09",
    }),
    ...labs(P, "2026-09-14"),
    medicationStatement({
      id: `${P}-meds-nifedipine`,
      patientId: P,
      rxnorm: "7417",
      text: "Nifedipine",
      dosage: "10 mg three times daily",
      date: "2008-01-10",
    }),
    clinicalNote({
      id: `${P}-doc-progress`,
      patientId: P,
      type: "progress",
      date: "2026-09-28T15:10:00Z",
      author: "Dr. Jürgen Weiß, Rheumatology",
      description: "Rheumatology progress note",
      attachment: inlineAttachment("text/plain; charset=ISO-8859-1", latin1(FINGERTIP_NOTE_TEXT), "Progress note", "2026-09-28T15:10:00Z"),
    }),
  ];
}
