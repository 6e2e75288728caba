/**
 * The sandbox's Bulk Data and Backend Services endpoints (server.ts routes to them):
 *
 *   POST   /auth/backend-clients            register a client: {jwks, scope?, client_id?} (loopback only)
 *   POST   /auth/token                      grant_type=client_credentials (token.ts has the others)
 *   GET    /fhir/Group/{id}/$export         kick-off (Prefer: respond-async), 202 + Content-Location
 *   GET    /fhir/Patient/$export            kick-off for every patient
 *   GET    /bulk/status/{job}               202 with X-Progress and Retry-After, then the manifest
 *   DELETE /bulk/status/{job}               cancel (202), or delete a finished job's files
 *   GET    /bulk/files/{job}/{name}.ndjson  one output file; needs the token of the client that asked
 *   GET    /debug/bulk                      how often each file was downloaded (tests; loopback only)
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { FHIR_JSON, HttpError, isLoopback, readBody, send, sendJson } from "../http";
import type { SandboxStore } from "../store";
import { BackendClients, OAuthError } from "./clients";
import { BulkError, startExport, type ExportFile, type ExportJob } from "./export";

export interface BulkOptions {
  /** In-progress answers before the manifest. Default 2. */
  pollsBeforeReady?: number;
  /** Retry-After in seconds on in-progress answers. Default 1. */
  retryAfterS?: number;
  /** Resources per NDJSON file. Default 1000. */
  fileMaxResources?: number;
  /** Types the server declines to export (the manifest's error file says so). */
  refusedTypes?: string[];
  /** Fault: the first download of the n-th output file (0-based) stops halfway. */
  cutFileOnce?: number;
}

export interface BulkDeps {
  store: SandboxStore;
  servedTypes: ReadonlySet<string>;
  url: string;
  fhirBase: string;
  options: BulkOptions;
}

const KICKOFF = /^\/fhir\/(?:Group\/([^/]+)|Patient)\/\$export$/;
const STATUS = /^\/bulk\/status\/([\w-]+)$/;
const FILE = /^\/bulk\/files\/([\w-]+)\/((?:error-)?\d+)\.ndjson$/;

const outcome = (code: string, text: string) => ({
  resourceType: "OperationOutcome",
  issue: [{ severity: "error", code, details: { text } }],
});
const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" };

export class BulkEndpoints {
  readonly clients = new BackendClients();
  private readonly jobs = new Map<string, ExportJob>();
  private readonly downloads = new Map<string, number>();
  private cutDone = false;

  private readonly tokenUrl: string;

  constructor(private readonly deps: BulkDeps) {
    this.tokenUrl = `${deps.url}/auth/token`;
  }

  handles(path: string): boolean {
    return path === "/auth/backend-clients" || path === "/debug/bulk" || KICKOFF.test(path) || path.startsWith("/bulk/");
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    const method = req.method ?? "GET";
    if (path === "/auth/backend-clients" || path === "/debug/bulk") {
      if (!isLoopback(req)) throw new HttpError(403, "Only from this machine");
      if (path === "/debug/bulk") return sendJson(res, 200, Object.fromEntries(this.downloads));
      if (method !== "POST") throw new HttpError(405, "Use POST");
      return this.register(req, res);
    }
    try {
      const kickoff = KICKOFF.exec(path);
      if (kickoff && method === "GET") return this.kickoff(req, res, url, kickoff[1] ? decodeURIComponent(kickoff[1]) : null);
      const status = STATUS.exec(path);
      if (status && (method === "GET" || method === "DELETE")) return this.status(req, res, status[1]!, method);
      const file = FILE.exec(path);
      if (file && method === "GET") return this.file(req, res, file[1]!, file[2]!);
      throw new BulkError(404, `No bulk endpoint ${method} ${path}`, "not-found");
    } catch (e) {
      if (!(e instanceof BulkError)) throw e;
      const headers: Record<string, string> = e.status === 401 ? { "WWW-Authenticate": 'Bearer realm="smart-sandbox"' } : {};
      send(res, e.status, JSON.stringify(outcome(e.code, e.message)), FHIR_JSON, headers);
    }
  }

  /** POST /auth/token with grant_type=client_credentials. */
  token(req: IncomingMessage, res: ServerResponse, body: string): void {
    try {
      const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
      if (type !== "application/x-www-form-urlencoded") {
        throw new OAuthError("invalid_request", "The token request must be application/x-www-form-urlencoded");
      }
      sendJson(res, 200, this.clients.grant(new URLSearchParams(body), this.tokenUrl), NO_STORE);
    } catch (e) {
      if (!(e instanceof OAuthError)) throw e;
      sendJson(res, e.status, { error: e.error, error_description: e.message }, NO_STORE);
    }
  }

  private async register(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    } catch {
      throw new HttpError(400, "The body must be JSON: {jwks, scope?, client_id?}");
    }
    try {
      const client = this.clients.register(body);
      sendJson(res, 201, { client_id: client.clientId, scope: client.scope.join(" "), kids: client.keys.map((k) => k.kid) });
    } catch (e) {
      throw new HttpError(400, (e as Error).message);
    }
  }

  private authorised(req: IncomingMessage) {
    const grant = this.clients.grantOf(req.headers.authorization);
    if (!grant) throw new BulkError(401, "A valid backend-services access token is required (Authorization: Bearer …)", "login");
    return grant;
  }

  private kickoff(req: IncomingMessage, res: ServerResponse, url: URL, groupId: string | null): void {
    const grant = this.authorised(req);
    const prefer = String(req.headers.prefer ?? "");
    if (!/respond-async/.test(prefer)) throw new BulkError(400, "Bulk export needs the header Prefer: respond-async");
    const o = this.deps.options;
    const job = startExport(url, groupId, grant, {
      store: this.deps.store,
      servedTypes: this.deps.servedTypes,
      lenient: /handling=lenient/.test(prefer),
      options: {
        pollsBeforeReady: o.pollsBeforeReady ?? 2,
        fileMaxResources: o.fileMaxResources ?? 1000,
        refusedTypes: new Set(o.refusedTypes),
      },
    });
    this.jobs.set(job.id, job);
    res.writeHead(202, { "Content-Location": `${this.deps.url}/bulk/status/${job.id}`, "Content-Length": 0 });
    res.end();
  }

  private job(req: IncomingMessage, id: string): ExportJob {
    const grant = this.authorised(req);
    const job = this.jobs.get(id);
    if (!job || job.clientId !== grant.clientId) throw new BulkError(404, `No export job ${id}`, "not-found");
    return job;
  }

  private status(req: IncomingMessage, res: ServerResponse, id: string, method: string): void {
    const job = this.job(req, id);
    if (method === "DELETE") {
      this.jobs.delete(id);
      return send(res, 202, JSON.stringify(outcome("informational", "Export job deleted")), FHIR_JSON);
    }
    job.polls++;
    if (job.pollsLeft > 0) {
      job.pollsLeft--;
      const total = job.polls + job.pollsLeft;
      res.writeHead(202, {
        "X-Progress": `${Math.round((100 * job.polls) / (total + 1))}% (${job.files.length} files being written)`,
        "Retry-After": String(this.deps.options.retryAfterS ?? 1),
        "Content-Length": 0,
      });
      return void res.end();
    }
    const fileUrl = (name: string) => `${this.deps.url}/bulk/files/${job.id}/${name}.ndjson`;
    const item = (f: ExportFile, name: string) => ({ type: f.type, url: fileUrl(name), count: f.count });
    sendJson(
      res,
      200,
      {
        transactionTime: job.transactionTime,
        request: job.request,
        requiresAccessToken: true,
        output: job.files.map((f, k) => item(f, String(k))),
        error: job.errors.map((f, k) => item(f, `error-${k}`)),
      },
      { Expires: new Date(Date.now() + 3600_000).toUTCString() },
    );
  }

  private file(req: IncomingMessage, res: ServerResponse, id: string, name: string): void {
    const job = this.job(req, id);
    const isError = name.startsWith("error-");
    const index = Number(isError ? name.slice(6) : name);
    const f = (isError ? job.errors : job.files)[index];
    if (!f) throw new BulkError(404, `No file ${name} in job ${id}`, "not-found");
    const key = `${id}/${name}`;
    this.downloads.set(key, (this.downloads.get(key) ?? 0) + 1);
    const bytes = Buffer.from(f.body);
    res.writeHead(200, { "Content-Type": "application/fhir+ndjson", "Content-Length": bytes.length });
    if (!isError && index === this.deps.options.cutFileOnce && !this.cutDone) {
      this.cutDone = true;
      res.write(bytes.subarray(0, bytes.length >> 1));
      return void setImmediate(() => res.destroy());
    }
    res.end(bytes);
  }
}
