/**
 * A pool of worker threads (or processes) that run tasks. Mirrors
 * `multiprocessing.pool.Pool`. Differences: the calls that block in Python
 * return Promises; a worker that dies mid-task rejects that task with
 * `WorkerLostError` and is replaced (Python's Pool hangs); every call takes
 * `{signal, timeout}`, map-style calls take `onProgress`, and `stats()` reports.
 * Workers that keep dying while they start break the pool (`BrokenPoolError`)
 * instead of being restarted for ever.
 */
import {
  BrokenPoolError,
  StateError,
  kInspect,
  type Task,
  type TaskArgs,
  type TaskResult,
} from '@multiprocessing/core';
import { runtimeLogger } from '@multiprocessing/core/internal';
import type { AsyncResult } from './async-result.js';
import { createAsyncResult } from './async-result.js';
import { createIMapIterator, type IMapIterator } from './imap-iterator.js';
import { ApplyCall, type ApplySink } from './internal/apply-call.js';
import { chunksizeOption, type CallSettings } from './internal/call-wire.js';
import { Backpressure } from './internal/backpressure.js';
import { IMapCall } from './internal/imap-call.js';
import { MapCall } from './internal/map-call.js';
import { poolSetup } from './internal/pool-setup.js';
import { registerScheduler } from './internal/raw-task.js';
import { StreamCall } from './internal/stream-call.js';
import { createStreamIterator, type StreamItem, type StreamIterator } from './stream-iterator.js';
import { Scheduler } from './internal/scheduler.js';
import type { PoolStats } from './pool-stats.js';
import {
  argsOption,
  callSettings,
  defaultCallSettings,
  highWaterMarkOption,
  iterableOption,
} from './internal/call-options.js';
import { argTuples, buffersizeOption, callbackOption, optionsObject, toArray } from './internal/validate.js';
import type {
  ApplyAsyncOptions,
  CallOptions,
  IMapOptions,
  MapAsyncOptions,
  MapArg,
  MapOptions,
  PoolOptions,
  StreamOptions,
} from './options.js';

/**
 * A pool of workers. By default they are worker threads; `context:
 * getContext('process')` makes them child processes.
 *
 * @example
 * const tasks = moduleRef<typeof import('./tasks.js')>(new URL('./tasks.js', import.meta.url));
 * await using pool = new Pool({ processes: 4 });
 * console.log(await pool.map(tasks.square, [1, 2, 3])); // [1, 4, 9]
 *
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.pool.Pool
 */
export class Pool implements AsyncDisposable {
  readonly #scheduler: Scheduler;
  readonly #processes: number;
  readonly #crossProcess: boolean;
  readonly #defaultSettings: CallSettings;
  // Python's `_state`, for the repr only: RUN, then CLOSE or TERMINATE.
  #state: 'RUN' | 'CLOSE' | 'TERMINATE' = 'RUN';
  /** maxQueue, needsDrain, drained(), buffered imaps. */
  readonly #bp: Backpressure;

  /**
   * Starts the workers (`minProcesses` of them; all by default).
   *
   * @throws {RangeError} `Number of processes must be at least 1`; `processes must be at most 4096`; a bad
   *   maxTasksPerChild or resourceLimits size; minProcesses outside 0 to processes; idleTimeout not above 0;
   *   an abortGracePeriod that is negative, NaN or infinite; concurrentTasksPerWorker below 1 or above 1024;
   *   a negative maxQueue.
   * @throws {TypeError} options that are not an object (null, an array), an initializer that is not a task, or a
   *   malformed option (a captureOutput that is neither a boolean nor a function).
   * @throws {PicklingError} initArgs that cannot reach the workers.
   */
  constructor(options?: PoolOptions) {
    const setup = poolSetup(options);
    this.#processes = setup.processes;
    this.#crossProcess = setup.startMethod === 'process';
    this.#defaultSettings = defaultCallSettings(this.#crossProcess);
    this.#scheduler = new Scheduler(setup.scheduler, setup.launcher);
    registerScheduler(this, this.#scheduler);
    this.#bp = new Backpressure(
      this.#scheduler,
      setup.processes,
      setup.maxQueue,
      setup.onQueueFull,
      setup.liveProcesses,
    );
  }

  /** Most workers the pool runs at once (all of them, unless `minProcesses` is lower). */
  get processes(): number {
    return this.#processes;
  }

  /**
   * True when enough tasks wait for a worker that a producer should pause:
   * at least `maxQueue` of them (at least 1), or, with no `maxQueue`, at
   * least `processes`. A task waits when it is submitted and not settled
   * and is not among the first `processes` such tasks (those count as
   * running); calls waiting under `onQueueFull: 'wait'` count too. False
   * after terminate(). Piscina's `needsDrain`; no Python counterpart.
   */
  get needsDrain(): boolean {
    return this.#bp.needsDrain;
  }

  /**
   * Resolves once {@link Pool.needsDrain} is false: at once if it is
   * already, else when enough tasks have settled. Also resolves when the
   * pool is terminated or breaks (later calls then throw), so a producer
   * that awaits it never hangs.
   *
   * @example
   * for (const item of items) {
   *   if (pool.needsDrain) await pool.drained();
   *   results.push(pool.apply(tasks.square, [item]));
   * }
   */
  drained(): Promise<void> {
    return this.#bp.drained();
  }

  #checkRunning(): void {
    if (!this.#scheduler.running) throw new StateError('Pool not running');
    const broken = this.#scheduler.broken;
    // Workers failed to start too many times in a row: no call can run.
    if (broken !== undefined) throw new BrokenPoolError(broken.message, { cause: broken.cause });
  }

  #settings(options: Partial<CallOptions>): CallSettings {
    return callSettings(options, this.#crossProcess);
  }

  /**
   * Calls `fn(...args)` in a worker and resolves with its result. Mirrors
   * `Pool.apply`.
   *
   * @throws {StateError} `Pool not running` after close() or terminate().
   * @throws {BrokenPoolError} workers failed to start too many times in a row.
   * @throws {PicklingError} a function that closes over a variable.
   */
  apply<T extends Task>(fn: T, args?: TaskArgs<T>, options?: CallOptions): Promise<TaskResult<T>> {
    return new Promise<TaskResult<T>>((resolve, reject) => {
      this.#apply(fn, args, options, { resolve, reject });
    });
  }

  /**
   * Calls `fn(...args)` in a worker; returns an AsyncResult at once. Mirrors
   * `Pool.apply_async`.
   *
   * @throws {StateError} `Pool not running` after close() or terminate().
   */
  applyAsync<T extends Task>(
    fn: T,
    args?: TaskArgs<T>,
    options?: ApplyAsyncOptions<TaskResult<T>>,
  ): AsyncResult<TaskResult<T>> {
    const opts = options === undefined ? undefined : optionsObject(options);
    const result = createAsyncResult<TaskResult<T>>(
      callbackOption(opts?.callback, 'callback'),
      callbackOption(opts?.errorCallback, 'errorCallback'),
    );
    this.#apply(fn, args, opts, { result });
    return result;
  }

  #apply<R>(fn: unknown, args: unknown, options: Partial<CallOptions> | undefined, sink: ApplySink<R>): void {
    this.#checkRunning();
    const fnId = this.#scheduler.fnId(fn, 'fn');
    const argv = argsOption(args);
    const settings = options === undefined ? this.#defaultSettings : this.#settings(optionsObject(options));
    new ApplyCall<R>(this.#scheduler, fnId, argv, settings, sink, this.#bp.gate);
  }

  /**
   * `fn(item)` for every item, in workers; resolves with the results in
   * input order. Mirrors `Pool.map`: not fail-fast (it waits for every
   * chunk, then rejects with the first failed chunk's error).
   *
   * @throws {StateError} `Pool not running` after close() or terminate().
   * @example
   * const squares = await pool.map(tasks.square, [0, 1, 2, 3], { chunksize: 2 });
   */
  async map<T extends Task>(
    fn: T,
    iterable: Iterable<MapArg<T>>,
    options?: MapOptions,
  ): Promise<TaskResult<T>[]> {
    return this.mapAsync(fn, iterable, options).get();
  }

  /** `map`, returning an AsyncResult at once. Mirrors `Pool.map_async`. */
  mapAsync<T extends Task>(
    fn: T,
    iterable: Iterable<MapArg<T>>,
    options?: MapAsyncOptions<TaskResult<T>>,
  ): AsyncResult<TaskResult<T>[]> {
    return this.#mapAsync(fn, iterable, options, false);
  }

  /**
   * `fn(...args)` for every argument array, in workers; results in input
   * order. Mirrors `Pool.starmap`.
   *
   * @example
   * await pool.starmap(tasks.power, [[2, 3], [3, 3]]); // [8, 27]
   */
  async starmap<T extends Task>(
    fn: T,
    iterable: Iterable<TaskArgs<T>>,
    options?: MapOptions,
  ): Promise<TaskResult<T>[]> {
    return this.starmapAsync(fn, iterable, options).get();
  }

  /** `starmap`, returning an AsyncResult at once. Mirrors `Pool.starmap_async`. */
  starmapAsync<T extends Task>(
    fn: T,
    iterable: Iterable<TaskArgs<T>>,
    options?: MapAsyncOptions<TaskResult<T>>,
  ): AsyncResult<TaskResult<T>[]> {
    return this.#mapAsync(fn, iterable, options, true);
  }

  #mapAsync<R>(
    fn: unknown,
    iterable: unknown,
    options: MapAsyncOptions<R> | undefined,
    star: boolean,
  ): AsyncResult<R[]> {
    this.#checkRunning();
    const opts = optionsObject(options);
    const fnId = this.#scheduler.fnId(fn, 'fn');
    let items = toArray(iterable);
    if (star) items = argTuples(items);
    const chunksize = chunksizeOption(opts.chunksize, () => this.#bp.defaultChunksize(items.length));
    const settings = this.#settings(opts);
    const onProgress = callbackOption(opts.onProgress, 'onProgress');
    const result = createAsyncResult<R[]>(
      callbackOption(opts.callback, 'callback'),
      callbackOption(opts.errorCallback, 'errorCallback'),
    );
    new MapCall<R>(
      this.#scheduler,
      fnId,
      star,
      items,
      chunksize,
      settings,
      onProgress,
      result,
      this.#bp.gate,
    );
    return result;
  }

  /**
   * A lazy `map`: results in input order as they come. The input (an
   * iterable or an async iterable) is read as workers need it, and with
   * `buffersize` no further ahead of the consumer than that many tasks.
   * Mirrors `Pool.imap` (default chunksize 1).
   *
   * @example
   * for await (const y of pool.imap(tasks.square, range(10))) console.log(y);
   */
  imap<T extends Task>(
    fn: T,
    iterable: Iterable<MapArg<T>> | AsyncIterable<MapArg<T>>,
    options?: IMapOptions,
  ): IMapIterator<TaskResult<T>> {
    return this.#imap(fn, iterable, options, true);
  }

  /** Like `imap`, in completion order. Mirrors `Pool.imap_unordered`. */
  imapUnordered<T extends Task>(
    fn: T,
    iterable: Iterable<MapArg<T>> | AsyncIterable<MapArg<T>>,
    options?: IMapOptions,
  ): IMapIterator<TaskResult<T>> {
    return this.#imap(fn, iterable, options, false);
  }

  #imap<R>(
    fn: unknown,
    iterable: unknown,
    options: IMapOptions | undefined,
    ordered: boolean,
  ): IMapIterator<R> {
    this.#checkRunning();
    const opts = optionsObject(options);
    const fnId = this.#scheduler.fnId(fn, 'fn');
    const input = iterableOption(iterable);
    const chunksize = chunksizeOption(opts.chunksize, () => 1);
    const buffersize = buffersizeOption(opts.buffersize);
    const call = new IMapCall(
      this.#scheduler,
      fnId,
      input,
      ordered,
      chunksize,
      this.#settings(opts),
      buffersize === undefined && this.#bp.gate === undefined
        ? undefined
        : { buffersize, gate: this.#bp.gate, buffered: this.#bp.buffered },
    );
    return createIMapIterator<R>(call);
  }

  /**
   * Calls `fn(...args)` in a worker, where it returns an async iterable (an
   * async generator function, say) or an iterable, and streams the values
   * it yields back in order. The worker pulls the next value only while
   * fewer than `highWaterMark` values are produced and not yet read, and it
   * counts as busy until the stream ends: it runs no other task meanwhile.
   * Breaking out of `for await` stops the task's iterator in the worker
   * (its `finally` blocks run) and keeps the worker. `timeout` limits the
   * time the worker takes for each value. No Python counterpart.
   *
   * @throws {StateError} `Pool not running` after close() or terminate().
   * @throws {BrokenPoolError} workers failed to start too many times in a row.
   * @throws {PicklingError} a function that closes over a variable.
   * @throws {RangeError} a highWaterMark below 1 or above 2^30.
   * @example
   * // tasks.ts: export async function* countdown(n: number) { while (n > 0) yield n--; }
   * for await (const n of pool.stream(tasks.countdown, [3])) console.log(n); // 3, 2, 1
   */
  stream<T extends Task>(fn: T, args?: TaskArgs<T>, options?: StreamOptions): StreamIterator<StreamItem<T>> {
    this.#checkRunning();
    const fnId = this.#scheduler.fnId(fn, 'fn');
    const argv = argsOption(args);
    const opts = optionsObject(options);
    const highWaterMark = highWaterMarkOption(opts.highWaterMark);
    const call = new StreamCall(this.#scheduler, fnId, argv, highWaterMark, this.#settings(opts));
    return createStreamIterator<StreamItem<T>>(call);
  }

  /**
   * No more tasks; workers exit once the queued ones are done (calls waiting
   * under `onQueueFull: 'wait'` included). An imap with a `buffersize` reads
   * no more input: the tasks it made run, then its iteration ends. Mirrors
   * `Pool.close`.
   */
  close(): void {
    runtimeLogger()?.debug('closing pool');
    if (this.#state === 'RUN') this.#state = 'CLOSE';
    this.#bp.close();
    this.#scheduler.close();
  }

  /**
   * Ends the workers now; resolves once they have exited. Calls still
   * outstanding reject with `CancelledError`. Mirrors `Pool.terminate`
   * (where they would never complete).
   */
  terminate(): Promise<void> {
    runtimeLogger()?.debug('terminating pool');
    this.#state = 'TERMINATE';
    const done = this.#scheduler.terminate();
    this.#bp.terminate();
    return done;
  }

  /**
   * Resolves once every worker has exited. Mirrors `Pool.join`.
   *
   * @throws {StateError} `Pool is still running` before close() or terminate().
   */
  join(): Promise<void> {
    runtimeLogger()?.debug('joining pool');
    return this.#scheduler.join();
  }

  /** Counts of workers and tasks, mean wait and run times, and the size bounds (`minProcesses`, `maxProcesses`). */
  stats(): PoolStats {
    return this.#scheduler.stats();
  }

  /** `await using pool = new Pool()` terminates it on exit, as Python's `with` does. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.terminate();
  }

  /** `Object.prototype.toString` shows `[object Pool]`. */
  readonly [Symbol.toStringTag] = 'Pool';

  /** Python's repr: `<Pool state=RUN pool_size=2>`; the state is RUN, CLOSE or TERMINATE. */
  toString(): string {
    return `<Pool state=${this.#state} pool_size=${String(this.#processes)}>`;
  }

  /** `util.inspect` / `console.log` show {@link Pool.toString}. */
  [kInspect](): string {
    return this.toString();
  }
}
