/**
 * Python's `multiprocessing.sharedctypes.copy()` and `synchronized()`: a
 * raw copy of a shared number or array, and a locked wrapper over the same
 * memory as a raw one.
 */
import { kShareable } from '@multiprocessing/core';
import { isLock } from './internal/lock-state.js';
import type { Lock } from './lock.js';
import { RLock } from './rlock.js';
import { RawArray, SharedArray } from './shared-array.js';
import type { Typecode } from './typecodes.js';
import { RawValue, Value } from './value.js';

function refused(argName: string, what: string, value: unknown): TypeError {
  const kind =
    value === null
      ? 'null'
      : typeof value === 'object'
        ? (value.constructor?.name ?? 'object')
        : typeof value;
  return new TypeError(`${argName} must be ${what}, got ${kind}`);
}

/**
 * A new raw object in shared memory holding a copy of `obj`'s contents
 * (a `RawValue` for a Value or RawValue, a `RawArray` for an array).
 *
 * @throws {TypeError} when `obj` is not a Value, RawValue, SharedArray or RawArray.
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.sharedctypes.copy
 */
export function copy<T extends Typecode>(obj: RawValue<T>): RawValue<T>;
export function copy<T extends Typecode>(obj: RawArray<T>): RawArray<T>;
export function copy(obj: RawValue | RawArray): RawValue | RawArray {
  if (obj instanceof RawValue) return new RawValue(obj.typecode, obj.value);
  if (obj instanceof RawArray) return new RawArray(obj.typecode, obj.toArray());
  throw refused('obj', 'a Value, RawValue, SharedArray or RawArray', obj);
}

/**
 * A `Value` (for a RawValue) or a `SharedArray` (for a RawArray) over the
 * same memory as `obj`, guarded by `lock` (a new RLock by default): writes
 * through either are seen through the other.
 *
 * @throws {TypeError} when `obj` is not a RawValue or RawArray (a Value or
 *   SharedArray too: its memory gets the new lock), or `lock` is not a Lock or RLock.
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.sharedctypes.synchronized
 */
export function synchronized<T extends Typecode>(obj: RawValue<T>, lock?: Lock | RLock): Value<T>;
export function synchronized<T extends Typecode>(obj: RawArray<T>, lock?: Lock | RLock): SharedArray<T>;
export function synchronized(obj: RawValue | RawArray, lock?: Lock | RLock): Value | SharedArray {
  if (!(obj instanceof RawValue) && !(obj instanceof RawArray)) {
    throw refused('obj', 'a RawValue or RawArray', obj);
  }
  if (lock !== undefined && !isLock(lock)) throw refused('lock', 'a Lock or an RLock', lock);
  const data = { ...(obj[kShareable]().data as object), live: lock ?? new RLock() };
  return obj instanceof RawValue
    ? Value.adopt(data as Parameters<typeof Value.adopt>[0])
    : SharedArray.adopt(data as Parameters<typeof SharedArray.adopt>[0]);
}
