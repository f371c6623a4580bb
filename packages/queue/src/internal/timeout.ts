/**
 * Python's timeout rules for this package's blocking calls: seconds,
 * `undefined`/`null` = wait for ever, a negative number = 0.
 */
import { secondsToMs } from '@multiprocessing/value-lock/internal';

/** Options of the blocking `put`/`get` forms. */
export interface BlockOptions {
  /**
   * Wait when the queue is full (put) or empty (get). With `false` the call
   * fails at once and `timeout` is ignored, as in Python.
   * @default true
   */
  block?: boolean;
  /**
   * Seconds to wait before failing with `FullError`/`EmptyError`;
   * `undefined`/`null` waits for ever, a negative number means 0.
   * @default undefined
   */
  timeout?: number | null;
}

/** A block/timeout pair reduced to "how many ms may this call wait". */
export function waitBudget(options: BlockOptions | undefined): number | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('options must be an object');
  }
  const { block = true, timeout } = options;
  if (typeof block !== 'boolean') throw new TypeError('block must be a boolean');
  if (!block) return 0;
  return secondsToMs(timeout, 'timeout');
}

/** A positional timeout (`poll(timeout)`, `join(timeout)`) in ms. */
export function timeoutMs(timeout: number | null | undefined, argName = 'timeout'): number | undefined {
  return secondsToMs(timeout, argName);
}
