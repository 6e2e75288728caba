/**
 * /debug/…, for tests, benchmarks and people trying the app; answered to loopback clients only and
 * without a token (not a FHIR endpoint, and no CORS, so no web page can read it):
 *   GET  /debug/writes    a searchset Bundle of every resource created since start (or reset), in order
 *   GET  /debug/requests  the FHIR requests received: {count, requests: [{method, path, status, ms}]}
 *   POST /debug/reset     undoes every write and clears both logs
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Bundle, Resource } from "fhir/r4";
import { FHIR_JSON, isLoopback, send, sendJson } from "./http";
import type { SandboxStore } from "./store";

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
      this.records.push({ method: req.method ?? "GET", path: req.url ?? "", status: res.statusCode, ms: Math.round(performance.now() - started) });
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
  deps: { store: SandboxStore; requests: RequestLog; fhirBase: string; reset(): Promise<void> },
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
  if (req.method === "GET" && path === "/debug/requests") return sendJson(res, 200, deps.requests.summary(), { "Cache-Control": "no-store" });
  if (req.method === "POST" && path === "/debug/reset") {
    await deps.reset();
    return sendJson(res, 200, { reset: true });
  }
  sendJson(res, 404, { error: `No debug endpoint ${req.method} ${path}` });
}
