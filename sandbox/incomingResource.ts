/** A resource the client sends for create or update, made ready to store. */
import { OperationOutcomeError, badRequest, deepClone, validateResource } from "@medplum/core";
import type { Resource } from "fhir/r4";
import { fail } from "./outcomes";
import type { MedplumResource } from "./store";

/** A copy without the server-assigned version and date (the store sets them). */
export function withoutServerMeta<T>(input: T): Resource {
  const resource = deepClone(input) as unknown as Resource;
  if (resource.meta) {
    delete resource.meta.versionId;
    delete resource.meta.lastUpdated;
  }
  return resource;
}

/**
 * Rewrites references to this server's own absolute URLs as relative ones (as FHIR servers do), so
 * compartment checks and searches see them; returns the Patient ids referenced.
 */
export function relativiseReferences(resource: Resource, fhirBase: string): string[] {
  const patients: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "reference" && typeof value === "string") {
        const relative = value.startsWith(`${fhirBase}/`) ? value.slice(fhirBase.length + 1) : value;
        (node as Record<string, unknown>)[key] = relative;
        const m = /^Patient\/([^/?#]+)$/.exec(relative);
        if (m) patients.push(m[1]);
      } else walk(value);
    }
  };
  walk(resource);
  return patients;
}

export function validate(resource: Resource): void {
  try {
    validateResource(resource as MedplumResource);
  } catch (e) {
    if (e instanceof OperationOutcomeError) throw e;
    throw fail(badRequest(""), `Invalid ${resource.resourceType}: ${(e as Error).message}`);
  }
}
