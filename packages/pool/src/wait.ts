/**
 * Waiting for several futures at once. Mirrors `concurrent.futures.wait` and
 * its `FIRST_COMPLETED`, `FIRST_EXCEPTION` and `ALL_COMPLETED` conditions.
 * Differences: it returns a Promise, and an invalid `returnWhen` is refused
 * even when every future is already done.
 */
import { startTimer, timeoutMs } from '@multiprocessing/core/internal';
import {
  addWaiter,
  raisedException,
  removeWaiter,
  type Future,
  type FutureWaiter,
  type SomeFuture,
} from './future.js';
import { distinctFutures } from './internal/future-list.js';
import { optionsObject } from './internal/validate.js';
import { rejected } from './internal/rejected.js';

/** `wait()` returns when any future finishes or is cancelled. */
export const FIRST_COMPLETED = 'FIRST_COMPLETED';
/**
 * `wait()` returns when any future finishes by raising an exception (a
 * cancelled future does not count), or else when every future is done.
 */
export const FIRST_EXCEPTION = 'FIRST_EXCEPTION';
/** `wait()` returns when every future is done (the default). */
export const ALL_COMPLETED = 'ALL_COMPLETED';

/** When `wait()` returns: one of {@link FIRST_COMPLETED}, {@link FIRST_EXCEPTION}, {@link ALL_COMPLETED}. */
export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

/** Options of {@link wait}. */
export interface WaitOptions {
  /**
   * The longest wait in seconds; when it passes, `wait()` resolves with the
   * futures done so far (it does not reject). `undefined`, `null` or
   * `Infinity`: no limit; 0 or less: return at once.
   * @default undefined
   */
  timeout?: number | null;
  /** When to return. @default ALL_COMPLETED */
  returnWhen?: ReturnWhen;
}

/** The result of {@link wait} (Python's `DoneAndNotDoneFutures` named tuple). */
export interface DoneAndNotDoneFutures<
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Future is invariant in T (private fields): only any admits every Future<T>
  F extends Future<any> = Future<unknown>,
> {
  /** The futures that finished or were cancelled before `wait()` returned. */
  readonly done: Set<F>;
  /** The others. */
  readonly notDone: Set<F>;
}

const kReturnWhen: readonly string[] = [FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED];

/** Checks `returnWhen` (Python raises `ValueError('Invalid return condition: …')`). */
function returnWhenOption(value: unknown): ReturnWhen {
  if (value === undefined) return ALL_COMPLETED;
  const allowed = "returnWhen must be 'FIRST_COMPLETED', 'FIRST_EXCEPTION' or 'ALL_COMPLETED'";
  if (typeof value !== 'string')
    throw new TypeError(`${allowed}, got ${value === null ? 'null' : typeof value}`);
  if (!kReturnWhen.includes(value)) throw new RangeError(`Invalid return condition: '${value}' (${allowed})`);
  return value as ReturnWhen;
}

/** Splits `futures` by `done()` now. */
function split<F extends SomeFuture>(futures: readonly F[]): DoneAndNotDoneFutures<F> {
  const done = new Set<F>();
  const notDone = new Set<F>();
  for (const f of futures) (f.done() ? done : notDone).add(f);
  return { done, notDone };
}

/**
 * Waits for the futures in `fs` (from any executors; a future given twice
 * counts once) until `returnWhen` holds or `timeout` seconds pass, and
 * resolves with the futures that are done and those that are not. A
 * cancelled future counts as done. Timing out is not an error: check
 * `notDone`.
 *
 * @example
 * const futures = [1, 2, 3].map((n) => executor.submit(tasks.square, n));
 * const { done, notDone } = await wait(futures, { timeout: 10, returnWhen: FIRST_COMPLETED });
 *
 * @throws {TypeError} `fs` is not an iterable of Futures; a bad option type.
 * @throws {RangeError} `Invalid return condition: '…'`; a NaN timeout.
 * @see https://docs.python.org/3/library/concurrent.futures.html#concurrent.futures.wait
 */
export function wait<
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Future is invariant in T (private fields): only any admits every Future<T>
  F extends Future<any>,
>(fs: Iterable<F>, options?: WaitOptions): Promise<DoneAndNotDoneFutures<F>> {
  let futures: F[];
  let returnWhen: ReturnWhen;
  let ms: number | undefined;
  try {
    futures = distinctFutures(fs);
    const opts = optionsObject(options);
    ms = timeoutMs(opts.timeout);
    returnWhen = returnWhenOption(opts.returnWhen);
  } catch (err) {
    return rejected(err);
  }
  const pending = futures.filter((f) => !f.done());
  const doneCount = futures.length - pending.length;
  if (
    pending.length === 0 ||
    (returnWhen === FIRST_COMPLETED && doneCount > 0) ||
    (returnWhen === FIRST_EXCEPTION && futures.some(raisedException)) ||
    ms === 0
  ) {
    return Promise.resolve(split(futures));
  }
  return new Promise<DoneAndNotDoneFutures<F>>((resolve) => {
    let left = pending.length;
    let ended = false;
    const finish = (): void => {
      if (ended) return;
      ended = true;
      timer.clear();
      for (const f of pending) removeWaiter(f, waiter);
      resolve(split(futures));
    };
    // Python's _FirstCompletedWaiter / _AllCompletedWaiter(stop_on_exception).
    const waiter: FutureWaiter = (f) => {
      left--;
      if (
        left === 0 ||
        returnWhen === FIRST_COMPLETED ||
        (returnWhen === FIRST_EXCEPTION && raisedException(f))
      ) {
        finish();
      }
    };
    for (const f of pending) addWaiter(f, waiter);
    // Declared last: finish() runs only from a waiter or this timer, both later.
    const timer = startTimer(ms, finish);
  });
}
