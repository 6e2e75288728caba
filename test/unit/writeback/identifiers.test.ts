import { describe, expect, test } from "vitest";
import { createHash } from "node:crypto";
import {
  base64Utf8,
  canonicalEvidence,
  decodeBase64Utf8,
  findingKey,
  identifierSystem,
  sha256Hex,
  uuidFromHash,
} from "../../../src/writeback/identifiers";
import { compose } from "../../../src/writeback/compose";
import { findingIdOf } from "../../../src/writeback/finding";
import { context, modena1, modena3 } from "./fixtures";

describe("sha256 (pure implementation)", () => {
  test("matches the FIPS 180-4 test vectors", () => {
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
  });

  test("matches Node's crypto on UTF-8 and block-boundary lengths", () => {
    for (const text of ["µg/L ≥ 2 cm", "x".repeat(55), "x".repeat(56), "x".repeat(64), "é".repeat(1000)]) {
      expect(sha256Hex(text)).toBe(createHash("sha256").update(text, "utf8").digest("hex"));
    }
  });
});

describe("finding identifiers", () => {
  const base = { kind: "DetectedIssue", patientId: "modena-3", rule: "PC-SIZE", rulesetId: "pc-ssc", rulesetVersion: "1.0.0" };

  test("the same finding always gets the same identifier, whatever the evidence order", () => {
    const a = findingKey({ ...base, evidence: ["DiagnosticReport/b", "DiagnosticReport/a", "DiagnosticReport/a"] });
    const b = findingKey({ ...base, evidence: ["DiagnosticReport/a", " DiagnosticReport/b "] });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  test("patient, rule, ruleset version, evidence and kind each change it", () => {
    const ref = findingKey({ ...base, evidence: ["DiagnosticReport/a"] });
    const variants = [
      findingKey({ ...base, patientId: "modena-1", evidence: ["DiagnosticReport/a"] }),
      findingKey({ ...base, rule: "PC-DOC", evidence: ["DiagnosticReport/a"] }),
      findingKey({ ...base, rulesetVersion: "1.0.1", evidence: ["DiagnosticReport/a"] }),
      findingKey({ ...base, evidence: ["DiagnosticReport/a", "Observation/x"] }),
      findingKey({ ...base, kind: "ServiceRequest", evidence: ["DiagnosticReport/a"] }),
    ];
    expect(new Set([ref, ...variants]).size).toBe(variants.length + 1);
  });

  test("field boundaries cannot be forged by content", () => {
    expect(findingKey({ ...base, patientId: "a|b", rule: "c", evidence: [] })).not.toBe(
      findingKey({ ...base, patientId: "a", rule: "b|c", evidence: [] }),
    );
  });

  test("canonical evidence is sorted and de-duplicated", () => {
    expect(canonicalEvidence(["b", "a", "b", " ", ""])).toEqual(["a", "b"]);
  });

  test("the system lives under the app's own URL", () => {
    expect(identifierSystem("https://app.example.org/")).toBe("https://app.example.org/fhir/finding");
    expect(identifierSystem("https://h.example/apps/calc")).toBe("https://h.example/apps/calc/fhir/finding");
  });

  test("composed identifiers do not depend on the time, the user, the encounter or the app version", () => {
    const one = compose(modena3(), context("modena-3"), { includeCondition: true });
    const two = compose(
      modena3(),
      context("modena-3", { now: "2027-02-01T00:00:00Z", fhirUser: "Practitioner/other", encounterId: null, appVersion: "9.9.9" }),
      { includeCondition: true },
    );
    expect(two.entries.map((e) => e.identifier)).toEqual(one.entries.map((e) => e.identifier));
    expect(two.entries.map((e) => e.fullUrl)).toEqual(one.entries.map((e) => e.fullUrl));
  });

  test("identifiers do not depend on the order the engine listed evidence in", () => {
    const shuffled = modena3();
    shuffled.findings[0].evidence.reverse();
    const a = compose(modena3(), context("modena-3"), { includeCondition: true });
    const b = compose(shuffled, context("modena-3"), { includeCondition: true });
    expect(b.entries.map((e) => e.identifier.value)).toEqual(a.entries.map((e) => e.identifier.value));
  });

  test("new evidence gives a new finding id and new identifiers for what rests on it", () => {
    const changed = modena3();
    changed.findings[0].evidence.push("DiagnosticReport/new-mri");
    expect(findingIdOf(changed)).not.toBe(findingIdOf(modena3()));
    const a = compose(modena3(), context("modena-3"), { includeCondition: false });
    const b = compose(changed, context("modena-3"), { includeCondition: false });
    const issue = (set: typeof a) => set.entries.find((e) => e.key.startsWith("issue:PC-SIZE"))!.identifier.value;
    expect(issue(b)).not.toBe(issue(a));
    // The PTH flag rests on unchanged evidence: same identifier.
    const pth = (set: typeof a) => set.entries.find((e) => e.key.startsWith("issue:S-PTH"))!.identifier.value;
    expect(pth(b)).toBe(pth(a));
  });

  test("every identifier in a set is distinct, and differs between patients", () => {
    const one = compose(modena1(), context("modena-1"), { includeCondition: true });
    const values = one.entries.map((e) => e.identifier.value);
    expect(new Set(values).size).toBe(values.length);
    const three = compose(modena3(), context("modena-3"), { includeCondition: true });
    expect(three.entries.some((e) => values.includes(e.identifier.value))).toBe(false);
  });
});

describe("helpers", () => {
  test("uuidFromHash gives an RFC 9562 version-8 UUID", () => {
    const uuid = uuidFromHash(sha256Hex("x"));
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidFromHash(sha256Hex("x"))).toBe(uuid);
  });

  test("base64 of UTF-8 round-trips and matches Node", () => {
    for (const text of ["", "a", "ab", "abc", "Bone ALP 7.3 µg/L; lesion ≥ 2 cm — right", "x".repeat(1001)]) {
      expect(base64Utf8(text)).toBe(Buffer.from(text, "utf8").toString("base64"));
      expect(decodeBase64Utf8(base64Utf8(text))).toBe(text);
    }
  });
});
