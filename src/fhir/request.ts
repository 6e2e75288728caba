import { SessionExpiredError, isAbortError } from "./errors";
import { RequestFailedError, classifyError, type ClassifiedError } from "./failures";
import type { RequestLimiter } from "./limiter";
import { retryDelay, type RetryPolicy, type Sleep } from "./retry";
import { fhirFetch, type FhirRequestInit, type SmartClient } from "./transport";

export interface RequestContext {
  client: SmartClient;
  limiter: RequestLimiter;
  retry: RetryPolicy;
  sleep: Sleep;
  random: () => number;
  now: () => number;
  signal: AbortSignal;
  /** Time allowed for one attempt, ms: a request that hangs is retried like a dropped connection. */
  attemptTimeoutMs: number;
}

export interface RequestHooks {
  /** Called as each attempt is sent (for request counts). */
  onAttempt?(): void;
  /** Called before waiting `delayMs` to retry after `error`. */
  onRetry?(error: ClassifiedError, delayMs: number): void;
}

/**
 * One GET through the transport (session token, refresh, structured errors), with the concurrency
 * limit, a timeout per attempt and the retry policy around it.
 *
 * Resolves with the parsed body (or the raw body for `as: "bytes"`); rejects with
 * SessionExpiredError (401), RequestFailedError (any other failure, after retries), or the abort
 * reason.
 */
export async function requestFhir<T = unknown>(
  ctx: RequestContext,
  request: Omit<FhirRequestInit, "signal" | "timeoutMs">,
  priority: () => number,
  hooks: RequestHooks = {},
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.limiter.run(priority(), async () => {
        hooks.onAttempt?.();
        const response = await fhirFetch(ctx.client, { ...request, signal: ctx.signal, timeoutMs: ctx.attemptTimeoutMs });
        return response.body as T;
      });
    } catch (error) {
      if (isAbortError(error) || ctx.signal.aborted) throw ctx.signal.reason ?? error;
      if (error instanceof SessionExpiredError) throw error;
      const classified = classifyError(error);
      if (classified.kind === "session-expired") throw new SessionExpiredError();
      const delay = retryDelay(classified, attempt, ctx.retry, ctx.random);
      if (delay === null) {
        throw new RequestFailedError({
          kind: classified.kind,
          ...(classified.httpStatus !== undefined ? { httpStatus: classified.httpStatus } : {}),
          message: classified.message,
        });
      }
      hooks.onRetry?.(classified, delay);
      await ctx.sleep(delay, ctx.signal);
    }
  }
}

/** A FHIR JSON GET of `url` (relative to the base, or absolute under it). */
export function requestJson(ctx: RequestContext, url: string, priority: () => number, hooks: RequestHooks = {}): Promise<unknown> {
  return requestFhir(ctx, { url }, priority, hooks);
}
