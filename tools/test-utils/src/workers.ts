/** Fixture workers a test starts: messages with bounded waits, and all ended after the test. */
import { Worker, type Transferable } from 'node:worker_threads';

const live = new Set<Worker>();

export interface StartWorkerOptions {
  readonly workerData?: unknown;
  readonly transferList?: readonly Transferable[];
}

/** A started worker and its messages, in order. */
export interface TestWorker {
  readonly worker: Worker;
  /** The next message; rejects after `timeoutMs`, or once the worker has exited with none left. */
  next(timeoutMs?: number): Promise<unknown>;
  /** The exit code, once the thread has ended. */
  readonly exited: Promise<number>;
}

/** Starts the module at `url` in a worker thread, tracked until it exits. */
export function startWorker(url: URL, options: StartWorkerOptions = {}): TestWorker {
  const worker = new Worker(url, {
    workerData: options.workerData,
    transferList: options.transferList === undefined ? undefined : [...options.transferList],
  });
  live.add(worker);
  const inbox: unknown[] = [];
  const waiting: { resolve: (m: unknown) => void; reject: (e: Error) => void }[] = [];
  let ended: string | undefined;
  worker.on('message', (m: unknown) => {
    const w = waiting.shift();
    if (w) w.resolve(m);
    else inbox.push(m);
  });
  worker.on('error', (err) => {
    ended = `worker failed: ${String(err.stack)}`;
  });
  const exited = new Promise<number>((resolve) => {
    worker.once('exit', (code) => {
      live.delete(worker);
      ended ??= `worker exited with code ${String(code)}`;
      for (const w of waiting.splice(0)) w.reject(new Error(ended));
      resolve(code);
    });
  });
  return {
    worker,
    exited,
    next(timeoutMs = 20_000) {
      if (inbox.length > 0) return Promise.resolve(inbox.shift());
      if (ended !== undefined && !live.has(worker)) return Promise.reject(new Error(ended));
      return new Promise((resolve, reject) => {
        const entry = {
          resolve: (m: unknown) => {
            clearTimeout(timer);
            resolve(m);
          },
          reject: (e: Error) => {
            clearTimeout(timer);
            reject(e);
          },
        };
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(entry), 1);
          reject(new Error(`no message from the worker within ${String(timeoutMs)} ms`));
        }, timeoutMs);
        waiting.push(entry);
      });
    },
  };
}

/** Terminates every worker {@link startWorker} started that is still running (call in afterEach). */
export async function terminateAll(): Promise<void> {
  await Promise.all([...live].map((w) => w.terminate()));
  live.clear();
}
