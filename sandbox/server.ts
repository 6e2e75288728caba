/**
 * The local SMART EHR simulator (design.md, "The local sandbox"): one node:http server on
 * 127.0.0.1 with the launch page, the launcher, the authorisation server and the FHIR endpoint.
 * Tests and benchmarks start it in-process with startSandbox({ port: 0 }); `npm run sandbox` runs
 * sandbox/main.ts. The issuer uses `localhost` (the app's config matches it) while the socket is
 * bound to 127.0.0.1 only.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Operator } from "@medplum/core";
import { FhirRouter } from "@medplum/fhir-router";
import type { Resource } from "fhir/r4";
import type { Policy } from "./access";
import { handleAuthorize, handleLauncher, parseLaunchUri, type AuthorizeDeps } from "./authorize";
import { sscRegistryGroup } from "./bulk/registry";
import { BulkEndpoints } from "./bulk/routes";
import { SMART_STYLE, capabilityStatement, styleUrl, type Endpoints } from "./capabilities";
import { buildDataset } from "./dataset";
import { RequestLog, handleDebug } from "./debug";
import { SERVED_TYPES, UPDATABLE_TYPES, WRITABLE_TYPES, ensureDefinitions } from "./definitions";
import { handleFhir } from "./fhir";
import { Mutex } from "./fhirDeps";
import { mergeFaults } from "./faults";
import { FHIR_JSON, HttpError, cors, readBody, send, sendHtml, sendJson } from "./http";
import { createSigner } from "./jwt";
import { DEFAULT_APP_ORIGIN, DEFAULT_PORT, type SandboxOptions } from "./options";
import { launchPage } from "./pages";
import { Sessions } from "./sessions";
import { SandboxStore } from "./store";
import { handleToken } from "./token";

export type { SandboxOptions } from "./options";

export interface RunningSandbox {
  /** http://localhost:<port> (launch page, launcher, auth endpoints). */
  url: string;
  /** http://localhost:<port>/fhir, the `iss` of every launch. */
  fhirBase: string;
  port: number;
  /** Every resource created or updated since start (or the last reset), in order. Same as GET /debug/writes. */
  writes(): Resource[];
  /** Undoes every write and clears the request log. Same as POST /debug/reset. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const dataset = buildDataset(options);
  dataset.resources.push(sscRegistryGroup(dataset.patients));
  const servedTypes = new Set<string>([...SERVED_TYPES, ...dataset.resources.map((r) => r.resourceType)]);
  ensureDefinitions(servedTypes);
  const store = new SandboxStore();
  await store.seed(dataset.resources);
  store.startRecording();

  // The handler needs the listening port (endpoints), so it is set once the server listens.
  const handler: { app?: (req: IncomingMessage, res: ServerResponse) => Promise<void> } = {};
  const server = createServer((req, res) => {
    const app = handler.app;
    if (!app) return send(res, 503, "Starting", "text/plain");
    app(req, res).catch((e: unknown) => {
      const status = e instanceof HttpError ? e.status : 500;
      if (status === 500) console.error("[sandbox]", e);
      if (res.headersSent) return res.destroy();
      const text = status === 500 ? "Internal error" : (e as Error).message;
      if (!req.url?.startsWith("/fhir")) return send(res, status, text, "text/plain; charset=utf-8");
      const outcome = {
        resourceType: "OperationOutcome",
        issue: [{ severity: "error", code: status === 500 ? "exception" : "invalid", details: { text } }],
      };
      send(res, status, JSON.stringify(outcome), FHIR_JSON);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? DEFAULT_PORT, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const endpoints: Endpoints = { url: `http://localhost:${port}`, fhirBase: `http://localhost:${port}/fhir` };

  const globalFaults = mergeFaults(options.faults, options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {});
  const basic = options.capabilities === "basic";
  const policy: Policy = {
    fhirBase: endpoints.fhirBase,
    servedTypes,
    writableTypes: new Set(WRITABLE_TYPES),
    updatableTypes: new Set(UPDATABLE_TYPES),
    paging: { defaultPageSize: options.defaultPageSize ?? 20, maxPageSize: options.maxPageSize ?? 100 },
    validate: options.validateWrites ?? true,
  };
  const sessions = new Sessions();
  const requests = new RequestLog();
  const writeLock = new Mutex();
  const signer = createSigner();
  const bulk = new BulkEndpoints({ store, servedTypes, ...endpoints, options: options.bulk ?? {} });
  let capabilities: unknown;
  const appLaunchUrl = new URL(options.appLaunchPath ?? "/launch.html", options.appOrigin ?? DEFAULT_APP_ORIGIN).href;
  const reset = () =>
    writeLock.run(async () => {
      await store.rollbackTo(0);
      requests.clear();
    });

  const authorizeDeps: AuthorizeDeps = {
    fhirBase: endpoints.fhirBase,
    sessions,
    globalFaults,
    patients: () => dataset.patients,
    patientExists: (id) => !!store.peek("Patient", id),
    practitionerExists: (id) => !!store.peek("Practitioner", id),
    defaultProviderId: dataset.defaultProviderId,
    encounterOf: (id) =>
      store.matchAll({
        resourceType: "Encounter",
        filters: [{ code: "patient", operator: Operator.EQUALS, value: `Patient/${id}` }],
        sortRules: [{ code: "date", descending: true }],
      })[0]?.id,
  };
  const fhirDeps = {
    endpoints,
    store,
    sessions,
    router: new FhirRouter(),
    policy,
    globalFaults,
    basic,
    capabilityStatement: () =>
      (capabilities ??= capabilityStatement(endpoints, {
        servedTypes: [...servedTypes],
        writableTypes: policy.writableTypes,
        updatableTypes: policy.updatableTypes,
        basic,
      })),
    writeLock,
  };

  handler.app = async (req, res) => {
    const url = new URL(req.url ?? "/", endpoints.url);
    const path = url.pathname;
    const method = req.method ?? "GET";
    if (bulk.handles(path)) return bulk.handle(req, res, url);
    if (path === "/fhir" || path.startsWith("/fhir/")) {
      requests.track(req, res);
      return handleFhir(req, res, url, fhirDeps);
    }
    if (path === "/auth/token") {
      if (cors(req, res)) return;
      if (method !== "POST") throw new HttpError(405, "Use POST");
      const body = await readBody(req);
      if (new URLSearchParams(body).get("grant_type") === "client_credentials") return bulk.token(req, res, body);
      return handleToken(req, res, body, {
        fhirBase: endpoints.fhirBase,
        styleUrl: styleUrl(endpoints),
        sessions,
        signer,
        tokenLifetimeS: options.tokenLifetimeS ?? 3600,
      });
    }
    if (path.startsWith("/debug/")) {
      const tokenLifetimeS = options.tokenLifetimeS ?? 3600;
      return handleDebug(req, res, path, {
        store,
        requests,
        fhirBase: endpoints.fhirBase,
        reset,
        sessions,
        tokenLifetimeS,
        faults: globalFaults,
      });
    }
    if (path === "/smart-style.json" || path === "/.well-known/jwks.json") {
      if (cors(req, res)) return;
      return sendJson(res, 200, path === "/smart-style.json" ? SMART_STYLE : signer.jwks());
    }
    if (method !== "GET") throw new HttpError(405, "Method not allowed");
    if (path === "/auth/authorize") return handleAuthorize(req, res, url.searchParams, authorizeDeps);
    if (path === "/launcher") return handleLauncher(req, res, url.searchParams, authorizeDeps);
    if (path === "/") {
      // A launch URL typed in the page's form stays in its address (?launch_uri=…).
      const typed = url.searchParams.has("launch_uri") ? parseLaunchUri(url.searchParams.get("launch_uri")) : undefined;
      const page = launchPage({
        patients: dataset.patients,
        fhirBase: endpoints.fhirBase,
        appLaunchUrl: typed && "url" in typed ? typed.url.href : appLaunchUrl,
        defaultAppLaunchUrl: appLaunchUrl,
        appLaunchUrlError: typed && "error" in typed ? typed.error : undefined,
      });
      return sendHtml(res, typed && "error" in typed ? 400 : 200, page);
    }
    if (path === "/favicon.ico") return send(res, 204, "", "image/x-icon");
    send(res, 404, "Not found", "text/plain; charset=utf-8");
  };

  return {
    url: endpoints.url,
    fhirBase: endpoints.fhirBase,
    port,
    writes: () => store.writes().map((w) => structuredClone(w.resource)),
    reset,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        // Keep-alive connections (fetch in tests, browsers) would hold close() open.
        server.closeAllConnections();
      }),
  };
}
