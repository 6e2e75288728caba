import { describe, expect, test } from "vitest";
import { canCreate, canRead, canSearch, parseScopes, scopeAllows } from "../../../src/writeback/scopes";

describe("granted scopes", () => {
  test("SMART v2: .c, .rs, .cruds and wildcards", () => {
    const s = parseScopes("launch openid fhirUser patient/DocumentReference.c patient/Observation.rs user/Condition.cruds");
    expect(canCreate(s, "DocumentReference")).toBe(true);
    expect(canSearch(s, "DocumentReference")).toBe(false);
    expect(canCreate(s, "Observation")).toBe(false);
    expect(canSearch(s, "Observation")).toBe(true);
    expect(canRead(s, "Observation")).toBe(true);
    expect(canCreate(s, "Condition") && canSearch(s, "Condition")).toBe(true);
    expect(canCreate(s, "ServiceRequest")).toBe(false);
    expect(s.other).toEqual(["launch", "openid", "fhirUser"]);

    const all = parseScopes("patient/*.c");
    expect(["DocumentReference", "Provenance", "DetectedIssue"].every((t) => canCreate(all, t))).toBe(true);
    expect(canSearch(all, "DocumentReference")).toBe(false);
  });

  test("SMART v1: .write, .read, *.* and the bare *.*", () => {
    const v1 = parseScopes(["patient/DocumentReference.write", "patient/Observation.read"]);
    expect(canCreate(v1, "DocumentReference")).toBe(true);
    expect(canSearch(v1, "DocumentReference")).toBe(false);
    expect(canSearch(v1, "Observation")).toBe(true);
    expect(canCreate(v1, "Observation")).toBe(false);

    expect(canCreate(parseScopes("patient/*.write"), "Provenance")).toBe(true);
    expect(canSearch(parseScopes("patient/*.write"), "Provenance")).toBe(false);
    const star = parseScopes("user/*.*");
    expect(canCreate(star, "Condition") && canSearch(star, "Condition")).toBe(true);
    const bare = parseScopes("*.*");
    expect(canCreate(bare, "DetectedIssue") && canSearch(bare, "DetectedIssue")).toBe(true);
  });

  test("read-only scopes allow no write (copy-only)", () => {
    const s = parseScopes("launch openid fhirUser patient/*.rs patient/Patient.read");
    for (const type of ["DocumentReference", "Condition", "DetectedIssue", "ServiceRequest", "Provenance"]) {
      expect(canCreate(s, type)).toBe(false);
    }
  });

  test("v2 permissions out of order are invalid and grant nothing", () => {
    const s = parseScopes("patient/DocumentReference.sc patient/Condition.cc");
    expect(s.invalid).toEqual(["patient/DocumentReference.sc", "patient/Condition.cc"]);
    expect(canCreate(s, "DocumentReference")).toBe(false);
  });

  test("a query-restricted v2 scope grants, with its restriction reported", () => {
    const s = parseScopes("patient/DocumentReference.c?category=clinical-note");
    expect(scopeAllows(s, "DocumentReference", "c")).toEqual({
      allowed: true,
      via: "patient/DocumentReference.c?category=clinical-note",
      restriction: "category=clinical-note",
    });
    const both = parseScopes("patient/DocumentReference.c?category=clinical-note patient/DocumentReference.cs");
    expect(scopeAllows(both, "DocumentReference", "c").restriction).toBeUndefined();
  });

  test("no scopes at all: nothing allowed", () => {
    expect(canCreate(parseScopes(undefined), "DocumentReference")).toBe(false);
    expect(canCreate(parseScopes(""), "DocumentReference")).toBe(false);
  });
});
