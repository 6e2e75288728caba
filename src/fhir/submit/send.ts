import { FhirHttpError, FhirTimeoutError, SessionExpiredError, isAbortError } from "../errors";
import { fhirFetch, type FhirResponse, type SmartClient } from "../transport";

/**
 * One write-back request and what its failure means. Strictly one request at a time (the executor
 * awaits each), with a timeout, and no optional headers (every extra header must pass the EHR's
 * CORS preflight): only Content-Type and, for conditional creates, If-None-Exist.
 */

export type Failure =
  | { kind: "timeout"; message: string }
  | { kind: "network"; message: string }
  | { kind: "aborted"; message: string }
  | { kind: "session-expired"; status: 401; message: string }
  | { kind: "http"; status: number; message: string; refusal?: boolean };

export interface SendContext {
  client: SmartClient;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface SendRequest {
  url: string;
  method: "GET" | "POST";
  body?: string;
  headers?: Record<string, string>;
}

/** Sends one request; resolves with status, headers and body, or throws a Failure. */
export async function send<T>(ctx: SendContext, request: SendRequest): Promise<FhirResponse<T>> {
  try {
    return await fhirFetch<T>(ctx.client, { ...request, signal: ctx.signal, timeoutMs: ctx.timeoutMs });
  } catch (error) {
    throw toFailure(error, ctx);
  }
}

function toFailure(error: unknown, ctx: SendContext): Failure {
  if (ctx.signal?.aborted) return { kind: "aborted", message: "The send was cancelled." };
  if (error instanceof SessionExpiredError) return { kind: "session-expired", status: 401, message: "The session has expired." };
  if (error instanceof FhirTimeoutError) return { kind: "timeout", message: error.message };
  if (error instanceof FhirHttpError) {
    const fallback = `${error.status}${error.statusText ? ` ${error.statusText}` : ""}`;
    return { kind: "http", status: error.status, message: error.serverMessage() ?? fallback };
  }
  if (isAbortError(error)) return { kind: "timeout", message: `The EHR did not answer within ${Math.round(ctx.timeoutMs / 100) / 10} s.` };
  return { kind: "network", message: "The EHR could not be reached (network error)." };
}

export function isFailure(error: unknown): error is Failure {
  return !!error && typeof error === "object" && "kind" in error && typeof (error as Failure).message === "string";
}

export function asFailure(error: unknown): Failure {
  return isFailure(error) ? error : { kind: "network", message: String((error as Error)?.message ?? error) };
}

/** A permanent refusal of this resource (4xx other than 408/429): it is not retried. */
export function isRefusal(failure: Failure): failure is Extract<Failure, { kind: "http" }> {
  return (
    failure.kind === "http" &&
    (failure.refusal === true || (failure.status >= 400 && failure.status < 500 && failure.status !== 408 && failure.status !== 429))
  );
}

/**
 * The EHR received the request and may have committed it before the answer was lost: a timeout, a
 * dropped connection, or a server error (5xx) after the body was sent.
 */
export function mayHaveCommitted(failure: Failure): boolean {
  return failure.kind === "timeout" || failure.kind === "network" || (failure.kind === "http" && failure.status >= 500);
}
