import { describe, expect, test } from "vitest";
import { composeNote } from "../../../src/writeback/note";
import { notWrittenLines } from "../../../src/writeback/noteSections";
import { findingIdOf } from "../../../src/writeback/finding";
import type { Assessment, MissingData } from "../../../src/clinical/types";
import { PTH_TRUNCATED, REPORTS_FAILED, context, modena1, modena2, modena3, withMissing, withSpinalRedFlag } from "./fixtures";

function note(
  assessment = modena3(),
  id = "modena-3",
  notWritten = [] as Parameters<typeof composeNote>[0]["notWritten"],
  recorded?: string[],
) {
  return composeNote({ assessment, context: context(id), findingId: findingIdOf(assessment), notWritten, recorded });
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

/** modena-3 with nothing in a section (as when its rules found nothing), and the given searches missing. */
function emptied(missing: MissingData[], clear: (a: Assessment) => Partial<Assessment>): Assessment {
  const base = modena3();
  return withMissing({ ...base, ...clear(base) }, missing);
}

const RF_MISSING: MissingData = { ...REPORTS_FAILED, rules: ["RF-COMP", "RF-SPINE"] };
const PTH_MISSING: MissingData = { ...PTH_TRUNCATED, rules: ["S-PTH", "S-VITD"] };

describe("the note never claims an absence the app did not see (issue 10)", () => {
  // Each section, both ways: read in full -> the plain absence; its data missing -> what was read and what was not evaluated.
  test.each([
    {
      section: "LESIONS",
      missing: { ...REPORTS_FAILED, rules: ["PC-DOC"] } as MissingData,
      clear: () => ({ lesions: [], growth: [] }),
      complete: "- No calcified lesion found in the record.",
      incomplete:
        "- None found in the data read; Imaging and pathology reports could not be loaded, so lesions may be missing (not evaluated: PC-DOC).",
    },
    {
      section: "WORKUP GAPS",
      missing: { ...REPORTS_FAILED, rules: ["G-SPINE"] } as MissingData,
      clear: () => ({ workupGaps: [] }),
      complete: "- None.",
      incomplete:
        "- None found in the data read; Imaging and pathology reports could not be loaded, so gaps the app could not check may exist (not evaluated: G-SPINE).",
    },
    {
      section: "SECONDARY CAUSES TO REVIEW",
      missing: PTH_MISSING,
      clear: () => ({ secondaryCauses: [] }),
      complete: "- None flagged.",
      incomplete:
        "- None found in the data read; Labs: PTH, vitamin D and bone ALP were only partly loaded, so secondary causes may be missing (not evaluated: S-PTH, S-VITD).",
    },
    {
      section: "RED FLAGS",
      missing: RF_MISSING,
      clear: () => ({ redFlags: [] }),
      complete: "- None found in the record.",
      incomplete:
        "- None found in the data read; Imaging and pathology reports could not be loaded, so red flags may be missing (not evaluated: RF-COMP, RF-SPINE).",
    },
    {
      section: "FINDINGS",
      missing: { ...REPORTS_FAILED, reason: "pending", rules: ["PC-DOC", "PC-IMG"] } as MissingData,
      clear: () => ({ findings: [] }),
      complete: "- None.",
      incomplete:
        "- None found in the data read; Imaging and pathology reports had not finished loading, so findings may be missing (not evaluated: PC-DOC, PC-IMG).",
    },
  ])("$section", ({ section: title, missing, clear, complete, incomplete }) => {
    expect(section(note(emptied([], clear)), title)).toEqual([complete]);
    const text = note(emptied([missing], clear));
    expect(section(text, title)).toEqual([incomplete]);
    expect(text).not.toContain(complete.replace(/^- /, ""));
  });

  test("a listed section says which of its rules were not evaluated", () => {
    const a = withMissing(modena3(), [PTH_TRUNCATED]);
    expect(section(note(a), "SECONDARY CAUSES TO REVIEW")).toEqual([
      expect.stringMatching(/^- \[S-PTH\] PTH 86\.5 pg\/mL/),
      "- Not evaluated: S-VITD (Labs: PTH, vitamin D and bone ALP were only partly loaded).",
    ]);
    expect(section(note(modena3()), "SECONDARY CAUSES TO REVIEW")).toHaveLength(1);
  });

  test("RECORD INCOMPLETE names each missing search once, with the rules it left unevaluated", () => {
    const text = note(withMissing(modena3(), [REPORTS_FAILED, PTH_TRUNCATED]));
    expect(section(text, "RECORD INCOMPLETE")).toEqual([
      "- The record could not be read in full when this note was written. Everything below rests only on the data read " +
        "(6 conditions, 12 results, 3 reports and 2 imaging studies); an absence below is not proof of absence.",
      "- Imaging and pathology reports: could not be loaded (HTTP 500). Not evaluated: G-SPINE, PC-DOC, R-CALC, RF-COMP, RF-SPINE.",
      "- Labs: PTH, vitamin D and bone ALP: only partly loaded. Not evaluated: S-VITD.",
    ]);
    // Listed there, not again rule by rule.
    expect(text).not.toContain("NOT EVALUATED\n");
    expect(note(modena3())).not.toContain("RECORD INCOMPLETE");
  });

  test("labs whose search is missing are 'not known', never absent", () => {
    const a = withMissing({ ...modena3(), labs: {} }, [PTH_TRUNCATED]);
    expect(section(note(a), "LATEST LABORATORY RESULTS")).toEqual([
      "- Not known: PTH (intact), 25-OH vitamin D, Bone alkaline phosphatase (Labs: PTH, vitamin D and bone ALP were only partly loaded).",
    ]);
    expect(note({ ...modena3(), labs: {} })).not.toContain("LATEST LABORATORY RESULTS");
  });

  test("no SSc found: said plainly when Conditions were read, as unknown when they were not", () => {
    const none = { ...modena3(), status: "not-applicable" as const, ssc: { present: false, subset: null, durationYears: null } };
    expect(note(none)).toContain("Systemic sclerosis: no active diagnosis on record.");
    const conditions: MissingData = {
      resourceType: "Condition",
      scopes: ["Condition"],
      label: "Conditions (diagnoses)",
      reason: "failed",
      rules: ["E1"],
    };
    const text = note(withMissing({ ...none, status: "indeterminate" }, [conditions]));
    expect(text).toContain(
      "Systemic sclerosis: not found in the data read; Conditions (diagnoses) could not be loaded, so it may be on record.",
    );
    expect(text).toContain("Assessment: Cannot be assessed: part of the record could not be loaded (status: indeterminate).");
  });

  test("a rule not evaluated for another reason (no birth date) stays in NOT EVALUATED", () => {
    const a = { ...withMissing(modena3(), [REPORTS_FAILED]) };
    a.notEvaluated = [...a.notEvaluated!, { ruleId: "R-AGE", reason: "No birth date." }];
    expect(section(note(a), "NOT EVALUATED")).toEqual(["- [R-AGE] No birth date."]);
  });
});

describe("what the clinician chose", () => {
  test("the note lists what is recorded as structured data, and what was deselected", () => {
    const text = note(
      modena3(),
      "modena-3",
      [
        {
          key: "k",
          description: "Proposed test (draft) [G-ALB]: Serum albumin (for corrected calcium)",
          reason: "Deselected by the clinician.",
        },
      ],
      ["Finding [PC-SIZE]: mass", "Proposed test (draft) [G-RENAL]: Serum creatinine (with eGFR)"],
    );
    expect(section(text, "RECORDED AS STRUCTURED DATA WITH THIS NOTE")).toEqual([
      "- Finding [PC-SIZE]: mass.",
      "- Proposed test (draft) [G-RENAL]: Serum creatinine (with eGFR).",
    ]);
    expect(section(text, "NOT RECORDED AS STRUCTURED DATA (stated here instead)")).toEqual([
      "- Proposed test (draft) [G-ALB]: Serum albumin (for corrected calcium). Not written: Deselected by the clinician.",
    ]);
    expect(section(note(), "RECORDED AS STRUCTURED DATA WITH THIS NOTE")).toEqual(["- None: the findings are stated in this note only."]);
  });
});

describe("lesions of the 1.1.0 model (id, site label, measurements)", () => {
  function withLesionModel(): Assessment {
    const a = modena3();
    a.lesions = [
      {
        id: "trunk|right",
        siteGroup: "trunk",
        laterality: "right",
        siteLabel: "right dorsal region",
        maxDimensionCm: 10,
        peakDimensionCm: 10,
        dimensionsCm: [10, 9],
        date: "2026-10-29",
        firstSeen: "2024-10-08",
        modality: "CT",
        evidence: ["DiagnosticReport/modena-3-dr-xr-chest", "DiagnosticReport/modena-3-dr-ct-thorax"],
        measurements: [
          {
            date: "2024-10-08",
            maxDimensionCm: 8.8,
            dimensionsCm: [8.8, 6.8],
            modality: "CR",
            evidence: ["DiagnosticReport/modena-3-dr-xr-chest"],
          },
          {
            date: "2026-10-29",
            maxDimensionCm: 10,
            dimensionsCm: [10, 9],
            modality: "CT",
            evidence: ["DiagnosticReport/modena-3-dr-ct-thorax"],
          },
        ],
      },
    ];
    a.findings[0] = { ...a.findings[0], lesionId: "trunk|right" };
    a.growth = [{ ...a.growth![0], lesionId: "trunk|right", crossModality: true }];
    return a;
  }

  test("one line per lesion with its history; items name their lesion", () => {
    const text = note(withLesionModel());
    expect(section(text, "LESIONS")).toEqual([
      "- Right dorsal region: largest dimension 10 cm (10 x 9 cm), 2026-10-29, CT. First seen: 2024-10-08. " +
        "Measurements: 2024-10-08 8.8 cm (CR); 2026-10-29 10 cm (CT). " +
        "Source: DiagnosticReport/modena-3-dr-xr-chest (2024-10-08), DiagnosticReport/modena-3-dr-ct-thorax (2026-10-29).",
    ]);
    expect(section(text, "FINDINGS")[0]).toContain(" Lesion: right dorsal region, 10 cm on 2026-10-29 (CT). Evidence:");
    expect(section(text, "GROWTH BETWEEN MEASUREMENTS")).toEqual([
      "- Right dorsal region: 8.8 cm (2024-10-08) to 10 cm (2026-10-29), +14% (measured with different modalities).",
    ]);
  });
});
