import type { SmartClient } from "./transport";
import { RequestLimiter } from "./limiter";
import { requestJson, type RequestContext } from "./request";
import { DEFAULT_RETRY_POLICY, realSleep, type RetryPolicy, type Sleep } from "./retry";
import type { CapabilitySummary } from "./types";

/**
 * The CapabilityStatement, reduced to what write-back needs: which types accept `create`, whether
 * conditional create (If-None-Exist) is honoured, and whether transactions/batches are supported.
 * Read once per session, in parallel with the searches (never before them: loading does not need
 * it, so it must not sit on the critical path).
 */

interface CapabilityStatementLike {
  resourceType?: unknown;
  fhirVersion?: unknown;
  rest?: {
    mode?: string;
    interaction?: { code?: string }[];
    resource?: {
      type?: string;
      interaction?: { code?: string }[];
      conditionalCreate?: boolean;
      searchParam?: { name?: string }[];
    }[];
  }[];
}

export function summarizeCapabilities(statement: unknown): CapabilitySummary | null {
  const cs = statement as CapabilityStatementLike;
  if (typeof cs !== "object" || cs === null || cs.resourceType !== "CapabilityStatement") return null;
  const rests = Array.isArray(cs.rest) ? cs.rest : [];
  // A CapabilityStatement may describe client and server; the server part is what we talk to.
  const rest = rests.find((r) => r?.mode === "server") ?? rests[0];
  const systemInteractions = new Set((rest?.interaction ?? []).map((i) => i?.code).filter(Boolean));
  const resources: CapabilitySummary["resources"] = {};
  for (const r of rest?.resource ?? []) {
    if (!r || typeof r.type !== "string") continue;
    resources[r.type] = {
      interactions: (r.interaction ?? []).map((i) => i?.code).filter((c): c is string => typeof c === "string"),
      conditionalCreate: r.conditionalCreate === true,
      searchParams: (r.searchParam ?? []).map((p) => p?.name).filter((n): n is string => typeof n === "string"),
    };
  }
  return {
    fhirVersion: typeof cs.fhirVersion === "string" ? cs.fhirVersion : null,
    resources,
    transaction: systemInteractions.has("transaction"),
    batch: systemInteractions.has("batch"),
  };
}

export interface ReadCapabilitiesOptions {
  signal?: AbortSignal;
  retry?: Partial<RetryPolicy>;
  sleep?: Sleep;
  /** Share the loader's request queue; a private one of size 1 otherwise. */
  context?: RequestContext;
  /** Queue priority when sharing the loader's queue. */
  priority?: number;
}

/**
 * GET [base]/metadata through the client (same retries as the searches). Rejects on failure
 * (RequestFailedError, SessionExpiredError) or when the answer is not a CapabilityStatement.
 */
export async function readCapabilities(client: SmartClient, options: ReadCapabilitiesOptions = {}): Promise<CapabilitySummary> {
  const signal = options.signal ?? new AbortController().signal;
  const ctx: RequestContext = options.context ?? {
    client,
    limiter: new RequestLimiter(1, signal),
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    sleep: options.sleep ?? realSleep,
    random: Math.random,
    now: Date.now,
    signal,
    attemptTimeoutMs: 20_000,
  };
  const body = await requestJson(ctx, "metadata", () => options.priority ?? 0);
  const summary = summarizeCapabilities(body);
  if (!summary) throw new Error("The EHR's /metadata is not a CapabilityStatement.");
  return summary;
}
