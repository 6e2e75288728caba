import { describe, expect, test, beforeAll } from "vitest";
import type { ServiceRequest } from "fhir/r4";
import type { WriteCapabilities } from "../../../src/writeback/decide";
import { planWriteBack } from "../../../src/writeback/plan";
import type { MissingData } from "../../../src/clinical/types";
import { ALL_WRITE_V2, PTH_TRUNCATED, REPORTS_FAILED, context, fullCapabilities, modena3, withMissing } from "./fixtures";
import { indexR4, r4Issues } from "./validate";

// Index the R4 definitions once, before the clock of the first test starts (it takes seconds).
beforeAll(() => indexR4(), 60_000);

const TIER_B = "patient/Condition.c patient/DetectedIssue.cs patient/ServiceRequest.cs patient/Provenance.cs";

function plan(capabilities: WriteCapabilities | null, scopes: string, includeCondition = true) {
  return planWriteBack({
    assessment: modena3(),
    context: context("modena-3"),
    choices: { includeCondition },
    capabilities,
    grantedScopes: scopes,
  }).plan;
}

function without(caps: WriteCapabilities, type: string, interaction: string): WriteCapabilities {
  const copy = structuredClone(caps);
  copy.resources[type]!.interactions = copy.resources[type]!.interactions.filter((i) => i !== interaction);
  return copy;
}

/**
 * The plan matrix: capabilities × granted scopes -> mode and how each type is de-duplicated.
 * "note" = DocumentReference; "B" = Condition, DetectedIssue, ServiceRequest, Provenance.
 */
const MATRIX: {
  name: string;
  capabilities: WriteCapabilities | null;
  scopes: string;
  mode: string;
  dedup: string | null;
  written: string[];
}[] = [
  {
    name: "transaction + conditional create, v2 .c/.cs scopes",
    capabilities: fullCapabilities(),
    scopes: ALL_WRITE_V2,
    mode: "transaction",
    dedup: "if-none-exist",
    written: ["Condition", "DetectedIssue", "ServiceRequest", "DocumentReference", "Provenance"],
  },
  {
    name: "transaction + conditional create, v1 patient/*.write (no read)",
    capabilities: fullCapabilities(),
    scopes: "launch openid fhirUser patient/*.write",
    mode: "transaction",
    dedup: "if-none-exist",
    written: ["Condition", "DetectedIssue", "ServiceRequest", "DocumentReference", "Provenance"],
  },
  {
    name: "no transaction, conditional create",
    capabilities: fullCapabilities({ transaction: false }),
    scopes: ALL_WRITE_V2,
    mode: "single",
    dedup: "if-none-exist",
    written: ["Condition", "DetectedIssue", "ServiceRequest", "DocumentReference", "Provenance"],
  },
  {
    name: "transaction but no conditional create, search allowed",
    capabilities: fullCapabilities({ conditionalCreate: false }),
    scopes: "patient/*.cruds",
    mode: "single",
    dedup: "search-first",
    written: ["Condition", "DetectedIssue", "ServiceRequest", "DocumentReference", "Provenance"],
  },
  {
    name: "no conditional create, v1 *.write + *.read",
    capabilities: fullCapabilities({ transaction: false, conditionalCreate: false }),
    scopes: "patient/*.write patient/*.read",
    mode: "single",
    dedup: "search-first",
    written: ["Condition", "DetectedIssue", "ServiceRequest", "DocumentReference", "Provenance"],
  },
  {
    name: "no conditional create and no search scope: nothing can be made duplicate-safe",
    capabilities: fullCapabilities({ conditionalCreate: false }),
    scopes: "patient/*.c",
    mode: "copy-only",
    dedup: null,
    written: [],
  },
  {
    name: "no conditional create and no search-type on the server",
    capabilities: fullCapabilities({ conditionalCreate: false, search: false }),
    scopes: "patient/*.cruds",
    mode: "copy-only",
    dedup: null,
    written: [],
  },
  {
    name: "read-only scopes (no .c): copy-only",
    capabilities: fullCapabilities(),
    scopes: "launch openid fhirUser patient/*.rs",
    mode: "copy-only",
    dedup: null,
    written: [],
  },
  {
    name: "note only (DocumentReference.c), conditional create",
    capabilities: fullCapabilities(),
    scopes: "patient/DocumentReference.c",
    mode: "transaction",
    dedup: "if-none-exist",
    written: ["DocumentReference"],
  },
  {
    name: "capability statement unreadable, search allowed: note only, search first",
    capabilities: null,
    scopes: ALL_WRITE_V2,
    mode: "single",
    dedup: "search-first",
    written: ["DocumentReference"],
  },
  {
    name: "capability statement unreadable, no search scope: copy-only",
    capabilities: null,
    scopes: "patient/*.c",
    mode: "copy-only",
    dedup: null,
    written: [],
  },
];

describe("the plan matrix (capabilities × scopes -> mode)", () => {
  test.each(MATRIX)("$name -> $mode", ({ capabilities, scopes, mode, dedup, written }) => {
    const p = plan(capabilities, scopes);
    expect(p.mode).toBe(mode);
    expect([...new Set(p.write.map((w) => w.resourceType))]).toEqual(written);
    if (dedup) expect(new Set(p.write.map((w) => w.dedup))).toEqual(new Set([dedup]));
    // Every skipped item has a reason a human can read.
    for (const s of p.skip) expect(s.reason).toMatch(/^[a-z].{20,}/);
    expect(p.write.length + p.skip.length).toBe(8);
  });
});

describe("plan details", () => {
  test("copy-only says why and still gives the full note", () => {
    const p = plan(fullCapabilities(), "launch openid fhirUser patient/*.rs");
    // Read-only registration: the reason once, in plain words.
    expect(p.summary).toBe(
      "Nothing can be saved to this EHR from the app: the app was registered read-only, so it may not create anything in the chart. " +
        "Copy the note below and paste it into the chart.",
    );
    expect(p.noteWritable).toBe(false);
    expect(p.noteText).toContain("Finding id:");
    expect(p.noteText).toContain("NOT RECORDED AS STRUCTURED DATA");
  });

  test("a type the server does not accept is skipped, folded into the note, and links are re-pointed", () => {
    const caps = without(fullCapabilities(), "DetectedIssue", "create");
    const submission = planWriteBack({
      assessment: modena3(),
      context: context("modena-3"),
      choices: { includeCondition: false },
      capabilities: caps,
      grantedScopes: ALL_WRITE_V2,
    });
    const { plan: p } = submission;
    expect(p.mode).toBe("transaction");
    expect(p.skip.filter((s) => s.resourceType === "DetectedIssue").map((s) => s.reason)).toEqual([
      "this EHR does not accept flagged issues from apps (no create for DetectedIssue in its capability statement)",
      "this EHR does not accept flagged issues from apps (no create for DetectedIssue in its capability statement)",
    ]);
    expect(p.noteText).toMatch(
      /- Finding \[PC-SIZE\]: .*; Secondary cause to review \[S-PTH\]: .*\. Not written: This EHR does not accept flagged issues from apps/,
    );
    // The proposals can no longer point at the DetectedIssue: no dangling urn:uuid.
    const bundle = submission.transaction();
    const urls = new Set(bundle.entry!.map((e) => e.fullUrl));
    for (const e of bundle.entry!) {
      if (e.resource?.resourceType === "ServiceRequest") expect((e.resource as ServiceRequest).reasonReference).toBeUndefined();
    }
    for (const m of JSON.stringify(bundle).matchAll(/"(urn:uuid:[^"]+)"/g)) expect(urls.has(m[1])).toBe(true);
  });

  test("a ticked Condition without a Condition scope is skipped and stated in the note", () => {
    const p = plan(fullCapabilities(), "patient/DocumentReference.c " + TIER_B.replace("patient/Condition.c ", ""));
    const condition = p.skip.find((s) => s.key === "condition");
    expect(condition?.reason).toBe("the app was not given permission to create diagnoses (no patient/Condition.c scope)");
    expect(p.noteText).toContain(
      "- Provisional diagnosis: tumoral calcinosis (right back/chest wall). Not written: The app was not given permission to create diagnoses",
    );
  });

  test("the Condition is only in the plan when ticked", () => {
    expect(plan(fullCapabilities(), ALL_WRITE_V2, false).write.some((w) => w.key === "condition")).toBe(false);
    expect(plan(fullCapabilities(), ALL_WRITE_V2, true).write.some((w) => w.key === "condition")).toBe(true);
  });

  test("Provenance without a scope: skipped, the rest still written", () => {
    const p = plan(fullCapabilities(), ALL_WRITE_V2.replace(" patient/Provenance.cs", ""));
    expect(p.skip.map((s) => s.key)).toEqual(["provenance"]);
    expect(p.noteText).not.toContain("NOT RECORDED AS STRUCTURED DATA");
  });

  test("search-first needs the server's search-type: without it the type is not written", () => {
    const caps = without(fullCapabilities({ conditionalCreate: false }), "ServiceRequest", "search-type");
    const p = plan(caps, "patient/*.cruds");
    expect(p.skip.filter((s) => s.resourceType === "ServiceRequest")[0].reason).toBe(
      "this EHR cannot tell the app whether it already holds them, so sending again could make a second copy (no conditional create or search for ServiceRequest)",
    );
    expect(p.write.some((w) => w.resourceType === "ServiceRequest")).toBe(false);
  });

  test("the transaction bundle: urn:uuid fullUrls, POST with ifNoneExist, valid R4", () => {
    const submission = planWriteBack({
      assessment: modena3(),
      context: context("modena-3"),
      choices: { includeCondition: true },
      capabilities: fullCapabilities(),
      grantedScopes: ALL_WRITE_V2,
    });
    const bundle = submission.transaction();
    expect(bundle.type).toBe("transaction");
    expect(bundle.entry).toHaveLength(8);
    for (const [i, e] of bundle.entry!.entries()) {
      const planned = submission.plan.write[i];
      expect(e.fullUrl).toBe(planned.fullUrl);
      expect(e.request).toEqual({
        method: "POST",
        url: planned.resourceType,
        ifNoneExist:
          planned.resourceType === "Provenance"
            ? `_tag=https%3A%2F%2Fcalcinosis-app.example.org%2Ffhir%2Ffinding%7C${planned.identifier.value}`
            : `identifier=https%3A%2F%2Fcalcinosis-app.example.org%2Ffhir%2Ffinding%7C${planned.identifier.value}`,
      });
    }
    expect(r4Issues(bundle)).toEqual([]);
  });

  test("the search used after a timeout finds by identifier", () => {
    const p = plan(fullCapabilities(), ALL_WRITE_V2);
    const note = p.write.find((w) => w.key === "note")!;
    // Encoded whole, so that a proxy normalising "//" (the SMART launcher's) cannot change it.
    expect(note.search).toBe(
      `DocumentReference?identifier=https%3A%2F%2Fcalcinosis-app.example.org%2Ffhir%2Ffinding%7C${note.identifier.value}`,
    );
    expect(decodeURIComponent(note.search.split("=")[1]!)).toBe(`https://calcinosis-app.example.org/fhir/finding|${note.identifier.value}`);
    expect(note.canSearch).toBe(true);
    expect(plan(fullCapabilities(), "patient/*.write").write.every((w) => !w.canSearch)).toBe(true);
  });
});

function planFor(assessment = modena3(), choices: { includeCondition: boolean; deselected?: string[] } = { includeCondition: true }) {
  return planWriteBack({
    assessment,
    context: context("modena-3"),
    choices,
    capabilities: fullCapabilities(),
    grantedScopes: ALL_WRITE_V2,
  });
}

function noteSection(text: string, title: string): string[] {
  const lines = text.split("\n");
  const start = lines.indexOf(title);
  expect(start, title).toBeGreaterThan(-1);
  const end = lines.findIndex((line, i) => i > start && line === "");
  return lines.slice(start + 1, end);
}

describe("an incomplete record: structured write-back is off (issue 10)", () => {
  test.each<[string, MissingData]>([
    ["failed", REPORTS_FAILED],
    ["truncated", PTH_TRUNCATED],
    ["pending", { ...PTH_TRUNCATED, reason: "pending" }],
  ])("a %s search: only the note and its Provenance; the review and the note say why", (_reason, missing) => {
    const submission = planFor(withMissing(modena3(), [missing]));
    const { plan: p } = submission;
    expect(p.write.map((w) => w.resourceType)).toEqual(["DocumentReference", "Provenance"]);
    expect(p.skip.filter((s) => s.cause === "withheld").map((s) => s.resourceType)).toEqual([
      "Condition",
      "DetectedIssue",
      "DetectedIssue",
      "ServiceRequest",
      "ServiceRequest",
      "ServiceRequest",
    ]);
    expect(p.structuredWithheld).toBe(
      `Part of the record could not be loaded (${missing.label}), so nothing is recorded as structured data until it loads in full; ` +
        "the note says what was missing.",
    );
    expect(p.selectable).toEqual([]);
    expect(p.conditionUnavailable).toBe(p.structuredWithheld);
    expect(noteSection(p.noteText, "RECORDED AS STRUCTURED DATA WITH THIS NOTE")).toEqual([
      "- None: the findings are stated in this note only.",
    ]);
    expect(noteSection(p.noteText, "NOT RECORDED AS STRUCTURED DATA (stated here instead)")).toEqual([
      expect.stringMatching(
        /^- Provisional diagnosis: .*; Finding \[PC-SIZE\].*\. Not written: Part of the record could not be loaded \(see RECORD INCOMPLETE above\); structured data is recorded only from a complete record\.$/,
      ),
    ]);
    expect(p.noteText).toContain("RECORD INCOMPLETE");
    expect(submission.transaction().entry!.map((e) => e.resource!.resourceType)).toEqual(["DocumentReference", "Provenance"]);
  });

  test("status indeterminate withholds it too; a complete record does not", () => {
    expect(planFor({ ...modena3(), status: "indeterminate" }).plan.write.map((w) => w.resourceType)).toEqual([
      "DocumentReference",
      "Provenance",
    ]);
    const complete = planFor().plan;
    expect(complete.structuredWithheld).toBeNull();
    expect(complete.write.map((w) => w.resourceType)).toContain("DetectedIssue");
  });
});

describe("per-item selection (issue 13)", () => {
  test("every DetectedIssue and ServiceRequest is offered, selected by default", () => {
    const p = planFor().plan;
    expect(p.selectable.map((s) => [s.resourceType, s.selected])).toEqual([
      ["DetectedIssue", true],
      ["DetectedIssue", true],
      ["ServiceRequest", true],
      ["ServiceRequest", true],
      ["ServiceRequest", true],
    ]);
    expect(p.conditionUnavailable).toBeNull();
  });

  test("a deselected item is not written; the rest keep their identifiers; the note lists both", () => {
    const all = planFor().plan;
    const pth = all.selectable.find((s) => s.key.startsWith("issue:S-PTH"))!;
    const alb = all.selectable.find((s) => s.key.startsWith("request:G-ALB"))!;
    const p = planFor(modena3(), { includeCondition: true, deselected: [pth.key, alb.key] }).plan;
    expect(p.write.map((w) => w.key)).toEqual(all.write.map((w) => w.key).filter((k) => k !== pth.key && k !== alb.key));
    for (const w of p.write) expect(w.identifier).toEqual(all.write.find((x) => x.key === w.key)!.identifier);
    expect(p.skip.map((s) => [s.key, s.cause, s.reason])).toEqual([
      [pth.key, "deselected", "deselected by the clinician"],
      [alb.key, "deselected", "deselected by the clinician"],
    ]);
    expect(p.selectable.filter((s) => !s.selected).map((s) => s.key)).toEqual([pth.key, alb.key]);
    expect(noteSection(p.noteText, "RECORDED AS STRUCTURED DATA WITH THIS NOTE")).toEqual([
      "- Provisional diagnosis: tumoral calcinosis (right back/chest wall).",
      expect.stringMatching(/^- Finding \[PC-SIZE\]/),
      "- Proposed test (draft) [G-RENAL]: Serum creatinine (with eGFR).",
      "- Proposed procedure (draft) [G-SPINE]: CT (or MRI) of the spine, targeted review.",
    ]);
    expect(noteSection(p.noteText, "NOT RECORDED AS STRUCTURED DATA (stated here instead)")).toEqual([
      `- ${pth.description.replace(/\.$/, "")}; ${alb.description}. Not written: Deselected by the clinician.`,
    ]);
  });

  test("deselecting the issue a proposal points at re-points the proposal; no dangling link", () => {
    const all = planFor(modena3(), { includeCondition: false }).plan;
    const main = all.selectable.find((s) => s.key.startsWith("issue:PC-SIZE"))!;
    const submission = planFor(modena3(), { includeCondition: false, deselected: [main.key] });
    const bundle = submission.transaction();
    const urls = new Set(bundle.entry!.map((e) => e.fullUrl));
    for (const m of JSON.stringify(bundle).matchAll(/"(urn:uuid:[^"]+)"/g)) expect(urls.has(m[1])).toBe(true);
    expect(bundle.entry!.some((e) => e.resource?.resourceType === "DetectedIssue" && JSON.stringify(e.resource).includes("PC-SIZE"))).toBe(
      false,
    );
  });
});

describe("how it is sent, in plain words", () => {
  test.each([
    ["transaction", fullCapabilities(), "Everything chosen below is saved together, or nothing is. Sending again never makes a copy."],
    [
      "single, conditional",
      fullCapabilities({ transaction: false }),
      "The items are saved one at a time, in order: if the EHR refuses one, the others are still saved and the note says what was not. Sending again never makes a copy.",
    ],
    [
      "single, search first",
      fullCapabilities({ conditionalCreate: false }),
      "The items are saved one at a time, in order: if the EHR refuses one, the others are still saved and the note says what was not. " +
        "Before saving each item, the app checks that it is not already there. Sending again never makes a copy.",
    ],
  ])("%s", (_name, capabilities, summary) => {
    const p = planWriteBack({
      assessment: modena3(),
      context: context("modena-3"),
      choices: { includeCondition: false },
      capabilities,
      grantedScopes: "patient/*.cruds",
    }).plan;
    expect(p.summary).toBe(summary);
    expect(p.summary).not.toMatch(/transaction|identifier|If-None-Exist|conditional/i);
  });
});
