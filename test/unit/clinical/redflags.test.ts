import { describe, expect, it } from "vitest";
import { ICD, SCT, condition, ids, refOf, report, run, ssc } from "./builders";

describe("RF-SPINE: spinal lesion with neurological signs", () => {
  const spinal = () => report("CT Spine", "Paravertebral calcific masses at L3-L4, some intracanal.");
  it.each([
    ["radiculopathy M54.16", { system: ICD, code: "M54.16" }],
    ["myelopathy G95.20", { system: ICD, code: "G95.20" }],
    ["cauda equina G83.4", { system: ICD, code: "G83.4" }],
    ["spondylosis with myelopathy M47.12", { system: ICD, code: "M47.12" }],
    ["the words: cord compression", { text: "Spinal cord compression" }],
    ["the words: limb weakness", { text: "Progressive lower limb weakness" }],
  ])("fires with %s", (_n, code) => {
    const s = spinal();
    const c = condition(code);
    const f = run([ssc(), s, c]).redFlags.find((r) => r.ruleId === "RF-SPINE");
    expect(f?.evidence).toEqual([refOf(c), refOf(s)].sort());
  });
  it("fires on the words in the report itself", () => {
    expect(ids(run([ssc(), report("MR Spine", "Paravertebral calcific mass at T10 with cord compression.")]).redFlags)).toEqual([
      "RF-SPINE",
    ]);
  });
  it("does not fire without a spinal lesion, with negated signs, or with a resolved radiculopathy", () => {
    expect(run([ssc(), report("XR", "Calcific mass of the left hip, 4 cm."), condition({ system: ICD, code: "M54.16" })]).redFlags).toEqual(
      [],
    );
    expect(run([ssc(), report("CT Spine", "Paravertebral calcific masses. The patient reports no radiculopathy.")]).redFlags).toEqual([]);
    const resolved = condition({ system: ICD, code: "M54.16" }, { clinicalStatus: { coding: [{ code: "resolved" }] } });
    // §6 RF-CANAL: the intracanal mass raises its own flag, with or without symptoms; RF-SPINE does not fire.
    expect(ids(run([ssc(), spinal(), resolved]).redFlags)).toEqual(["RF-CANAL"]);
  });
});

describe("RF-COMP: lesion with ulceration, fistula or infection", () => {
  it("fires when the complication is named with the calcinosis", () => {
    const c = condition({ text: "Calcinosis of the left elbow with fistula" });
    expect(run([ssc(), c]).redFlags.map((r) => [r.ruleId, r.evidence])).toEqual([["RF-COMP", [refOf(c)]]]);
  });
  it("fires for a coded complication at the lesion's site (cellulitis L03.113 of the right arm... elbow)", () => {
    const lesion = report("XR Elbow", "Calcific mass of the right elbow, 3 cm.");
    const cell = condition(
      { system: ICD, code: "L03.113", text: "Cellulitis" },
      { bodySite: [{ coding: [{ system: SCT, code: "16953009" }], text: "Right elbow" }] },
    );
    const f = run([ssc(), lesion, cell]).redFlags.find((r) => r.ruleId === "RF-COMP");
    expect(f?.evidence).toEqual([refOf(cell), refOf(lesion)].sort());
  });
  it("does not fire for a digital ulcer when the lesion is at the shoulder, nor without a lesion", () => {
    const du = condition({ system: ICD, code: "L98.491", text: "Digital ulcers (fingertips)" });
    expect(run([ssc(), report("XR", "Calcific mass of the left shoulder, 12 cm."), du]).redFlags).toEqual([]);
    expect(run([ssc(), condition({ system: ICD, code: "M86.9", text: "Osteomyelitis" })]).redFlags).toEqual([]);
  });
});
