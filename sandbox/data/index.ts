import type { Resource } from "fhir/r4";

/**
 * The demo patients of the local sandbox (design.md, "The local sandbox"). Each is a set of FHIR R4
 * resources with fixed ids; the sandbox loads them at start, tests read them as fixtures.
 * (Contract only: the data is filled in by the demo-data work.)
 */
export interface DemoPatient {
  /** Fixed Patient.id, e.g. "modena-3". */
  id: string;
  /** One-line description for the sandbox launch page. */
  summary: string;
  /** What the engine is expected to say (documentation for testers; tests assert it). */
  expectedStatus: "not-applicable" | "no-evidence" | "possible" | "probable" | "documented";
  resources: Resource[];
}

export function loadDemoPatients(): DemoPatient[] {
  return [];
}
