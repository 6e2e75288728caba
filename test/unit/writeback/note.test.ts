import { describe, expect, test } from "vitest";
import { composeNote, notWrittenLines } from "../../../src/writeback/note";
import { findingIdOf } from "../../../src/writeback/compose";
import { context, modena1, modena2, modena3, withSpinalRedFlag } from "./fixtures";

function note(assessment = modena3(), id = "modena-3", notWritten = [] as Parameters<typeof composeNote>[0]["notWritten"]) {
  return composeNote({ assessment, context: context(id), findingId: findingIdOf(assessment), notWritten });
}

function section(text: string, title: string): string[] {
  const lines = text.split("\n");
  const start = lines.indexOf(title);
  expect(start, `section ${title}`).toBeGreaterThan(-1);
  const end = lines.findIndex((line, i) => i > start && line === "");
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

describe("the consult note (Modena case 3)", () => {
  const text = note();

  test("states the status, the patient and the disease context", () => {
    expect(text).toContain("Assessment: Probable pseudotumoral calcinosis (status: probable).");
    expect(text).toContain("Record reviewed as of: 2026-11-21.");
    expect(text).toContain("Patient: Patient/modena-3 (54 years, female).");
    expect(text).toContain("Systemic sclerosis: diffuse cutaneous, 12 years since onset.");
  });

  test("lists the lesions with size, date and source", () => {
    expect(section(text, "LESIONS")).toEqual([
      "- Right back/chest wall: largest dimension 8.8 cm (8.8 x 6.8 cm), 2024-10-08, DX. Source: DiagnosticReport/modena-3-dr-xr-chest (2024-10-08).",
      "- Right back/chest wall: largest dimension 10 cm (10 x 9 cm), 2026-10-29, CT. Source: DiagnosticReport/modena-3-dr-ct-thorax (2026-10-29).",
    ]);
    expect(section(text, "GROWTH BETWEEN MEASUREMENTS")).toEqual([
      "- Right back/chest wall: 8.8 cm (2024-10-08) to 10 cm (2026-10-29), +14%.",
    ]);
  });

  test("cites each rule id with its evidence and dates", () => {
    expect(section(text, "FINDINGS")[0]).toBe(
      "- [PC-SIZE] Calcified soft-tissue mass of the right trunk (dorsal region), largest dimension 10 cm (≥ 2 cm). " +
        "Evidence: DiagnosticReport/modena-3-dr-ct-thorax (2026-10-29), DiagnosticReport/modena-3-dr-us-dorsal, DiagnosticReport/modena-3-dr-xr-chest (2024-10-08).",
    );
    expect(section(text, "SECONDARY CAUSES TO REVIEW")).toEqual([
      "- [S-PTH] PTH 86.5 pg/mL, above 65 pg/mL. Calcium normal: review for secondary causes; the PC finding stands. Evidence: Observation/modena-3-obs-pth (2026-10-05).",
    ]);
    expect(section(text, "WORKUP GAPS").map((l) => /^- \[([A-Z-]+)\] /.exec(l)?.[1])).toEqual(["G-RENAL", "G-ALB", "G-SPINE"]);
    expect(section(text, "RED FLAGS")).toEqual(["- None found in the record."]);
  });

  test("states the ruleset, the finding id and that it is decision support to be confirmed", () => {
    expect(text).toContain("Ruleset: pc-ssc version 1.1.0.");
    expect(text).toContain(`Finding id: ${findingIdOf(modena3())}`);
    expect(text.split("\n")[1]).toBe(
      "PRELIMINARY. Decision support generated from the record; not a diagnosis. To be confirmed by the treating clinician.",
    );
    expect(text).toContain("It is not a diagnosis: every finding must be confirmed by the treating clinician.");
    expect(text).toContain("reviewed and sent by Practitioner/dr-rossi");
  });

  test("includes the latest labs with dates", () => {
    expect(section(text, "LATEST LABORATORY RESULTS")).toContain(
      "- PTH (intact): 86.5 pg/mL (2026-10-05). Source: Observation/modena-3-obs-pth.",
    );
  });

  test("is deterministic", () => {
    expect(note()).toBe(text);
  });
});

describe("other cases", () => {
  test("red flags are stated with their evidence and dates", () => {
    const a = withSpinalRedFlag();
    const text = note(a, "modena-2");
    expect(section(text, "RED FLAGS")).toEqual([
      "- [RF-SPINE] Spinal calcinosis with radiculopathy: urgent neurological assessment and MRI/CT. " +
        "Evidence: DiagnosticReport/modena-2-dr-ct-spine-review (2026-06-16), Condition/modena-2-cond-radiculopathy.",
    ]);
  });

  test("case 2: documented, the lesion without a size, every missing lab", () => {
    const text = note(modena2(), "modena-2");
    expect(text).toContain("Assessment: Pseudotumoral calcinosis documented (status: documented).");
    expect(section(text, "LESIONS")[1]).toBe(
      "- Spine: no size recorded, 2026-06-16, CT. Source: DiagnosticReport/modena-2-dr-ct-spine-review (2026-06-16).",
    );
    expect(section(text, "WORKUP GAPS")).toHaveLength(6);
    expect(text).not.toContain("LATEST LABORATORY RESULTS");
    expect(section(text, "SECONDARY CAUSES TO REVIEW")).toEqual(["- None flagged."]);
  });

  test("case 1: both lesion sites", () => {
    const lesions = section(note(modena1(), "modena-1"), "LESIONS");
    expect(lesions[0]).toMatch(/^- Left shoulder\/elbow: largest dimension 12 cm \(12 x 11 cm\), 2026-10-13, MR\./);
    expect(lesions[1]).toMatch(/^- Right hip\/pelvis: no size recorded, 2026-09-22/);
  });

  test("what is not written as structured data is stated, grouped by reason", () => {
    const text = note(modena3(), "modena-3", [
      {
        key: "a",
        description: "Proposed test (draft) [G-RENAL]: Serum creatinine (with eGFR)",
        reason: "The app may not create order proposals.",
      },
      { key: "b", description: "Proposed test (draft) [G-ALB]: Serum albumin", reason: "The app may not create order proposals." },
      { key: "c", description: "Provisional diagnosis: tumoral calcinosis", reason: "The EHR refused it (HTTP 422): Unknown code" },
    ]);
    expect(section(text, "NOT RECORDED AS STRUCTURED DATA (stated here instead)")).toEqual([
      "- Proposed test (draft) [G-RENAL]: Serum creatinine (with eGFR); Proposed test (draft) [G-ALB]: Serum albumin. Not written: The app may not create order proposals.",
      "- Provisional diagnosis: tumoral calcinosis. Not written: The EHR refused it (HTTP 422): Unknown code.",
    ]);
    expect(notWrittenLines([])).toEqual([]);
  });

  test("no user: the note does not claim one", () => {
    const a = modena3();
    const text = composeNote({ assessment: a, context: context("modena-3", { fhirUser: null }), findingId: "f" });
    expect(text).not.toContain("reviewed and sent by");
  });
});
