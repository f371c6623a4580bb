/**
 * `ThreadPool`: the Pool API over lanes in the calling thread. Mirrors
 * `multiprocessing.pool.ThreadPool` (and `multiprocessing.dummy.Pool`),
 * whose workers are threads sharing the caller's objects: here the tasks
 * run in the caller's own isolate, so they take closures and objects by
 * reference, and nothing is copied. Up to `processes` tasks are in progress
 * at once; an async task's awaits let the others run, as Python's threads
 * overlap around I/O. CPU-bound work gains nothing here, as under Python's
 * GIL: use a `Pool` for that.
 */
import { kInspect, StateError, type AnyFunction, type TaskRef } from '@multiprocessing/core';
import { createAsyncResult, settleAsyncResult, type AsyncResult } from './async-result.js';
import { createIMapIterator, type IMapIterator } from './imap-iterator.js';
import { chunksizeOption } from './internal/call-wire.js';
import { LocalIMap } from './internal/local-imap.js';
import { LocalLanes, localFn, resolveFn, type LocalFn } from './internal/local-lanes.js';
import {
  argTuples,
  callbackOption,
  constructorOptions,
  optionsObject,
  toArray,
  workerCount,
} from './internal/validate.js';

/** Options of {@link ThreadPool}: Python's `ThreadPool(processes, initializer, initargs)`. */
export interface ThreadPoolOptions {
  /** Tasks in progress at once. @default cpuCount() */
  processes?: number | null;
  /** Called once per lane before it takes a task (a function or a task reference). */
  initializer?: AnyFunction | TaskRef | null;
  /** Arguments of `initializer`. @default [] */
  initArgs?: readonly unknown[];
}

/** Options of `map`, `starmap` and their async forms on a ThreadPool. */
export interface ThreadPoolMapOptions<R = unknown> {
  /** Items per task. @default Python's rule: ceil(items / (4 × processes)) */
  chunksize?: number | null;
  /** `mapAsync`/`starmapAsync`: called with the results. */
  callback?: ((value: R) => void) | null;
  /** `mapAsync`/`starmapAsync`: called with the error. */
  errorCallback?: ((error: Error) => void) | null;
}

/** Options of `imap` and `imapUnordered` on a ThreadPool. */
export interface ThreadPoolIMapOptions {
  /** Items per task. @default 1 */
  chunksize?: number | null;
}

/** Options of `applyAsync` on a ThreadPool. */
export interface ThreadPoolApplyOptions<R = unknown> {
  /** Called with the result. */
  callback?: ((value: R) => void) | null;
  /** Called with the error. */
  errorCallback?: ((error: Error) => void) | null;
}

type Fn = AnyFunction;
type Result<F> = F extends (...args: never[]) => infer R ? Awaited<R> : unknown;

const KNOWN = new Set(['processes', 'initializer', 'initArgs']);

/**
 * A pool whose tasks run in this thread, `processes` at a time.
 *
 * @example
 * await using pool = new ThreadPool({ processes: 8 });
 * const pages = await pool.map(async (url: string) => (await fetch(url)).status, urls);
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.pool.ThreadPool
 */
export class ThreadPool implements AsyncDisposable {
  readonly #lanes: LocalLanes;
  readonly #processes: number;
  #state: 'RUN' | 'CLOSE' | 'TERMINATE' = 'RUN';
  #terminated: Promise<void> | undefined;

  /**
   * Starts the lanes; each runs `initializer(...initArgs)` first.
   *
   * @throws {RangeError} `Number of processes must be at least 1`, or more than 4096.
   * @throws {TypeError} options that are not an object, an option a ThreadPool does not take
   *   (`maxTasksPerChild`, `context`: Python refuses them too), an initializer that is not callable.
   */
  constructor(options?: ThreadPoolOptions) {
    const opts = constructorOptions(options);
    for (const key of Object.keys(opts)) {
      if (!KNOWN.has(key)) throw new TypeError(`ThreadPool does not take the option '${key}'`);
    }
    this.#processes = workerCount(opts.processes, 'processes', 'Number of processes must be at least 1');
    const initializer =
      opts.initializer === undefined || opts.initializer === null
        ? undefined
        : localFn(opts.initializer, 'initializer');
    if (opts.initArgs !== undefined && !Array.isArray(opts.initArgs)) {
      throw new TypeError('initArgs must be an array');
    }
    this.#lanes = new LocalLanes(this.#processes, initializer, opts.initArgs ?? []);
  }

  /** Tasks in progress at once. */
  get processes(): number {
    return this.#processes;
  }

  #checkRunning(): void {
    if (this.#state !== 'RUN') throw new StateError('Pool not running');
  }

  #submit(fn: LocalFn, args: readonly unknown[], settle: (ok: boolean, value: unknown) => void): void {
    this.#lanes.submit({ fn, args, settle });
  }

  /**
   * Calls `fn(...args)` in this thread when a lane is free; resolves with its
   * result. Mirrors `ThreadPool.apply`.
   *
   * @throws {StateError} `Pool not running` after close() or terminate().
   */
  apply<F extends Fn>(fn: F | TaskRef<F>, args: Parameters<F> | readonly unknown[] = []): Promise<Result<F>> {
    return this.applyAsync(fn, args).get();
  }

  /** `apply`, returning an AsyncResult at once. Mirrors `ThreadPool.apply_async`. */
  applyAsync<F extends Fn>(
    fn: F | TaskRef<F>,
    args: Parameters<F> | readonly unknown[] = [],
    options?: ThreadPoolApplyOptions<Result<F>>,
  ): AsyncResult<Result<F>> {
    this.#checkRunning();
    const f = localFn(fn);
    const argv = toArray(args, 'args');
    const opts = optionsObject(options);
    const result = createAsyncResult<Result<F>>(
      callbackOption(opts.callback, 'callback'),
      callbackOption(opts.errorCallback, 'errorCallback'),
    );
    this.#submit(f, argv, (ok, value) => {
      settleAsyncResult(result, ok, value);
    });
    return result;
  }

  /** `fn(item)` for every item; results in input order. Mirrors `ThreadPool.map`. */
  map<F extends Fn>(
    fn: F | TaskRef<F>,
    iterable: Iterable<Parameters<F>[0]>,
    options?: ThreadPoolMapOptions,
  ): Promise<Result<F>[]> {
    return this.mapAsync(fn, iterable, options).get();
  }

  /** `map`, returning an AsyncResult at once. Mirrors `ThreadPool.map_async`. */
  mapAsync<F extends Fn>(
    fn: F | TaskRef<F>,
    iterable: Iterable<Parameters<F>[0]>,
    options?: ThreadPoolMapOptions<Result<F>[]>,
  ): AsyncResult<Result<F>[]> {
    return this.#mapAsync(fn, iterable, options, false);
  }

  /** `fn(...args)` for every argument array; results in input order. Mirrors `ThreadPool.starmap`. */
  starmap<F extends Fn>(
    fn: F | TaskRef<F>,
    iterable: Iterable<Parameters<F>>,
    options?: ThreadPoolMapOptions,
  ): Promise<Result<F>[]> {
    return this.starmapAsync(fn, iterable, options).get();
  }

  /** `starmap`, returning an AsyncResult at once. Mirrors `ThreadPool.starmap_async`. */
  starmapAsync<F extends Fn>(
    fn: F | TaskRef<F>,
    iterable: Iterable<Parameters<F>>,
    options?: ThreadPoolMapOptions<Result<F>[]>,
  ): AsyncResult<Result<F>[]> {
    return this.#mapAsync(fn, iterable, options, true);
  }

  #mapAsync<R>(
    fn: unknown,
    iterable: unknown,
    options: ThreadPoolMapOptions<R[]> | undefined,
    star: boolean,
  ): AsyncResult<R[]> {
    this.#checkRunning();
    const f = localFn(fn);
    const opts = optionsObject(options);
    let items = toArray(iterable);
    if (star) items = argTuples(items);
    const chunksize = chunksizeOption(opts.chunksize, () =>
      Math.max(1, Math.ceil(items.length / (4 * this.#processes))),
    );
    const result = createAsyncResult<R[]>(
      callbackOption(opts.callback, 'callback'),
      callbackOption(opts.errorCallback, 'errorCallback'),
    );
    const values: unknown[] = new Array<unknown>(items.length);
    let left = Math.ceil(items.length / chunksize);
    let failure: { error: unknown } | undefined;
    if (left === 0) settleAsyncResult(result, true, values);
    for (let start = 0; start < items.length; start += chunksize) {
      const chunk = items.slice(start, start + chunksize);
      const run = async (): Promise<void> => {
        const call = await resolveFn(f);
        for (let k = 0; k < chunk.length; k++) {
          values[start + k] = star ? await call(...(chunk[k] as unknown[])) : await call(chunk[k]);
        }
      };
      this.#submit(run, [], (ok, value) => {
        // As Python: every chunk is waited for; the first failure is the result.
        if (!ok) failure ??= { error: value };
        if (--left === 0) {
          settleAsyncResult(result, failure === undefined, failure === undefined ? values : failure.error);
        }
      });
    }
    return result;
  }

  /**
   * A lazy `map`: results in input order as they come. The input (an
   * iterable or an async iterable) is read as it comes. Mirrors `ThreadPool.imap`.
   */
  imap<F extends Fn>(
    fn: F | TaskRef<F>,
    iterable: Iterable<Parameters<F>[0]> | AsyncIterable<Parameters<F>[0]>,
    options?: ThreadPoolIMapOptions,
  ): IMapIterator<Result<F>> {
    return this.#imap(fn, iterable, options, true);
  }

  /** Like `imap`, in completion order. Mirrors `ThreadPool.imap_unordered`. */
  imapUnordered<F extends Fn>(
    fn: F | TaskRef<F>,
    iterable: Iterable<Parameters<F>[0]> | AsyncIterable<Parameters<F>[0]>,
    options?: ThreadPoolIMapOptions,
  ): IMapIterator<Result<F>> {
    return this.#imap(fn, iterable, options, false);
  }

  #imap<R>(
    fn: unknown,
    iterable: unknown,
    options: ThreadPoolIMapOptions | undefined,
    ordered: boolean,
  ): IMapIterator<R> {
    this.#checkRunning();
    const f = localFn(fn);
    const opts = optionsObject(options);
    const chunksize = chunksizeOption(opts.chunksize, () => 1);
    const input = iterable as Partial<Iterable<unknown> & AsyncIterable<unknown>> | null | undefined;
    if (
      input === null ||
      input === undefined ||
      (typeof input[Symbol.iterator] !== 'function' && typeof input[Symbol.asyncIterator] !== 'function')
    ) {
      throw new TypeError('iterable must be iterable or async iterable');
    }
    const call = resolveFn(f);
    const run = async (item: unknown): Promise<unknown> => (await call)(item);
    return createIMapIterator<R>(
      new LocalIMap(
        this.#lanes,
        run,
        input as Iterable<unknown> | AsyncIterable<unknown>,
        chunksize,
        ordered,
      ),
    );
  }

  /** No more tasks: the lanes end once the queued ones have run. Mirrors `ThreadPool.close`. */
  close(): void {
    if (this.#state === 'RUN') this.#state = 'CLOSE';
    this.#lanes.close();
  }

  /**
   * Tasks not started reject with `CancelledError`; tasks in progress run to
   * their end (a thread cannot be stopped, in Python either). Resolves when
   * they have. Mirrors `ThreadPool.terminate`.
   */
  terminate(): Promise<void> {
    this.#state = 'TERMINATE';
    this.#terminated ??= this.#lanes.terminate();
    return this.#terminated;
  }

  /**
   * Resolves once every lane has ended. Mirrors `ThreadPool.join`.
   *
   * @throws {StateError} `Pool is still running` before close() or terminate().
   */
  join(): Promise<void> {
    if (this.#state === 'RUN') return Promise.reject(new StateError('Pool is still running'));
    return this.#lanes.ended();
  }

  /** `await using pool = new ThreadPool()` terminates it on exit, as Python's `with` does. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.terminate();
  }

  /** `Object.prototype.toString` shows `[object ThreadPool]`. */
  readonly [Symbol.toStringTag] = 'ThreadPool';

  /** Python's repr: `<ThreadPool state=RUN pool_size=4>`. */
  toString(): string {
    return `<ThreadPool state=${this.#state} pool_size=${String(this.#processes)}>`;
  }

  /** `util.inspect` / `console.log` show {@link ThreadPool.toString}. */
  [kInspect](): string {
    return this.toString();
  }
}
