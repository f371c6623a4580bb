/**
 * The `lock` option of Value and SharedArray, as Python's `lock=`: `true`
 * (the default) makes a new RLock, `false` means none (a raw object), and a
 * Lock or RLock is used as it is.
 */
import { RLock } from '../rlock.js';
import type { Lock } from '../lock.js';
import { isLock } from './lock-state.js';
import type { SynchronizedOptions } from '../options.js';

/** The lock the options ask for, or undefined for none. */
export function resolveLock(options: SynchronizedOptions | undefined): Lock | RLock | undefined {
  if (options === undefined) return new RLock();
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `options must be an object like {lock}, got ${options === null ? 'null' : typeof options}`,
    );
  }
  const { lock } = options;
  if (lock === undefined || lock === true) return new RLock();
  if (lock === false) return undefined;
  if (isLock(lock)) return lock;
  throw new TypeError(
    `lock must be true, false, a Lock or an RLock, got ${lock === null ? 'null' : typeof lock}`,
  );
}
