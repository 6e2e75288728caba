import type { Resource } from "fhir/r4";
import { DIFFUSE_SSC, DIGITAL_ULCERS, ICD10CM, LOINC, SCT, coding, condition, patient } from "./builders";
import { imagingExam } from "./imaging-builders";
import { LAB, antibody, labDraw } from "./lab-builders";

/**
 * The "ssc-spine" demo patient: the paper's warning case made urgent (clinical-spec.md RF-SPINE,
 * Zanatta: nerve compression in 40% of spinal PC). Diffuse SSc with digital ulcers, a
 * paravertebral calcific mass on CT, and a thoracic radiculopathy on the problem list: the red
 * flag must be the first thing on screen. Labs are complete and normal, so nothing else competes.
 */

export const SPINE_ID = "ssc-spine";

export function generateSpineResources(): Resource[] {
  const P = SPINE_ID;
  return [
    patient({ id: P, given: ["Marta"], family: "Keller", gender: "female", birthDate: "1964-05-19" }),
    condition({ id: `${P}-cond-ssc`, patientId: P, code: DIFFUSE_SSC, onsetDateTime: "2015-03-01", recordedDate: "2015-04-20" }),
    condition({ id: `${P}-cond-du`, patientId: P, code: DIGITAL_ULCERS, recordedDate: "2023-11-02" }),
    condition({
      id: `${P}-cond-radic`,
      patientId: P,
      category: "encounter-diagnosis",
      code: { coding: [coding(ICD10CM, "M54.14", "Radiculopathy, thoracic region")], text: "Thoracic radiculopathy, left T10 dermatome" },
      onsetDateTime: "2026-09-15",
      recordedDate: "2026-10-02",
    }),
    antibody({
      id: `${P}-obs-scl70`,
      patientId: P,
      code: { coding: [coding(LOINC, "47322-3")], text: "Anti-Scl-70 antibody" },
      positive: true,
      effective: "2015-04-10T09:00:00Z",
    }),
    ...labDraw(P, { effective: "2026-10-20T08:10:00Z", issued: "2026-10-20T14:00:00Z" }, [
      ["ca", LAB.calcium, 9.3],
      ["alb", LAB.albumin, 4.1],
      ["phos", LAB.phosphate, 3.4],
      ["pth", LAB.pth, 41],
      ["vitd", LAB.vitaminD, 36],
      ["creat", LAB.creatinine, 0.74],
      ["egfr", LAB.egfr, 92],
    ]),
    // Earlier imaging of another site (§6 GROWTH): the spinal mass is new since, so G-NEO asks to exclude a neoplasm.
    ...imagingExam({
      key: "xr-hands",
      patientId: P,
      modality: "DX",
      started: "2024-05-14T09:10:00Z",
      description: "XR both hands, PA views",
      bodySite: coding(SCT, "85562004", "Hand structure"),
      instances: 2,
      title: "XR Hands both",
      issued: "2024-05-14T12:00:00Z",
      conclusion: "No erosions. No soft-tissue calcification.",
    }),
    ...imagingExam({
      key: "ct-spine",
      patientId: P,
      modality: "CT",
      started: "2026-10-09T11:30:00Z",
      description: "CT thoracic spine without contrast",
      bodySite: coding(SCT, "122495006", "Thoracic spine structure"),
      instances: 240,
      title: "CT Thoracic spine",
      issued: "2026-10-09T16:00:00Z",
      conclusion:
        "Left paravertebral calcific mass at T10-T11, 3.4 x 2.8 cm, extending into the left neural foramen with mild compression of the exiting nerve root. No vertebral destruction.",
    }),
  ];
}
