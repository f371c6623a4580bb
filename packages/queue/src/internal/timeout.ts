/**
 * The `{block, timeout}` options of `put`/`get` reduced to how long the call
 * may wait. The timeout itself follows core's one rule (`timeoutMs`).
 */
import { timeoutMs } from '@multiprocessing/core/internal';
import type { BlockOptions } from '../block-options.js';

/** A block/timeout pair reduced to "how many ms may this call wait" (undefined = for ever). */
export function waitBudget(options: BlockOptions | undefined): number | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('options must be an object');
  }
  const { block = true, timeout } = options;
  if (typeof block !== 'boolean') throw new TypeError('block must be a boolean');
  if (!block) return 0;
  return timeoutMs(timeout);
}
