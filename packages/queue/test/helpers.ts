import { Worker } from 'node:worker_threads';
import { fromPostable, sharedBufferSnapshot, toPostable } from '@multiprocessing/core/internal';

const live = new Set<Worker>();

/** A scenario of fixtures/scenarios.mjs running in a worker thread. */
export interface Running {
  readonly worker: Worker;
  /** The scenario's return value; rejects with its error or on a bad exit. */
  readonly result: Promise<unknown>;
  /** Resolves with the exit code once the thread has exited. */
  readonly exited: Promise<number>;
}

/** Starts `scenario` with `args` (shareables arrive live) in a new worker. */
export function runScenario(scenario: string, args: Record<string, unknown>, timeoutMs = 30_000): Running {
  const { value, transfer } = toPostable({ scenario, args }, 'workerData');
  const worker = new Worker(new URL('./fixtures/queue-worker.mjs', import.meta.url), {
    // As the process runtime does: buffers announced before this thread
    // started still resolve there.
    workerData: { snapshot: sharedBufferSnapshot(), payload: value },
    transferList: transfer,
  });
  live.add(worker);
  const exited = new Promise<number>((resolve) => {
    worker.once('exit', (code) => {
      live.delete(worker);
      resolve(code);
    });
  });
  const result = new Promise<unknown>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`scenario ${scenario} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    worker.once('message', (msg: unknown) => {
      clearTimeout(timer);
      const r = fromPostable(msg) as { ok: boolean; value?: unknown; error?: unknown };
      if (r.ok) resolve(r.value);
      else reject(r.error instanceof Error ? r.error : new Error(String(r.error)));
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with code ${code} before answering`));
    });
  });
  result.catch(() => undefined);
  return { worker, result, exited };
}

/** Terminates every worker still running (call in afterEach). */
export async function terminateAll(): Promise<void> {
  await Promise.all([...live].map((w) => w.terminate()));
  live.clear();
}

/** Rejects after `ms` unless `p` settles first. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${what} did not settle within ${ms} ms`));
    }, ms);
  });
  return Promise.race([p, timeout]).finally(() => {
    clearTimeout(timer);
  });
}
