/**
 * A fixed pool of worker threads (worker.ts) fed from a queue of tasks. The first failure stops
 * the pool: bad input rejects with its InputError, anything else (a worker out of memory
 * included) with a one-line Error.
 */
import { Worker } from "node:worker_threads";
import { InputError, LimitError } from "./input";
import type { WorkerReply, WorkerSetup, WorkerTask } from "./worker";

/** Under tsx (the .ts sources), a worker must register tsx before it loads worker.ts. */
function startWorker(setup: WorkerSetup, heapMb: number): Worker {
  const url = new URL("./worker.ts", import.meta.url).href;
  const resourceLimits = { maxOldGenerationSizeMb: heapMb };
  const api = import.meta.resolve("tsx/esm/api");
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url)}); })`;
  // execArgv: [] so that the main process's heap flags do not cap the workers: --worker-memory does.
  return new Worker(boot, { eval: true, workerData: setup, resourceLimits, execArgv: [] });
}

export class Pool {
  private readonly workers: Worker[];

  constructor(
    setups: WorkerSetup[],
    private readonly heapMb: number,
  ) {
    this.workers = setups.map((s) => startWorker(s, heapMb));
  }

  get size(): number {
    return this.workers.length;
  }

  /** Runs every task (in order of the list, as workers free up); results in task order. */
  run(tasks: WorkerTask[]): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      const results: unknown[] = new Array(tasks.length);
      let next = 0;
      let done = 0;
      let failed = false;
      const cleanups: (() => void)[] = [];
      const finish = (error?: Error) => {
        for (const c of cleanups) c();
        if (error) {
          failed = true;
          reject(error);
        } else resolve(results);
      };
      const feed = (w: Worker) => {
        if (failed || next >= tasks.length) return;
        const index = next++;
        const onMessage = (reply: WorkerReply) => {
          w.off("message", onMessage);
          if (failed) return;
          if (!reply.ok) {
            const ie = reply.inputError;
            return finish(ie ? new InputError(ie.file, ie.where, ie.what) : new Error(reply.internal));
          }
          results[index] = reply.value;
          if (++done === tasks.length) return finish();
          feed(w);
        };
        w.on("message", onMessage);
        w.postMessage(tasks[index]);
      };
      for (const w of this.workers) {
        const onError = (e: Error & { code?: string }) =>
          failed ||
          finish(
            e.code === "ERR_WORKER_OUT_OF_MEMORY"
              ? new LimitError(`out of memory in a worker (${this.heapMb} MB): one patient's record is too large; raise --worker-memory`)
              : new Error(e.message),
          );
        const onExit = (code: number) => failed || finish(new Error(`a worker stopped unexpectedly (exit code ${code})`));
        w.on("error", onError);
        w.on("exit", onExit);
        cleanups.push(() => {
          w.off("error", onError);
          w.off("exit", onExit);
        });
      }
      if (tasks.length === 0) return finish();
      for (const w of this.workers) feed(w);
    });
  }

  /** Each worker runs exactly this task once (e.g. flushing its own files). */
  broadcast(task: WorkerTask): Promise<unknown[]> {
    const once = (w: Worker) =>
      new Promise<unknown>((resolve, reject) => {
        w.once("message", (reply: WorkerReply) => (reply.ok ? resolve(reply.value) : reject(new Error(reply.internal ?? "worker failed"))));
        w.postMessage(task);
      });
    return Promise.all(this.workers.map(once));
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
