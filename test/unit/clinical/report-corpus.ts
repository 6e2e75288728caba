/**
 * Report sentences in the styles radiologists write (issue 11), each with the reading §6 prescribes:
 * the status it gives on its own (with SSc on record) and its lesions as "site group|side|cm"
 * (cm "-" when no size). The report's title is "XR" unless given: no site, no side.
 */
import type { AssessmentStatus } from "../../../src/clinical/types";

export interface CorpusCase {
  text: string;
  status: AssessmentStatus;
  lesions: string[];
  title?: string;
}

export const CORPUS: CorpusCase[] = [
  // Plain sizes, every way of writing them (§3 PC-SIZE).
  { text: "Periarticular calcific mass of the left shoulder, 12x11 cm.", status: "probable", lesions: ["shoulder-elbow|left|12"] },
  { text: "Calcified mass of the right hip measuring 3 x 2.1 x 3.4 cm.", status: "probable", lesions: ["hip-pelvis|right|3.4"] },
  {
    text: "Polylobate calcific mass 8,8x6,8 cm in the soft tissue of the right dorsal region.",
    status: "probable",
    lesions: ["trunk|right|8.8"],
  },
  {
    text: "Calcified mass lateral to the right hip, measuring 45 mm in largest dimension.",
    status: "probable",
    lesions: ["hip-pelvis|right|4.5"],
  },
  { text: "Calcific mass of the left knee, 2.8 × 1.5 × 5.7 cm.", status: "probable", lesions: ["lower-limb|left|5.7"] },
  { text: "Calcific mass of the right thigh, 8.8 by 6.8 cm.", status: "probable", lesions: ["lower-limb|right|8.8"] },
  { text: "Calcified mass of the left elbow, 20 mm.", status: "probable", lesions: ["shoulder-elbow|left|2"] },
  { text: "Calcified mass of the left elbow, 19 mm.", status: "possible", lesions: ["shoulder-elbow|left|1.9"] },
  { text: "Calcific deposit of the right wrist, 2.0 cm.", status: "probable", lesions: ["hand-wrist|right|2"] },
  { text: "Calcific deposit of the right wrist, 1.99 cm.", status: "possible", lesions: ["hand-wrist|right|1.99"] },
  // Pseudo-negations (§6 NEG): not negations.
  {
    text: "No significant change in the periarticular calcific mass of the right hip, now 4.2 x 3.0 cm.",
    status: "probable",
    lesions: ["hip-pelvis|right|4.2"],
  },
  { text: "No interval change of the calcified mass of the left shoulder, 6 cm.", status: "probable", lesions: ["shoulder-elbow|left|6"] },
  { text: "No increase in the calcific mass of the left hip, 5 cm.", status: "probable", lesions: ["hip-pelvis|left|5"] },
  { text: "Not only the shoulder: a calcific mass of the left elbow, 3 cm.", status: "probable", lesions: ["shoulder-elbow|left|3"] },
  // Clause-scoped negation (§6 NEG).
  {
    text: "No fracture or dislocation, large calcific mass of the left hip measuring 6 cm.",
    status: "probable",
    lesions: ["hip-pelvis|left|6"],
  },
  { text: "No fracture; calcific mass of the right knee, 4 cm.", status: "probable", lesions: ["lower-limb|right|4"] },
  { text: "No erosion, but a calcified mass of the right elbow of 3 cm.", status: "probable", lesions: ["shoulder-elbow|right|3"] },
  {
    text: "No effusion. However, a calcific mass of the left shoulder is seen, 7 cm.",
    status: "probable",
    lesions: ["shoulder-elbow|left|7"],
  },
  { text: "No soft-tissue calcification.", status: "no-evidence", lesions: [] },
  { text: "No calcific mass of the left hip.", status: "no-evidence", lesions: [] },
  { text: "Without calcification of the soft tissues of the hands.", status: "no-evidence", lesions: [] },
  { text: "Negative for periarticular calcification.", status: "no-evidence", lesions: [] },
  { text: "Soft-tissue calcification excluded.", status: "no-evidence", lesions: [] },
  { text: "The previously described calcific mass of the right hip has resolved.", status: "no-evidence", lesions: [] },
  { text: "Calcification, fracture or dislocation excluded.", status: "no-evidence", lesions: [] },
  // Hedging (§6 NEG): PC-IMG, possible; never a size or a diagnosis.
  { text: "Early soft-tissue calcification cannot be excluded.", status: "possible", lesions: [] },
  { text: "Differential diagnosis includes tumoral calcinosis and synovial sarcoma.", status: "possible", lesions: [] },
  { text: "Possible calcific mass of the left hip, 4 cm.", status: "possible", lesions: [] },
  { text: "Suspicious for tumoral calcinosis of the right shoulder.", status: "possible", lesions: [] },
  { text: "Calcified mass of the left thigh? 5 cm.", status: "possible", lesions: [] },
  // Nodules (§6 SIZE): calcinosis of the skin, subcutis or fingertips; not of organs.
  { text: "Multiple calcified subcutaneous nodules of the fingertips.", status: "possible", lesions: ["hand-wrist|-|-"] },
  {
    text: "Calcified subcutaneous nodules of the right forearm, the largest 2.5 cm.",
    status: "probable",
    lesions: ["hand-wrist|right|2.5"],
  },
  { text: "Calcified lung nodule of 2.5 cm in the right upper lobe.", status: "no-evidence", lesions: [] },
  { text: "Calcified thyroid nodule, 3 cm.", status: "no-evidence", lesions: [] },
  { text: "Calcified granulomas in the liver.", status: "no-evidence", lesions: [] },
  // Not calcinosis: vessels, organs, stones.
  // The aortic size is not lent to the next sentence; a bare calcification there stays PC-IMG (possible), without a lesion.
  { text: "Aortic calcification 3 cm. Calcification at T12 level 4.", status: "possible", lesions: [], title: "CT Abdomen" },
  { text: "Coronary artery calcification.", status: "no-evidence", lesions: [] },
  { text: "Renal calculus of 8 mm.", status: "no-evidence", lesions: [] },
  // Distances, areas and volumes are not sizes (§6 SIZE).
  { text: "Calcific mass of the right shoulder located 3 cm below the acromion.", status: "possible", lesions: ["shoulder-elbow|right|-"] },
  { text: "Calcific mass of the left elbow, 2 cm from the joint line.", status: "possible", lesions: ["shoulder-elbow|left|-"] },
  { text: "Calcific mass of the left shoulder, volume 12 cm³.", status: "possible", lesions: ["shoulder-elbow|left|-"] },
  { text: "Calcified deposit of the left hip with an area of 6 cm².", status: "possible", lesions: ["hip-pelvis|left|-"] },
  { text: "Calcific collection of the right hip of 40 mL.", status: "possible", lesions: ["hip-pelvis|right|-"] },
  // A size in the sentence before or after, about the same site (§6 SIZE).
  { text: "A 4 cm mass is seen at the left hip. It is densely calcified.", status: "probable", lesions: ["hip-pelvis|left|4"] },
  { text: "Calcific mass of the left elbow. It measures 3 x 2 cm.", status: "probable", lesions: ["shoulder-elbow|left|3"] },
  { text: "A 5 cm mass of the right knee. Calcification of the left shoulder.", status: "possible", lesions: ["shoulder-elbow|left|-"] },
  // Sides (§6 SIDE).
  { text: "Symmetrical calcific masses around the shoulders.", status: "possible", lesions: ["shoulder-elbow|bilateral|-"] },
  { text: "Bilateral periarticular calcifications of the hips.", status: "possible", lesions: ["hip-pelvis|bilateral|-"] },
  { text: "Calcific masses of both elbows, up to 3 cm.", status: "probable", lesions: ["shoulder-elbow|bilateral|3"] },
  {
    text: "Calcific mass of the left elbow, 3 cm. Calcific mass of the right hip, 4 cm.",
    status: "probable",
    lesions: ["shoulder-elbow|left|3", "hip-pelvis|right|4"],
  },
  {
    text: "Calcific mass of the left elbow, 3 cm, and of the right elbow, 2.5 cm.",
    status: "probable",
    lesions: ["shoulder-elbow|left|3", "shoulder-elbow|right|2.5"],
  },
  // Site from the report's title when the sentence has none (§6 SITE).
  { text: "Calcific masses, 2.8 x 1.5 x 5.7 cm.", title: "XR elbow left", status: "probable", lesions: ["shoulder-elbow|left|5.7"] },
  { text: "Overall 12x11 cm calcific mass.", title: "MR Shoulder left", status: "probable", lesions: ["shoulder-elbow|left|12"] },
  { text: "Periarticular calcification, 1 cm.", title: "XR Hip right", status: "possible", lesions: ["hip-pelvis|right|1"] },
  // Naming (PC-DOC) and spine.
  {
    text: "Findings consistent with pseudotumoral calcinosis of the left shoulder.",
    status: "documented",
    lesions: ["shoulder-elbow|left|-"],
  },
  { text: "Tumoral calcinosis of the right hip, 6 cm.", status: "documented", lesions: ["hip-pelvis|right|6"] },
  { text: "No tumoral calcinosis.", status: "no-evidence", lesions: [] },
  { text: "Left paravertebral calcific mass at T10-T11, 3.4 x 2.8 cm.", status: "probable", lesions: ["spine|left|3.4"] },
  { text: "Calcific masses along the spine at paravertebral level, some intracanal.", status: "possible", lesions: ["spine|-|-"] },
  { text: "Calcinosis of the right index finger.", status: "possible", lesions: ["hand-wrist|right|-"] },
];
