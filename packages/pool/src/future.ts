/**
 * The pending result of `ProcessPoolExecutor.submit`. Mirrors
 * `concurrent.futures.Future`. Differences: `result()` and `exception()`
 * return Promises, and the object is thenable. As in Python, code of your
 * own can make one and complete it (`setRunningOrNotifyCancel`,
 * `setResult`, `setException`).
 */
import { CancelledError, InvalidStateError, StateError, TimeoutError, kInspect } from '@multiprocessing/core';
import { raceTimeout, secondsText, timeoutMs } from '@multiprocessing/core/internal';
import { rejected } from './internal/rejected.js';

type State = 'pending' | 'running' | 'cancelled' | 'finished';

/** Drives a Future (for the executor only). */
export interface FutureControl<T> {
  readonly future: Future<T>;
  /** Python's `set_running_or_notify_cancel`: false if it was cancelled. */
  setRunning(): boolean;
  setResult(value: T): void;
  setException(error: unknown): void;
}

/**
 * Any Future, whatever its result type (a `Future<number>` is not a
 * `Future<unknown>`: the private fields make Future invariant in T).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- only any admits every Future<T>
export type SomeFuture = Future<any>;

/** Told once when a future becomes done (see {@link addWaiter}). */
export type FutureWaiter = (future: SomeFuture) => void;

const kCreate = Symbol('Future.create');
let counter = 0;
let makeFuture: <T>(cancel: () => boolean) => FutureControl<T>;
let waiterHooks: {
  add(future: SomeFuture, waiter: FutureWaiter): void;
  remove(future: SomeFuture, waiter: FutureWaiter): void;
  raised(future: SomeFuture): boolean;
};

/**
 * A call submitted to a ProcessPoolExecutor. `await` it (or `result()`) for the value.
 *
 * @see https://docs.python.org/3/library/concurrent.futures.html#future-objects
 */
export class Future<T> implements PromiseLike<T> {
  readonly #id = ++counter;
  #state: State = 'pending';
  #error: unknown = undefined;
  #failed = false;
  // Invariant: settles when #state becomes 'cancelled' or 'finished'; has a
  // no-op rejection handler so an unobserved failure is not reported.
  readonly #promise: Promise<T>;
  #resolve!: (value: T) => void;
  #reject!: (error: unknown) => void;
  #callbacks: ((future: Future<T>) => void)[] = [];
  // Invariant: the wait()/asCompleted() calls watching this pending future
  // (Python's `_waiters`); undefined until one is added, emptied when done.
  #waiters: Set<FutureWaiter> | undefined = undefined;
  /** Removes the job from the executor's queue; false if it is too late. */
  readonly #tryCancel: () => boolean;

  /**
   * A pending future that your own code completes with {@link Future.setResult}
   * or {@link Future.setException} (Python's `Future()`, for executor authors
   * and tests). A ProcessPoolExecutor makes the futures of its calls itself.
   */
  constructor(...internal: [] | [token: symbol, tryCancel: () => boolean]) {
    if (internal.length === 0) {
      this.#tryCancel = () => true;
    } else {
      if (internal[0] !== kCreate) throw new TypeError('new Future() takes no arguments');
      this.#tryCancel = internal[1];
    }
    this.#promise = new Promise<T>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#promise.catch(() => undefined);
  }

  static {
    makeFuture = <T>(cancel: () => boolean): FutureControl<T> => {
      const future = new Future<T>(kCreate, cancel);
      return {
        future,
        // The executor's own calls never throw: a future done already (cancelled) stays as it is.
        setRunning: () => {
          if (future.#state === 'pending') return future.setRunningOrNotifyCancel();
          return future.#state !== 'cancelled';
        },
        setResult: (value) => {
          if (!future.done()) future.setResult(value);
        },
        setException: (error) => {
          if (!future.done()) future.setException(error);
        },
      };
    };
    waiterHooks = {
      add: (future, waiter) => {
        (future.#waiters ??= new Set()).add(waiter);
      },
      remove: (future, waiter) => {
        future.#waiters?.delete(waiter);
      },
      raised: (future) => future.#state === 'finished' && future.#failed,
    };
  }

  #runCallbacks(): void {
    // As Python: the waiters first, then the done callbacks.
    const waiters = this.#waiters;
    if (waiters !== undefined) {
      this.#waiters = undefined;
      for (const waiter of waiters) waiter(this);
    }
    const callbacks = this.#callbacks;
    this.#callbacks = [];
    for (const fn of callbacks) this.#invoke(fn);
  }

  #invoke(fn: (future: Future<T>) => void): void {
    try {
      fn(this);
    } catch (err) {
      // As Python: an exception in a callback is logged and ignored.
      console.error(`exception calling callback for ${this.toString()}`, err);
    }
  }

  /**
   * Marks the future running, for the code that runs its call (Python's
   * `set_running_or_notify_cancel()`): true when it was pending, false when
   * it was cancelled (its waiters have been told).
   *
   * @throws {StateError} `Future in unexpected state` when it is running or finished.
   */
  setRunningOrNotifyCancel(): boolean {
    if (this.#state === 'cancelled') return false;
    if (this.#state !== 'pending') throw new StateError('Future in unexpected state');
    this.#state = 'running';
    return true;
  }

  /**
   * Completes the future with `value` (Python's `set_result()`): awaiting it,
   * `result()` and the done callbacks see it.
   *
   * @throws {InvalidStateError} `finished: <Future …>` when it is already done or cancelled.
   */
  setResult(value: T): void {
    this.#checkSettable();
    this.#state = 'finished';
    this.#resolve(value);
    this.#runCallbacks();
  }

  /**
   * Completes the future with `error` (Python's `set_exception()`): awaiting
   * it and `result()` reject with it; `exception()` resolves to it.
   *
   * @throws {InvalidStateError} when it is already done or cancelled.
   */
  setException(error: unknown): void {
    this.#checkSettable();
    this.#state = 'finished';
    this.#failed = true;
    this.#error = error;
    this.#reject(error);
    this.#runCallbacks();
  }

  #checkSettable(): void {
    if (this.#state === 'cancelled' || this.#state === 'finished') {
      throw new InvalidStateError(`${this.#state}: ${this.toString()}`);
    }
  }

  /**
   * Cancels the call if it has not started; true if it is (now) cancelled.
   * A running or finished call cannot be cancelled.
   */
  cancel(): boolean {
    if (this.#state === 'cancelled') return true;
    if (this.#state !== 'pending') return false;
    if (!this.#tryCancel()) return false;
    this.#state = 'cancelled';
    this.#reject(new CancelledError(`${this.toString()} was cancelled`));
    this.#runCallbacks();
    return true;
  }

  /** True if the call was cancelled. */
  cancelled(): boolean {
    return this.#state === 'cancelled';
  }

  /** True while a worker has the call (it can no longer be cancelled). */
  running(): boolean {
    return this.#state === 'running';
  }

  /** True once the call finished or was cancelled. */
  done(): boolean {
    return this.#state === 'cancelled' || this.#state === 'finished';
  }

  /**
   * The call's result. With a timeout (seconds), rejects with `TimeoutError`
   * if it is not done by then (the call goes on running).
   *
   * @throws {CancelledError} the future was cancelled.
   * @throws {TimeoutError} not done within `timeout` seconds.
   */
  result(timeout?: number | null): Promise<T> {
    let ms: number | undefined;
    try {
      ms = timeoutMs(timeout);
    } catch (err) {
      return rejected(err);
    }
    if (ms === undefined || this.done()) return this.#promise;
    return raceTimeout(this.#promise, ms, () => {
      throw new TimeoutError(`Future.result() timed out after ${secondsText(ms)}`);
    });
  }

  /**
   * The call's error, or undefined if it succeeded.
   *
   * @throws {CancelledError} the future was cancelled.
   * @throws {TimeoutError} not done within `timeout` seconds.
   */
  async exception(timeout?: number | null): Promise<unknown> {
    try {
      await this.result(timeout);
      return undefined;
    } catch (err) {
      if (this.#state === 'cancelled' || !this.#failed || err !== this.#error) throw err;
      return err;
    }
  }

  /**
   * Calls `fn(future)` once the future is done (at once if it already is).
   * Callbacks run in the order added; an error they throw is logged and ignored.
   */
  addDoneCallback(fn: (future: Future<T>) => void): void {
    if (typeof fn !== 'function') throw new TypeError('fn must be a function');
    if (this.done()) this.#invoke(fn);
    else this.#callbacks.push(fn);
  }

  /** Thenable: `await future` gives the result, as `result()` does. */
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

  /** Python's repr with an id for the address: `<Future #3 state=pending>`, `<Future #3 state=finished raised RangeError>`. */
  toString(): string {
    const raised = this.#failed ? ` raised ${errorName(this.#error)}` : '';
    return `<Future #${String(this.#id)} state=${this.#state}${raised}>`;
  }

  /** `Object.prototype.toString` shows `[object Future]`. */
  readonly [Symbol.toStringTag] = 'Future';

  /** `util.inspect` / `console.log` show {@link Future.toString}. */
  [kInspect](): string {
    return this.toString();
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/** Makes a Future and its controls (for the executor only). */
export function createFuture<T>(tryCancel: () => boolean): FutureControl<T> {
  return makeFuture<T>(tryCancel);
}

/**
 * Calls `waiter` once `future` is done (for wait() and asCompleted()).
 * `future` must not be done yet; undo with {@link removeWaiter}.
 */
export function addWaiter(future: SomeFuture, waiter: FutureWaiter): void {
  waiterHooks.add(future, waiter);
}

/** Undoes {@link addWaiter} (nothing if `future` is done or `waiter` unknown). */
export function removeWaiter(future: SomeFuture, waiter: FutureWaiter): void {
  waiterHooks.remove(future, waiter);
}

/** True if `future` finished with an exception (a cancelled future did not). */
export function raisedException(future: SomeFuture): boolean {
  return waiterHooks.raised(future);
}
