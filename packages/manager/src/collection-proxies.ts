/**
 * The proxies of the managed containers: dict, list, Namespace, Value and
 * Array (Python's `DictProxy`, `ListProxy`, `NamespaceProxy`, `ValueProxy`,
 * `ArrayProxy`). Negative list indices count from the end, as in Python.
 */
import { BaseProxy } from './base-proxy.js';

/** A proxy for a managed dict. Keys are any primitive; values are copies. */
export class DictProxy<K = unknown, V = unknown> extends BaseProxy {
  /** `d[key]`, or `defaultValue` (undefined) when the key is missing, like `dict.get`. */
  get(key: K): Promise<V | undefined>;
  get<D>(key: K, defaultValue: D): Promise<V | D>;
  get(key: K, ...defaultValue: unknown[]): Promise<unknown> {
    return this._callMethod('get', [key, ...defaultValue]);
  }
  /** `d[key] = value`. */
  set(key: K, value: V): Promise<void> {
    return this._callMethod('set', [key, value]) as Promise<void>;
  }
  /** `del d[key]`; RangeError when the key is missing (Python's KeyError). */
  delete(key: K): Promise<void> {
    return this._callMethod('delete', [key]) as Promise<void>;
  }
  /** `key in d`. */
  has(key: K): Promise<boolean> {
    return this._callMethod('has', [key]) as Promise<boolean>;
  }
  /** `len(d)`. */
  length(): Promise<number> {
    return this._callMethod('length') as Promise<number>;
  }
  /** The keys, as a copy (`list(d.keys())`). */
  keys(): Promise<K[]> {
    return this._callMethod('keys') as Promise<K[]>;
  }
  /** The values, as a copy (`list(d.values())`). */
  values(): Promise<V[]> {
    return this._callMethod('values') as Promise<V[]>;
  }
  /** The entries as `[key, value]` pairs, a copy (`list(d.items())`). */
  items(): Promise<[K, V][]> {
    return this._callMethod('items') as Promise<[K, V][]>;
  }
  /** Adds the entries of an object, a Map or an array of pairs. */
  update(
    other: Readonly<Record<string, V>> | ReadonlyMap<K, V> | readonly (readonly [K, V])[],
  ): Promise<void> {
    return this._callMethod('update', [other]) as Promise<void>;
  }
  /** Removes `key` and returns its value; RangeError when missing and no default is given. */
  pop(key: K): Promise<V>;
  pop<D>(key: K, defaultValue: D): Promise<V | D>;
  pop(key: K, ...defaultValue: unknown[]): Promise<unknown> {
    return this._callMethod('pop', [key, ...defaultValue]);
  }
  /** Removes and returns the last entry as `[key, value]`. */
  popitem(): Promise<[K, V]> {
    return this._callMethod('popitem') as Promise<[K, V]>;
  }
  /** `d[key]` if present, else sets it to `defaultValue` and returns that. */
  setdefault(key: K, defaultValue?: V): Promise<V> {
    return this._callMethod('setdefault', [key, defaultValue]) as Promise<V>;
  }
  /** Removes every entry (`d.clear()`). */
  clear(): Promise<void> {
    return this._callMethod('clear') as Promise<void>;
  }
  /** A copy as a plain object (keys become strings). */
  toObject(): Promise<Record<string, V>> {
    return this._callMethod('toObject') as Promise<Record<string, V>>;
  }
  /** A copy as a Map (keys keep their types). */
  toMap(): Promise<Map<K, V>> {
    return this._callMethod('toMap') as Promise<Map<K, V>>;
  }
}

/** A proxy for a managed list. Negative indices count from the end, as in Python. */
export class ListProxy<T = unknown> extends BaseProxy {
  /** `l[i]`; RangeError `list index out of range`. */
  get(i: number): Promise<T> {
    return this._callMethod('get', [i]) as Promise<T>;
  }
  /** `l[i] = value`; RangeError `list assignment index out of range`. */
  set(i: number, value: T): Promise<void> {
    return this._callMethod('set', [i, value]) as Promise<void>;
  }
  /** `del l[i]`. */
  delete(i: number): Promise<void> {
    return this._callMethod('delete', [i]) as Promise<void>;
  }
  /** Adds `value` at the end (`l.append(value)`). */
  append(value: T): Promise<void> {
    return this._callMethod('append', [value]) as Promise<void>;
  }
  /** Adds every item of `values` at the end (`l.extend(values)`). */
  extend(values: Iterable<T>): Promise<void> {
    return this._callMethod('extend', [Array.isArray(values) ? values : [...values]]) as Promise<void>;
  }
  /** Inserts `value` before index `i` (`l.insert(i, value)`). */
  insert(i: number, value: T): Promise<void> {
    return this._callMethod('insert', [i, value]) as Promise<void>;
  }
  /** Removes and returns item `i` (the last by default); RangeError `pop from empty list`. */
  pop(i?: number): Promise<T> {
    return this._callMethod('pop', i === undefined ? [] : [i]) as Promise<T>;
  }
  /** Removes the first item equal to `value`; RangeError `list.remove(x): x not in list`. */
  remove(value: T): Promise<void> {
    return this._callMethod('remove', [value]) as Promise<void>;
  }
  /** The index of the first item equal to `value`; RangeError `… is not in list`. */
  index(value: T, start?: number, stop?: number): Promise<number> {
    return this._callMethod('index', [value, start, stop]) as Promise<number>;
  }
  /** How many items equal `value` (`l.count(value)`). */
  count(value: T): Promise<number> {
    return this._callMethod('count', [value]) as Promise<number>;
  }
  /** `value in l`. */
  has(value: T): Promise<boolean> {
    return this._callMethod('has', [value]) as Promise<boolean>;
  }
  /** Sorts in place with Python's ordering (numbers numerically, strings by code point). */
  sort(options: { reverse?: boolean } = {}): Promise<void> {
    return this._callMethod('sort', [{ reverse: options.reverse === true }]) as Promise<void>;
  }
  /** Reverses the list in place (`l.reverse()`). */
  reverse(): Promise<void> {
    return this._callMethod('reverse') as Promise<void>;
  }
  /** `l[start:stop]` (a copy). */
  slice(start?: number, stop?: number): Promise<T[]> {
    return this._callMethod('slice', [start, stop]) as Promise<T[]>;
  }
  /** `len(l)`. */
  length(): Promise<number> {
    return this._callMethod('length') as Promise<number>;
  }
  /** A copy of the whole list. */
  toArray(): Promise<T[]> {
    return this._callMethod('toArray') as Promise<T[]>;
  }
}

/** A proxy for a managed Namespace. */
export class NamespaceProxy<T extends Record<string, unknown> = Record<string, unknown>> extends BaseProxy {
  /** The attribute, or undefined when it is not set. */
  get<N extends keyof T & string>(name: N): Promise<T[N]> {
    return this._callMethod('get', [name]) as Promise<T[N]>;
  }
  /** Sets the attribute (`ns.name = value`). */
  set<N extends keyof T & string>(name: N, value: T[N]): Promise<void> {
    return this._callMethod('set', [name, value]) as Promise<void>;
  }
  /** Whether the attribute is set (`hasattr(ns, name)`). */
  has(name: string): Promise<boolean> {
    return this._callMethod('has', [name]) as Promise<boolean>;
  }
  /** Removes the attribute; RangeError when it is not set (Python's AttributeError). */
  delete(name: string): Promise<void> {
    return this._callMethod('delete', [name]) as Promise<void>;
  }
  /** A copy of every attribute as a plain object (`vars(ns)`). */
  toObject(): Promise<T> {
    return this._callMethod('toObject') as Promise<T>;
  }
}

/** A proxy for a managed Value. */
export class ValueProxy<T = unknown> extends BaseProxy {
  /** The value, a copy (`v.value`). */
  get(): Promise<T> {
    return this._callMethod('get') as Promise<T>;
  }
  /** Replaces the value (`v.value = value`). */
  set(value: T): Promise<void> {
    return this._callMethod('set', [value]) as Promise<void>;
  }
}

/** A proxy for a managed Array. */
export class ArrayProxy<T = number> extends BaseProxy {
  /** `a[i]`; RangeError `array index out of range`. */
  get(i: number): Promise<T> {
    return this._callMethod('get', [i]) as Promise<T>;
  }
  /** `a[i] = value`; RangeError `array assignment index out of range`, TypeError for a value the typecode cannot hold. */
  set(i: number, value: T): Promise<void> {
    return this._callMethod('set', [i, value]) as Promise<void>;
  }
  /** `len(a)`. */
  length(): Promise<number> {
    return this._callMethod('length') as Promise<number>;
  }
  /** A copy of the whole array (`a[:]`). */
  toArray(): Promise<T[]> {
    return this._callMethod('toArray') as Promise<T[]>;
  }
}
