/**
 * The seam through which a context that is not a start method (a cluster of
 * machines) runs a Pool's or an executor's tasks. The pool keeps its
 * scheduler: the context only starts its "workers" (lanes that speak the
 * pool's worker protocol and carry the tasks elsewhere), says how many
 * worker processes there are for `map`'s chunksize, and refuses the options
 * it cannot honour. Decision 0018 describes it.
 */
import type { WorkerLauncher } from './launcher.js';

/** The key under which a context object carries its {@link PoolBackend}. */
export const kPoolBackend = Symbol.for('@multiprocessing/pool/backend');

/** What a context gives a Pool or an executor made with it. */
export interface PoolBackend {
  /** Starts one lane: a worker as the scheduler sees it. */
  readonly launcher: WorkerLauncher;
  /**
   * Tasks each lane holds at least (its `concurrentTasksPerWorker`). Above 1,
   * a lane's results may come back in any order.
   */
  readonly concurrency: number;
  /** The lanes a pool starts when it is given no `processes` / `maxWorkers`. */
  defaultProcesses(): number;
  /** The worker processes that run tasks now: `map`'s default chunksize is made for them. */
  liveProcesses(): number;
  /**
   * Throws when no pool can be made with the context now (it is closed or
   * broken), or a TypeError naming the first option of `options` it cannot honour.
   */
  checkOptions(options: Readonly<Record<string, unknown>>): void;
}

/** The backend `context` carries, if any. */
export function poolBackendOf(context: unknown): PoolBackend | undefined {
  if (typeof context !== 'object' || context === null) return undefined;
  return (context as { [kPoolBackend]?: PoolBackend })[kPoolBackend];
}
