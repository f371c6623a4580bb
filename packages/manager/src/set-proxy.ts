/**
 * The proxy of a managed set (`SyncManager.set()`, Python 3.14's `SetProxy`).
 * Every method is a round trip to the server and returns a Promise; the
 * operations that make a new set resolve with a plain `Set` copy, as
 * Python's return a plain `set`. The subset tests take the names of
 * JavaScript's own `Set` methods.
 */
import { BaseProxy } from './base-proxy.js';

/** Arrays and Sets travel as they are; another iterable travels as an array of its items. */
function listed(values: Iterable<unknown>): unknown {
  return Array.isArray(values) || values instanceof Set ? values : [...values];
}

/**
 * A proxy for a managed set. Elements are strings, numbers, bigints,
 * booleans and `null`/`undefined` (Python's hashable values); equal numbers
 * are one element (`1` and `1n`), as in Python.
 */
export class SetProxy<T = unknown> extends BaseProxy {
  /** Adds `value` (`s.add(value)`); TypeError `unhashable type: 'list'` for an object. */
  add(value: T): Promise<void> {
    return this._callMethod('add', [value]) as Promise<void>;
  }
  /** Removes `value` if it is there (`s.discard(value)`). */
  discard(value: T): Promise<void> {
    return this._callMethod('discard', [value]) as Promise<void>;
  }
  /** Removes `value`; RangeError `… is not in set` when it is missing (Python's KeyError). */
  remove(value: T): Promise<void> {
    return this._callMethod('remove', [value]) as Promise<void>;
  }
  /** Removes and returns an element; RangeError `pop from an empty set`. */
  pop(): Promise<T> {
    return this._callMethod('pop') as Promise<T>;
  }
  /** Removes every element. */
  clear(): Promise<void> {
    return this._callMethod('clear') as Promise<void>;
  }
  /** `value in s`. */
  has(value: T): Promise<boolean> {
    return this._callMethod('has', [value]) as Promise<boolean>;
  }
  /** `len(s)`. */
  length(): Promise<number> {
    return this._callMethod('length') as Promise<number>;
  }
  /** Adds the elements of every iterable (`s.update(*others)`, `s |= other`). */
  update(...others: Iterable<T>[]): Promise<void> {
    return this._callMethod('update', others.map(listed)) as Promise<void>;
  }
  /** Removes the elements found in any of `others` (`s.difference_update(*others)`, `s -= other`). */
  differenceUpdate(...others: Iterable<unknown>[]): Promise<void> {
    return this._callMethod('differenceUpdate', others.map(listed)) as Promise<void>;
  }
  /** Keeps only the elements found in every one of `others` (`s.intersection_update(*others)`, `s &= other`). */
  intersectionUpdate(...others: Iterable<unknown>[]): Promise<void> {
    return this._callMethod('intersectionUpdate', others.map(listed)) as Promise<void>;
  }
  /** Keeps the elements in exactly one of the set and `other` (`s ^= other`). */
  symmetricDifferenceUpdate(other: Iterable<T>): Promise<void> {
    return this._callMethod('symmetricDifferenceUpdate', [listed(other)]) as Promise<void>;
  }
  /** A new Set with the elements of the set and of every one of `others` (`s | other`). */
  union<U = T>(...others: Iterable<U>[]): Promise<Set<T | U>> {
    return this._callMethod('union', others.map(listed)) as Promise<Set<T | U>>;
  }
  /** A new Set with the elements found in the set and in every one of `others` (`s & other`). */
  intersection(...others: Iterable<unknown>[]): Promise<Set<T>> {
    return this._callMethod('intersection', others.map(listed)) as Promise<Set<T>>;
  }
  /** A new Set with the elements of the set found in none of `others` (`s - other`). */
  difference(...others: Iterable<unknown>[]): Promise<Set<T>> {
    return this._callMethod('difference', others.map(listed)) as Promise<Set<T>>;
  }
  /** A new Set with the elements in exactly one of the set and `other` (`s ^ other`). */
  symmetricDifference<U = T>(other: Iterable<U>): Promise<Set<T | U>> {
    return this._callMethod('symmetricDifference', [listed(other)]) as Promise<Set<T | U>>;
  }
  /** Whether every element is in `other` (`s.issubset(other)`, `s <= other`). */
  isSubsetOf(other: Iterable<unknown>): Promise<boolean> {
    return this._callMethod('isSubsetOf', [listed(other)]) as Promise<boolean>;
  }
  /** Whether every element of `other` is in the set (`s.issuperset(other)`, `s >= other`). */
  isSupersetOf(other: Iterable<unknown>): Promise<boolean> {
    return this._callMethod('isSupersetOf', [listed(other)]) as Promise<boolean>;
  }
  /** Whether the set and `other` have no element in common (`s.isdisjoint(other)`). */
  isDisjointFrom(other: Iterable<unknown>): Promise<boolean> {
    return this._callMethod('isDisjointFrom', [listed(other)]) as Promise<boolean>;
  }
  /** A plain Set copy (`s.copy()`). */
  copy(): Promise<Set<T>> {
    return this._callMethod('copy') as Promise<Set<T>>;
  }
  /** The elements, as an array copy (`list(s)`). */
  toArray(): Promise<T[]> {
    return this._callMethod('toArray') as Promise<T[]>;
  }
}
