import { describe, expect, test, beforeAll } from "vitest";
import type { Condition, DetectedIssue, ServiceRequest } from "fhir/r4";
import { assess } from "../../../src/clinical";
import { loadDemoPatients } from "../../../sandbox/data";
import { compose } from "../../../src/writeback/compose";
import { findingIdOf } from "../../../src/writeback/finding";
import { WRITTEN_BY_APP_TAG } from "../../../src/clinical/codes";
import type { ComposedSet } from "../../../src/writeback/types";
import { context } from "./fixtures";
import { indexR4, r4Issues } from "./validate";

// Index the R4 definitions once, before the clock of the first test starts (it takes seconds).
beforeAll(() => indexR4(), 60_000);

/** Composition from the real engine on the sandbox's Modena cases (clinical-spec.md §1). */

const AS_OF = "2026-11-21";

function demo(id: string) {
  const patient = loadDemoPatients().find((p) => p.id === id);
  if (!patient) throw new Error(`no demo patient ${id}`);
  return patient;
}

function assessed(id: string, reverse = false) {
  const resources = demo(id).resources;
  return assess(reverse ? [...resources].reverse() : resources, { asOf: AS_OF, patientId: id });
}

const of = <T>(set: ComposedSet, type: string) => set.entries.filter((e) => e.resourceType === type).map((e) => e.resource as unknown as T);
const codes = (set: ComposedSet) => of<ServiceRequest>(set, "ServiceRequest").map((r) => r.code?.coding?.[0].code);

describe.each(["modena-1", "modena-2", "modena-3"])("%s from the engine", (id) => {
  const assessment = assessed(id);
  const set = compose(assessment, context(id), { includeCondition: true });

  test("every resource is valid R4 and carries a deterministic identifier under the app URL", () => {
    for (const e of set.entries) {
      expect({ key: e.key, issues: r4Issues(e.resource) }).toEqual({ key: e.key, issues: [] });
      expect(e.identifier.system).toBe("https://calcinosis-app.example.org/fhir/finding");
    }
  });

  test("one DetectedIssue per finding, red flag and secondary cause; one proposal per coded gap", () => {
    const items = [...assessment.findings, ...assessment.redFlags, ...assessment.secondaryCauses];
    expect(of<DetectedIssue>(set, "DetectedIssue").map((i) => i.code?.coding?.[0].code)).toEqual(items.map((i) => i.ruleId));
    for (const [n, issue] of of<DetectedIssue>(set, "DetectedIssue").entries()) {
      expect(issue.evidence?.[0]?.detail?.map((d) => d.reference).sort() ?? []).toEqual([...new Set(items[n].evidence)].sort());
    }
    expect(of<ServiceRequest>(set, "ServiceRequest")).toHaveLength(assessment.workupGaps.length);
    expect(set.entries.filter((e) => e.resourceType === "DocumentReference")).toHaveLength(1);
    expect(set.entries.filter((e) => e.resourceType === "Provenance")).toHaveLength(1);
  });

  test("identifiers and the note do not depend on the order of the record", () => {
    const again = compose(assessed(id, true), context(id), { includeCondition: true });
    expect(again.entries.map((e) => e.identifier.value)).toEqual(set.entries.map((e) => e.identifier.value));
    expect(again.noteText).toBe(set.noteText);
  });
});

describe("per case", () => {
  test("case 1: provisional Condition offered with both sites; CT of the shoulder proposed", () => {
    const set = compose(assessed("modena-1"), context("modena-1"), { includeCondition: true });
    const [condition] = of<Condition>(set, "Condition");
    expect(condition.bodySite?.map((b) => b.text).sort()).toEqual(["left shoulder", "right hip"]);
    expect(set.entries.find((e) => e.key.startsWith("request:G-CT"))?.description).toBe(
      "Proposed procedure (draft) [G-CT]: CT of the left shoulder",
    );
    expect(set.noteText).toContain("Assessment: Pseudotumoral calcinosis documented (status: documented).");
  });

  test("case 2: already coded, so no Condition; the missing calcium-phosphate workup is proposed", () => {
    const set = compose(assessed("modena-2"), context("modena-2"), { includeCondition: true });
    expect(set.conditionOffer.available).toBe(false);
    expect(of(set, "Condition")).toHaveLength(0);
    expect(codes(set)).toEqual(expect.arrayContaining(["17861-6", "2777-1", "2731-8", "62292-8", "2160-0"]));
    expect(set.noteText).toMatch(/- Spine, paravertebral and intracanal: no size recorded, 2026-06-16, CT\./);
  });

  test("case 3: probable; PTH flagged for review with its evidence; spinal review proposed", () => {
    const assessment = assessed("modena-3");
    expect(assessment.status).toBe("probable");
    const set = compose(assessment, context("modena-3"), { includeCondition: true });
    const pth = of<DetectedIssue>(set, "DetectedIssue").find((i) => i.code?.coding?.[0].code === "S-PTH");
    expect(pth?.evidence?.[0].detail).toEqual([{ reference: "Observation/modena-3-obs-pth" }]);
    expect(set.entries.find((e) => e.key.startsWith("request:G-SPINE"))).toBeTruthy();
    expect(set.noteText).toContain("Assessment: Probable pseudotumoral calcinosis (status: probable).");
    expect(set.noteText).toMatch(/\[S-PTH\] .*86\.5 pg\/mL.*Evidence: Observation\/modena-3-obs-pth \(2026-10-05\)/);
  });
});

test("not applicable (no SSc): only the note is composed, however the engine fills the lists", () => {
  const a = assessed("no-ssc");
  expect(a.status).toBe("not-applicable");
  const set = compose(a, context("no-ssc"), { includeCondition: true });
  expect(set.entries.map((e) => e.resourceType)).toEqual(["DocumentReference", "Provenance"]);
});

describe("what the app wrote is not evidence the next time", () => {
  test.each(["modena-1", "modena-3"])("%s: the same assessment and finding id after the written resources come back", (id) => {
    const first = assessed(id);
    const written = compose(first, context(id), { includeCondition: true });
    expect(written.entries.map((e) => e.resourceType)).toContain("Condition");
    for (const e of written.entries) expect(e.resource.meta?.tag).toContainEqual(expect.objectContaining(WRITTEN_BY_APP_TAG));

    // The EHR now holds the app's own resources, with server ids.
    const stored = written.entries.map((e, i) => ({ ...e.resource, id: `written-${i}` }));
    const again = assess([...demo(id).resources, ...stored], { asOf: AS_OF, patientId: id });
    expect(again.status).toBe(first.status);
    expect(findingIdOf(again)).toBe(findingIdOf(first));
    expect(again.dataQuality.map((n) => n.code)).toContain("written-by-app");
  });
});
