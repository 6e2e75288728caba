import { FhirHttpError, FhirMalformedError, FhirTimeoutError, OutsideFhirBaseError, SessionExpiredError } from "./errors";
import type { LoadFailure, LoadFailureKind } from "./types";

/** One request of the loader failed for good (after any retries). Carries the failure shown to the user. */
export class RequestFailedError extends Error {
  override readonly name = "RequestFailedError";
  constructor(readonly failure: LoadFailure) {
    super(failure.message);
  }
}

export interface ClassifiedError {
  kind: LoadFailureKind;
  httpStatus?: number;
  /** Milliseconds the server asked us to wait (Retry-After), when it said so. */
  retryAfterMs?: number;
  message: string;
}

const MESSAGES: Record<Exclude<LoadFailureKind, "bad-request">, string> = {
  forbidden: "The EHR did not grant access to these data (scope not granted or not permitted).",
  "not-found": "The EHR does not offer these data.",
  "rate-limited": "The EHR is rate-limiting requests; these data could not be loaded.",
  "server-error": "The EHR had an error while returning these data.",
  network: "These data could not be loaded: the network connection to the EHR failed.",
  timeout: "The EHR did not answer in time; these data could not be loaded.",
  malformed: "The EHR answered with something that is not valid FHIR JSON.",
  "outside-base": "The EHR's next page link points outside its FHIR server; it was not followed.",
  "session-expired": "Your session with the EHR has expired.",
};

export function failureMessage(kind: LoadFailureKind, httpStatus?: number): string {
  if (kind === "bad-request") return `The EHR refused the search (HTTP ${httpStatus ?? "4xx"}).`;
  return MESSAGES[kind];
}

/** What a transport error (errors.ts) means for a search: its kind, and whether to wait before a retry. */
export function classifyError(error: unknown): ClassifiedError {
  if (error instanceof SessionExpiredError) return { kind: "session-expired", httpStatus: 401, message: failureMessage("session-expired") };
  if (error instanceof FhirHttpError) {
    const status = error.status;
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
    return { kind, httpStatus: status, retryAfterMs: error.retryAfterMs, message: failureMessage(kind, status) };
  }
  if (error instanceof FhirTimeoutError) return { kind: "timeout", message: failureMessage("timeout") };
  if (error instanceof FhirMalformedError) return { kind: "malformed", message: failureMessage("malformed") };
  if (error instanceof OutsideFhirBaseError) return { kind: "outside-base", message: failureMessage("outside-base") };
  return { kind: "network", message: failureMessage("network") };
}
