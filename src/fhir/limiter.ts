import { abortReason } from "./retry";

/**
 * "priority" (default): lower number first, ties first-come. "fifo": first-come only, the priority
 * ignored (what a plain semaphore, or the browser's own connection queue, does): the load bench's
 * baseline for the queue order.
 */
export type QueueOrder = "priority" | "fifo";

/**
 * Bounds the number of requests in flight (browsers open about six connections per host over
 * HTTP/1.1, and EHRs throttle clients that open more) and decides who goes next.
 *
 * The limit applies to requests, not to searches: a search holds no slot between its pages or while
 * it waits to retry, so a slow or rate-limited search never blocks the others. The queue is ordered
 * by priority (lower first, ties first-come); paging.ts and searchPlan.ts choose the numbers so the
 * longest paging chains, which decide when the record is complete, are never kept waiting. What
 * that order is worth against first-come-first-served: test/integration/loader-scheduling.test.ts
 * (in round trips) and `npm run bench -- load` (in time, docs/loading.md).
 *
 * One abort listener for the whole queue (not one per queued request): a load queues a dozen
 * requests at once, and Node warns about more than ten listeners on one signal.
 */
export class RequestLimiter {
  private active = 0;
  private seq = 0;
  private readonly queue: QueueEntry[] = [];
  private pumpQueued = false;
  /** Highest number of requests that were in flight at once (for tests and the bench). */
  maxActive = 0;

  constructor(
    readonly concurrency: number,
    private readonly signal?: AbortSignal,
    private readonly order: QueueOrder = "priority",
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError("concurrency must be >= 1");
    signal?.addEventListener(
      "abort",
      () => {
        for (const entry of this.queue.splice(0)) entry.reject(abortReason(signal));
      },
      { once: true },
    );
  }

  run<T>(priority: number, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.signal?.aborted) return reject(abortReason(this.signal));
      const entry: QueueEntry = {
        priority,
        seq: this.seq++,
        reject,
        start: () => {
          this.active++;
          this.maxActive = Math.max(this.maxActive, this.active);
          task()
            .then(resolve, reject)
            .finally(() => {
              this.active--;
              // Hand the free slot out on the next task, not now: the search whose page just came back
              // queues its next page in the meantime, and may outrank what is already waiting.
              setTimeout(() => this.pump(), 0);
            });
        },
      };
      this.insert(entry);
      // Not at once: requests queued in the same tick (a load queues every search's first page
      // together) are first sorted, then started by priority.
      if (!this.pumpQueued) {
        this.pumpQueued = true;
        queueMicrotask(() => {
          this.pumpQueued = false;
          this.pump();
        });
      }
    });
  }

  private insert(entry: QueueEntry): void {
    // The queue is short (one entry per search at most); a linear insert keeps it sorted.
    let i = this.queue.length;
    while (this.order === "priority" && i > 0 && this.queue[i - 1].priority > entry.priority) i--;
    this.queue.splice(i, 0, entry);
  }

  private pump(): void {
    while (this.active < this.concurrency && this.queue.length > 0) {
      this.queue.shift()!.start();
    }
  }
}

interface QueueEntry {
  priority: number;
  seq: number;
  start: () => void;
  reject: (reason: unknown) => void;
}
