/**
 * The FHIR endpoint (/fhir/…): bearer token check, faults, then Medplum's FhirRouter over the
 * token's ScopedRepository; around it, what Medplum leaves to the server: paging links, the
 * CapabilityStatement, headers of a create or update (201 for an update-as-create), all-or-nothing
 * transactions, CORS.
 */
import { created, getStatus, isOk } from "@medplum/core";
import type { FhirRouter } from "@medplum/fhir-router";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Binary, Bundle, OperationOutcome, Resource } from "fhir/r4";
import { ScopedRepository, type Policy } from "./access";
import { sendRawBinary, wantsFhirJson } from "./binary";
import { openidConfiguration, smartConfiguration, type Endpoints } from "./capabilities";
import { appliesTo, rollFailure, sleep, type Faults } from "./faults";
import { launcherProxyRewrite, typeFaultAnswer, typeFaultFor, type TypeFault } from "./typeFaults";
import { FHIR_JSON, HttpError, cors, readBody, send, sendJson } from "./http";
import { numberParam, pageLinks, pageWindow, type PageWindow } from "./paging";
import type { Session, Sessions } from "./sessions";
import type { SandboxStore } from "./store";

export interface FhirDeps {
  endpoints: Endpoints;
  store: SandboxStore;
  sessions: Sessions;
  router: FhirRouter;
  policy: Policy;
  /** Faults for requests without a token (metadata, smart-configuration): latency only. */
  globalFaults: Faults;
  /** SANDBOX_CAPABILITIES=basic: no transactions, If-None-Exist ignored. */
  basic: boolean;
  capabilityStatement(): unknown;
  /** Serialises writes, so conditional creates cannot race and a transaction can be rolled back. */
  writeLock: Mutex;
}

export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

type Outcome = OperationOutcome;
const issue = (code: string, text: string): Outcome => ({
  resourceType: "OperationOutcome",
  issue: [{ severity: "error", code: code as "invalid", details: { text } }],
});

function sendFhir(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(res, status, body === undefined ? "" : JSON.stringify(body), FHIR_JSON, headers);
}

export async function handleFhir(req: IncomingMessage, res: ServerResponse, url: URL, deps: FhirDeps): Promise<void> {
  if (cors(req, res)) return;
  const path = url.pathname.replace(/^\/fhir\/?/, "");
  const method = req.method ?? "GET";

  // Public endpoints: no token needed.
  const publicAnswer =
    method === "GET" &&
    (
      {
        ".well-known/smart-configuration": () => smartConfiguration(deps.endpoints),
        ".well-known/openid-configuration": () => openidConfiguration(deps.endpoints),
        metadata: () => deps.capabilityStatement(),
      } as Record<string, () => unknown>
    )[path];
  if (publicAnswer) {
    await sleep(deps.globalFaults.latencyMs);
    if (path === "metadata") return sendFhir(res, 200, publicAnswer());
    return sendJson(res, 200, publicAnswer());
  }

  const auth = authenticate(req, deps.sessions);
  if ("refusal" in auth) {
    await sleep(deps.globalFaults.latencyMs);
    return sendFhir(res, 401, auth.refusal, { "WWW-Authenticate": auth.challenge });
  }
  const { session } = auth;
  const faults = session.faults;
  await sleep(faults.latencyMs);
  const failure = rollFailure(faults, session.roll);
  if (failure === 429)
    return sendFhir(res, 429, issue("throttled", "Too many requests (simulated): retry after 1 s"), { "Retry-After": "1" });
  if (failure === 500) return sendFhir(res, 500, issue("exception", "Internal server error (simulated)"));

  // The launcher proxy's rewrite, on the raw URL as it arrived (before any decoding).
  const seen = faults.proxyRewrite ? new URL(launcherProxyRewrite(req.url ?? ""), url) : url;
  const seenPath = seen.pathname.replace(/^\/fhir\/?/, "");
  const typeFault = method === "GET" ? typeFaultFor(faults.typeErrors, seenPath.split("/")[0] ?? "", seen.searchParams) : undefined;
  if (typeFault && typeFault.kind !== "truncated" && typeFault.kind !== "malformed") return answerTypeFault(req, res, typeFault);
  try {
    await route(req, res, seen, seenPath, session, deps, typeFault);
  } catch (e) {
    if (e instanceof HttpError) return sendFhir(res, e.status, issue(e.status === 405 ? "not-supported" : "invalid", e.message));
    throw e;
  }
}

type Auth = { session: Session } | { refusal: Outcome; challenge: string };

function authenticate(req: IncomingMessage, sessions: Sessions): Auth {
  const realm = 'Bearer realm="smart-sandbox"';
  const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
  if (!token) return { refusal: issue("login", "An access token is required (Authorization: Bearer …)"), challenge: realm };
  const session = sessions.session(token);
  const invalid = (code: string, text: string) => ({
    refusal: issue(code, text),
    challenge: `${realm}, error="invalid_token", error_description="${text.replace(/"/g, "'")}"`,
  });
  if (!session) return invalid("login", "The access token is not valid");
  if (session.faults.authError === "request_invalid_token")
    return invalid("login", "The access token is not valid (simulated error request_invalid_token)");
  if (session.faults.authError === "request_expired_token")
    return invalid("expired", "The access token has expired (simulated error request_expired_token)");
  if (session.expiresAt <= Date.now()) return invalid("expired", "The access token has expired");
  return { session };
}

/** A type fault that replaces the answer: its error status (typeFaults.ts), or no answer at all. */
function answerTypeFault(req: IncomingMessage, res: ServerResponse, fault: TypeFault): void {
  const answer = typeFaultAnswer(fault);
  // Never answers; the socket goes when the client gives up.
  if (answer === "hang") req.on("close", () => res.destroy());
  else sendFhir(res, answer.status, issue(answer.code, answer.text), answer.headers);
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  path: string,
  session: Session,
  deps: FhirDeps,
  typeFault?: TypeFault,
): Promise<void> {
  const method = req.method ?? "GET";
  const segments = path.split("/").filter(Boolean);
  const [type, second] = segments;
  const access = { patientId: session.patientId, scopes: session.resourceScopes, fhirUser: session.fhirUser };
  const repo = new ScopedRepository(deps.store, access, deps.policy);

  if (segments.length === 0) {
    if (method !== "POST") throw new HttpError(405, "System-level interactions other than transaction/batch are not supported");
    return bundle(req, res, repo, deps);
  }
  if (!/^[A-Z][A-Za-z]+$/.test(type) || !deps.policy.servedTypes.has(type)) {
    return sendFhir(res, 404, issue("not-supported", `Resource type "${type}" is not supported by this server`));
  }
  if (method === "GET" && segments.length === 1) return search(res, url.searchParams, type, repo, session.faults, deps, typeFault);
  if (method === "POST" && second === "_search" && segments.length === 2) {
    return search(res, await formBody(req, url), type, repo, session.faults, deps);
  }
  if (method === "POST" && segments.length === 1) {
    if (!deps.policy.writableTypes.has(type)) throw new HttpError(405, `This server does not accept new ${type} resources`);
    return create(req, res, type, repo, deps);
  }
  if (method === "GET" && segments.length === 2) {
    const [outcome, resource] = await deps.router.handleRequest(fhirRequest("GET", `/${type}/${second}`), repo);
    if (type === "Binary" && isOk(outcome) && resource && !wantsFhirJson(req, url)) {
      return sendRawBinary(res, resource as Binary, versionHeaders(resource as Resource));
    }
    return answer(res, deps, outcome as Outcome, resource as Resource | undefined);
  }
  if (method === "PUT" && segments.length === 2) {
    if (!deps.policy.updatableTypes.has(type)) throw new HttpError(405, `This server does not accept updates of ${type} resources`);
    return update(req, res, type, second, repo, deps);
  }
  if (method === "PUT" && segments.length === 1)
    throw new HttpError(405, "Conditional update is not supported by this server (PUT <type>/<id> is)");
  throw new HttpError(405, `${method} ${path} is not supported by this server (read, search, create, update and transaction are)`);
}

async function search(
  res: ServerResponse,
  query: URLSearchParams,
  type: string,
  repo: ScopedRepository,
  faults: Faults,
  deps: FhirDeps,
  typeFault?: TypeFault,
): Promise<void> {
  let window: PageWindow;
  try {
    window = pageWindow(numberParam(query, "_count"), numberParam(query, "_offset"), deps.policy.paging);
  } catch (e) {
    throw new HttpError(400, (e as Error).message);
  }
  const endless = appliesTo(faults.endlessNext, type);
  const run = async (offset: number) => {
    const q = new URLSearchParams();
    // `subject:Patient=123` (a type modifier) means `subject=Patient/123`; Medplum's parser does not know it.
    for (const [k, v] of query) {
      const m = /^([^:]+):([A-Z][A-Za-z]+)$/.exec(k);
      if (m && !v.includes("/")) q.append(m[1], `${m[2]}/${v}`);
      else if (k !== "_count" && k !== "_offset") q.append(k, v);
    }
    q.set("_count", String(window.count));
    q.set("_offset", String(offset));
    return deps.router.handleRequest(fhirRequest("GET", `/${type}?${q}`), repo);
  };
  const [outcome, result] = await run(window.offset);
  if (!isOk(outcome)) return answer(res, deps, outcome as Outcome);
  let bundle = result as Bundle;
  // Endless next (fault): past the end, pages start again from the beginning, so they are not empty.
  if (endless && !bundle.entry?.length && (bundle.total ?? 0) > 0 && window.count > 0) {
    bundle = (await run(window.offset % bundle.total!))[1] as Bundle;
  }
  bundle.link = pageLinks(`${deps.endpoints.fhirBase}/${type}`, query, window, bundle.total ?? 0, endless);
  if (typeFault?.kind === "truncated") {
    // A next link back to this very page: the client's loop check cuts the search short.
    const self = bundle.link.find((l) => l.relation === "self")?.url ?? `${deps.endpoints.fhirBase}/${type}?${query}`;
    bundle.link = [...bundle.link.filter((l) => l.relation !== "next"), { relation: "next", url: self }];
  }
  const body = JSON.stringify(bundle);
  if (appliesTo(faults.malformed, type) || typeFault?.kind === "malformed") {
    // Malformed JSON (fault): the body is cut off half-way, as by a dropped connection.
    return send(res, 200, body.slice(0, Math.max(1, Math.floor(body.length / 2))), FHIR_JSON);
  }
  send(res, 200, body, FHIR_JSON);
}

async function create(req: IncomingMessage, res: ServerResponse, type: string, repo: ScopedRepository, deps: FhirDeps): Promise<void> {
  const body = await jsonBody(req);
  const headers: Record<string, string> = {};
  const ifNoneExist = req.headers["if-none-exist"];
  // A server without conditional create ignores the header (and creates a duplicate).
  if (typeof ifNoneExist === "string" && !deps.basic) headers["if-none-exist"] = ifNoneExist;
  const [outcome, resource] = await deps.writeLock.run(() =>
    deps.router.handleRequest({ ...fhirRequest("POST", `/${type}`), body, headers }, repo),
  );
  return answer(res, deps, outcome as Outcome, resource as Resource | undefined, preferOf(req));
}

/** PUT <type>/<id>: update, or update-as-create (201) when the id is new. If-Match is honoured. */
async function update(
  req: IncomingMessage,
  res: ServerResponse,
  type: string,
  id: string,
  repo: ScopedRepository,
  deps: FhirDeps,
): Promise<void> {
  const body = await jsonBody(req);
  const ifMatch = req.headers["if-match"];
  const headers: Record<string, string> = typeof ifMatch === "string" ? { "if-match": ifMatch } : {};
  const [outcome, resource, isNew] = await deps.writeLock.run(async () => {
    const isNew = !deps.store.peek(type, id);
    const [o, r] = await deps.router.handleRequest({ ...fhirRequest("PUT", `/${type}/${id}`), body, headers }, repo);
    return [o, r, isNew] as const;
  });
  const status = isOk(outcome) && isNew ? created : outcome;
  return answer(res, deps, status as Outcome, resource as Resource | undefined, preferOf(req));
}

async function bundle(req: IncomingMessage, res: ServerResponse, repo: ScopedRepository, deps: FhirDeps): Promise<void> {
  const body = (await jsonBody(req)) as Bundle;
  if (body?.resourceType !== "Bundle" || (body.type !== "transaction" && body.type !== "batch")) {
    throw new HttpError(400, "POST to the base URL takes a Bundle of type transaction or batch");
  }
  if (deps.basic) throw new HttpError(405, "This server does not support transaction or batch Bundles (capabilities=basic)");
  // Medplum would resolve a conditional update to a plain one; the sandbox does not offer it.
  const conditional = body.entry?.findIndex((e) => e.request?.method === "PUT" && e.request.url?.includes("?")) ?? -1;
  if (conditional >= 0)
    throw new HttpError(400, `Bundle.entry[${conditional}]: conditional update is not supported by this server (PUT <type>/<id> is)`);
  await deps.writeLock.run(async () => {
    const checkpoint = deps.store.checkpoint();
    // Medplum processes the Bundle entry by entry (urn:uuid links resolved, If-None-Exist honoured).
    // Its own transaction mode refuses more than 8 conditional entries (a Postgres isolation limit),
    // so the Bundle runs in batch mode and all-or-nothing is done here: one failed entry undoes
    // every write of the transaction, and the answer is that entry's error.
    const [outcome, result] = await deps.router.handleRequest({ ...fhirRequest("POST", "/"), body }, repo);
    const response = result as Bundle | undefined;
    const failed = response?.entry?.find((e) => !/^2/.test(e.response?.status ?? ""));
    if (!isOk(outcome) || (body.type === "transaction" && failed)) {
      await deps.store.rollbackTo(checkpoint);
      const error = (failed?.response?.outcome as Outcome | undefined) ?? (outcome as Outcome);
      const status = failed ? Number(failed.response!.status.split(" ")[0]) || 400 : getStatus(outcome);
      return sendFhir(res, status, error);
    }
    markCreated(body, response, deps.store, checkpoint);
    sendFhir(res, 200, response);
  });
}

/**
 * Medplum answers every update entry "200"; an update that created the resource (its id was new)
 * is a "201" in FHIR, as for a single PUT. The write log since `checkpoint` tells which.
 */
function markCreated(request: Bundle, response: Bundle | undefined, store: SandboxStore, checkpoint: number): void {
  const createdKeys = new Set<string>();
  const seen = new Set<string>();
  for (const { resource, previous } of store.writes().slice(checkpoint)) {
    const key = `${resource.resourceType}/${resource.id}`;
    if (!seen.has(key) && !previous) createdKeys.add(key);
    seen.add(key);
  }
  response?.entry?.forEach((entry, i) => {
    const r = entry.response;
    if (request.entry?.[i]?.request?.method !== "PUT") return;
    if (r?.status === "200" && r.location && createdKeys.has(r.location)) r.status = "201";
  });
}

/**
 * Sends a router answer: the resource (or the OperationOutcome on error). `prefer` is given for
 * creates and updates: Location and the Prefer header's choice of body (representation by default).
 */
function answer(res: ServerResponse, deps: FhirDeps, outcome: Outcome, resource?: Resource, prefer?: string): void {
  const status = getStatus(outcome as Parameters<typeof getStatus>[0]);
  if (!isOk(outcome as Parameters<typeof isOk>[0]) || !resource) return sendFhir(res, status, outcome);
  const headers: Record<string, string> = {};
  const version = resource.meta?.versionId;
  if (prefer !== undefined) {
    headers.Location = `${deps.endpoints.fhirBase}/${resource.resourceType}/${resource.id}${version ? `/_history/${version}` : ""}`;
  }
  Object.assign(headers, versionHeaders(resource));
  if (prefer === "minimal") return sendFhir(res, status, undefined, headers);
  if (prefer === "OperationOutcome") return sendFhir(res, status, outcome, headers);
  sendFhir(res, status, resource, headers);
}

function versionHeaders(resource: Resource): Record<string, string> {
  const headers: Record<string, string> = {};
  if (resource.meta?.versionId) headers.ETag = `W/"${resource.meta.versionId}"`;
  if (resource.meta?.lastUpdated) headers["Last-Modified"] = new Date(resource.meta.lastUpdated).toUTCString();
  return headers;
}

function preferOf(req: IncomingMessage): string {
  return /return=(minimal|representation|OperationOutcome)/.exec(String(req.headers.prefer ?? ""))?.[1] ?? "representation";
}

function fhirRequest(method: "GET" | "POST" | "PUT", url: string) {
  // config.transactions stays off: see bundle() for why and how transactions are atomic anyway.
  return { method, url, pathname: "", params: {}, query: {}, body: undefined as unknown, headers: {}, config: { transactions: false } };
}

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/fhir+json" && type !== "application/json") {
    throw new HttpError(415, "The body must be application/fhir+json");
  }
  const text = await readBody(req);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "The request body is not valid JSON");
  }
}

async function formBody(req: IncomingMessage, url: URL): Promise<URLSearchParams> {
  const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded")
    throw new HttpError(415, "POST _search takes an application/x-www-form-urlencoded body");
  const q = new URLSearchParams(url.search);
  for (const [k, v] of new URLSearchParams(await readBody(req))) q.append(k, v);
  return q;
}
