/**
 * The result stream of `ProcessPoolExecutor#map`: each chunk's future in
 * order, with Python's timeout from the call and, with `buffersize`, one more
 * task submitted each time the stream moves on to the next one.
 */
import { TimeoutError } from '@multiprocessing/core';
import { remainingMs, secondsText } from '@multiprocessing/core/internal';
import type { Future } from '../future.js';
import type { Deque } from './deque.js';

/**
 * Yields the items of each chunk's future in order; cancels the rest on
 * error or return. `refill` (buffersize) submits one more task each time a
 * task's result is asked for, before it is awaited, as Python's does.
 */
export function resultIterator(
  futures: Deque<Future<unknown[]>>,
  refill: (() => void | Promise<void>) | undefined,
  deadline: number | undefined,
  ms: number | undefined,
  /** An async input's first tasks being submitted. */
  first?: Promise<void>,
): AsyncIterableIterator<unknown> {
  let pendingFirst = first;
  let chunk: unknown[] = [];
  let at = 0;
  let ended = false;
  const cancelRest = (): void => {
    ended = true;
    for (;;) {
      const future = futures.shift();
      if (future === undefined) break;
      future.cancel();
    }
  };
  const iterator: AsyncIterableIterator<unknown> = {
    async next(): Promise<IteratorResult<unknown>> {
      for (;;) {
        if (at < chunk.length) return { done: false, value: chunk[at++] };
        if (ended) return { done: true, value: undefined };
        try {
          if (pendingFirst !== undefined) {
            const wait = pendingFirst;
            pendingFirst = undefined;
            await wait;
          }
          if (refill !== undefined) await refill();
        } catch (err) {
          cancelRest();
          throw err;
        }
        if (ended) return { done: true, value: undefined };
        const future = futures.shift();
        if (future === undefined) {
          ended = true;
          return { done: true, value: undefined };
        }
        try {
          if (deadline === undefined) {
            chunk = await future.result();
          } else {
            const left = (remainingMs(deadline) ?? 0) / 1000;
            if (left <= 0 && !future.done()) {
              throw new TimeoutError(
                `Executor.map() result not ready ${secondsText(ms ?? 0)} after the call`,
              );
            }
            chunk = await future.result(left);
          }
        } catch (err) {
          cancelRest();
          if (err instanceof TimeoutError && deadline !== undefined && !future.done()) {
            throw new TimeoutError(`Executor.map() result not ready ${secondsText(ms ?? 0)} after the call`, {
              cause: err,
            });
          }
          throw err;
        }
        at = 0;
      }
    },
    return(): Promise<IteratorResult<unknown>> {
      cancelRest();
      chunk = [];
      return Promise.resolve({ done: true, value: undefined });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/** True for an async iterable that is not also a sync one. */
export function isAsyncOnly(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function' &&
    typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function'
  );
}
