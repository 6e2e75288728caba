import { OBSERVATION_CODE_GROUPS } from "../clinical/codes";
import type { UnavailableData } from "../clinical/types";
import { readCapabilities } from "./capabilities";
import type { FhirResourceLike, PageContent } from "./compartment";
import { SessionExpiredError } from "./errors";
import { RequestLimiter } from "./limiter";
import { runSearch, type SearchOutcome } from "./paging";
import { PRIORITY } from "./priority";
import { DEFAULT_PAGE_SIZE, resolveQuirks, type EhrQuirks } from "./quirks";
import type { RequestContext } from "./request";
import { DEFAULT_RETRY_POLICY, loadSleep, type RetryPolicy, type Sleep } from "./retry";
import { buildSearchPlan, type ObservationCodeGroup, type ObservationSplit, type SearchSpec } from "./searchPlan";
import type { SmartClient } from "./transport";
import type { CapabilitySummary, LoadSnapshot, SearchProgress } from "./types";

/** Per attempt: a page of 1,000 resources from a slow EHR takes a few seconds, never half a minute. */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 20_000;

export interface LoadOptions {
  /** Aborts every request and sleep; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** The EHR's entry in smart-config.json (`quirks`). */
  quirks?: EhrQuirks;
  /** Requests in flight at once. Default 6 (what a browser opens per host over HTTP/1.1). */
  concurrency?: number;
  /** `_count` to ask for (capped by quirks.maxPageSize). Default DEFAULT_PAGE_SIZE (1000). */
  pageSize?: number;
  /** Page cap per search; overrides quirks.maxPages. */
  maxPages?: number;
  retry?: Partial<RetryPolicy>;
  /** Injectable for tests: waits between retries. */
  sleep?: Sleep;
  /** Injectable for tests: backoff jitter (0..1). */
  random?: () => number;
  now?: () => number;
  /** Default: OBSERVATION_CODE_GROUPS of src/clinical/codes.ts. */
  observationGroups?: readonly ObservationCodeGroup[];
  /** One Observation search per analyte (default) or per group; see searchPlan.ts. */
  observationSplit?: ObservationSplit;
  /** Default: the patient of the token response (client.patient.id). */
  patientId?: string;
  /** Read the CapabilityStatement in parallel. Default true. */
  capabilities?: boolean;
  /**
   * Time allowed for one request attempt, ms. A request that does not answer in time is retried
   * like a dropped connection, then its search is reported as unavailable: the load always ends.
   * Default DEFAULT_ATTEMPT_TIMEOUT_MS.
   */
  attemptTimeoutMs?: number;
}

/**
 * Loads the patient's record from a ready fhirclient Client (design.md, "Loading").
 *
 * Every search of the plan starts at once; a shared queue keeps at most `concurrency` requests in
 * flight. Each page is checked (patient compartment, OperationOutcome and `_include` entries
 * skipped, duplicates dropped) and `onSnapshot` receives the record so far after every page, so the
 * caller can assess while loading. The loader does not call the engine.
 *
 * Each search fails on its own (its type is then listed in `unavailable`); the promise resolves with
 * the final snapshot, which also carries the capabilities. It rejects with SessionExpiredError on a
 * 401 (its `snapshot` holds what was loaded), or with the abort reason.
 *
 * `onSnapshot` is called synchronously from the loader; it should be cheap (throttle the
 * assessment) and must not throw.
 */
export async function loadPatientRecord(
  client: SmartClient,
  options: LoadOptions = {},
  onSnapshot: (snapshot: LoadSnapshot) => void = () => {},
): Promise<LoadSnapshot> {
  const patientId = options.patientId ?? client.patient.id;
  if (!patientId) throw new Error("No patient in context: the launch did not select a patient.");

  const now = options.now ?? Date.now;
  const startedAt = now();
  const quirks = resolveQuirks(options.quirks);
  const maxPages = options.maxPages ?? quirks.maxPages;
  const plan = buildSearchPlan(patientId, {
    observationGroups: options.observationGroups ?? OBSERVATION_CODE_GROUPS,
    quirks,
    pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE,
    split: options.observationSplit ?? "analyte",
  });

  // One controller for the whole load: the caller's abort and a 401 both stop every request.
  const controller = new AbortController();
  const external = options.signal;
  if (external?.aborted) throw external.reason;
  const onExternalAbort = () => controller.abort(external!.reason);
  external?.addEventListener("abort", onExternalAbort, { once: true });

  const ctx: RequestContext = {
    client,
    limiter: new RequestLimiter(options.concurrency ?? 6, controller.signal),
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    sleep: options.sleep ?? loadSleep(controller.signal),
    random: options.random ?? Math.random,
    now,
    signal: controller.signal,
    attemptTimeoutMs: options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS,
  };

  const record = new RecordState(patientId, plan, now, startedAt);
  let closed = false;
  const emit = () => {
    if (!closed) onSnapshot(record.snapshot());
  };
  emit();

  const searches = plan.map(async (spec) => {
    const outcome = await runSearch(
      spec,
      ctx,
      { patientId, maxPages, serverUrl: client.state.serverUrl },
      {
        onRequest: () => {
          if (record.request(spec.key)) emit();
        },
        onRetry: () => record.retry(spec.key),
        onPage: (content, total) => {
          record.page(spec.key, content, total);
          emit();
        },
      },
    );
    record.finish(spec.key, outcome);
    emit();
  });

  // The CapabilityStatement is for write-back, not for loading: queued after every search's first
  // page (started after them, priority.ts) so it never delays the record, and never fatal.
  const capabilitiesRead: Promise<void> =
    options.capabilities === false
      ? Promise.resolve()
      : readCapabilities(client, { context: ctx, priority: PRIORITY.capabilities }).then(
          (summary) => {
            record.capabilities = summary;
            emit();
          },
          () => {
            if (controller.signal.aborted) return;
            record.capabilities = null;
            emit();
          },
        );

  try {
    await Promise.all(searches);
  } catch (error) {
    controller.abort(error);
    await Promise.allSettled([...searches, capabilitiesRead]);
    external?.removeEventListener("abort", onExternalAbort);
    if (error instanceof SessionExpiredError) {
      record.sessionExpired();
      error.snapshot = record.snapshot();
      onSnapshot(error.snapshot);
    }
    closed = true;
    throw external?.aborted ? external.reason : error;
  }
  await capabilitiesRead;
  external?.removeEventListener("abort", onExternalAbort);
  closed = true;
  return record.snapshot();
}

type Resource = LoadSnapshot["resources"][number];

/** The record being assembled, and the progress of each search. */
class RecordState {
  private readonly resources: Resource[] = [];
  private readonly seen = new Set<string>();
  private readonly strays = new Set<string>();
  private readonly progress = new Map<string, SearchProgress>();
  capabilities: CapabilitySummary | null | undefined = undefined;

  constructor(
    private readonly patientId: string,
    plan: SearchSpec[],
    private readonly now: () => number,
    private readonly startedAt: number,
  ) {
    for (const spec of plan) {
      this.progress.set(spec.key, {
        key: spec.key,
        resourceType: spec.resourceType,
        label: spec.label,
        ...(spec.group ? { group: spec.group } : {}),
        state: "waiting",
        resources: 0,
        pages: 0,
        requests: 0,
        retries: 0,
        strays: 0,
      });
    }
  }

  private get(key: string): SearchProgress {
    return this.progress.get(key)!;
  }

  /** Counts a request; true when the search just started loading (worth a snapshot). */
  request(key: string): boolean {
    const p = this.get(key);
    p.requests = (p.requests ?? 0) + 1;
    if (p.state !== "waiting") return false;
    p.state = "loading";
    return true;
  }

  retry(key: string): void {
    const p = this.get(key);
    p.retries = (p.retries ?? 0) + 1;
  }

  page(key: string, content: PageContent, total: number | undefined): void {
    const p = this.get(key);
    p.pages++;
    if (total !== undefined) p.total = total;
    for (const resource of content.kept) {
      // Paging over a changing result set can repeat an entry; an id seen once is not added twice.
      const id = typeof resource.id === "string" ? `${resource.resourceType}/${resource.id}` : undefined;
      if (id !== undefined) {
        if (this.seen.has(id)) continue;
        this.seen.add(id);
      }
      this.resources.push(resource as FhirResourceLike as unknown as Resource);
      p.resources++;
    }
    for (const ref of content.strays) this.strays.add(ref);
    p.strays = (p.strays ?? 0) + content.strays.length;
  }

  finish(key: string, outcome: SearchOutcome): void {
    const p = this.get(key);
    if (outcome.state === "done") p.state = "done";
    else if (outcome.state === "truncated") {
      p.state = "truncated";
      p.truncatedReason = outcome.reason;
    } else {
      p.state = "failed";
      p.failure = outcome.failure;
    }
  }

  /** After a 401: searches still open are marked as ended by the expired session. */
  sessionExpired(): void {
    for (const p of this.progress.values()) {
      if (p.state === "waiting" || p.state === "loading") {
        p.state = "failed";
        p.failure = { kind: "session-expired", httpStatus: 401, message: "Your session with the EHR has expired." };
      }
    }
  }

  private unavailable(): UnavailableData[] {
    const out: UnavailableData[] = [];
    const listed = new Set<string>();
    for (const p of this.progress.values()) {
      if (p.state !== "failed" && p.state !== "truncated") continue;
      // A search that failed after some pages has partial data: for the engine that is truncation
      // (absence cannot be concluded), not "nothing usable".
      const partial = p.state === "truncated" || p.resources > 0;
      // Analyte searches of one group report the group once (the engine reasons per group).
      const id = `${p.resourceType}|${p.group ?? ""}|${partial}`;
      if (listed.has(id)) continue;
      listed.add(id);
      out.push({
        resourceType: p.resourceType,
        reason: partial ? "truncated" : "failed",
        ...(p.group ? { group: p.group } : {}),
        message: p.state === "truncated" ? `${p.label}: ${p.truncatedReason}` : `${p.label}: ${p.failure?.message}`,
      });
    }
    return out;
  }

  snapshot(): LoadSnapshot {
    const progress = [...this.progress.values()].map((p) => ({ ...p, ...(p.failure ? { failure: { ...p.failure } } : {}) }));
    const requests = progress.reduce((n, p) => n + (p.requests ?? 0), 0);
    return {
      patientId: this.patientId,
      resources: this.resources.slice(),
      progress,
      complete: progress.every((p) => p.state !== "waiting" && p.state !== "loading"),
      strays: [...this.strays],
      unavailable: this.unavailable(),
      ...(this.capabilities !== undefined ? { capabilities: this.capabilities } : {}),
      stats: {
        requests,
        retries: progress.reduce((n, p) => n + (p.retries ?? 0), 0),
        longestChain: progress.reduce((n, p) => Math.max(n, p.requests ?? 0), 0),
        elapsedMs: this.now() - this.startedAt,
      },
    };
  }
}
