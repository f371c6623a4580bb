/**
 * Argument checks shared by the lock family: the `{block, timeout}` options
 * of `acquire` (the timeout itself is core's `timeoutMs`).
 */
import { timeoutMs } from '@multiprocessing/core/internal';
import type { AcquireOptions } from '../options.js';

/**
 * The wait limit in milliseconds that `options` asks for: undefined = for
 * ever, 0 = do not wait.
 * @throws {TypeError} naming the bad option.
 */
export function acquireTimeoutMs(options: AcquireOptions | undefined): number | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `options must be an object like {block, timeout}, got ${options === null ? 'null' : typeof options}`,
    );
  }
  const { block, timeout } = options;
  if (block !== undefined && typeof block !== 'boolean') {
    throw new TypeError(`block must be a boolean, got ${typeof block}`);
  }
  if (block === false) return 0;
  return timeoutMs(timeout);
}
