import {
  FhirHttpError,
  FhirMalformedError,
  FhirNetworkError,
  FhirTimeoutError,
  OutsideFhirBaseError,
  SessionExpiredError,
  isAbortError,
  parseRetryAfter,
  type RequestLine,
} from "./errors";

/**
 * One HTTP request to the EHR's FHIR server. fhirclient keeps the session (token, refresh); this
 * module sends the request itself, so that every caller gets what fhirclient's `request` cannot
 * give: a timeout per attempt, the raw bytes of a Binary with the Accept it asked for, structured
 * errors with the server's OperationOutcome (errors.ts), and a hard rule that the access token
 * goes only to URLs under the FHIR base.
 */

/** The part of a fhirclient Client used here; a real Client fits (src/fhir never imports fhirclient). */
export interface SmartClient {
  readonly patient: { readonly id: string | null };
  readonly state: { serverUrl: string; tokenUri?: string; tokenResponse?: { refresh_token?: string; scope?: string } };
  /** Refreshes the access token when it is about to expire (fhirclient: 10 s before). */
  refreshIfNeeded(options?: { signal?: AbortSignal }): Promise<unknown>;
  refresh(options?: { signal?: AbortSignal }): Promise<unknown>;
  getAuthorizationHeader(): string | null;
}

export interface FhirRequestInit {
  /** Relative to the FHIR base, or absolute under it. */
  url: string;
  method?: "GET" | "POST" | "PUT" | "DELETE";
  headers?: Record<string, string>;
  body?: string;
  /** Accept header; default FHIR JSON. */
  accept?: string;
  /** "json" (default): the parsed body (null when empty); "bytes": the body as sent. */
  as?: "json" | "bytes";
  signal?: AbortSignal;
  /** Time allowed for this attempt, ms (none by default). */
  timeoutMs?: number;
  /** "bytes" only: a longer body is not read past this many bytes (`truncated` is set). */
  maxBytes?: number;
}

export interface RawBody {
  bytes: Uint8Array;
  contentType: string;
  /** The body was longer than maxBytes: `bytes` holds its start only. */
  truncated: boolean;
}

export interface FhirResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

export const FHIR_JSON = "application/fhir+json";

/** The absolute URL of `url` if it is the FHIR base or under it (HAPI's `base?_getpages=` included). */
export function underFhirBase(url: string, serverUrl: string): URL | null {
  let base: URL;
  let target: URL;
  try {
    base = new URL(serverUrl.replace(/\/*$/, "/"));
    target = new URL(url, base);
  } catch {
    return null;
  }
  const basePath = base.pathname.replace(/\/$/, "");
  if (target.origin !== base.origin) return null;
  if (target.pathname !== basePath && !target.pathname.startsWith(`${basePath}/`)) return null;
  return target;
}

export async function fhirFetch(client: SmartClient, init: FhirRequestInit & { as: "bytes" }): Promise<FhirResponse<RawBody>>;
export async function fhirFetch<T = unknown>(client: SmartClient, init: FhirRequestInit): Promise<FhirResponse<T>>;
export async function fhirFetch(client: SmartClient, init: FhirRequestInit): Promise<FhirResponse<unknown>> {
  const target = underFhirBase(init.url, client.state.serverUrl);
  if (!target) throw new OutsideFhirBaseError(init.url);
  const line: RequestLine = { method: init.method ?? "GET", url: target.href };
  try {
    await client.refreshIfNeeded({ signal: init.signal });
  } catch (error) {
    if (isAbortError(error) || init.signal?.aborted) throw error;
    throw new SessionExpiredError();
  }
  let sent = await send(client, target, line, init);
  if (sent.response.status === 401 && client.state.tokenResponse?.refresh_token) {
    // The token was revoked or expired early: one refresh, one more try (as fhirclient does).
    await sent.read((r) => r.arrayBuffer()).catch(() => undefined);
    try {
      await client.refresh({ signal: init.signal });
    } catch (error) {
      if (isAbortError(error) || init.signal?.aborted) throw error;
      throw new SessionExpiredError();
    }
    sent = await send(client, target, line, init);
  }
  const { response } = sent;
  if (response.status === 401) {
    await sent.read((r) => r.arrayBuffer()).catch(() => undefined);
    throw new SessionExpiredError();
  }
  if (!response.ok) throw await sent.read((r) => httpError(r, line));
  if (init.as === "bytes")
    return { status: response.status, headers: response.headers, body: await sent.read((r) => readBytes(r, init.maxBytes)) };
  const text = await sent.read((r) => r.text());
  if (!text.trim()) return { status: response.status, headers: response.headers, body: null };
  try {
    return { status: response.status, headers: response.headers, body: JSON.parse(text) as unknown };
  } catch {
    throw new FhirMalformedError(line, "The EHR answered with something that is not valid FHIR JSON.");
  }
}

/** A response whose body is still to be read, under the same timeout and signal as its headers. */
interface Sent {
  response: Response;
  /** Reads the body; a timeout while reading rejects with FhirTimeoutError, a dropped connection with FhirNetworkError. */
  read<T>(fn: (response: Response) => Promise<T>): Promise<T>;
}

/** One fetch with the session's Authorization header, bounded by the timeout and the caller's signal. */
async function send(client: SmartClient, target: URL, line: RequestLine, init: FhirRequestInit): Promise<Sent> {
  if (init.signal?.aborted) throw init.signal.reason ?? new DOMException("Aborted", "AbortError");
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort(init.signal?.reason);
  init.signal?.addEventListener("abort", onAbort, { once: true });
  const timer =
    init.timeoutMs !== undefined
      ? setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, init.timeoutMs)
      : undefined;
  const release = () => {
    if (timer !== undefined) clearTimeout(timer);
    init.signal?.removeEventListener("abort", onAbort);
  };
  const failure = (error: unknown): unknown => {
    if (timedOut) return new FhirTimeoutError(line, init.timeoutMs!);
    if (isAbortError(error) || init.signal?.aborted) return init.signal?.reason ?? error;
    if (error instanceof FhirHttpError || error instanceof FhirMalformedError) return error;
    return new FhirNetworkError(line);
  };
  const headers: Record<string, string> = { accept: init.accept ?? FHIR_JSON, ...init.headers };
  const auth = client.getAuthorizationHeader();
  if (auth) headers.authorization = auth;
  if (init.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) headers["content-type"] = FHIR_JSON;
  let response: Response;
  try {
    response = await fetch(target.href, { method: line.method, headers, body: init.body, signal: controller.signal, credentials: "omit" });
  } catch (error) {
    release();
    throw failure(error);
  }
  // The timer keeps guarding the body: a body that starts and then stalls times out too.
  return {
    response,
    read: (fn) =>
      fn(response).then(
        (value) => {
          release();
          return value;
        },
        (error: unknown) => {
          release();
          throw failure(error);
        },
      ),
  };
}

async function httpError(response: Response, line: RequestLine): Promise<FhirHttpError> {
  let text = "";
  try {
    text = (await response.text()).slice(0, 8_000);
  } catch {
    // An unreadable error body: the status says enough.
  }
  let outcome = null;
  try {
    const json = JSON.parse(text) as { resourceType?: unknown };
    if (json && json.resourceType === "OperationOutcome") outcome = json as FhirHttpError["outcome"];
  } catch {
    // Not JSON: kept as text.
  }
  const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), Date.now());
  return new FhirHttpError(line, response.status, response.statusText, outcome, outcome ? "" : text, retryAfterMs);
}

async function readBytes(response: Response, maxBytes: number | undefined): Promise<RawBody> {
  const contentType = response.headers.get("content-type") ?? "";
  if (maxBytes === undefined || !response.body) {
    return { bytes: new Uint8Array(await response.arrayBuffer()), contentType, truncated: false };
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (length + value.length > maxBytes) {
      chunks.push(value.subarray(0, maxBytes - length));
      length = maxBytes;
      truncated = true;
      await reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(value);
    length += value.length;
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { bytes, contentType, truncated };
}
