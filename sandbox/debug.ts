/**
 * /debug/…, for tests, benchmarks and people trying the app; answered to loopback clients only and
 * without a token (not a FHIR endpoint, and no CORS, so no web page can read it):
 *   GET  /debug/writes    a searchset Bundle of every resource created or updated since start (or
 *                         reset), in order; an update that changed nothing is listed too
 *   GET  /debug/requests  the FHIR requests received: {count, requests: [{method, path, status, ms}]}
 *   POST /debug/reset     undoes every write and clears both logs
 *   POST /debug/token     mints an access token with `user/*.cruds` (every patient, every
 *                         interaction the sandbox offers) without a browser, for command-line tools
 *                         on this machine such as `npm run load-demo`. A development convenience of
 *                         the local sandbox only: no real EHR has such an endpoint. Besides the
 *                         loopback address, the Host header must name a loopback host, so a page
 *                         reaching the sandbox through DNS rebinding cannot obtain a token either.
 *                         The faults set for every token (SANDBOX_FAULT_*, options.faults) apply.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Bundle, Resource } from "fhir/r4";
import type { Faults } from "./faults";
import { FHIR_JSON, isLoopback, send, sendJson } from "./http";
import { negotiateScopes } from "./scopes";
import type { Sessions } from "./sessions";
import type { SandboxStore } from "./store";

/** The scope of a /debug/token token. */
export const DEBUG_TOKEN_SCOPE = "user/*.cruds";
const DEBUG_CLIENT_ID = "sandbox-debug-token";

export interface RequestRecord {
  method: string;
  /** Path and query, e.g. /fhir/Observation?patient=x&_count=100 */
  path: string;
  status: number;
  /** Time to answer, latency faults included. */
  ms: number;
}

const MAX_RECORDS = 50_000;

export class RequestLog {
  private records: RequestRecord[] = [];
  private dropped = 0;

  /** Records the request when its answer has been sent. */
  track(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    res.once("finish", () => {
      if (this.records.length >= MAX_RECORDS) {
        this.records.shift();
        this.dropped++;
      }
      this.records.push({
        method: req.method ?? "GET",
        path: req.url ?? "",
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
      });
    });
  }

  summary() {
    return { count: this.records.length + this.dropped, requests: this.records };
  }

  clear(): void {
    this.records = [];
    this.dropped = 0;
  }
}

export async function handleDebug(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  deps: {
    store: SandboxStore;
    requests: RequestLog;
    fhirBase: string;
    reset(): Promise<void>;
    /** For /debug/token: where tokens live, their lifetime, and the faults every token gets. */
    sessions: Sessions;
    tokenLifetimeS: number;
    faults: Faults;
  },
): Promise<void> {
  if (!isLoopback(req)) return sendJson(res, 403, { error: "The debug endpoints answer loopback clients only" });
  if (req.method === "GET" && path === "/debug/writes") {
    const writes = deps.store.writes();
    const bundle: Bundle<Resource> = {
      resourceType: "Bundle",
      type: "searchset",
      total: writes.length,
      entry: writes.map((w) => ({ fullUrl: `${deps.fhirBase}/${w.resource.resourceType}/${w.resource.id}`, resource: w.resource })),
    };
    return send(res, 200, JSON.stringify(bundle), FHIR_JSON, { "Cache-Control": "no-store" });
  }
  if (req.method === "GET" && path === "/debug/requests")
    return sendJson(res, 200, deps.requests.summary(), { "Cache-Control": "no-store" });
  if (req.method === "POST" && path === "/debug/reset") {
    await deps.reset();
    return sendJson(res, 200, { reset: true });
  }
  if (req.method === "POST" && path === "/debug/token") {
    if (!loopbackHost(req.headers.host))
      return sendJson(res, 403, { error: "POST /debug/token answers requests addressed to localhost, 127.0.0.1 or [::1] only" });
    const grant = {
      clientId: DEBUG_CLIENT_ID,
      scope: DEBUG_TOKEN_SCOPE,
      resourceScopes: negotiateScopes(DEBUG_TOKEN_SCOPE).resourceScopes,
      faults: deps.faults,
    };
    const lifetimeS = deps.faults.expireAfterS ?? deps.tokenLifetimeS;
    const { session } = deps.sessions.issueTokens(grant, lifetimeS, {});
    const answer = { access_token: session.accessToken, token_type: "Bearer", expires_in: lifetimeS, scope: session.scope };
    return sendJson(res, 200, answer, { "Cache-Control": "no-store", Pragma: "no-cache" });
  }
  sendJson(res, 404, { error: `No debug endpoint ${req.method} ${path}` });
}

/** Is the Host header (name and optional port) a loopback name? */
function loopbackHost(host: string | undefined): boolean {
  return /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i.test(host ?? "");
}
