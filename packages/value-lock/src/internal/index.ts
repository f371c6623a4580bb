/**
 * The `@multiprocessing/value-lock/internal` subpath: low-level futex
 * primitives for sibling packages. Not public API; no semver promise.
 */

// consumer: @multiprocessing/queue (ring buffer locking and wake-ups)
export {
  mutexTryLock,
  mutexLockSync,
  mutexLock,
  mutexUnlock,
  futexWaitSync,
  futexWait,
  futexWake,
} from './futex.js';
// consumer: @multiprocessing/queue (type of futexWait/futexWaitSync results)
export type { FutexWaitResult } from './futex.js';
// consumers: @multiprocessing/manager (a managed Array) and @multiprocessing/pool (dummy.Array):
// the typed array of each typecode of Python's `array` module.
export { arrayModuleType } from './array-module.js';
export type { ArrayModuleArray, ArrayModuleType } from './array-module.js';
