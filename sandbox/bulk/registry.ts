/**
 * The "SSc registry" Group of the sandbox: the demo patients with systemic sclerosis (every demo
 * patient whose expected status is not "not-applicable"), as a hospital's SSc registry or
 * cohort list would hold them. Bulk export on Group/ssc-registry screens exactly that cohort.
 */
import type { Group } from "fhir/r4";
import type { PatientSummary } from "../pages";

export const SSC_REGISTRY_ID = "ssc-registry";

export function sscRegistryGroup(patients: readonly PatientSummary[]): Group {
  const members = patients.filter((p) => p.expectedStatus !== undefined && p.expectedStatus !== "not-applicable");
  return {
    resourceType: "Group",
    id: SSC_REGISTRY_ID,
    identifier: [{ system: "urn:calcinosis-sandbox:registries", value: SSC_REGISTRY_ID }],
    active: true,
    type: "person",
    actual: true,
    name: "SSc registry",
    code: { coding: [{ system: "http://snomed.info/sct", code: "89155008", display: "Systemic sclerosis" }], text: "Systemic sclerosis" },
    quantity: members.length,
    member: members.map((p) => ({ entity: { reference: `Patient/${p.id}` } })),
  };
}
