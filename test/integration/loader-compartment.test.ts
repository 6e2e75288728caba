import { describe, expect, it } from "vitest";
import { fhirJson, operationOutcome } from "./helpers/fhir-client";
import {
  BASE,
  PATIENT,
  resetEhr,
  CALCIUM,
  patient,
  observation,
  condition,
  record,
  load,
  ids,
  progressOf,
  calciumKey,
  useFakeEhr,
  type Res,
} from "./helpers/fake-ehr";

useFakeEhr();

describe("the loader keeps only the launch patient's resources", () => {
  it("drops and reports another patient's resources, and skips OperationOutcome and _include entries", async () => {
    resetEhr(record({ calcium: 2 }), {
      rewrite: (bundle, { type }) => {
        if (type === "Observation" && bundle.entry.some((e) => (e.resource as Res).id === "ca-0")) {
          bundle.entry.push({ resource: observation("other-ca", CALCIUM, 1, "p2"), search: { mode: "match" } });
          bundle.entry.push({ resource: operationOutcome("informational", "some results hidden"), search: { mode: "outcome" } });
          bundle.entry.push({ resource: patient("p1"), search: { mode: "include" } });
        }
        if (type === "Condition") {
          bundle.entry.push({ resource: { resourceType: "Condition", id: "no-subject", code: { text: "x" } }, search: { mode: "match" } });
          bundle.entry.push({ resource: condition("abs-ref", "p2"), search: { mode: "match" } });
          (bundle.entry.at(-1)!.resource as Res).subject = { reference: `${BASE}/Patient/p2` };
          bundle.entry.push({ resource: { ...condition("abs-own"), subject: { reference: `${BASE}/Patient/${PATIENT}/_history/3` } } });
        }
        return bundle;
      },
    });
    const { result } = await load();

    expect(result.strays.sort()).toEqual(["Condition/abs-ref", "Condition/no-subject", "Observation/other-ca"]);
    expect(ids(result)).not.toContain("Observation/other-ca");
    expect(ids(result)).not.toContain("Condition/no-subject");
    expect(ids(result)).toContain("Condition/abs-own");
    expect(ids(result, "OperationOutcome")).toEqual([]);
    expect(ids(result, "Patient")).toEqual(["Patient/p1"]);
    expect(progressOf(result, calciumKey())).toMatchObject({ state: "done", resources: 2, strays: 1 });
    expect(progressOf(result, "Condition")).toMatchObject({ state: "done", resources: 3, strays: 2 });
  });

  it("refuses a Patient read that returns another patient", async () => {
    resetEhr([...record().filter((r) => r.resourceType !== "Patient"), { ...patient("p2"), id: "p2" }], {
      fault: ({ type }) => (type === "Patient" ? fhirJson(patient("p2")) : undefined),
    });
    const { result } = await load();
    expect(ids(result, "Patient")).toEqual([]);
    expect(result.strays).toEqual(["Patient/p2"]);
    expect(progressOf(result, "Patient")).toMatchObject({ state: "failed", failure: { kind: "malformed" } });
    expect(result.unavailable).toContainEqual(expect.objectContaining({ resourceType: "Patient", reason: "failed" }));
  });

  it("drops a resource whose subject is the same patient id on another server, or another tenant of this host", async () => {
    resetEhr(record(), {
      rewrite: (bundle, { type }) => {
        if (type === "Condition") {
          bundle.entry.push({
            resource: { ...condition("foreign"), subject: { reference: `https://other.example/fhir/Patient/${PATIENT}` } },
          });
          bundle.entry.push({
            resource: { ...condition("tenant"), subject: { reference: `https://ehr.test/other/fhir/Patient/${PATIENT}` } },
          });
        }
        return bundle;
      },
    });
    const { result } = await load();
    expect(result.strays.sort()).toEqual(["Condition/foreign", "Condition/tenant"]);
    expect(ids(result, "Condition")).not.toContain("Condition/foreign");
  });
});
