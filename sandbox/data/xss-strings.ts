import type { Resource } from "fhir/r4";
import { ICD10CM, LOINC, RIGHT, SCT, coding, condition, patient } from "./builders";
import { imagingExam } from "./imaging-builders";
import { LAB, antibody, lab } from "./lab-builders";

/**
 * The "xss-strings" demo patient: clinically an ordinary probable case (diffuse-unspecified SSc and a
 * 2.5 cm calcific mass at the right knee), but every free-text field carries markup, script or very
 * long text. UI security tests use it: everything must render as inert text, and the layout must
 * survive the long paragraph and the unbroken token.
 */

export const XSS_ID = "xss-strings";

/** Exported so tests can assert that these exact strings appear as text, never as markup. */
export const XSS = {
  patientName: "<img src=x onerror=alert(1)>",
  patientGiven: '"><svg onload=alert(2)>',
  conditionText: "<script>window.__pwned=1</script>Systemic sclerosis",
  conditionNote: "<iframe src=\"javascript:alert(3)\"></iframe> {{constructor.constructor('alert(4)')()}} ${alert(5)}",
  ulcerText: '<a href="javascript:alert(6)">Digital ulcer</a>',
  studyDescription: "<img src=x onerror=alert(7)> XR right knee",
  reportTitle: "<svg onload=alert(8)>XR Knee right",
  labNote: "</textarea><style>body{display:none}</style><script>alert(9)</script>",
  labUnit: "<i>mg/dL</i>",
  reportLead: "<b>bold</b> Periarticular calcific mass of the right knee, 2.5 cm.",
} as const;

/**
 * A 5,000-character paragraph of neutral report prose (no sizes, no calcification words, so it
 * cannot change the assessment), with one 300-character unbroken token in the middle for wrapping.
 */
export function longParagraph(): string {
  const sentences = [
    "Bone mineralisation is within normal limits for age.",
    "The joint space is preserved.",
    "No fracture or dislocation is seen.",
    "The patellar alignment is normal.",
    "No joint effusion is evident on this projection.",
    "Comparison with prior examinations was not available.",
  ];
  const token = `https://example.org/${"x".repeat(280)}`;
  let text = "";
  for (let i = 0; text.length < 5000; i++) {
    text += (text ? " " : "") + sentences[i % sentences.length];
    if (i === 40) text += ` ${token}`;
  }
  return `${text.slice(0, 4999)}.`;
}

export function generateXssResources(): Resource[] {
  const P = XSS_ID;
  return [
    patient({ id: P, given: [XSS.patientGiven], family: XSS.patientName, gender: "female", birthDate: "1970-01-15" }),
    condition({
      id: `${P}-cond-ssc`,
      patientId: P,
      code: {
        coding: [coding(SCT, "89155008", "Systemic sclerosis"), coding(ICD10CM, "M34.9", "Systemic sclerosis, unspecified")],
        text: XSS.conditionText,
      },
      onsetDateTime: "2016-09-01",
      recordedDate: "2016-10-12",
      note: [XSS.conditionNote],
    }),
    condition({
      id: `${P}-cond-du`,
      patientId: P,
      code: {
        coding: [coding(ICD10CM, "L98.491", "Non-pressure chronic ulcer of skin of other sites limited to breakdown of skin")],
        text: XSS.ulcerText,
      },
      recordedDate: "2024-02-06",
    }),
    antibody({
      id: `${P}-obs-scl70`,
      patientId: P,
      code: { coding: [coding(LOINC, "47322-3")], text: "<u>Anti-Scl-70</u> antibody" },
      positive: true,
      effective: "2016-10-04T09:00:00Z",
    }),
    // The UCUM code is sound, only the printed unit carries markup: the value stays usable.
    lab({
      id: `${P}-obs-ca`,
      patientId: P,
      test: LAB.calcium,
      value: 9.1,
      unitText: XSS.labUnit,
      effective: "2026-09-01T08:00:00Z",
      issued: "2026-09-01T13:00:00Z",
    }),
    lab({
      id: `${P}-obs-pth`,
      patientId: P,
      test: LAB.pth,
      value: 52,
      note: XSS.labNote,
      effective: "2026-09-01T08:00:00Z",
      issued: "2026-09-01T13:00:00Z",
    }),
    ...imagingExam({
      key: "xr-knee",
      patientId: P,
      modality: "DX",
      started: "2026-08-11T10:00:00Z",
      description: XSS.studyDescription,
      bodySite: coding(SCT, "72696002", "Knee region structure"),
      laterality: RIGHT,
      instances: 2,
      title: XSS.reportTitle,
      issued: "2026-08-11T15:00:00Z",
      conclusion: `${XSS.reportLead}\n\n${longParagraph()}`,
    }),
  ];
}
