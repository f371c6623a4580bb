/**
 * An executor that runs calls in a pool of workers. Mirrors
 * `concurrent.futures.ProcessPoolExecutor`: workers start on demand, and a
 * worker that dies breaks the executor (every pending future and every later
 * submit fails with `BrokenPoolError`). Differences: `map` returns an
 * AsyncIterable, `shutdown` a Promise.
 */
import type { Transferable } from 'node:worker_threads';
import {
  BrokenPoolError,
  StateError,
  WorkerLostError,
  kInspect,
  type Task,
  type TaskArgs,
  type TaskResult,
} from '@multiprocessing/core';
import { deadlineAfter, timeoutMs } from '@multiprocessing/core/internal';
import { createFuture, type Future, type FutureControl } from './future.js';
import { prepare } from './internal/call-wire.js';
import { kApply, kMap, kPostableFlag } from './internal/protocol.js';
import { Deque } from './internal/deque.js';
import { isAsyncOnly, resultIterator } from './internal/executor-results.js';
import { Job, type JobOwner } from './internal/job.js';
import { workerLifecycleOption } from './internal/lifecycle-options.js';
import { poolBackendOf } from './internal/backend.js';
import { Scheduler } from './internal/scheduler.js';
import {
  buffersizeOption,
  constructorOptions,
  initializerOption,
  maxTasksOption,
  captureOutputOption,
  concurrencyOption,
  optionsObject,
  positiveSecondsOption,
  startMethodOf,
  toArray,
  workerCount,
} from './internal/validate.js';
import type { ExecutorMapOptions, ExecutorOptions, MapArg, ShutdownOptions } from './options.js';

const kBrokenSubmit = 'A child process terminated abruptly, the process pool is not usable anymore';
const kBrokenFuture =
  'A process in the process pool was terminated abruptly while the future was running or pending.';

/**
 * Python's text, then the dead worker's name and exit code when `cause` is
 * the WorkerLostError of the worker that broke the executor.
 */
function brokenMessage(python: string, cause: Error | undefined): string {
  if (!(cause instanceof WorkerLostError)) return python;
  return `${python} (worker ${cause.workerName} exited with code ${String(cause.exitcode)})`;
}

/** One submitted call: the owner of one job, the driver of one Future. */
class FutureCall<R> implements JobOwner {
  finished = false;
  readonly timeoutMs = undefined;
  job!: Job;

  constructor(
    readonly control: FutureControl<R>,
    private readonly onEnd: (call: FutureCall<R>) => void,
  ) {}

  dispatched(): void {
    this.control.setRunning();
  }

  settle(_job: Job, ok: boolean, value: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.onEnd(this);
    if (ok) this.control.setResult(value as R);
    else this.control.setException(value);
  }

  fail(error: Error): void {
    if (this.finished) return;
    this.finished = true;
    this.onEnd(this);
    this.control.setException(error);
  }
}

/**
 * Runs calls in worker threads (or processes, with `context`), returning Futures.
 *
 * @example
 * await using executor = new ProcessPoolExecutor({ maxWorkers: 2 });
 * const future = executor.submit(tasks.square, 7);
 * console.log(await future.result()); // 49
 *
 * @see https://docs.python.org/3/library/concurrent.futures.html#processpoolexecutor
 */
export class ProcessPoolExecutor implements AsyncDisposable {
  readonly #scheduler: Scheduler;
  readonly #crossProcess: boolean;
  readonly #maxWorkers: number;
  #shutdown = false;
  // Invariant: every submitted call whose future is not done yet.
  readonly #calls = new Set<FutureCall<unknown>>();
  readonly #onEnd = (call: FutureCall<unknown>): void => {
    this.#calls.delete(call);
  };

  /**
   * @throws {RangeError} `maxWorkers must be greater than 0`; `maxWorkers must be at most 4096`; a bad maxTasksPerChild;
   *   idleTimeout not above 0.
   * @throws {TypeError} options that are not an object (null, an array), an initializer that is not a task, or a
   *   malformed option.
   */
  constructor(options?: ExecutorOptions) {
    const opts = constructorOptions(options);
    const startMethod = startMethodOf(opts.context);
    const backend = poolBackendOf(opts.context);
    backend?.checkOptions(opts);
    const maxWorkers = workerCount(
      opts.maxWorkers ?? backend?.defaultProcesses(),
      'maxWorkers',
      'maxWorkers must be greater than 0',
    );
    this.#crossProcess = startMethod === 'process';
    this.#maxWorkers = maxWorkers;
    const init = initializerOption(opts.initializer, opts.initArgs, this.#crossProcess);
    const idleTimeoutMs = positiveSecondsOption(opts.idleTimeout, 'idleTimeout', undefined);
    this.#scheduler = new Scheduler(
      {
        processes: maxWorkers,
        startMethod,
        initializer: init.spec,
        initArgs: init.args,
        initArgsPostable: init.postable,
        maxTasksPerChild: maxTasksOption(opts.maxTasksPerChild),
        resourceLimits: undefined,
        onWorkerLost: 'break',
        lazy: true,
        ...(idleTimeoutMs === undefined ? {} : { idleTimeoutMs }),
        prefetch: false,
        brokenError: (cause) => new BrokenPoolError(brokenMessage(kBrokenFuture, cause), { cause }),
        lifecycle: workerLifecycleOption(opts, this.#crossProcess),
        concurrency: backend?.concurrency ?? concurrencyOption(opts.concurrentTasksPerWorker),
        output: captureOutputOption(opts.captureOutput),
      },
      backend?.launcher,
    );
  }

  #checkOpen(): void {
    if (this.#scheduler.broken !== undefined) {
      const cause = this.#scheduler.broken;
      throw new BrokenPoolError(brokenMessage(kBrokenSubmit, cause), { cause });
    }
    if (this.#shutdown) throw new StateError('cannot schedule new futures after shutdown');
  }

  #submitJob<R>(
    fnId: number,
    kind: number,
    payload: unknown,
    postable: boolean,
    ports: readonly Transferable[],
    size: number,
  ): Future<R> {
    const holder: { call?: FutureCall<R> } = {};
    const control = createFuture<R>(() => {
      const call = holder.call;
      if (call === undefined || !this.#scheduler.cancelPending(call.job)) return false;
      call.finished = true;
      this.#calls.delete(call as FutureCall<unknown>);
      return true;
    });
    const call = new FutureCall<R>(control, this.#onEnd as (c: FutureCall<R>) => void);
    holder.call = call;
    call.job = new Job(
      this.#scheduler.newJobId(),
      call,
      fnId,
      kind | (postable ? kPostableFlag : 0),
      payload,
      ports.length > 0 ? ports : undefined,
      0,
      size,
    );
    this.#calls.add(call as FutureCall<unknown>);
    this.#scheduler.enqueue(call.job);
    return control.future;
  }

  /**
   * Schedules `fn(...args)`; returns its Future. Mirrors `Executor.submit`.
   *
   * @throws {StateError} `cannot schedule new futures after shutdown`.
   * @throws {BrokenPoolError} the executor is broken.
   * @throws {PicklingError} a function that closes over a variable.
   */
  submit<T extends Task>(fn: T, ...args: TaskArgs<T>): Future<TaskResult<T>> {
    this.#checkOpen();
    const fnId = this.#scheduler.fnId(fn, 'fn');
    const [payload, postable, ports] = prepare(args, 'args', this.#crossProcess);
    return this.#submitJob<TaskResult<T>>(fnId, kApply, payload, postable, ports, 1);
  }

  /**
   * `fn(item)` for every item; an AsyncIterable of the results in input
   * order. Every item is submitted at once, unless `buffersize` is given:
   * then `buffersize` tasks are submitted now, and one more each time the
   * consumer asks for the next task's results, so the input is read lazily
   * (an endless generator works). An async iterable is read in the
   * background, the same way (all of it without `buffersize`); an error it
   * raises rejects the next read of the results. With a timeout (seconds, from this call),
   * a result not ready in time rejects with `TimeoutError`. Mirrors
   * `Executor.map`.
   *
   * @throws {RangeError} `chunksize must be >= 1.`; `buffersize must be undefined or > 0`.
   * @throws {StateError} `cannot schedule new futures after shutdown`.
   */
  map<T extends Task>(
    fn: T,
    iterable: Iterable<MapArg<T>> | AsyncIterable<MapArg<T>>,
    options?: ExecutorMapOptions,
  ): AsyncIterableIterator<TaskResult<T>> {
    const opts = optionsObject(options);
    const ms = timeoutMs(opts.timeout);
    const chunksize = opts.chunksize ?? 1;
    if (typeof chunksize !== 'number' || Number.isNaN(chunksize))
      throw new TypeError('chunksize must be an integer');
    if (chunksize < 1) throw new RangeError('chunksize must be >= 1.');
    if (!Number.isInteger(chunksize)) throw new TypeError('chunksize must be an integer');
    const buffersize = buffersizeOption(opts.buffersize);
    this.#checkOpen();
    const fnId = this.#scheduler.fnId(fn, 'fn');
    const deadline = deadlineAfter(ms);
    const futures = new Deque<Future<unknown[]>>();
    const submit = (chunk: unknown[]): void => {
      const [payload, postable, ports] = prepare(chunk, 'iterable', this.#crossProcess);
      futures.push(this.#submitJob<unknown[]>(fnId, kMap, payload, postable, ports, chunk.length));
    };
    if (isAsyncOnly(iterable)) {
      // Read in the background: `buffersize` tasks (or all), then one more per task reached.
      const source = iterable[Symbol.asyncIterator]();
      let ended = false;
      const submitNextAsync = async (): Promise<void> => {
        if (ended) return;
        const chunk: unknown[] = [];
        while (chunk.length < chunksize) {
          const step = await source.next();
          if (step.done === true) {
            ended = true;
            break;
          }
          chunk.push(step.value);
        }
        if (chunk.length === 0) return;
        this.#checkOpen();
        submit(chunk);
      };
      const first = (async () => {
        for (let i = 0; !ended && (buffersize === undefined || i < buffersize); i++) await submitNextAsync();
      })();
      first.catch(() => undefined);
      const refill = buffersize === undefined ? undefined : submitNextAsync;
      return resultIterator(futures, refill, deadline, ms, first) as AsyncIterableIterator<TaskResult<T>>;
    }
    if (buffersize === undefined) {
      const items = toArray(iterable);
      for (let i = 0; i < items.length; i += chunksize) submit(items.slice(i, i + chunksize));
      return resultIterator(futures, undefined, deadline, ms) as AsyncIterableIterator<TaskResult<T>>;
    }
    if (
      iterable === null ||
      iterable === undefined ||
      typeof (iterable as Iterable<unknown>)[Symbol.iterator] !== 'function'
    ) {
      throw new TypeError('iterable must be iterable');
    }
    const input = (iterable as Iterable<unknown>)[Symbol.iterator]();
    let inputDone = false;
    /** Submits the next chunk of the input, if any is left (Python: after shutdown, submit raises). */
    const submitNext = (): void => {
      if (inputDone) return;
      const chunk: unknown[] = [];
      while (chunk.length < chunksize) {
        const step = input.next();
        if (step.done === true) {
          inputDone = true;
          break;
        }
        chunk.push(step.value);
      }
      if (chunk.length === 0) return;
      this.#checkOpen();
      submit(chunk);
    };
    for (let i = 0; i < buffersize && !inputDone; i++) submitNext();
    return resultIterator(futures, submitNext, deadline, ms) as AsyncIterableIterator<TaskResult<T>>;
  }

  /**
   * No more submits. With `wait` (the default), resolves once every pending
   * future is done and the workers have exited; `cancelFutures` cancels the
   * futures that have not started. Mirrors `Executor.shutdown`.
   */
  async shutdown(options?: ShutdownOptions): Promise<void> {
    const opts = optionsObject(options);
    const wait = opts.wait ?? true;
    this.#shutdown = true;
    if (opts.cancelFutures === true) {
      for (const call of [...this.#calls]) call.control.future.cancel();
    }
    this.#scheduler.close();
    if (wait) await this.#scheduler.join();
  }

  /**
   * Terminates the live workers now and shuts down (Python 3.14's
   * `terminate_workers`). Futures not started are cancelled; running ones
   * fail with `BrokenPoolError`. Resolves once the workers have exited.
   */
  terminateWorkers(): Promise<void> {
    return this.#forceShutdown(false);
  }

  /** Like {@link terminateWorkers}, with SIGKILL semantics (Python 3.14's `kill_workers`). */
  killWorkers(): Promise<void> {
    return this.#forceShutdown(true);
  }

  #forceShutdown(kill: boolean): Promise<void> {
    this.#shutdown = true;
    for (const call of [...this.#calls]) call.control.future.cancel();
    return this.#scheduler.terminate(() => new BrokenPoolError(kBrokenFuture), kill);
  }

  /** `await using executor = …` shuts it down and waits, as Python's `with` does. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown({ wait: true });
  }

  /** `Object.prototype.toString` shows `[object ProcessPoolExecutor]`. */
  readonly [Symbol.toStringTag] = 'ProcessPoolExecutor';

  /** `<ProcessPoolExecutor max_workers=2 state=running>`; then `shutdown`, or `broken` (Python's has no repr of its own). */
  toString(): string {
    const state = this.#scheduler.broken !== undefined ? 'broken' : this.#shutdown ? 'shutdown' : 'running';
    return `<ProcessPoolExecutor max_workers=${String(this.#maxWorkers)} state=${state}>`;
  }

  /** `util.inspect` / `console.log` show {@link ProcessPoolExecutor.toString}. */
  [kInspect](): string {
    return this.toString();
  }
}
