/**
 * The proxy of a Pool made in the manager's server (`manager.Pool()`), and
 * of the AsyncResults of its `…Async` calls. Mirrors Python's `PoolProxy`
 * (undocumented, but registered by `SyncManager`) and the `'AsyncResult'`
 * AutoProxy. Differences: every call returns a Promise, and tasks must be
 * able to reach the server: task references (`moduleRef`/`taskRef`) or
 * self-contained functions, as a `Pool` takes them.
 */
import type { Task, TaskArgs, TaskResult } from '@multiprocessing/core';
import type { CallOptions, IMapOptions, MapArg, MapOptions } from '@multiprocessing/pool';
import { BaseProxy } from './base-proxy.js';
import type { IteratorProxy } from './iterator-proxy.js';
import { itemsToWire, optionsToWire, taskToWire } from './internal/pool-wire.js';

/** Options of {@link PoolProxy.apply} and {@link PoolProxy.applyAsync}: those of `Pool.apply` that can reach the server. */
export type PoolProxyCallOptions = Pick<CallOptions, 'timeout'>;

/** Options of {@link PoolProxy.map} and its kin: those of `Pool.map` that can reach the server. */
export type PoolProxyMapOptions = Pick<MapOptions, 'timeout' | 'chunksize'>;

/** Options of {@link PoolProxy.imap} and {@link PoolProxy.imapUnordered}: those of `Pool.imap` that can reach the server. */
export type PoolProxyIMapOptions = Pick<IMapOptions, 'timeout' | 'chunksize' | 'buffersize'>;

/**
 * The result of a `PoolProxy` `…Async` call, living in the server. Python
 * returns the same (an AutoProxy of `AsyncResult`).
 *
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.pool.AsyncResult
 */
export class AsyncResultProxy<T = unknown> extends BaseProxy {
  /**
   * The result, once ready; with a timeout (seconds), rejects with
   * `TimeoutError` if it is not ready by then (the call goes on).
   *
   * @throws the task's error, as `Pool.apply` rejects with it.
   * @throws {TimeoutError} not ready within `timeout` seconds.
   */
  get(timeout?: number | null): Promise<T> {
    return this._callMethod('get', timeout === undefined ? [] : [timeout]) as Promise<T>;
  }

  /** Resolves once the result is ready or `timeout` seconds have passed (never rejects for the task's error). */
  async wait(timeout?: number | null): Promise<void> {
    await this._callMethod('wait', timeout === undefined ? [] : [timeout]);
  }

  /** True once the call has completed (successfully or not). */
  ready(): Promise<boolean> {
    return this._callMethod('ready') as Promise<boolean>;
  }

  /**
   * True if the call completed without an error.
   *
   * @throws {StateError} before it is ready (Python's `ValueError`).
   */
  successful(): Promise<boolean> {
    return this._callMethod('successful') as Promise<boolean>;
  }
}

/**
 * A Pool that lives in the manager's server, shared by every client that
 * holds this proxy. `await using pool = await manager.Pool(…)` terminates
 * it at the end of the scope, as Python's `with` does.
 *
 * @example
 * const tasks = moduleRef<typeof import('./tasks.js')>(new URL('./tasks.js', import.meta.url));
 * await using manager = await Manager();
 * await using pool = await manager.Pool({ processes: 2 });
 * console.log(await pool.map(tasks.square, [1, 2, 3])); // [1, 4, 9]
 *
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.pool.Pool
 */
export class PoolProxy extends BaseProxy implements AsyncDisposable {
  #call<R>(name: string, wire: () => unknown[]): Promise<R> {
    let args: unknown[];
    try {
      args = wire();
    } catch (err) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the argument check's error, unchanged
      return Promise.reject(err);
    }
    return this._callMethod(name, args) as Promise<R>;
  }

  /**
   * Calls `fn(...args)` in a worker of the pool. Mirrors `Pool.apply`.
   *
   * @throws {TypeError} `fn` is not a task, or an option cannot reach the server (a callback, a signal).
   * @throws {PicklingError} `fn` is a function that closes over a variable.
   * @throws {StateError} `Pool not running` after close() or terminate().
   */
  apply<T extends Task>(fn: T, args?: TaskArgs<T>, options?: PoolProxyCallOptions): Promise<TaskResult<T>> {
    return this.#call('apply', () => [taskToWire(fn), args, optionsToWire(options)]);
  }

  /** `apply`, resolving at once to an {@link AsyncResultProxy}. Mirrors `Pool.apply_async`. */
  applyAsync<T extends Task>(
    fn: T,
    args?: TaskArgs<T>,
    options?: PoolProxyCallOptions,
  ): Promise<AsyncResultProxy<TaskResult<T>>> {
    return this.#call('applyAsync', () => [taskToWire(fn), args, optionsToWire(options)]);
  }

  /**
   * `fn(item)` for every item; resolves with the results in input order.
   * Mirrors `Pool.map`.
   *
   * @throws {TypeError} as {@link PoolProxy.apply}, or an async iterable (collect it into an array).
   */
  map<T extends Task>(
    fn: T,
    iterable: Iterable<MapArg<T>>,
    options?: PoolProxyMapOptions,
  ): Promise<TaskResult<T>[]> {
    return this.#call('map', () => [taskToWire(fn), itemsToWire(iterable), optionsToWire(options)]);
  }

  /** `map`, resolving at once to an {@link AsyncResultProxy}. Mirrors `Pool.map_async`. */
  mapAsync<T extends Task>(
    fn: T,
    iterable: Iterable<MapArg<T>>,
    options?: PoolProxyMapOptions,
  ): Promise<AsyncResultProxy<TaskResult<T>[]>> {
    return this.#call('mapAsync', () => [taskToWire(fn), itemsToWire(iterable), optionsToWire(options)]);
  }

  /** `fn(...args)` for every argument array; results in input order. Mirrors `Pool.starmap`. */
  starmap<T extends Task>(
    fn: T,
    iterable: Iterable<TaskArgs<T>>,
    options?: PoolProxyMapOptions,
  ): Promise<TaskResult<T>[]> {
    return this.#call('starmap', () => [taskToWire(fn), itemsToWire(iterable), optionsToWire(options)]);
  }

  /** `starmap`, resolving at once to an {@link AsyncResultProxy}. Mirrors `Pool.starmap_async`. */
  starmapAsync<T extends Task>(
    fn: T,
    iterable: Iterable<TaskArgs<T>>,
    options?: PoolProxyMapOptions,
  ): Promise<AsyncResultProxy<TaskResult<T>[]>> {
    return this.#call('starmapAsync', () => [taskToWire(fn), itemsToWire(iterable), optionsToWire(options)]);
  }

  /**
   * A lazy `map`: resolves to an {@link IteratorProxy} of the results in
   * input order, as they come. Mirrors `Pool.imap`; the input is sent as an
   * array.
   *
   * @example
   * for await (const y of await pool.imap(tasks.square, [1, 2, 3])) console.log(y);
   */
  imap<T extends Task>(
    fn: T,
    iterable: Iterable<MapArg<T>>,
    options?: PoolProxyIMapOptions,
  ): Promise<IteratorProxy<TaskResult<T>, undefined>> {
    return this.#call('imap', () => [taskToWire(fn), itemsToWire(iterable), optionsToWire(options)]);
  }

  /** Like `imap`, in completion order. Mirrors `Pool.imap_unordered`. */
  imapUnordered<T extends Task>(
    fn: T,
    iterable: Iterable<MapArg<T>>,
    options?: PoolProxyIMapOptions,
  ): Promise<IteratorProxy<TaskResult<T>, undefined>> {
    return this.#call('imapUnordered', () => [taskToWire(fn), itemsToWire(iterable), optionsToWire(options)]);
  }

  /** No more tasks; the workers exit once the queued ones are done. Mirrors `Pool.close`. */
  async close(): Promise<void> {
    await this._callMethod('close');
  }

  /**
   * Resolves once every worker has exited. Mirrors `Pool.join`.
   *
   * @throws {StateError} `Pool is still running` before close() or terminate().
   */
  async join(): Promise<void> {
    await this._callMethod('join');
  }

  /** Ends the workers now; calls still outstanding reject with `CancelledError`. Mirrors `Pool.terminate`. */
  async terminate(): Promise<void> {
    await this._callMethod('terminate');
  }

  /** `await using pool = await manager.Pool()` terminates it at the end of the scope (Python's `with`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.terminate();
  }
}
