/**
 * The result of `applyAsync`, `mapAsync` and `starmapAsync`. Mirrors
 * `multiprocessing.pool.AsyncResult` (`ApplyResult` / `MapResult`).
 * Differences: `get()` and `wait()` return Promises, and the object is
 * thenable, so `await pool.mapAsync(…)` gives the results.
 */
import { StateError, TimeoutError, kInspect } from '@multiprocessing/core';
import { raceTimeout, secondsText, timeoutMs } from '@multiprocessing/core/internal';
import { rejected } from './internal/rejected.js';

const kCreate = Symbol('AsyncResult.create');
const kPending = 0;
const kOk = 1;
const kFailed = 2;
let counter = 0;

type Callback<T> = ((value: T) => void) | undefined;
type ErrorCallback = ((error: Error) => void) | undefined;

let make: <T>(callback: Callback<T>, errorCallback: ErrorCallback) => AsyncResult<T>;
let settle: <T>(result: AsyncResult<T>, ok: boolean, value: unknown) => void;

interface Deferred {
  readonly promise: Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * A call that runs in the pool. `await` it (or `get()`) for the value.
 *
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.pool.AsyncResult
 */
export class AsyncResult<T> implements PromiseLike<T> {
  #id = 0;
  #state = kPending;
  #value: unknown = undefined;
  // Invariant: #deferred is made only when someone asks for a promise (get,
  // wait, then), so a failure nobody asks for is never an unhandled
  // rejection, and a pool of 50 000 applyAsync calls makes no promise it
  // does not need. Once made, it settles with the result.
  #deferred: Deferred | undefined = undefined;
  readonly #callback: Callback<T>;
  readonly #errorCallback: ErrorCallback;

  /** @internal Made by a Pool. */
  constructor(token: symbol, callback: Callback<T>, errorCallback: ErrorCallback) {
    if (token !== kCreate) throw new TypeError('AsyncResult is made by a Pool; it cannot be constructed');
    this.#callback = callback;
    this.#errorCallback = errorCallback;
  }

  static {
    make = <T>(callback: Callback<T>, errorCallback: ErrorCallback): AsyncResult<T> =>
      new AsyncResult<T>(kCreate, callback, errorCallback);
    settle = <T>(result: AsyncResult<T>, ok: boolean, value: unknown): void => {
      if (result.#state !== kPending) return;
      result.#state = ok ? kOk : kFailed;
      result.#value = value;
      if (ok) {
        if (result.#callback !== undefined) callUser(result.#callback, value as T);
        result.#deferred?.resolve(value);
      } else {
        if (result.#errorCallback !== undefined) callUser(result.#errorCallback, value as Error);
        result.#deferred?.reject(value);
      }
    };
  }

  #promise(): Promise<T> {
    if (this.#deferred === undefined) {
      let resolve!: (value: unknown) => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<unknown>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.#deferred = { promise, resolve, reject };
      if (this.#state === kOk) resolve(this.#value);
      else if (this.#state === kFailed) reject(this.#value);
    }
    return this.#deferred.promise as Promise<T>;
  }

  /**
   * The result, once ready. With a timeout (seconds), rejects with
   * `TimeoutError` if it is not ready by then; the call goes on running.
   * Rejects with the task's error (same class, the worker's stack) if it failed.
   *
   * @throws {TimeoutError} not ready within `timeout` seconds.
   */
  get(timeout?: number | null): Promise<T> {
    let ms: number | undefined;
    try {
      ms = timeoutMs(timeout);
    } catch (err) {
      return rejected(err);
    }
    if (ms === undefined || this.#state !== kPending) return this.#promise();
    return raceTimeout(this.#promise(), ms, () => {
      throw new TimeoutError(`AsyncResult.get() timed out after ${secondsText(ms)}`);
    });
  }

  /** Resolves once the result is ready or `timeout` seconds have passed (never rejects for the call's error). */
  wait(timeout?: number | null): Promise<void> {
    let ms: number | undefined;
    try {
      ms = timeoutMs(timeout);
    } catch (err) {
      return rejected(err);
    }
    const settled = this.#promise().then(
      () => undefined,
      () => undefined,
    );
    if (ms === undefined || this.#state !== kPending) return settled;
    return raceTimeout(settled, ms, () => undefined);
  }

  /** True once the call has completed (successfully or not). */
  ready(): boolean {
    return this.#state !== kPending;
  }

  /**
   * True if the call completed without an error.
   *
   * @throws {StateError} `<…> not ready`, before it is ready (as Python's ValueError).
   */
  successful(): boolean {
    if (this.#state === kPending) throw new StateError(`${this.toString()} not ready`);
    return this.#state === kOk;
  }

  /** Thenable: `await result` gives the value, as `get()` does. */
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#promise().then(onfulfilled, onrejected);
  }

  /** Like a Promise's `catch`. */
  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#promise().catch(onrejected);
  }

  /** `<AsyncResult #1 ready=false>`, `<AsyncResult #1 ready=true successful=true>` (Python's has no repr of its own). */
  toString(): string {
    if (this.#id === 0) this.#id = ++counter;
    const state =
      this.#state === kPending ? 'ready=false' : `ready=true successful=${String(this.#state === kOk)}`;
    return `<AsyncResult #${String(this.#id)} ${state}>`;
  }

  /** `Object.prototype.toString` shows `[object AsyncResult]`. */
  readonly [Symbol.toStringTag] = 'AsyncResult';

  /** `util.inspect` / `console.log` show {@link AsyncResult.toString}. */
  [kInspect](): string {
    return this.toString();
  }
}

/** Makes an AsyncResult (for the pool only). */
export function createAsyncResult<T>(
  callback?: (value: T) => void,
  errorCallback?: (error: Error) => void,
): AsyncResult<T> {
  return make(callback, errorCallback);
}

/** Settles an AsyncResult made by {@link createAsyncResult} (for the pool only). */
export function settleAsyncResult<T>(result: AsyncResult<T>, ok: boolean, value: unknown): void {
  settle(result, ok, value);
}

/**
 * Calls a user callback; an error it throws is re-thrown outside the pool's
 * code path (as an uncaught exception), like an error in an event listener.
 */
export function callUser<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): void {
  try {
    fn(...args);
  } catch (err) {
    process.nextTick(() => {
      throw err;
    });
  }
}
