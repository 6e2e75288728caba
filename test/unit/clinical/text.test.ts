import { describe, expect, it } from "vitest";
import { findAffirmed, modalitiesOfText, parseSizes, readText, siteOfText, PC_DOC_RE } from "../../../src/clinical/text";

describe("sizes in text", () => {
  it.each([
    ["12x11 cm", [12, 11], 12],
    ["3 x 2.1 x 3,4 cm", [3, 2.1, 3.4], 3.4],
    ["2.8 × 1.5 × 5.7 cm", [2.8, 1.5, 5.7], 5.7],
    ["8,8x6,8 cm", [8.8, 6.8], 8.8],
    ["45 mm", [4.5], 4.5],
    ["10 X 9 CM", [10, 9], 10],
    ["3 cm x 2 cm", [3, 2], 3],
    ["8.8 by 6.8 cm", [8.8, 6.8], 8.8],
    ["25mm", [2.5], 2.5],
  ])("%s", (text, dims, max) => {
    const [s] = parseSizes(`mass ${text} seen`);
    expect(s?.dimensionsCm).toEqual(dims);
    expect(s?.maxCm).toBe(max);
  });
  it("ignores numbers without a length unit", () => {
    expect(parseSizes("T12 level, 5 mmHg, 3 mg/dL, figure 6, 12x11")).toEqual([]);
  });
});

describe("sites and sides", () => {
  it.each([
    ["left shoulder", "shoulder-elbow", "left"],
    ["right dorsal region", "trunk", "right"],
    ["Right hip", "hip-pelvis", "right"],
    ["paravertebral", "spine", null],
    ["thoracic spine", "spine", null],
    ["chest wall, left", "trunk", "left"],
    ["both knees", "lower-limb", "bilateral"],
    ["fingertips of the right hand", "hand-wrist", "right"],
    ["bilateral elbows", "shoulder-elbow", "bilateral"],
  ])("%s", (text, group, side) => {
    expect(siteOfText(text)).toEqual({ group, side });
  });

  it("gives each site its own side and each size its nearest site", () => {
    const r = readText("Calcific masses of the left shoulder (12x11 cm) and of the right hip (3 cm).");
    expect(r.lesions.map((l) => [l.siteGroup, l.laterality, l.maxCm])).toEqual([
      ["shoulder-elbow", "left", 12],
      ["hip-pelvis", "right", 3],
    ]);
  });

  it("continues a lesion into the next sentence, and keeps the side of a site named again", () => {
    const r = readText("Calcific mass of the left elbow. It measures 3 x 2 cm.");
    expect(r.lesions).toEqual([expect.objectContaining({ siteGroup: "shoulder-elbow", laterality: "left", maxCm: 3 })]);
    const r2 = readText("Swelling of the right dorsal region. Calcific mass in the soft tissue of the dorsal region, 8 cm.");
    expect(r2.lesions).toEqual([expect.objectContaining({ siteGroup: "trunk", laterality: "right", maxCm: 8 })]);
  });

  it("does not take a site named for comparison or as the examination", () => {
    const r = readText("Periarticular soft-tissue calcifications around the right hip, less extensive than those of the left shoulder.");
    expect(r.lesions.map((l) => l.siteGroup)).toEqual(["hip-pelvis"]);
    const r2 = readText("Chest radiograph: calcific mass of the left shoulder, 4 cm.");
    expect(r2.lesions.map((l) => [l.siteGroup, l.maxCm])).toEqual([["shoulder-elbow", 4]]);
  });

  it("does not read 'both at paravertebral level and ...' as bilateral", () => {
    const r = readText("Calcific masses along the spine, both at paravertebral level and inside the spinal canal.");
    expect(r.lesions).toEqual([expect.objectContaining({ siteGroup: "spine", laterality: null })]);
  });
});

describe("negation and exclusions", () => {
  it("ignores negated words", () => {
    expect(findAffirmed("No evidence of tumoral calcinosis.", PC_DOC_RE)).toBeNull();
    expect(findAffirmed("Tumoral calcinosis excluded.", PC_DOC_RE)).toBeNull();
    expect(findAffirmed("Pseudotumoral calcinosis of the hip.", PC_DOC_RE)).not.toBeNull();
    expect(readText("No soft tissue calcification of the hands.").lesions).toEqual([]);
  });
  it("ignores vascular and organ calcifications", () => {
    expect(readText("Calcified lymph node 2.5 cm. Aortic calcification.").calcification).toBeNull();
  });
});

describe("modalities", () => {
  it("reads the modality words", () => {
    expect(modalitiesOfText("MDCT of the spine")).toEqual(["CT"]);
    expect(modalitiesOfText("Chest radiography")).toEqual(["CR"]);
    expect(modalitiesOfText("MRI shoulder")).toEqual(["MR"]);
    expect(modalitiesOfText("Ultrasound of the soft tissues")).toEqual(["US"]);
    expect(modalitiesOfText("discussed with us")).toEqual([]);
  });
});
