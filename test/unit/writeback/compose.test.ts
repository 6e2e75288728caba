import { describe, expect, test, beforeAll } from "vitest";
import type { Condition, DetectedIssue, DocumentReference, Provenance, ServiceRequest } from "fhir/r4";
import { compose } from "../../../src/writeback/compose";
import { noteTextOf } from "../../../src/writeback/resources/documentReference";
import type { ComposedSet } from "../../../src/writeback/types";
import { APP_URL, context, modena1, modena2, modena3, withSpinalRedFlag } from "./fixtures";
import { indexR4, r4Issues } from "./validate";

// Index the R4 definitions once, before the clock of the first test starts (it takes seconds).
beforeAll(() => indexR4(), 60_000);

const SYSTEM = `${APP_URL}/fhir/finding`;

function byType<T>(set: ComposedSet, type: string): T[] {
  return set.entries.filter((e) => e.resourceType === type).map((e) => e.resource as unknown as T);
}

function entry(set: ComposedSet, keyPrefix: string) {
  const found = set.entries.find((e) => e.key.startsWith(keyPrefix));
  if (!found) throw new Error(`no entry ${keyPrefix}`);
  return found;
}

describe.each([
  ["modena-1", modena1],
  ["modena-2", modena2],
  ["modena-3", modena3],
])("%s: every composed resource is valid FHIR R4", (id, make) => {
  test.each([true, false])("includeCondition=%s", (includeCondition) => {
    const set = compose(make(), context(id), { includeCondition });
    expect(set.entries.length).toBeGreaterThan(2);
    for (const e of set.entries) {
      expect({ key: e.key, issues: r4Issues(e.resource) }).toEqual({ key: e.key, issues: [] });
      expect(e.fullUrl).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
      expect(e.identifier.system).toBe(SYSTEM);
      expect(e.identifier.value).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});

describe("Modena case 3 (probable, PTH flagged)", () => {
  const set = compose(modena3(), context("modena-3"), { includeCondition: true });

  test("the resource set, in write order", () => {
    expect(set.entries.map((e) => `${e.resourceType}:${e.ruleIds.join(",")}`)).toEqual([
      "Condition:PC-SIZE",
      "DetectedIssue:PC-SIZE",
      "DetectedIssue:S-PTH",
      "ServiceRequest:G-RENAL",
      "ServiceRequest:G-ALB",
      "ServiceRequest:G-SPINE",
      "DocumentReference:",
      "Provenance:",
    ]);
  });

  test("the note: consult note, clinical-note, UTF-8 text, subject, author, encounter, preliminary", () => {
    const [doc] = byType<DocumentReference>(set, "DocumentReference");
    expect(doc.type?.coding?.[0]).toMatchObject({ system: "http://loinc.org", code: "11488-4" });
    expect(doc.category?.[0].coding?.[0]).toMatchObject({
      system: "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category",
      code: "clinical-note",
    });
    expect(doc.status).toBe("current");
    expect(doc.docStatus).toBe("preliminary");
    expect(doc.subject).toEqual({ reference: "Patient/modena-3" });
    expect(doc.author).toEqual([{ reference: "Practitioner/dr-rossi" }]);
    expect(doc.context?.encounter).toEqual([{ reference: "Encounter/modena-3-enc-1" }]);
    expect(doc.content[0].attachment.contentType).toBe("text/plain; charset=utf-8");
    expect(doc.identifier?.[0].system).toBe(SYSTEM);
    const text = noteTextOf(doc as never)!;
    expect(text).toBe(set.noteText);
    expect(text).toContain("µg/L"); // UTF-8 survives the base64 round trip
  });

  test("the provisional Condition: tumoral calcinosis, provisional, body site, evidence", () => {
    const [condition] = byType<Condition>(set, "Condition");
    expect(condition.code?.coding?.[0]).toMatchObject({ system: "http://snomed.info/sct", code: "61778004" });
    expect(condition.verificationStatus?.coding?.[0].code).toBe("provisional");
    expect(condition.clinicalStatus?.coding?.[0].code).toBe("active");
    expect(condition.bodySite).toEqual([{ text: "right back/chest wall" }]);
    expect(condition.subject).toEqual({ reference: "Patient/modena-3" });
    expect(condition.recorder).toEqual({ reference: "Practitioner/dr-rossi" });
    expect(condition.evidence?.[0].detail?.map((r) => r.reference)).toEqual([
      "DiagnosticReport/modena-3-dr-ct-thorax",
      "DiagnosticReport/modena-3-dr-us-dorsal",
      "DiagnosticReport/modena-3-dr-xr-chest",
    ]);
  });

  test("one DetectedIssue per finding and flag, evidence = the resources it rests on", () => {
    const issues = byType<DetectedIssue>(set, "DetectedIssue");
    expect(issues.map((i) => i.code?.coding?.[0].code)).toEqual(["PC-SIZE", "S-PTH"]);
    const pth = issues[1];
    expect(pth.evidence?.[0].detail).toEqual([{ reference: "Observation/modena-3-obs-pth" }]);
    expect(pth.patient).toEqual({ reference: "Patient/modena-3" });
    expect(pth.status).toBe("preliminary");
    expect(pth.code?.coding?.[0].system).toBe(`${APP_URL}/fhir/CodeSystem/pc-ssc-rule`);
    expect(pth.detail).toContain("86.5 pg/mL");
  });

  test("one draft proposal per gap, coded, linked to the Condition", () => {
    const requests = byType<ServiceRequest>(set, "ServiceRequest");
    expect(requests.map((r) => [r.intent, r.status])).toEqual([
      ["proposal", "draft"],
      ["proposal", "draft"],
      ["proposal", "draft"],
    ]);
    expect(requests.map((r) => `${r.code?.coding?.[0].system}|${r.code?.coding?.[0].code}`)).toEqual([
      "http://loinc.org|2160-0",
      "http://loinc.org|1751-7",
      "http://snomed.info/sct|77477000",
    ]);
    expect(requests[2].bodySite?.[0].coding?.[0].code).toBe("421060004");
    const conditionUrl = entry(set, "condition").fullUrl;
    for (const r of requests) expect(r.reasonReference).toEqual([{ reference: conditionUrl }]);
  });

  test("without the Condition, proposals point at the finding's DetectedIssue", () => {
    const noCondition = compose(modena3(), context("modena-3"), { includeCondition: false });
    expect(byType(noCondition, "Condition")).toHaveLength(0);
    const issueUrl = entry(noCondition, "issue:PC-SIZE").fullUrl;
    for (const r of byType<ServiceRequest>(noCondition, "ServiceRequest")) {
      expect(r.reasonReference).toEqual([{ reference: issueUrl }]);
    }
  });

  test("a proposal resting on a flag's evidence points at that flag's issue", () => {
    const a = modena3();
    a.workupGaps.push({ ruleId: "G-VITD", text: "Vitamin D to recheck", evidence: ["Observation/modena-3-obs-pth"] });
    const s = compose(a, context("modena-3"), { includeCondition: false });
    const vitd = s.entries.find((e) => e.key.startsWith("request:G-VITD"))!.resource as ServiceRequest;
    expect(vitd.reasonReference).toEqual([{ reference: entry(s, "issue:S-PTH").fullUrl }]);
  });

  test("Provenance names the app as a Device and the user, targets everything, cites the sources", () => {
    const [prov] = byType<Provenance>(set, "Provenance");
    const others = set.entries.filter((e) => e.resourceType !== "Provenance").map((e) => e.fullUrl);
    expect(prov.target.map((t) => t.reference)).toEqual(others);
    expect(prov.contained?.[0]).toMatchObject({ resourceType: "Device", id: "app", url: APP_URL, version: [{ value: "0.1.0" }] });
    expect(prov.agent.map((a) => a.who.reference)).toEqual(["Practitioner/dr-rossi", "#app"]);
    expect(prov.entity?.map((e) => e.what.reference)).toContain("Observation/modena-3-obs-pth");
    expect(prov.meta?.tag?.[0]).toEqual({ system: SYSTEM, code: entry(set, "provenance").identifier.value, display: "Finding provenance" });
    expect(prov.recorded).toBe("2026-11-21T09:30:00Z");
  });

  test("references between entries always point to entries of the set", () => {
    const urls = new Set(set.entries.map((e) => e.fullUrl));
    const json = JSON.stringify(set.entries.map((e) => e.resource));
    for (const match of json.matchAll(/"(urn:uuid:[^"]+)"/g)) expect(urls.has(match[1])).toBe(true);
  });
});

describe("Modena cases 1 and 2", () => {
  test("case 1: the Condition carries both lesion sites; gaps become coded proposals", () => {
    const set = compose(modena1(), context("modena-1"), { includeCondition: true });
    const [condition] = byType<Condition>(set, "Condition");
    expect(condition.bodySite?.map((b) => b.text)).toEqual(["left shoulder/elbow", "right hip/pelvis"]);
    const ct = entry(set, "request:G-CT");
    expect(ct.description).toBe("Proposed procedure (draft) [G-CT]: CT of the left shoulder/elbow");
    expect((ct.resource as ServiceRequest).bodySite).toEqual([{ text: "left shoulder/elbow" }]);
    expect(set.entries.map((e) => e.resourceType)).toEqual([
      "Condition",
      "DetectedIssue",
      "DetectedIssue",
      "ServiceRequest",
      "ServiceRequest",
      "ServiceRequest",
      "ServiceRequest",
      "DocumentReference",
      "Provenance",
    ]);
  });

  test("case 2: no Condition is offered (already coded), even when asked for", () => {
    const set = compose(modena2(), context("modena-2"), { includeCondition: true });
    expect(set.conditionOffer).toEqual({ available: false, reason: "Tumoral calcinosis is already on the record as a condition." });
    expect(byType(set, "Condition")).toHaveLength(0);
    expect(byType<ServiceRequest>(set, "ServiceRequest").map((r) => r.code?.coding?.[0].code)).toEqual([
      "17861-6",
      "2777-1",
      "2731-8",
      "62292-8",
      "2160-0",
      "77477000",
    ]);
  });

  test("a red flag becomes a high-severity DetectedIssue with its evidence", () => {
    const set = compose(withSpinalRedFlag(), context("modena-2"), { includeCondition: false });
    const flag = entry(set, "issue:RF-SPINE").resource as DetectedIssue;
    expect(flag.severity).toBe("high");
    expect(flag.evidence?.[0].detail?.map((d) => d.reference)).toEqual([
      "Condition/modena-2-cond-radiculopathy",
      "DiagnosticReport/modena-2-dr-ct-spine-review",
    ]);
  });
});

describe("launch context", () => {
  test("no user and no encounter: no author, no encounter, Provenance names the app only", () => {
    const set = compose(modena3(), context("modena-3", { fhirUser: null, encounterId: null }), { includeCondition: true });
    const [doc] = byType<DocumentReference>(set, "DocumentReference");
    expect(doc.author).toBeUndefined();
    expect(doc.context).toBeUndefined();
    expect(byType<Condition>(set, "Condition")[0].encounter).toBeUndefined();
    expect(byType<Provenance>(set, "Provenance")[0].agent.map((a) => a.who.reference)).toEqual(["#app"]);
    for (const e of set.entries) expect(r4Issues(e.resource)).toEqual([]);
  });

  test("an absolute fhirUser URL becomes a relative reference", () => {
    const set = compose(modena3(), context("modena-3", { fhirUser: "https://ehr.example/fhir/Practitioner/abc" }), {
      includeCondition: false,
    });
    expect(byType<DocumentReference>(set, "DocumentReference")[0].author).toEqual([{ reference: "Practitioner/abc" }]);
  });

  test("an assessment of another patient is never composed", () => {
    expect(() => compose(modena3(), context("modena-1"), { includeCondition: false })).toThrow(/another patient/);
  });

  test("not applicable: only the note (and its Provenance), no diagnosis offered", () => {
    const a = {
      ...modena3(),
      status: "not-applicable" as const,
      findings: [],
      secondaryCauses: [],
      workupGaps: [],
      lesions: [],
      growth: [],
    };
    const set = compose(a, context("modena-3"), { includeCondition: true });
    expect(set.entries.map((e) => e.resourceType)).toEqual(["DocumentReference", "Provenance"]);
    expect(set.conditionOffer.available).toBe(false);
  });
});

describe("options used by the plan and the executor", () => {
  test("omitted entries disappear and references to them are re-pointed or dropped", () => {
    const set = compose(
      modena3(),
      context("modena-3"),
      { includeCondition: true },
      { omit: ["condition", entry(compose(modena3(), context("modena-3"), { includeCondition: true }), "issue:PC-SIZE").key] },
    );
    expect(set.entries.some((e) => e.key === "condition" || e.key.startsWith("issue:PC-SIZE"))).toBe(false);
    for (const r of byType<ServiceRequest>(set, "ServiceRequest")) {
      expect(r.reasonReference).toBeUndefined();
      expect(r.reasonCode?.[0].text).toMatch(/^\[G-/);
    }
    const [prov] = byType<Provenance>(set, "Provenance");
    expect(prov.target).toHaveLength(set.entries.length - 1);
  });

  test("resolve() replaces urn:uuid links by server ids", () => {
    const set = compose(
      modena3(),
      context("modena-3"),
      { includeCondition: true },
      {
        resolve: (key) => (key === "condition" ? "Condition/42" : null),
      },
    );
    for (const r of byType<ServiceRequest>(set, "ServiceRequest")) expect(r.reasonReference).toEqual([{ reference: "Condition/42" }]);
    expect(byType<Provenance>(set, "Provenance")[0].target).toEqual([{ reference: "Condition/42" }]);
  });
});

describe("the validator used above", () => {
  test("rejects what a broken composition would produce", () => {
    const set = compose(modena3(), context("modena-3"), { includeCondition: false });
    const request = structuredClone(set.entries.find((e) => e.resourceType === "ServiceRequest")!.resource) as unknown as Record<
      string,
      unknown
    >;
    delete request.intent;
    expect(r4Issues(request).join()).toMatch(/intent/);
    const doc = structuredClone(set.entries.find((e) => e.resourceType === "DocumentReference")!.resource) as unknown as Record<
      string,
      unknown
    >;
    doc.docStatus = "draft-ish";
    expect(r4Issues(doc)).toEqual(['DocumentReference.docStatus: "draft-ish" is not in http://hl7.org/fhir/ValueSet/composition-status']);
    const issue = structuredClone(set.entries.find((e) => e.resourceType === "DetectedIssue")!.resource) as unknown as Record<
      string,
      unknown
    >;
    issue.severity = "severe";
    expect(r4Issues(issue).join()).toMatch(/DetectedIssue.severity/);
    expect(r4Issues({ ...doc, docStatus: "preliminary", content: [] }).length).toBeGreaterThan(0);
  });
});

describe("duplicates in the engine output", () => {
  test("the same rule on the same evidence is one resource (one identifier), with both texts", () => {
    const a = modena3();
    a.findings.push({ ...a.findings[0], text: "Second wording of the same finding." });
    a.workupGaps.push({ ...a.workupGaps[0] });
    const set = compose(a, context("modena-3"), { includeCondition: false });
    const values = set.entries.map((e) => e.identifier.value);
    expect(new Set(values).size).toBe(values.length);
    expect(set.entries.filter((e) => e.key.startsWith("issue:PC-SIZE"))).toHaveLength(1);
    expect((entry(set, "issue:PC-SIZE").resource as DetectedIssue).detail).toContain("Also: Second wording of the same finding.");
    expect(set.entries.filter((e) => e.key.startsWith("request:G-RENAL"))).toHaveLength(1);
  });
});

describe("per lesion (items that name their lesion, ruleset 1.1.0)", () => {
  function twoLesionsOneReport() {
    const a = modena1();
    a.lesions = a.lesions.map((l) => ({ ...l, id: `${l.siteGroup}|${l.laterality}` }));
    a.lesions[0].siteLabel = "left shoulder";
    // One report describes both lesions: same rule, same evidence, two lesions.
    a.findings = [
      {
        ruleId: "PC-SIZE",
        text: "Calcified mass, 12 cm.",
        evidence: ["DiagnosticReport/modena-1-dr-mr-shoulder"],
        lesionId: "shoulder-elbow|left",
      },
      {
        ruleId: "PC-SIZE",
        text: "Calcified mass at the hip.",
        evidence: ["DiagnosticReport/modena-1-dr-mr-shoulder"],
        lesionId: "hip-pelvis|right",
      },
    ];
    return a;
  }

  test("one DetectedIssue per lesion, each naming its lesion, with distinct stable identifiers", () => {
    const set = compose(twoLesionsOneReport(), context("modena-1"), { includeCondition: false });
    const issues = set.entries.filter((e) => e.resourceType === "DetectedIssue");
    expect(issues.map((e) => e.description)).toEqual([
      "Finding [PC-SIZE] (left shoulder): Calcified mass, 12 cm.",
      "Finding [PC-SIZE] (right hip/pelvis): Calcified mass at the hip.",
    ]);
    expect(new Set(issues.map((e) => e.identifier.value)).size).toBe(2);
    expect((issues[0].resource as DetectedIssue).detail).toContain("Lesion: left shoulder, 12 cm on 2026-10-13 (MR).");
    expect((issues[1].resource as DetectedIssue).detail).toContain("Lesion: right hip/pelvis, size not recorded on 2026-09-22 (DX).");
    const again = compose(twoLesionsOneReport(), context("modena-1", { now: "2030-01-01T00:00:00Z" }), { includeCondition: false });
    expect(again.entries.map((e) => e.identifier.value)).toEqual(set.entries.map((e) => e.identifier.value));
    // The Condition's body sites use the engine's site label.
    const withCondition = compose(twoLesionsOneReport(), context("modena-1"), { includeCondition: true });
    expect((entry(withCondition, "condition").resource as Condition).bodySite?.map((b) => b.text)).toEqual([
      "left shoulder",
      "right hip/pelvis",
    ]);
  });

  test("without lesion ids the same rule on the same evidence stays one resource", () => {
    const a = twoLesionsOneReport();
    for (const f of a.findings) delete f.lesionId;
    const set = compose(a, context("modena-1"), { includeCondition: false });
    expect(set.entries.filter((e) => e.resourceType === "DetectedIssue")).toHaveLength(1);
  });
});
