/**
 * Bulk Data $export jobs on the sandbox (https://hl7.org/fhir/uv/bulkdata/export.html): what a
 * kick-off asks for, checked against the token's system/ scopes, and the NDJSON files it yields.
 * The files are made at kick-off (the sandbox's data is small); the status endpoint still answers
 * "in progress" for the first `pollsBeforeReady` polls, with Retry-After and X-Progress, so that
 * clients exercise the whole protocol.
 */
import { Operator, parseSearchRequest, type SearchRequest } from "@medplum/core";
import type { Group, Resource } from "fhir/r4";
import { patientCompartmentParams } from "../definitions";
import type { SandboxStore } from "../store";
import { randomId } from "../jwt";
import type { SystemGrant } from "./clients";

export class BulkError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = "invalid",
  ) {
    super(message);
  }
}

export interface ExportFile {
  type: string;
  body: string;
  count: number;
}

export interface ExportJob {
  id: string;
  clientId: string;
  request: string;
  transactionTime: string;
  files: ExportFile[];
  /** OperationOutcome NDJSON for types that were asked for but are not exported. */
  errors: ExportFile[];
  pollsLeft: number;
  polls: number;
}

export interface ExportOptions {
  /** In-progress answers before the manifest. Default 2. */
  pollsBeforeReady: number;
  /** Resources per NDJSON file. Default 1000. */
  fileMaxResources: number;
  /** Types the server declines to export (reported in the manifest's error files). */
  refusedTypes: ReadonlySet<string>;
}

const FORMATS = new Set(["application/fhir+ndjson", "application/ndjson", "ndjson"]);
const KNOWN_PARAMS = new Set(["_outputFormat", "_type", "_typeFilter", "_since"]);

function compartmentTypes(served: Iterable<string>): string[] {
  return [...served].filter((t) => t === "Patient" || t === "Binary" || patientCompartmentParams(t).length > 0).sort();
}

const BINARY_URL = /(?:^|\/)Binary\/([^/?#]+)$/;

/** The Binaries of these patients: their securityContext names one, or a report or note of theirs points at it. */
function binariesOf(store: SandboxStore, ids: string[]): Resource[] {
  const wanted = new Set<string>();
  for (const type of ["DiagnosticReport", "DocumentReference"]) {
    for (const r of inCompartment(store, type, ids, [])) {
      const attachments =
        type === "DiagnosticReport"
          ? ((r as { presentedForm?: { url?: string }[] }).presentedForm ?? [])
          : ((r as { content?: { attachment?: { url?: string } }[] }).content ?? []).map((c) => c.attachment ?? {});
      for (const a of attachments) {
        const id = BINARY_URL.exec(a.url ?? "")?.[1];
        if (id) wanted.add(id);
      }
    }
  }
  const patients = new Set(ids.map((id) => `Patient/${id}`));
  return store
    .matchAll({ resourceType: "Binary" })
    .filter((b) => wanted.has(b.id!) || patients.has((b as { securityContext?: { reference?: string } }).securityContext?.reference ?? ""))
    .sort((a, b) => (a.id! < b.id! ? -1 : 1));
}

/** The member Patient ids of a Group, or every Patient for Patient/$export. */
function patientsOf(store: SandboxStore, groupId: string | null): string[] {
  if (groupId === null) return store.matchAll({ resourceType: "Patient" }).map((p) => p.id!);
  const group = store.peek("Group", groupId) as Group | undefined;
  if (!group) throw new BulkError(404, `Group/${groupId} not found`, "not-found");
  return (group.member ?? []).flatMap((m) => /^Patient\/([^/]+)$/.exec(m.entity.reference ?? "")?.[1] ?? []);
}

function inCompartment(store: SandboxStore, type: string, ids: string[], extra: SearchRequest["filters"]): Resource[] {
  if (ids.length === 0) return [];
  const found = new Map<string, Resource>();
  const params = type === "Patient" ? ["_id"] : patientCompartmentParams(type);
  for (const code of params) {
    const value = type === "Patient" ? ids.join(",") : ids.map((id) => `Patient/${id}`).join(",");
    const filters = [{ code, operator: Operator.EQUALS, value }, ...(extra ?? [])];
    for (const r of store.matchAll({ resourceType: type as SearchRequest["resourceType"], filters })) found.set(r.id!, r);
  }
  return [...found.values()].sort((a, b) => (a.id! < b.id! ? -1 : 1));
}

function ndjsonFiles(type: string, resources: Resource[], max: number): ExportFile[] {
  const out: ExportFile[] = [];
  for (let k = 0; k < resources.length; k += max) {
    const part = resources.slice(k, k + max);
    out.push({ type, count: part.length, body: `${part.map((r) => JSON.stringify(r)).join("\n")}\n` });
  }
  return out;
}

function outcomeLine(text: string): string {
  return JSON.stringify({ resourceType: "OperationOutcome", issue: [{ severity: "error", code: "not-supported", diagnostics: text }] });
}

/** Builds a job from a kick-off request. Throws BulkError (400/403/404) for what cannot be exported. */
export function startExport(
  url: URL,
  groupId: string | null,
  grant: SystemGrant,
  deps: { store: SandboxStore; servedTypes: ReadonlySet<string>; options: ExportOptions; lenient: boolean },
): ExportJob {
  const params = url.searchParams;
  for (const name of new Set(params.keys())) {
    if (!KNOWN_PARAMS.has(name) && !deps.lenient)
      throw new BulkError(400, `Parameter ${name} is not supported by this server`, "not-supported");
  }
  const format = params.get("_outputFormat");
  if (format !== null && !FORMATS.has(format))
    throw new BulkError(400, `_outputFormat ${format} is not supported (use application/fhir+ndjson)`);
  const since = params.get("_since");
  if (since !== null && Number.isNaN(Date.parse(since))) throw new BulkError(400, `_since must be an instant, got ${since}`);
  const all = compartmentTypes(deps.servedTypes);
  const asked = params
    .getAll("_type")
    .flatMap((t) => t.split(","))
    .map((t) => t.trim())
    .filter(Boolean);
  const types = asked.length ? [...new Set(asked)] : all;
  const mayRead = (t: string) => grant.readable.has(t) || grant.readable.has("*");
  const forbidden = types.filter((t) => !mayRead(t));
  if (forbidden.length) {
    throw new BulkError(403, `The token does not allow reading ${forbidden.join(", ")} (scope system/<Type>.rs)`, "forbidden");
  }
  const filters = new Map<string, SearchRequest[]>();
  for (const f of params.getAll("_typeFilter")) {
    let search: SearchRequest;
    try {
      search = parseSearchRequest(f);
    } catch {
      throw new BulkError(400, `_typeFilter ${f} is not a search (Type?param=value)`);
    }
    if (!types.includes(search.resourceType)) throw new BulkError(400, `_typeFilter ${f} names a type not in _type`);
    filters.set(search.resourceType, [...(filters.get(search.resourceType) ?? []), search]);
  }
  const ids = patientsOf(deps.store, groupId);
  const files: ExportFile[] = [];
  const errors: string[] = [];
  for (const type of types) {
    if (!all.includes(type) || deps.options.refusedTypes.has(type)) {
      errors.push(outcomeLine(`Resource type ${type} is not exported by this server`));
      continue;
    }
    if (type === "Binary") {
      files.push(...ndjsonFiles(type, binariesOf(deps.store, ids), deps.options.fileMaxResources));
      continue;
    }
    const found = new Map<string, Resource>();
    for (const f of filters.get(type) ?? [{ resourceType: type, filters: [] } as SearchRequest]) {
      for (const r of inCompartment(deps.store, type, ids, f.filters)) found.set(r.id!, r);
    }
    let list = [...found.values()].sort((a, b) => (a.id! < b.id! ? -1 : 1));
    if (since) list = list.filter((r) => (r.meta?.lastUpdated ?? "") >= since);
    files.push(...ndjsonFiles(type, list, deps.options.fileMaxResources));
  }
  return {
    id: randomId(12),
    clientId: grant.clientId,
    request: url.href,
    transactionTime: new Date().toISOString(),
    files,
    errors: errors.length ? [{ type: "OperationOutcome", count: errors.length, body: `${errors.join("\n")}\n` }] : [],
    pollsLeft: deps.options.pollsBeforeReady,
    polls: 0,
  };
}
