/**
 * A fake EHR for the write-back integration tests: msw handlers in front of @medplum/fhir-router's
 * in-memory FHIR server (real search, conditional create and transaction semantics, not a
 * hand-written matcher), with switches for what the tests need:
 * - capabilities: transaction on/off, conditional create on/off (off = the server IGNORES
 *   If-None-Exist, as a server without the feature would, so a careless client duplicates),
 *   search on/off;
 * - scope enforcement from the granted scopes (403 OperationOutcome);
 * - refusals per type (e.g. 422 with an OperationOutcome);
 * - faults: hang after committing (the response never arrives), hang without committing, drop the
 *   connection after committing, a 500 after committing or without committing, 401 (session expired);
 * - every incoming resource validated as FHIR R4 (422 when invalid);
 * - a request log, and the number of requests in flight at once (to prove writes are sequential).
 */
import { http, HttpResponse, type HttpHandler } from "msw";
import { FhirRouter, MemoryRepository, makeSimpleRequest } from "@medplum/fhir-router";
import { getStatus } from "@medplum/core";
import type { Bundle, OperationOutcome, Resource } from "fhir/r4";
import { canCreate, canRead, canSearch, parseScopes } from "../../src/writeback/scopes";
import { indexR4, r4Issues } from "../unit/writeback/validate";

export const WRITE_TYPES = ["DocumentReference", "Condition", "DetectedIssue", "ServiceRequest", "Provenance"] as const;

export interface FakeEhrOptions {
  base: string;
  transaction?: boolean;
  conditionalCreate?: boolean;
  search?: boolean;
  /** Granted scopes the server enforces; unrestricted when omitted. */
  scopes?: string;
  /** Types listed in the CapabilityStatement (with create); all write types by default. */
  types?: string[];
}

export type Fault =
  | { kind: "refuse"; type: string; status: number; outcome?: OperationOutcome; text?: string }
  | { kind: "hang-after-commit"; type: string | "transaction"; times?: number }
  | { kind: "hang-before-commit"; type: string | "transaction"; times?: number }
  | { kind: "drop-after-commit"; type: string | "transaction"; times?: number }
  /** Saves it, then answers 500 (an error after the commit, e.g. in a post-commit hook). */
  | { kind: "error-after-commit"; type: string | "transaction"; times?: number }
  /** Answers 500 without saving anything. */
  | { kind: "error-before-commit"; type: string | "transaction"; times?: number }
  | { kind: "session-expired"; type: string | "transaction" };

export interface LoggedRequest {
  method: string;
  path: string;
  search: string;
  ifNoneExist: string | null;
  /** For transactions: the entry types. */
  entries?: string[];
}

const FHIR_JSON = { "content-type": "application/fhir+json; charset=utf-8" };

function outcome(code: string, text: string): OperationOutcome {
  return { resourceType: "OperationOutcome", issue: [{ severity: "error", code, details: { text } }] };
}

export function createFakeEhr(options: FakeEhrOptions) {
  indexR4();
  const router = new FhirRouter();
  const repo = new MemoryRepository();
  const base = options.base.replace(/\/+$/, "");
  const scopes = options.scopes !== undefined ? parseScopes(options.scopes) : null;
  const types = options.types ?? [...WRITE_TYPES];
  const log: LoggedRequest[] = [];
  const faults: Fault[] = [];
  const hanging = new Set<() => void>();
  let inFlight = 0;
  let maxInFlight = 0;

  const capabilityStatement = () => ({
    resourceType: "CapabilityStatement",
    status: "active",
    date: "2026-11-21",
    kind: "instance",
    fhirVersion: "4.0.1",
    format: ["json"],
    rest: [
      {
        mode: "server",
        interaction: options.transaction ? [{ code: "transaction" }, { code: "batch" }] : [],
        resource: [...new Set([...types, "Patient", "Observation"])].map((type) => ({
          type,
          interaction: [
            { code: "read" },
            ...(types.includes(type) ? [{ code: "create" }] : []),
            ...(options.search === false ? [] : [{ code: "search-type" }]),
          ],
          conditionalCreate: options.conditionalCreate !== false && types.includes(type),
          searchParam: [
            { name: "identifier", type: "token" },
            { name: "_tag", type: "token" },
          ],
        })),
      },
    ],
  });

  const takeFault = (kind: Fault["kind"], type: string): Fault | undefined => {
    const index = faults.findIndex((f) => f.kind === kind && f.type === type);
    if (index < 0) return undefined;
    const fault = faults[index];
    if ("times" in fault && fault.times !== undefined && fault.times > 1) fault.times -= 1;
    else if (fault.kind !== "refuse") faults.splice(index, 1);
    return fault;
  };

  /** Resolves when the client gives up (abort) or the test releases it. */
  const hang = (signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      const done = () => {
        hanging.delete(done);
        resolve();
      };
      hanging.add(done);
      signal.addEventListener("abort", done);
    });

  const respond = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new HttpResponse(body === undefined ? null : JSON.stringify(body), { status, headers: { ...FHIR_JSON, ...headers } });

  const refusal = (type: string) => {
    const fault = faults.find((f) => f.kind === "refuse" && f.type === type) as Extract<Fault, { kind: "refuse" }> | undefined;
    if (!fault) return null;
    if (fault.text !== undefined) return new HttpResponse(fault.text, { status: fault.status, headers: { "content-type": "text/plain" } });
    return respond(fault.status, fault.outcome ?? outcome("processing", `${type} refused`));
  };

  const track = async (fn: () => Promise<Response>): Promise<Response> => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      return await fn();
    } finally {
      inFlight -= 1;
    }
  };

  /** Commit-then-hang / drop faults around a commit. */
  const withFaults = async (key: string, signal: AbortSignal, commit: () => Promise<Response>): Promise<Response> => {
    if (takeFault("session-expired", key)) return respond(401, outcome("login", "Access token expired"));
    if (takeFault("hang-before-commit", key)) {
      await hang(signal);
      return HttpResponse.error();
    }
    if (takeFault("error-before-commit", key)) return respond(500, outcome("exception", "Internal error (nothing saved)"));
    const response = await commit();
    if (takeFault("error-after-commit", key)) return respond(500, outcome("exception", "Internal error after saving"));
    if (takeFault("hang-after-commit", key)) {
      await hang(signal);
      return HttpResponse.error();
    }
    if (takeFault("drop-after-commit", key)) return HttpResponse.error();
    return response;
  };

  const denied = (type: string, permission: "c" | "s" | "r") => {
    if (!scopes) return null;
    const ok = permission === "c" ? canCreate(scopes, type) : permission === "s" ? canSearch(scopes, type) : canRead(scopes, type);
    return ok ? null : respond(403, outcome("forbidden", `Insufficient scope: ${type} (${permission})`));
  };

  const location = (resource: Resource) => `${base}/${resource.resourceType}/${resource.id}/_history/${resource.meta?.versionId ?? "1"}`;

  const handlers: HttpHandler[] = [
    http.get(`${base}/metadata`, () => respond(200, capabilityStatement())),

    // Transaction (POST to the base).
    ...[base, `${base}/`].map((url) =>
      http.post(url, ({ request }) =>
        track(async () => {
          const bundle = (await request.json()) as Bundle;
          log.push({
            method: "POST",
            path: "/",
            search: "",
            ifNoneExist: null,
            entries: (bundle.entry ?? []).map((e) => e.resource?.resourceType ?? "?"),
          });
          if (!options.transaction) return respond(405, outcome("not-supported", "Transactions are not supported"));
          for (const entry of bundle.entry ?? []) {
            const type = entry.resource?.resourceType ?? "";
            const forbidden = denied(type, "c");
            if (forbidden) return forbidden;
            const refused = refusal(type);
            if (refused) return refused; // atomic: nothing is committed
            const issues = r4Issues(entry.resource);
            if (issues.length) return respond(422, outcome("invalid", issues.join("; ")));
          }
          if (options.conditionalCreate === false) for (const entry of bundle.entry ?? []) delete entry.request?.ifNoneExist;
          return withFaults("transaction", request.signal, async () => {
            const [result, body] = await router.handleRequest(
              { ...makeSimpleRequest("POST", "/", bundle), config: { transactions: true } },
              repo,
            );
            return respond(getStatus(result), body ?? result);
          });
        }),
      ),
    ),

    // Create (with or without If-None-Exist).
    http.post(`${base}/:type`, ({ request, params }) =>
      track(async () => {
        const type = String(params.type);
        const ifNoneExist = request.headers.get("if-none-exist");
        log.push({ method: "POST", path: `/${type}`, search: "", ifNoneExist });
        const forbidden = denied(type, "c");
        if (forbidden) return forbidden;
        if (!types.includes(type)) return respond(405, outcome("not-supported", `Create is not supported for ${type}`));
        const refused = refusal(type);
        if (refused) return refused;
        const resource = (await request.json()) as Resource;
        const issues = r4Issues(resource);
        if (issues.length) return respond(422, outcome("invalid", issues.join("; ")));
        if (JSON.stringify(resource).includes("urn:uuid:"))
          return respond(422, outcome("invalid", "Unresolved urn:uuid reference in a single create"));
        return withFaults(type, request.signal, async () => {
          const headers = ifNoneExist && options.conditionalCreate !== false ? { "if-none-exist": ifNoneExist } : undefined;
          const [result, body] = await router.handleRequest(
            { ...makeSimpleRequest("POST", `/${type}`, resource), ...(headers ? { headers } : {}) },
            repo,
          );
          const status = getStatus(result);
          return respond(status, body ?? result, body ? { location: location(body) } : {});
        });
      }),
    ),

    // Search.
    http.get(`${base}/:type`, ({ request, params }) =>
      track(async () => {
        const type = String(params.type);
        const url = new URL(request.url);
        log.push({ method: "GET", path: `/${type}`, search: url.search, ifNoneExist: null });
        if (options.search === false) return respond(405, outcome("not-supported", "Search is not supported"));
        const forbidden = denied(type, "s");
        if (forbidden) return forbidden;
        const [result, body] = await router.handleRequest(makeSimpleRequest("GET", `/${type}${url.search}`), repo);
        return respond(getStatus(result), body ?? result);
      }),
    ),

    // Read.
    http.get(`${base}/:type/:id`, ({ params }) =>
      track(async () => {
        const type = String(params.type);
        log.push({ method: "GET", path: `/${type}/${params.id}`, search: "", ifNoneExist: null });
        const forbidden = denied(type, "r");
        if (forbidden) return forbidden;
        const [result, body] = await router.handleRequest(makeSimpleRequest("GET", `/${type}/${params.id}`), repo);
        return respond(getStatus(result), body ?? result);
      }),
    ),
  ];

  return {
    handlers,
    repo,
    log,
    /** Writes only (POST). */
    writes: () => log.filter((r) => r.method === "POST"),
    fault(fault: Fault) {
      faults.push(fault);
    },
    clearFaults() {
      faults.length = 0;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    async all<T extends Resource>(type: string): Promise<T[]> {
      const bundle = await repo.search({ resourceType: type as never, count: 1000 });
      return (bundle.entry ?? []).map((e) => e.resource as unknown as T);
    },
    async counts(): Promise<Record<string, number>> {
      const out: Record<string, number> = {};
      for (const type of WRITE_TYPES) out[type] = (await this.all(type)).length;
      return out;
    },
    /** Releases handlers still hanging (test cleanup). */
    release() {
      for (const done of [...hanging]) done();
    },
  };
}

export type FakeEhr = ReturnType<typeof createFakeEhr>;
