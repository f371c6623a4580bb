/**
 * The `{block, timeout}` options of the blocking `put`/`get` forms, as
 * Python's `Queue.put(obj, block, timeout)` and `Queue.get(block, timeout)`.
 */

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
   * `undefined`/`null` (or `Infinity`) waits for ever, a negative number
   * means 0.
   * @default undefined
   */
  timeout?: number | null;
}
