import { classifyError, isAbortError, RequestFailedError, SessionExpiredError, type ClassifiedError, type FhirRequester } from "./http";
import type { RequestLimiter } from "./limiter";
import { retryDelay, type RetryPolicy, type Sleep } from "./retry";

export interface RequestContext {
  client: FhirRequester;
  limiter: RequestLimiter;
  retry: RetryPolicy;
  sleep: Sleep;
  random: () => number;
  now: () => number;
  signal: AbortSignal;
}

export interface RequestHooks {
  /** Called as each attempt is sent (for request counts). */
  onAttempt?(): void;
  /** Called before waiting `delayMs` to retry after `error`. */
  onRetry?(error: ClassifiedError, delayMs: number): void;
}

/**
 * One GET through fhirclient's real request path (auth header, token refresh, HttpError), with the
 * concurrency limit and the retry policy around it. fhirclient's own paging is switched off
 * (`pageLimit: 1`): the loader follows `next` itself to cap pages, detect loops and stream.
 *
 * Resolves with the parsed body; rejects with SessionExpiredError (401), RequestFailedError (any
 * other failure, after retries), or the abort reason.
 */
export async function requestJson(ctx: RequestContext, url: string, priority: () => number, hooks: RequestHooks = {}): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.limiter.run(priority(), () => {
        hooks.onAttempt?.();
        return ctx.client.request<unknown>({ url, signal: ctx.signal }, { pageLimit: 1, flat: false });
      });
    } catch (error) {
      if (isAbortError(error) || ctx.signal.aborted) throw ctx.signal.reason ?? error;
      const classified = classifyError(error, ctx.now(), ctx.client.state.tokenUri);
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
