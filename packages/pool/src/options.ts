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

/**
 * How each worker of a Pool or an executor is started and ended: its
 * environment, arguments and data, its finalizer, and its memory limit.
 */
export interface PoolWorkerOptions {
  /**
   * A task run in each worker before it exits cleanly: after close() once its
   * work is done, when maxTasksPerChild or maxMemoryPerChild replaces it, and
   * when it retires idle. Not after terminate(), a kill or a crash. Async
   * finalizers are awaited. One that throws or overruns `finalizerTimeout`
   * is reported as a `FinalizerWarning` process warning; the worker exits
   * all the same and join() resolves.
   */
  finalizer?: Task | null;
  /** Arguments of the finalizer. @default [] */
  finalizerArgs?: readonly unknown[];
  /**
   * Seconds the finalizer may run; then its worker is terminated (and a
   * `FinalizerWarning` emitted). `Infinity`: no limit.
   * @default 5
   */
  finalizerTimeout?: number | null;
  /**
   * Heap in use, in MiB (`v8.getHeapStatistics().used_heap_size`), above
   * which a worker is replaced after the task that passed it (its result is
   * delivered), as `maxTasksPerChild` replaces one. `undefined`: no limit.
   * @default undefined
   */
  maxMemoryPerChild?: number | null;
  /**
   * The workers' `process.env`; it replaces the environment (spread
   * `process.env` into it to extend it). Values must be strings.
   * @default process.env (a copy, under 'thread')
   */
  env?: Readonly<Record<string, string>> | null;
  /** Strings appended to each worker's `process.argv`. @default [] */
  argv?: readonly string[] | null;
  /**
   * Node options of each worker. 'process': appended to the options the child
   * inherits. 'thread': Node's Worker `execArgv`, which replaces the options
   * the thread inherits and accepts only per-thread options (e.g.
   * `--no-warnings`, `--enable-source-maps`); others (`--expose-gc`,
   * `--max-old-space-size=…`) make the constructor throw Node's
   * `ERR_WORKER_INVALID_EXEC_ARGV`.
   * @default inherited
   */
  execArgv?: readonly string[] | null;
  /**
   * Any value a task argument may be; each worker reads it with
   * `getWorkerData()` (in tasks, the initializer and the finalizer).
   * @default undefined
   */
  workerData?: unknown;
}

/** Options of `new Pool()`. */
export interface PoolOptions extends PoolWorkerOptions {
  /**
   * Number of workers, 1 to 4096: the most the pool runs at once. More
   * than the number of cores is allowed.
   * @default cpuCount()
   */
  processes?: number | null;
  /**
   * Workers the pool keeps alive, 0 to `processes`. Below `processes`, the
   * pool starts that many at construction and more (up to `processes`) when
   * tasks wait and every live worker is busy; the extra ones exit after
   * `idleTimeout` without a task. No Python counterpart.
   * @default processes (every worker starts at construction and stays, as in Python)
   */
  minProcesses?: number | null;
  /**
   * Seconds a worker above `minProcesses` may stay idle before it exits;
   * greater than 0, `Infinity` for never. Has no effect when `minProcesses`
   * equals `processes`.
   * @default 30
   */
  idleTimeout?: number | null;
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
   * Seconds a worker has to stop a task its caller gave up on (an aborted
   * `signal`, an expired `timeout`) before it is terminated and replaced. The
   * task learns of it through `currentTask().signal`; one that returns or
   * throws in time keeps its worker. 0 terminates the worker at once. The
   * caller's promise rejects at once either way. A finite number ≥ 0.
   * @default 1
   */
  abortGracePeriod?: number | null;
  /**
   * Tasks one worker runs at once, 1 to 1024: worth raising for async
   * (I/O-bound) tasks, which spend their time waiting. Each worker then
   * counts as that many slots. Tasks still start in the order they were
   * submitted. Each task has its own `currentTask()`. When a task on a
   * shared worker times out or is aborted, only that task's signal fires; if
   * it stops within `abortGracePeriod` the worker and the tasks beside it go
   * on. If it does not, its worker is terminated and replaced: the other
   * tasks running on it at that moment reject with `WorkerLostError` (its
   * `cause` is the timeout or abort), and tasks it held but had not started
   * run elsewhere. A map chunk is one task.
   * @default 1
   */
  concurrentTasksPerWorker?: number;
  /**
   * The workers' stdout and stderr. `false` lets them write to the parent's
   * streams as they are; `true` sends each line to the parent's stream of
   * the same name prefixed with the worker's name (`[PoolWorker-3] `); a
   * function receives each line (without its newline) with the worker's
   * name and the stream. Lines are never cut or mixed with another worker's,
   * and a last line without a newline is passed on when its worker exits.
   * @default false
   */
  captureOutput?: boolean | CaptureOutputFunction;
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

/** Where the {@link PoolOptions.captureOutput} function form sends a line. */
export interface OutputLineInfo {
  /** The worker's name, such as `PoolWorker-3`. */
  readonly worker: string;
  /** The stream the worker wrote it to. */
  readonly stream: 'stdout' | 'stderr';
}

/** The function form of {@link PoolOptions.captureOutput}: called with each line a worker writes. */
export type CaptureOutputFunction = (line: string, info: OutputLineInfo) => void;

/** Options every call takes. */
export interface CallOptions {
  /**
   * Limit of each task's own run time, in seconds. A task that overruns
   * rejects with `TimeoutError` at once; its `currentTask().signal` fires,
   * and its worker is terminated and replaced unless the task stops within
   * the pool's `abortGracePeriod`.
   * @default undefined (no limit)
   */
  timeout?: number | null;
  /**
   * Aborting rejects the call with `signal.reason` at once. Its running
   * tasks see `currentTask().signal` fire; a worker whose task does not stop
   * within the pool's `abortGracePeriod` is terminated and replaced.
   */
  signal?: AbortSignal;
  /**
   * Receives each value the call's tasks send with
   * `currentTask().progress(value)`, in the order sent, before the call
   * settles (none after). An error it throws is re-thrown as an uncaught
   * exception and does not affect the call.
   * @default undefined (progress is a no-op)
   */
  onEvent?: ((value: unknown) => void) | null;
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
export interface ExecutorOptions extends PoolWorkerOptions {
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
  /**
   * Seconds a worker may stay idle before it exits (one starts again on
   * demand); greater than 0. No Python counterpart.
   * @default Infinity (workers stay until shutdown, as in Python)
   */
  idleTimeout?: number | null;
  /** Tasks one worker runs at once, 1 to 1024 (see {@link PoolOptions.concurrentTasksPerWorker}). @default 1 */
  concurrentTasksPerWorker?: number;
  /** The workers' stdout and stderr (see {@link PoolOptions.captureOutput}). @default false */
  captureOutput?: boolean | CaptureOutputFunction;
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
