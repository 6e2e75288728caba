/**
 * The FHIR endpoint (/fhir/…): bearer token check, faults, then Medplum's FhirRouter over the
 * token's ScopedRepository; around it, what Medplum leaves to the server: paging links, the
 * CapabilityStatement, headers of a create or update (201 for an update-as-create), all-or-nothing
 * transactions, CORS. This file authenticates and routes; searches are in fhirSearch.ts, writes in
 * fhirWrites.ts.
 */
import { isOk } from "@medplum/core";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Binary, OperationOutcome, Resource } from "fhir/r4";
import { ScopedRepository } from "./access";
import { sendRawBinary, wantsFhirJson } from "./binary";
import { openidConfiguration, smartConfiguration } from "./capabilities";
import { rollFailure, sleep } from "./faults";
import type { FhirDeps } from "./fhirDeps";
import { answer, fhirRequest, formBody, sendFhir, versionHeaders } from "./fhirMessages";
import { search } from "./fhirSearch";
import { bundle, create, update } from "./fhirWrites";
import { cors, HttpError, sendJson } from "./http";
import { issue } from "./outcomes";
import type { Session, Sessions } from "./sessions";
import { launcherProxyRewrite, typeFaultAnswer, typeFaultFor, type TypeFault } from "./typeFaults";

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

type Auth = { session: Session } | { refusal: OperationOutcome; challenge: string };

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
    return answer(res, deps.endpoints.fhirBase, outcome as OperationOutcome, resource as Resource | undefined);
  }
  if (method === "PUT" && segments.length === 2) {
    if (!deps.policy.updatableTypes.has(type)) throw new HttpError(405, `This server does not accept updates of ${type} resources`);
    return update(req, res, type, second, repo, deps);
  }
  if (method === "PUT" && segments.length === 1)
    throw new HttpError(405, "Conditional update is not supported by this server (PUT <type>/<id> is)");
  throw new HttpError(405, `${method} ${path} is not supported by this server (read, search, create, update and transaction are)`);
}
