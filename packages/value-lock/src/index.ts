/**
 * `@multiprocessing/value-lock`: Value, SharedArray and the lock family (Lock,
 * RLock, Semaphore, Event, Condition, Barrier) on SharedArrayBuffer and
 * Atomics. Mirrors Python's `multiprocessing.sharedctypes` and
 * `multiprocessing.synchronize`.
 *
 * @privateRemarks
 * Adding a name here is a semver commitment.
 *
 * @packageDocumentation
 */
export { Lock } from './lock.js';
export { RLock } from './rlock.js';
export { Semaphore, BoundedSemaphore } from './semaphore.js';
export { Event } from './event.js';
export { Condition } from './condition.js';
export { Barrier } from './barrier.js';
export type { BarrierOptions } from './barrier.js';

export { Value, RawValue } from './value.js';
export { SharedArray, RawArray } from './shared-array.js';
export { copy, synchronized } from './sharedctypes.js';
export { SharedMemory } from './shared-memory.js';
export type { SharedMemoryOptions } from './shared-memory.js';
export { ShareableList } from './shareable-list.js';
export type { ShareableItem, ShareableListOptions } from './shareable-list.js';
export type { Typecode, BigTypecode, ValueOf, ValueInput } from './typecodes.js';

export type { AcquireOptions, SynchronizedOptions, Held } from './options.js';

export {
  StateError,
  BrokenBarrierError,
  TimeoutError,
  PicklingError,
  FileExistsError,
  FileNotFoundError,
} from '@multiprocessing/core';
