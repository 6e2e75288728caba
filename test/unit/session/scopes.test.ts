import { describe, expect, it } from "vitest";
import { buildScope, scopeVersionFromSmartConfiguration } from "../../../src/session/scopes";

describe("scopes", () => {
  it("asks, in SMART v2, for read on the Patient, search+read on what it searches and create on what it writes", () => {
    expect(buildScope("ehr", "v2").split(" ")).toEqual([
      "launch",
      "openid",
      "fhirUser",
      "online_access",
      "patient/Patient.r",
      "patient/Observation.rs",
      "patient/Condition.rs",
      "patient/ImagingStudy.rs",
      "patient/DiagnosticReport.rs",
      "patient/DocumentReference.rs",
      "patient/Binary.r",
      "patient/Procedure.rs",
      "patient/MedicationRequest.rs",
      "patient/DocumentReference.c",
      "patient/Condition.c",
      "patient/DetectedIssue.c",
      "patient/ServiceRequest.c",
      "patient/Provenance.c",
    ]);
  });

  it("never asks for wildcards, update, delete, user or system scopes", () => {
    const allowed = /^(launch|launch\/patient|openid|fhirUser|online_access|patient\/[A-Za-z]+\.(r|rs|c|read|write))$/;
    for (const scope of [buildScope("ehr", "v2"), buildScope("standalone", "v1")]) {
      for (const token of scope.split(" ")) expect(token).toMatch(allowed);
    }
  });

  it("uses v1 spelling when asked", () => {
    const scope = buildScope("standalone", "v1");
    expect(scope).toContain("launch/patient");
    expect(scope).not.toMatch(/(^| )launch( |$)/);
    expect(scope).toContain("patient/Observation.read");
    expect(scope).toContain("patient/DocumentReference.write");
  });

  it("can leave out write scopes for a read-only deployment", () => {
    expect(buildScope("ehr", "v2", { write: false })).not.toMatch(/\.c\b/);
  });

  it("chooses v2 only when the server announces permission-v2", () => {
    expect(scopeVersionFromSmartConfiguration({ capabilities: ["launch-ehr", "permission-v2"] })).toBe("v2");
    expect(scopeVersionFromSmartConfiguration({ capabilities: ["launch-ehr", "permission-v1"] })).toBe("v1");
    expect(scopeVersionFromSmartConfiguration(null)).toBe("v1");
  });
});
