/**
 * Argument checks shared by the lock family: the `{block, timeout}` options
 * of `acquire` and the positional timeouts of the waits.
 */
import { secondsToMs } from './futex.js';

/** Options of a blocking acquire, as Python's `acquire(block, timeout)`. */
export interface AcquireOptions {
  /**
   * Wait for the lock. With `false` the call answers at once and `timeout`
   * is ignored.
   * @default true
   */
  block?: boolean;
  /**
   * Seconds to wait at most; `undefined` or `null` waits for ever, a negative
   * value means 0.
   * @default undefined
   */
  timeout?: number | null;
}

/**
 * The wait limit in milliseconds that `options` asks for: undefined = for
 * ever, 0 = do not wait.
 * @throws {TypeError} naming the bad option.
 */
export function acquireTimeoutMs(options: AcquireOptions | undefined): number | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`options must be an object like {block, timeout}, got ${options === null ? 'null' : typeof options}`);
  }
  const { block, timeout } = options;
  if (block !== undefined && typeof block !== 'boolean') {
    throw new TypeError(`block must be a boolean, got ${typeof block}`);
  }
  if (block === false) return 0;
  return secondsToMs(timeout, 'timeout');
}
