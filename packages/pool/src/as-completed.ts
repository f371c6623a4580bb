/**
 * Futures in the order they complete. Mirrors `concurrent.futures.as_completed`.
 * Differences: it is an async iterator, and each item is `{ future }` rather
 * than the bare Future (see {@link AsCompletedItem} for why).
 */
import { TimeoutError } from '@multiprocessing/core';
import {
  deadlineAfter,
  remainingMs,
  startTimer,
  timeoutMs,
  type Timer,
} from '@multiprocessing/core/internal';
import { addWaiter, removeWaiter, type Future, type FutureWaiter } from './future.js';
import { distinctFutures } from './internal/future-list.js';
import { optionsObject } from './internal/validate.js';

/** Options of {@link asCompleted}. */
export interface AsCompletedOptions {
  /**
   * Seconds from the call to `asCompleted()`: once they have passed, the
   * next step that would wait rejects with `TimeoutError`
   * (`N (of M) futures unfinished`). `undefined`, `null` or `Infinity`: no
   * limit; 0 or less: only the futures already done are yielded.
   * @default undefined
   */
  timeout?: number | null;
}

/**
 * One step of {@link asCompleted}: the Future that completed.
 *
 * Why a wrapper: a Future is thenable, and TypeScript types the variable of
 * `for await (const x of …)` as the *awaited* item type, so a bare Future
 * would be typed as its result while it is a Future at run time. Wrapped, the
 * loop variable is a `Future` both at run time and in types:
 * `for await (const { future } of asCompleted(fs))`.
 */
export interface AsCompletedItem<
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Future is invariant in T (private fields): only any admits every Future<T>
  F extends Future<any> = Future<unknown>,
> {
  /** A future of `fs` that is done (finished, failed or cancelled). */
  readonly future: F;
}

/**
 * Yields each future of `fs` (from any executors; a future given twice is
 * yielded once) as it completes: those already done first, then the others
 * in the order they finish or are cancelled. Breaking out of the loop stops
 * watching the rest.
 *
 * @example
 * const futures = urls.map((url) => executor.submit(tasks.fetchTitle, url));
 * for await (const { future } of asCompleted(futures, { timeout: 60 })) {
 *   console.log(await future.result());
 * }
 *
 * @throws {TypeError} `fs` is not an iterable of Futures; a bad option type.
 * @throws {RangeError} a NaN timeout.
 * @throws {TimeoutError} (from the iterator) `N (of M) futures unfinished`
 *   once `timeout` seconds have passed with futures still to yield.
 * @see https://docs.python.org/3/library/concurrent.futures.html#concurrent.futures.as_completed
 */
export function asCompleted<
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Future is invariant in T (private fields): only any admits every Future<T>
  F extends Future<any>,
>(fs: Iterable<F>, options?: AsCompletedOptions): AsyncIterableIterator<AsCompletedItem<F>> {
  const futures = distinctFutures(fs);
  const deadline = deadlineAfter(timeoutMs(optionsObject(options).timeout));
  const total = futures.length;
  // Invariant: `batch` from `at` holds the futures collected for yielding
  // (the ones done at the call, then each group that arrived while none was left);
  // `arrived` those done since, not yet collected; `yielded` counts the
  // futures handed out. Python's `pending` is `total - yielded`.
  let batch: F[] = [];
  let at = 0;
  let arrived: F[] = [];
  let yielded = 0;
  let watched: F[] = [];
  let ended = false;
  // Set while a next() waits for an arrival.
  let wake: (() => void) | undefined;
  const waiter: FutureWaiter = (f) => {
    arrived.push(f as F);
    wake?.();
  };
  for (const f of futures) {
    if (f.done()) batch.push(f);
    else watched.push(f);
  }
  for (const f of watched) addWaiter(f, waiter);

  const end = (): void => {
    ended = true;
    for (const f of watched) removeWaiter(f, waiter);
    watched = [];
    batch = [];
    at = 0;
    arrived = [];
  };
  const timeout = (): TimeoutError => {
    const error = new TimeoutError(`${String(total - yielded)} (of ${String(total)}) futures unfinished`);
    end();
    return error;
  };

  const step = async (): Promise<IteratorResult<AsCompletedItem<F>>> => {
    for (;;) {
      if (ended) return { done: true, value: undefined };
      const future = batch[at];
      if (future !== undefined) {
        at++;
        yielded++;
        return { done: false, value: { future } };
      }
      if (yielded === total) {
        end();
        return { done: true, value: undefined };
      }
      // As Python: the deadline is checked before collecting what arrived.
      const left = remainingMs(deadline);
      if (left === 0) throw timeout();
      if (arrived.length === 0) {
        let timer: Timer | undefined;
        const outcome = await new Promise<boolean>((resolve) => {
          wake = () => {
            resolve(true);
          };
          timer = startTimer(left, () => {
            resolve(false);
          });
        });
        wake = undefined;
        timer?.clear();
        if (ended) return { done: true, value: undefined };
        // As Python: what arrived before the deadline is still yielded.
        if (!outcome && arrived.length === 0) throw timeout();
      }
      batch = arrived;
      at = 0;
      arrived = [];
    }
  };

  // Calls of next() run one after another, as an async generator's do.
  let tail: Promise<unknown> = Promise.resolve();
  const iterator: AsyncIterableIterator<AsCompletedItem<F>> = {
    next() {
      const result = tail.then(step);
      tail = result.catch(() => undefined);
      return result;
    },
    return() {
      end();
      wake?.();
      return Promise.resolve({ done: true, value: undefined });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
