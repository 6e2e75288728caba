import { assess } from "../../../clinical";
import type { Assessment, AssessOptions } from "../../../clinical/types";
import type { AssessRequest, AssessResponse } from "./protocol";
import { applyDelta } from "./share";

type Resources = Parameters<typeof assess>[0];
/** The engine's signature, answered now (main thread) or later (worker). */
export type BackgroundAssess = (resources: readonly unknown[], options: AssessOptions) => Assessment | Promise<Assessment>;

const onMainThread: BackgroundAssess = (resources, options) => assess(resources as Resources, options);

interface Pending {
  resolve(a: Assessment): void;
  reject(e: Error): void;
  resources: readonly unknown[];
  options: AssessOptions;
}

/**
 * Sends only what is new: the loader's snapshots grow by appending, so when the new list extends
 * the one sent before (its last object at the same place) the worker gets the tail. A worker that
 * fails to start or crashes (a policy refusing it) hands its pending work, and all later work, to
 * the main thread: the same engine, never a failed assessment.
 */
function inWorker(worker: Worker): BackgroundAssess {
  // A count and the last object, not the array: the loader may hand over one growing array.
  let sentCount = 0;
  let sentLast: unknown = undefined;
  let nextId = 1;
  let broken = false;
  // The last assessment received: the worker's next answer is a delta on it (share.ts).
  let last: Assessment | null = null;
  const pending = new Map<number, Pending>();
  worker.onmessage = (event: MessageEvent<AssessResponse>) => {
    const reply = event.data;
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if ("error" in reply) return p.reject(new Error(reply.error));
    try {
      last = applyDelta(last, reply.delta);
    } catch (e) {
      sentCount = 0; // out of step with the worker: the next request starts afresh
      return p.reject(e instanceof Error ? e : new Error(String(e)));
    }
    p.resolve(last);
  };
  worker.onerror = () => {
    broken = true;
    worker.terminate();
    for (const p of pending.values()) {
      try {
        p.resolve(onMainThread(p.resources, p.options) as Assessment);
      } catch (e) {
        p.reject(e instanceof Error ? e : new Error(String(e)));
      }
    }
    pending.clear();
  };
  return (resources, options) => {
    if (broken) return onMainThread(resources, options);
    const grows = sentCount > 0 && resources.length >= sentCount && resources[sentCount - 1] === sentLast;
    const request: AssessRequest = { id: nextId++, reset: !grows, added: grows ? resources.slice(sentCount) : [...resources], options };
    sentCount = resources.length;
    sentLast = resources[resources.length - 1];
    return new Promise<Assessment>((resolve, reject) => {
      pending.set(request.id, { resolve, reject, resources, options });
      worker.postMessage(request);
    });
  };
}

let shared: BackgroundAssess | null = null;

/**
 * The engine in a Web Worker where the browser has one (answers are Promises, in order), else the
 * engine itself on the main thread (answers at once; jsdom, old browsers). One worker per page.
 */
export function backgroundAssess(): BackgroundAssess {
  if (shared) return shared;
  if (typeof Worker === "undefined") return (shared = onMainThread);
  try {
    shared = inWorker(new Worker(new URL("./assess.worker.ts", import.meta.url), { type: "module", name: "assessment" }));
  } catch {
    shared = onMainThread;
  }
  return shared;
}
