/**
 * The result of `applyAsync`, `mapAsync` and `starmapAsync`. Mirrors
 * `multiprocessing.pool.AsyncResult` (`ApplyResult` / `MapResult`).
 * Differences: `get()` and `wait()` return Promises, and the object is
 * thenable, so `await pool.mapAsync(…)` gives the results.
 */
import { StateError, TimeoutError } from '@multiprocessing/core';
import { kMaxTimerMs, secondsText, timeoutMs } from './internal/timeouts.js';

const kCreate = Symbol('AsyncResult.create');
let counter = 0;
let makeAsyncResult: <T>(
  callback: ((value: T) => void) | undefined,
  errorCallback: ((error: Error) => void) | undefined,
) => AsyncResultControl<T>;

/** Settles an AsyncResult (for the pool only). */
export interface AsyncResultControl<T> {
  readonly result: AsyncResult<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/**
 * A call that runs in the pool. `await` it (or `get()`) for the value.
 *
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.pool.AsyncResult
 */
export class AsyncResult<T> implements PromiseLike<T> {
  readonly #id = ++counter;
  // Invariant: #promise settles exactly when #state leaves 'pending'; it has
  // a no-op rejection handler, so an error nobody asks for is not reported
  // as an unhandled rejection.
  readonly #promise: Promise<T>;
  #state: 'pending' | 'ok' | 'failed' = 'pending';
  readonly #callbacks: { callback?: ((value: T) => void) | undefined; errorCallback?: ((error: Error) => void) | undefined };

  /** @internal Made by the pool; see {@link createAsyncResult}. */
  constructor(
    token: symbol,
    promise: Promise<T>,
    callbacks: { callback?: ((value: T) => void) | undefined; errorCallback?: ((error: Error) => void) | undefined },
  ) {
    if (token !== kCreate) throw new TypeError('AsyncResult is made by a Pool; it cannot be constructed');
    this.#promise = promise;
    this.#promise.catch(() => undefined);
    this.#callbacks = callbacks;
  }

  static {
    makeAsyncResult = <T>(
      callback: ((value: T) => void) | undefined,
      errorCallback: ((error: Error) => void) | undefined,
    ): AsyncResultControl<T> => AsyncResult.#make(callback, errorCallback);
  }

  static #make<T>(
    callback: ((value: T) => void) | undefined,
    errorCallback: ((error: Error) => void) | undefined,
  ): AsyncResultControl<T> {
    let resolve!: (value: T) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const result = new AsyncResult<T>(kCreate, promise, { callback, errorCallback });
    return {
      result,
      resolve: (value) => {
        if (result.#state !== 'pending') return;
        result.#state = 'ok';
        const cb = result.#callbacks.callback;
        if (cb !== undefined) callUser(cb, value);
        resolve(value);
      },
      reject: (error) => {
        if (result.#state !== 'pending') return;
        result.#state = 'failed';
        const cb = result.#callbacks.errorCallback;
        if (cb !== undefined) callUser(cb, error as Error);
        reject(error);
      },
    };
  }

  /**
   * The result, once ready. With a timeout (seconds), rejects with
   * `TimeoutError` if it is not ready by then; the call goes on running.
   * Rejects with the task's error (same class, the worker's stack) if it failed.
   *
   * @throws {TimeoutError} not ready within `timeout` seconds.
   */
  get(timeout?: number | null): Promise<T> {
    const ms = timeoutMs(timeout);
    if (ms === undefined || this.#state !== 'pending') return this.#promise;
    return raceTimeout(this.#promise, ms, () => new TimeoutError(`AsyncResult.get() timed out after ${secondsText(ms)}`));
  }

  /** Resolves once the result is ready or `timeout` seconds have passed (never rejects). */
  wait(timeout?: number | null): Promise<void> {
    const ms = timeoutMs(timeout);
    const settled = this.#promise.then(
      () => undefined,
      () => undefined,
    );
    if (ms === undefined || this.#state !== 'pending') return settled;
    return raceTimeout(settled, ms, () => undefined);
  }

  /** True once the call has completed (successfully or not). */
  ready(): boolean {
    return this.#state !== 'pending';
  }

  /**
   * True if the call completed without an error.
   *
   * @throws {StateError} `<…> not ready`, before it is ready (as Python's ValueError).
   */
  successful(): boolean {
    if (this.#state === 'pending') throw new StateError(`${this.toString()} not ready`);
    return this.#state === 'ok';
  }

  /** Thenable: `await result` gives the value, as `get()` does. */
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#promise.then(onfulfilled, onrejected);
  }

  /** Like a Promise's `catch`. */
  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#promise.catch(onrejected);
  }

  toString(): string {
    return `<AsyncResult #${String(this.#id)}>`;
  }

  get [Symbol.toStringTag](): string {
    return 'AsyncResult';
  }
}

/** Makes an AsyncResult and the functions that settle it (for the pool only). */
export function createAsyncResult<T>(
  callback?: (value: T) => void,
  errorCallback?: (error: Error) => void,
): AsyncResultControl<T> {
  return makeAsyncResult(callback, errorCallback);
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

/** `promise`, or after `ms` the value of `onTimeout()` (a rejection if it is an Error). */
export function raceTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error | T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => {
        const out = onTimeout();
        if (out instanceof Error) reject(out);
        else resolve(out);
      },
      Math.min(ms, kMaxTimerMs),
    );
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err as Error);
      },
    );
  });
}
