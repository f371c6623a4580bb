/**
 * A managed set (Python's `set`, which `SyncManager.set()` serves since
 * Python 3.14). Elements are hashable values as Python sees them: strings,
 * numbers, bigints, booleans and None (`null`/`undefined`); anything else
 * is refused with Python's `unhashable type` TypeError. Equal numbers are
 * one element whatever their type (`1`, `1n` and `true`, as `1`, `1.0` and
 * `True` in Python); the first one added stays.
 */
import { pyRepr, pyTypeName } from './py.js';

type Key = string | number | bigint | boolean | null;

/** The element's identity in the set: Python's hash equality for the hashable primitives. */
function keyOf(value: unknown): Key {
  switch (typeof value) {
    case 'string':
      return `s${value}`;
    case 'number':
      return value;
    case 'boolean':
      return value ? 1 : 0;
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value;
    case 'undefined':
      return null;
    default:
      if (value === null) return null;
      throw new TypeError(`unhashable type: '${pyTypeName(value)}'`);
  }
}

function iterableOf(other: unknown, method: string): Iterable<unknown> {
  if (typeof other === 'object' && other !== null && Symbol.iterator in other) {
    return other as Iterable<unknown>;
  }
  if (typeof other === 'string') return other;
  throw new TypeError(`${method}() takes arrays, Sets or other iterables, got ${pyTypeName(other)}`);
}

/** A managed set (see the file's header). */
export class SetReferent {
  readonly #items = new Map<Key, unknown>();

  constructor(init?: unknown) {
    if (init !== undefined && init !== null) this.update(init);
  }

  /** The elements of `others`, each keyed. */
  static #keyed(others: unknown[], method: string): Map<Key, unknown>[] {
    return others.map((other) => {
      const m = new Map<Key, unknown>();
      for (const v of iterableOf(other, method)) {
        const k = keyOf(v);
        if (!m.has(k)) m.set(k, v);
      }
      return m;
    });
  }

  add(value: unknown): void {
    const k = keyOf(value);
    if (!this.#items.has(k)) this.#items.set(k, value);
  }
  discard(value: unknown): void {
    this.#items.delete(keyOf(value));
  }
  remove(value: unknown): void {
    if (!this.#items.delete(keyOf(value))) throw new RangeError(`${pyRepr(value)} is not in set`);
  }
  pop(): unknown {
    for (const [k, v] of this.#items) {
      this.#items.delete(k);
      return v;
    }
    throw new RangeError('pop from an empty set');
  }
  clear(): void {
    this.#items.clear();
  }
  has(value: unknown): boolean {
    return this.#items.has(keyOf(value));
  }
  length(): number {
    return this.#items.size;
  }
  update(...others: unknown[]): void {
    for (const m of SetReferent.#keyed(others, 'update')) {
      for (const [k, v] of m) if (!this.#items.has(k)) this.#items.set(k, v);
    }
  }
  differenceUpdate(...others: unknown[]): void {
    for (const m of SetReferent.#keyed(others, 'differenceUpdate'))
      for (const k of m.keys()) this.#items.delete(k);
  }
  intersectionUpdate(...others: unknown[]): void {
    for (const m of SetReferent.#keyed(others, 'intersectionUpdate')) {
      for (const k of [...this.#items.keys()]) if (!m.has(k)) this.#items.delete(k);
    }
  }
  symmetricDifferenceUpdate(other: unknown): void {
    const [m] = SetReferent.#keyed([other], 'symmetricDifferenceUpdate') as [Map<Key, unknown>];
    for (const [k, v] of m) {
      if (this.#items.has(k)) this.#items.delete(k);
      else this.#items.set(k, v);
    }
  }
  union(...others: unknown[]): Set<unknown> {
    const out = this.#copy();
    out.update(...others);
    return out.copy();
  }
  intersection(...others: unknown[]): Set<unknown> {
    const out = this.#copy();
    out.intersectionUpdate(...others);
    return out.copy();
  }
  difference(...others: unknown[]): Set<unknown> {
    const out = this.#copy();
    out.differenceUpdate(...others);
    return out.copy();
  }
  symmetricDifference(other: unknown): Set<unknown> {
    const out = this.#copy();
    out.symmetricDifferenceUpdate(other);
    return out.copy();
  }
  isSubsetOf(other: unknown): boolean {
    const [m] = SetReferent.#keyed([other], 'isSubsetOf') as [Map<Key, unknown>];
    for (const k of this.#items.keys()) if (!m.has(k)) return false;
    return true;
  }
  isSupersetOf(other: unknown): boolean {
    const [m] = SetReferent.#keyed([other], 'isSupersetOf') as [Map<Key, unknown>];
    for (const k of m.keys()) if (!this.#items.has(k)) return false;
    return true;
  }
  isDisjointFrom(other: unknown): boolean {
    const [m] = SetReferent.#keyed([other], 'isDisjointFrom') as [Map<Key, unknown>];
    for (const k of m.keys()) if (this.#items.has(k)) return false;
    return true;
  }
  /** A plain copy (Python's `s.copy()`). */
  copy(): Set<unknown> {
    return new Set(this.#items.values());
  }
  toArray(): unknown[] {
    return [...this.#items.values()];
  }

  #copy(): SetReferent {
    const out = new SetReferent();
    out.update(this.#items.values());
    return out;
  }
}
