/**
 * The options of `Pool`, its calls and `ProcessPoolExecutor`. Mirrors the
 * keyword arguments of `multiprocessing.pool.Pool` and
 * `concurrent.futures.ProcessPoolExecutor`, in camelCase.
 */
import type { ResourceLimits, Transferable } from 'node:worker_threads';
import type { Task, TaskArgs } from '@multiprocessing/core';

/**
 * The item type `map` and `imap` take for task `T`: its first parameter (any
 * value for a task without parameters, which ignores it).
 */
export type MapArg<T> = TaskArgs<T> extends readonly [] ? unknown : TaskArgs<T>[0];

/** The start method a pool's workers run under. */
export type PoolStartMethod = 'thread' | 'process';

/** What `getContext(method)` from `@multiprocessing/process` returns (only `startMethod` is read). */
export interface PoolContext {
  /** The start method the pool's workers run under. */
  readonly startMethod: PoolStartMethod;
}

/** Options of `new Pool()`. */
export interface PoolOptions {
  /**
   * Number of workers, 1 to 4096. More than the number of cores is allowed.
   * @default cpuCount()
   */
  processes?: number | null;
  /** A task run once in every worker before its first task, replacements included. */
  initializer?: Task | null;
  /** Arguments of the initializer. @default [] */
  initArgs?: readonly unknown[];
  /**
   * Tasks a worker runs before it is replaced by a fresh one (a map chunk
   * counts as one task). `undefined` means for ever.
   * @default undefined
   */
  maxTasksPerChild?: number | null;
  /**
   * `getContext('thread' | 'process')`: the start method of the workers.
   * @default the current default start method (`getStartMethod()`)
   */
  context?: PoolContext | null;
  /** `worker_threads` resource limits of each worker (thread start method only). */
  resourceLimits?: ResourceLimits;
  /**
   * Most tasks that may wait for a worker beyond the `processes` that run:
   * a task (an `apply`, a map chunk, an imap chunk) counts from its
   * submission until it settles, and the first `processes` of them count as
   * running. An integer ≥ 0, or `Infinity`. What a call beyond it does is
   * `onQueueFull`'s choice. No Python counterpart (Python queues without limit).
   * @default Infinity
   */
  maxQueue?: number | null;
  /**
   * What a call does when its tasks do not fit under `maxQueue`: `'reject'`
   * fails it at once with `QueueFullError` (nothing of it is queued);
   * `'wait'` keeps its promise pending until there is room, first come first
   * served (its `signal` can abort the wait; `terminate()` rejects it with
   * `CancelledError`). An `imap` never fails: it reads its input as room frees up.
   * @default 'reject'
   */
  onQueueFull?: 'reject' | 'wait' | null;
}

/** Options every call takes. */
export interface CallOptions {
  /**
   * Limit of each task's own run time, in seconds. A task that overruns
   * rejects with `TimeoutError`, and its worker is terminated and replaced.
   * @default undefined (no limit)
   */
  timeout?: number | null;
  /** Aborting rejects the call with `signal.reason`; workers running its tasks are replaced. */
  signal?: AbortSignal;
  /**
   * ArrayBuffers (or MessagePorts) in the arguments to move to the worker
   * instead of copying (thread start method; copied under 'process').
   */
  transfer?: readonly Transferable[];
}

/** Options of `map` and `starmap`. */
export interface MapOptions extends CallOptions {
  /**
   * Items per task sent to a worker.
   * @default Python's rule: ceil(items / (4 × processes))
   */
  chunksize?: number | null;
  /** Called as chunks complete, with the number of items done and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** Options of `imap` and `imapUnordered`. */
export interface IMapOptions extends CallOptions {
  /** Items per task sent to a worker. @default 1 */
  chunksize?: number | null;
  /**
   * At most this many tasks (chunks) are made from the input and not yet
   * read by the consumer: the input is read only as the results are. An
   * integer ≥ 1. After `close()`, no more input is read: the tasks already
   * made run, then the iteration ends. Mirrors Python's `buffersize`.
   * @default undefined (read the input as fast as workers take it)
   */
  buffersize?: number | null;
}

/** Callbacks of the `…Async` calls. */
export interface AsyncCallbacks<R> {
  /** Called with the result when the call succeeds (before the AsyncResult's promise settles). */
  callback?: (result: R) => void;
  /** Called with the error when the call fails. */
  errorCallback?: (error: Error) => void;
}

/** Options of `applyAsync`. */
export type ApplyAsyncOptions<R> = CallOptions & AsyncCallbacks<R>;

/** Options of `mapAsync` and `starmapAsync`. */
export type MapAsyncOptions<R> = MapOptions & AsyncCallbacks<R[]>;

/** Options of `new ProcessPoolExecutor()`. */
export interface ExecutorOptions {
  /**
   * Maximum number of workers, 1 to 4096; they start on demand.
   * @default cpuCount()
   */
  maxWorkers?: number | null;
  /** A task run once in every worker before its first task. */
  initializer?: Task | null;
  /** Arguments of the initializer. @default [] */
  initArgs?: readonly unknown[];
  /** Tasks a worker runs before it is replaced. @default undefined (for ever) */
  maxTasksPerChild?: number | null;
  /** `getContext('thread' | 'process')`. @default the current default start method */
  context?: PoolContext | null;
}

/** Options of `executor.map`. */
export interface ExecutorMapOptions {
  /**
   * Seconds, from the call, until each next result must be ready; a result
   * not ready by then rejects with `TimeoutError`.
   * @default undefined (no limit)
   */
  timeout?: number | null;
  /** Items per task. @default 1 */
  chunksize?: number;
  /**
   * At most this many tasks (chunks) submitted whose results have not been
   * yielded: the input is read lazily, one more task per result taken. An
   * integer ≥ 1. Mirrors Python 3.14's `buffersize`.
   * @default undefined (every item is submitted at once)
   */
  buffersize?: number | null;
}

/** Options of `executor.shutdown`. */
export interface ShutdownOptions {
  /** Resolve only once every pending future has finished and the workers have exited. @default true */
  wait?: boolean;
  /** Cancel the futures that have not started. @default false */
  cancelFutures?: boolean;
}
