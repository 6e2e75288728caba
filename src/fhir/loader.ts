import { OBSERVATION_CODE_GROUPS } from "../clinical/codes";
import { readCapabilities } from "./capabilities";
import { SessionExpiredError } from "./errors";
import { RequestLimiter, type QueueOrder } from "./limiter";
import type { TextExtractor } from "../documents/types";
import { AttachmentReader, DEFAULT_ATTACHMENT_LIMITS, type AttachmentLimits } from "./attachments";
import { runSearch } from "./paging";
import { RecordState } from "./recordState";
import { PRIORITY } from "./priority";
import { DEFAULT_PAGE_SIZE, resolveQuirks, type EhrQuirks } from "./quirks";
import type { RequestContext } from "./request";
import { DEFAULT_RETRY_POLICY, loadSleep, type RetryPolicy, type Sleep } from "./retry";
import { buildSearchPlan, type ObservationCodeGroup, type ObservationSplit, type SearchSpec } from "./searchPlan";
import type { SmartClient } from "./transport";
import type { LoadSnapshot } from "./types";

/** Per attempt: a page of 1,000 resources from a slow EHR takes a few seconds, never half a minute. */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 20_000;

export interface LoadOptions {
  /** Aborts every request and sleep; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** The EHR's entry in smart-config.json (`quirks`). */
  quirks?: EhrQuirks;
  /** Requests in flight at once. Default 6 (what a browser opens per host over HTTP/1.1). */
  concurrency?: number;
  /** Who gets a free slot first (limiter.ts). Default "priority" (priority.ts); "fifo" for the bench. */
  queueOrder?: QueueOrder;
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
   * Reads report and note attachments into text (src/documents: the browser's extractor in the app).
   * Without one, attachments are not fetched and the engine is told so.
   */
  extractor?: TextExtractor;
  /** Size cap per attachment and total budget. Default DEFAULT_ATTACHMENT_LIMITS. */
  attachmentLimits?: Partial<AttachmentLimits>;
  /**
   * Time allowed for one request attempt, ms. A request that does not answer in time is retried
   * like a dropped connection, then its search is reported as unavailable: the load always ends.
   * Default DEFAULT_ATTEMPT_TIMEOUT_MS.
   */
  attemptTimeoutMs?: number;
}

/** A load under way (or finished), whose failed searches can be tried again. */
export interface RecordLoad {
  /** Resolves with the final snapshot once every search has ended (done, failed or truncated). */
  finished: Promise<LoadSnapshot>;
  /**
   * Runs the given failed or truncated searches again (all of them when no key is given), keeping
   * what was loaded; `onSnapshot` follows as before. Resolves with the snapshot once they end.
   * Rejects like `finished` (session expired, aborted).
   */
  retry(keys?: readonly string[]): Promise<LoadSnapshot>;
}

/**
 * Loads the patient's record from a ready session (design.md, "Loading").
 *
 * Every search of the plan starts at once; a shared queue keeps at most `concurrency` requests in
 * flight. Each page is checked (patient compartment, OperationOutcome and `_include` entries
 * skipped, duplicates dropped) and `onSnapshot` receives the record so far after every page, so the
 * caller can assess while loading. The loader does not call the engine.
 *
 * Each search fails on its own (its type is then listed in `unavailable`); `finished` resolves with
 * the final snapshot, which also carries the capabilities. It rejects with SessionExpiredError on a
 * 401 (its `snapshot` holds what was loaded), or with the abort reason.
 *
 * `onSnapshot` is called synchronously from the loader; it should be cheap (throttle the
 * assessment) and must not throw.
 */
export function startRecordLoad(
  client: SmartClient,
  options: LoadOptions = {},
  onSnapshot: (snapshot: LoadSnapshot) => void = () => {},
): RecordLoad {
  const patientId = options.patientId ?? client.patient.id;
  if (!patientId) throw new Error("No patient in context: the launch did not select a patient.");
  const external = options.signal;
  if (external?.aborted) throw external.reason;

  const now = options.now ?? Date.now;
  const quirks = resolveQuirks(options.quirks);
  const maxPages = options.maxPages ?? quirks.maxPages;
  const plan = buildSearchPlan(patientId, {
    observationGroups: options.observationGroups ?? OBSERVATION_CODE_GROUPS,
    quirks,
    pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE,
    split: options.observationSplit ?? "analyte",
    today: new Date(now()).toISOString().slice(0, 10),
  });

  // One controller for the whole load: the caller's abort and a 401 both stop every request.
  const controller = new AbortController();
  const onExternalAbort = () => controller.abort(external!.reason);
  external?.addEventListener("abort", onExternalAbort, { once: true });

  const ctx: RequestContext = {
    client,
    limiter: new RequestLimiter(options.concurrency ?? 6, controller.signal, options.queueOrder),
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    sleep: options.sleep ?? loadSleep(controller.signal),
    random: options.random ?? Math.random,
    now,
    signal: controller.signal,
    attemptTimeoutMs: options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS,
  };

  const record = new RecordState(patientId, plan, now, now());
  let ended = false;
  const emit = () => {
    if (!ended) onSnapshot(record.snapshot());
  };
  const reader = new AttachmentReader(
    ctx,
    client.state.serverUrl,
    options.extractor,
    { ...DEFAULT_ATTACHMENT_LIMITS, ...options.attachmentLimits },
    emit,
  );
  record.attachments = reader;
  emit();

  const run = (spec: SearchSpec) =>
    runSearch(
      spec,
      ctx,
      { patientId, maxPages, serverUrl: client.state.serverUrl },
      {
        onRequest: () => {
          if (record.request(spec.key)) emit();
        },
        onRetry: () => record.retry(spec.key),
        onPage: (content, total) => {
          reader.offer(record.page(spec.key, content, total));
          emit();
        },
      },
    ).then((outcome) => {
      record.finish(spec.key, outcome);
      emit();
    });

  /** Waits for these searches; a 401 ends the whole load, keeping what was loaded. */
  const settle = async (searches: Promise<void>[], also: Promise<void>[] = []): Promise<LoadSnapshot> => {
    try {
      await Promise.all(searches);
      // Attachments offered by the last pages: the record is complete once they are read.
      await reader.settled();
    } catch (error) {
      controller.abort(error);
      await Promise.allSettled([...searches, ...also, reader.settled()]);
      external?.removeEventListener("abort", onExternalAbort);
      if (error instanceof SessionExpiredError) {
        record.sessionExpired();
        error.snapshot = record.snapshot();
        onSnapshot(error.snapshot);
      }
      ended = true;
      throw external?.aborted ? external.reason : error;
    }
    await Promise.all(also);
    return record.snapshot();
  };

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

  const finished = settle(plan.map(run), [capabilitiesRead]);
  return {
    finished,
    async retry(keys) {
      await finished.catch(() => undefined);
      if (ended || controller.signal.aborted) throw controller.signal.reason ?? new Error("The load has ended.");
      const again = plan.filter((spec) => (!keys || keys.includes(spec.key)) && record.reset(spec.key));
      emit();
      return settle(again.map(run));
    },
  };
}

/** The whole load in one promise (no retry): resolves with the final snapshot. */
export async function loadPatientRecord(
  client: SmartClient,
  options: LoadOptions = {},
  onSnapshot: (snapshot: LoadSnapshot) => void = () => {},
): Promise<LoadSnapshot> {
  return startRecordLoad(client, options, onSnapshot).finished;
}
