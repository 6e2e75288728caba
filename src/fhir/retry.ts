import type { ClassifiedError } from "./failures";

/**
 * Which failures are worth another try, and how long to wait. Only transient answers are retried
 * (429, 5xx, network); 403/404/400 and malformed JSON would come back the same, and a 401 ends the
 * session. Retries are bounded so a struggling EHR costs seconds, not minutes, before the screen
 * says what is missing.
 */
export interface RetryPolicy {
  /** Retries after the first attempt (so at most 1 + maxRetries requests). */
  maxRetries: number;
  /** First backoff delay; doubles each retry. */
  baseDelayMs: number;
  /** Upper bound of one backoff delay. */
  maxDelayMs: number;
  /**
   * Longest Retry-After we honour. A server asking for more is treated as "not now": the search
   * fails as rate-limited instead of leaving the clinician waiting on a spinner.
   */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxRetries: 3,
  baseDelayMs: 400,
  maxDelayMs: 5000,
  maxRetryAfterMs: 20_000,
});

/** Resolves after `ms`, or rejects with an AbortError when `signal` aborts first. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/**
 * A Sleep for one load: every pending wait is cancelled through a single abort listener (see
 * limiter.ts on why not one listener per wait). The `signal` argument of each call is ignored in
 * favour of the load's own.
 */
export function loadSleep(signal: AbortSignal): Sleep {
  const pending = new Map<ReturnType<typeof setTimeout>, (reason: unknown) => void>();
  signal.addEventListener(
    "abort",
    () => {
      for (const [timer, reject] of pending) {
        clearTimeout(timer);
        reject(abortReason(signal));
      }
      pending.clear();
    },
    { once: true },
  );
  return (ms) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(abortReason(signal));
      const timer = setTimeout(() => {
        pending.delete(timer);
        resolve();
      }, ms);
      pending.set(timer, reject);
    });
}

export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The load was aborted.", "AbortError");
}

/**
 * Milliseconds to wait before retry number `attempt + 1`, or null to give up. 429 and 503 follow
 * Retry-After when the server sends it; otherwise exponential backoff with jitter (half fixed, half
 * random) so parallel searches that failed together do not retry in lock-step.
 */
export function retryDelay(
  error: ClassifiedError,
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | null {
  const retryable = error.kind === "rate-limited" || error.kind === "server-error" || error.kind === "network" || error.kind === "timeout";
  if (!retryable || attempt >= policy.maxRetries) return null;
  if (error.retryAfterMs !== undefined && (error.kind === "rate-limited" || error.httpStatus === 503)) {
    return error.retryAfterMs <= policy.maxRetryAfterMs ? error.retryAfterMs : null;
  }
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(exp / 2 + (exp / 2) * random());
}
