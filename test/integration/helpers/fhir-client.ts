/**
 * A real fhirclient `Client` for Node tests and benches, pointed at any FHIR base (an msw fake, the
 * local sandbox). Requests go through the library's own path (auth header, token refresh, HttpError,
 * JSON parsing), so tests exercise what the app runs.
 *
 * fhirclient's Node build (cross-fetch over http) is used, which msw intercepts; vite.config.ts keeps
 * the browser-only `FHIRCLIENT_PURE` define out of Vitest.
 */
import { createRequire } from "node:module";
import type Client from "fhirclient/lib/Client";
import type { fhirclient } from "fhirclient/lib/types";

export type FhirClient = Client;

export interface TestClientOptions {
  /** FHIR base URL, e.g. "https://ehr.test/fhir". */
  serverUrl: string;
  /** Patient in context (token response `patient`). */
  patientId?: string;
  accessToken?: string;
  /** Granted scopes (token response `scope`). */
  scope?: string;
  refreshToken?: string;
  /** Token endpoint, for refresh. */
  tokenUri?: string;
  /** Access token expiry, seconds since the epoch (fhirclient refreshes 10 s before it). */
  expiresAt?: number;
  clientId?: string;
  /** Extra token response fields (encounter, id_token, need_patient_banner…). */
  tokenResponse?: Record<string, unknown>;
  /** Where fhirclient persists state; an in-memory store by default. */
  storage?: fhirclient.Storage;
}

/** An in-memory fhirclient Storage (what the browser build keeps in sessionStorage). */
export function memoryStorage(initial: Record<string, unknown> = {}): fhirclient.Storage & { data: Record<string, unknown> } {
  const data: Record<string, unknown> = { ...initial };
  return {
    data,
    get: async (key) => data[key],
    set: async (key, value) => {
      data[key] = value;
      return value;
    },
    unset: async (key) => {
      const had = key in data;
      delete data[key];
      return had;
    },
  };
}

type SmartNode = (req: unknown, res: unknown, storage?: fhirclient.Storage) => { client(state: fhirclient.ClientState): Client };
let smart: SmartNode | undefined;

function loadFhirclient(): SmartNode {
  if (smart) return smart;
  const require = createRequire(import.meta.url);
  smart = require("fhirclient") as SmartNode;
  return smart;
}

/**
 * Builds a Client as `FHIR.oauth2.ready()` would after a token response: the same class, the same
 * request code. The Node adapter needs no request/response objects to build a client.
 */
export function createFhirClient(options: TestClientOptions): Client {
  const tokenResponse: fhirclient.TokenResponse = {
    token_type: "Bearer",
    access_token: options.accessToken ?? "test-access-token",
    ...(options.patientId !== undefined ? { patient: options.patientId } : {}),
    ...(options.scope !== undefined ? { scope: options.scope } : {}),
    ...(options.refreshToken !== undefined ? { refresh_token: options.refreshToken } : {}),
    ...options.tokenResponse,
  };
  const state: fhirclient.ClientState = {
    serverUrl: options.serverUrl,
    tokenResponse,
    ...(options.scope !== undefined ? { scope: options.scope } : {}),
    ...(options.tokenUri !== undefined ? { tokenUri: options.tokenUri } : {}),
    ...(options.expiresAt !== undefined ? { expiresAt: options.expiresAt } : {}),
    ...(options.clientId !== undefined ? { clientId: options.clientId } : {}),
  };
  const factory = loadFhirclient();
  return factory({}, {}, options.storage ?? memoryStorage()).client(state);
}

/** Content type FHIR servers answer with; fhirclient parses any `json` type. */
export const FHIR_JSON = "application/fhir+json; charset=utf-8";

/** A FHIR JSON response for msw handlers. */
export function fhirJson(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return new Response(JSON.stringify(body), {
    status: init.status ?? 200,
    headers: { "content-type": FHIR_JSON, ...init.headers },
  });
}

/** An OperationOutcome body, as EHRs send with 4xx/5xx answers. */
export function operationOutcome(code: string, diagnostics: string): Record<string, unknown> {
  return { resourceType: "OperationOutcome", issue: [{ severity: "error", code, diagnostics }] };
}
