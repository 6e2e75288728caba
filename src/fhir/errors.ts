import type { OperationOutcome } from "fhir/r4";
import type { LoadSnapshot } from "./types";

/**
 * What can go wrong talking to the EHR, as data: every error carries the request it answers
 * (method and URL, never a token) and, for HTTP errors, the status, the Retry-After and the
 * server's OperationOutcome, read from the response itself (in the style of client-js's
 * HttpError, without parsing message text).
 */

export interface RequestLine {
  method: string;
  /** The URL asked for (a FHIR URL carries no token). */
  url: string;
}

/** A non-2xx answer. */
export class FhirHttpError extends Error {
  override readonly name = "FhirHttpError";
  constructor(
    readonly request: RequestLine,
    readonly status: number,
    readonly statusText: string,
    /** The OperationOutcome of the body, when it is one. */
    readonly outcome: OperationOutcome | null,
    /** The body as text (at most a few kB), when it was not an OperationOutcome. */
    readonly bodyText: string,
    /** Milliseconds the server asked to wait (Retry-After), when it said so. */
    readonly retryAfterMs: number | undefined,
  ) {
    super(`${request.method} ${request.url}: HTTP ${status}${statusText ? ` ${statusText}` : ""}`);
  }

  /** The server's own words (OperationOutcome issues, an OAuth error, or the body text), or null. */
  serverMessage(): string | null {
    return outcomeText(this.outcome) ?? oauthText(this.bodyText) ?? (this.bodyText.trim() ? this.bodyText.trim().slice(0, 500) : null);
  }
}

/** An error about one request to the EHR, which it names. */
abstract class FhirRequestError extends Error {
  constructor(
    readonly request: RequestLine,
    message: string,
  ) {
    super(message);
  }
}

/** No answer within the time allowed for one attempt. */
export class FhirTimeoutError extends FhirRequestError {
  override readonly name = "FhirTimeoutError";
  constructor(
    request: RequestLine,
    readonly timeoutMs: number,
  ) {
    super(request, `The EHR did not answer within ${Math.round(timeoutMs / 100) / 10} s.`);
  }
}

/** The connection failed (DNS, refused, reset, CORS). */
export class FhirNetworkError extends FhirRequestError {
  override readonly name = "FhirNetworkError";
  constructor(request: RequestLine) {
    super(request, "The EHR could not be reached (network error).");
  }
}

/** A 2xx answer that is not the FHIR JSON asked for: `message` says how. */
export class FhirMalformedError extends FhirRequestError {
  override readonly name = "FhirMalformedError";
}

/** A URL outside the FHIR base: the token is never sent there. */
export class OutsideFhirBaseError extends Error {
  override readonly name = "OutsideFhirBaseError";
  constructor(readonly url: string) {
    super("The link points outside the EHR's FHIR server; it was not followed.");
  }
}

/** A 401 that a refresh could not cure, or a refused token refresh: the session is over. */
export class SessionExpiredError extends Error {
  override readonly name = "SessionExpiredError";
  /** The last snapshot before the session ended, when the loader raised it (keeps partial data). */
  snapshot?: LoadSnapshot;
  constructor(message = "Your session with the EHR has expired. Relaunch the app from the EHR.") {
    super(message);
  }
}

export function isAbortError(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "AbortError";
}

/** OperationOutcome issue texts, de-duplicated, with their location when it adds something. */
export function outcomeText(outcome: unknown): string | null {
  const o = outcome as OperationOutcome | null;
  if (!o || typeof o !== "object" || o.resourceType !== "OperationOutcome" || !Array.isArray(o.issue)) return null;
  const texts = o.issue
    .map((issue) => {
      const text = issue.details?.text ?? issue.diagnostics ?? issue.details?.coding?.[0]?.display ?? issue.code;
      const where = issue.expression?.[0] ?? issue.location?.[0];
      return text ? `${text}${where && !String(text).includes(where) ? ` (${where})` : ""}` : null;
    })
    .filter((t): t is string => !!t);
  return texts.length ? [...new Set(texts)].join("; ") : null;
}

/** `{"error": "...", "error_description": "..."}` (an OAuth error body), as one line. */
function oauthText(body: string): string | null {
  try {
    const json = JSON.parse(body) as { error?: unknown; error_description?: unknown };
    if (typeof json.error !== "string") return null;
    return typeof json.error_description === "string" ? `${json.error}: ${json.error_description}` : json.error;
  } catch {
    return null;
  }
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
