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
}

/**
 * Options of `stream`. `timeout` limits the time the worker takes to produce
 * each value (the first one counting from the task's start); the clock stops
 * while the worker waits for the consumer. A value that is late rejects the
 * stream with `TimeoutError`, and its worker is terminated and replaced.
 */
export interface StreamOptions extends CallOptions {
  /**
   * The most values the worker may be ahead of the consumer: it pulls the
   * next value from the task's iterator only while fewer than this many
   * are produced and not yet read. An integer from 1 to 2^30.
   * @default 16
   */
  highWaterMark?: number | null;
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
}

/** Options of `executor.shutdown`. */
export interface ShutdownOptions {
  /** Resolve only once every pending future has finished and the workers have exited. @default true */
  wait?: boolean;
  /** Cancel the futures that have not started. @default false */
  cancelFutures?: boolean;
}
