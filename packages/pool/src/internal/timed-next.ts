/**
 * `next(timeout)` of the pool's result iterators (`IMapIterator`,
 * `StreamIterator`): checks the timeout (seconds) and asks the call for its
 * next value, failing with `TimeoutError` if none is ready in time.
 */
import { TimeoutError } from '@multiprocessing/core';
import { secondsText, timeoutMs } from '@multiprocessing/core/internal';
import { rejected } from './rejected.js';

/** A call whose results are read one at a time. */
export interface NextSource {
  next(waitMs: number | undefined, onTimeout: () => Error): Promise<IteratorResult<unknown>>;
}

/** The next result of `call`, within `timeout` seconds; `owner` names the method in the error. */
export function timedNext<T>(call: NextSource, timeout: unknown, owner: string): Promise<IteratorResult<T>> {
  let ms: number | undefined;
  try {
    ms = timeoutMs(timeout);
  } catch (err) {
    return rejected(err);
  }
  return call.next(
    ms,
    () => new TimeoutError(`${owner}.next() timed out after ${secondsText(ms ?? 0)}`),
  ) as Promise<IteratorResult<T>>;
}
