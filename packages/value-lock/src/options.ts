/**
 * The public option and handle types of the lock family and of the
 * synchronized shared objects: Python's `acquire(block, timeout)` and
 * `lock=` arguments as option objects.
 */
import type { Lock } from './lock.js';
import type { RLock } from './rlock.js';

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

/** Options of `Value` and `SharedArray`. */
export interface SynchronizedOptions {
  /**
   * `true`: a new RLock guards the object; `false`: no lock (you get a
   * RawValue / RawArray); a Lock or RLock: that one is used (share one lock
   * between several objects).
   * @default true
   */
  lock?: boolean | Lock | RLock;
}

/** What `hold()` and `holdSync()` return: disposing of it releases the lock once. */
export interface Held extends Disposable, AsyncDisposable {
  /** Releases the lock now (once; later calls do nothing). */
  release(): void;
}
