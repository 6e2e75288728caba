import type { LoadFailure, LoadFailureKind, LoadSnapshot } from "./types";

/**
 * The part of fhirclient's `Client` the loader uses. A real `Client` satisfies it; keeping the
 * dependency structural means src/fhir never imports fhirclient at run time (the app's entry
 * imports the browser build once, tests the Node build).
 */
export interface FhirRequester {
  request<T = unknown>(
    requestOptions: { url: string; signal?: AbortSignal; headers?: Record<string, string> },
    fhirOptions?: { pageLimit?: number; flat?: boolean; useRefreshToken?: boolean },
  ): Promise<T>;
  readonly patient: { readonly id: string | null };
  readonly state: { serverUrl: string; tokenUri?: string };
}

/** A 401 (or a failed token refresh): the app shell shows "session expired, relaunch". */
export class SessionExpiredError extends Error {
  override readonly name = "SessionExpiredError";
  /** The last snapshot before the session ended, when the loader raised it (keeps partial data). */
  snapshot?: LoadSnapshot;
  constructor(message = "Your session with the EHR has expired. Relaunch the app from the EHR.") {
    super(message);
  }
}

/** One request failed for good (after any retries). Carries the failure shown to the user. */
export class RequestFailedError extends Error {
  override readonly name = "RequestFailedError";
  constructor(readonly failure: LoadFailure) {
    super(failure.message);
  }
}

/** The response was not the JSON we asked for (thrown by the loader's own checks). */
export class MalformedResponseError extends Error {
  override readonly name = "MalformedResponseError";
}

export interface ClassifiedError {
  kind: LoadFailureKind;
  httpStatus?: number;
  /** Milliseconds the server asked us to wait (Retry-After), when it said so. */
  retryAfterMs?: number;
  message: string;
}

export function isAbortError(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "AbortError";
}

/**
 * Retry-After is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3). Returns milliseconds, or
 * undefined when absent or unparseable (the caller then falls back to its own backoff).
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

const MESSAGES: Record<Exclude<LoadFailureKind, "bad-request">, string> = {
  forbidden: "The EHR did not grant access to these data (scope not granted or not permitted).",
  "not-found": "The EHR does not offer these data.",
  "rate-limited": "The EHR is rate-limiting requests; these data could not be loaded.",
  "server-error": "The EHR had an error while returning these data.",
  network: "These data could not be loaded: the network connection to the EHR failed.",
  malformed: "The EHR answered with something that is not valid FHIR JSON.",
  "session-expired": "Your session with the EHR has expired.",
};

export function failureMessage(kind: LoadFailureKind, httpStatus?: number): string {
  if (kind === "bad-request") return `The EHR refused the search (HTTP ${httpStatus ?? "4xx"}).`;
  return MESSAGES[kind];
}

interface HttpErrorLike {
  status?: unknown;
  statusCode?: unknown;
  response?: { headers?: { get?(name: string): string | null }; url?: string };
}

/**
 * Maps whatever fhirclient threw onto a failure kind. fhirclient rejects with an `HttpError`
 * (`status`, `response`) for non-2xx answers, a `SyntaxError` when a JSON content type carries
 * broken JSON, and the fetch implementation's error (TypeError in browsers, FetchError from
 * node-fetch) when the network fails. We duck-type rather than `instanceof`, because the browser
 * and Node builds of fhirclient are different modules.
 */
export function classifyError(error: unknown, now: number, tokenUri?: string): ClassifiedError {
  const e = (typeof error === "object" && error !== null ? error : {}) as HttpErrorLike & {
    name?: unknown;
    message?: unknown;
  };
  const status = typeof e.status === "number" ? e.status : typeof e.statusCode === "number" ? e.statusCode : undefined;
  if (status !== undefined) {
    // A failed token refresh (fhirclient refreshes before the request when the token is about to
    // expire) comes back as an HttpError from the token endpoint: the session is over.
    if (tokenUri && typeof e.response?.url === "string" && e.response.url.startsWith(tokenUri)) {
      return { kind: "session-expired", httpStatus: status, message: failureMessage("session-expired") };
    }
    const kind: LoadFailureKind =
      status === 401
        ? "session-expired"
        : status === 403
          ? "forbidden"
          : status === 404
            ? "not-found"
            : status === 429
              ? "rate-limited"
              : status >= 500
                ? "server-error"
                : "bad-request";
    const retryAfterMs = parseRetryAfter(e.response?.headers?.get?.("retry-after"), now);
    return { kind, httpStatus: status, retryAfterMs, message: failureMessage(kind, status) };
  }
  if (e.name === "SyntaxError" || e.name === "MalformedResponseError") {
    return { kind: "malformed", message: failureMessage("malformed") };
  }
  // fhirclient asserts before refreshing: a refresh token without offline/online access scope, or
  // no token endpoint. The token is about to expire and cannot be renewed.
  if (typeof e.message === "string" && /^Unable to refresh\b/.test(e.message)) {
    return { kind: "session-expired", message: failureMessage("session-expired") };
  }
  return { kind: "network", message: failureMessage("network") };
}
