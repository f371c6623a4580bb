/**
 * The data types a SyncManager serves: `dict`, `list`, `Namespace`, `Value`
 * and `Array`. Mirrors the referents of `multiprocessing.managers` (a
 * Python dict, list, Namespace, Value and array.array), with the explicit
 * method names of the proxies: `get`/`set` stand for
 * `x[k]`, `length` for `len(x)`, `has` for `k in x`.
 */
import { types } from 'node:util';
import { pyCompare, pyEquals, pyRepr } from './py.js';
import { arrayModuleType, type ArrayModuleArray } from '@multiprocessing/value-lock/internal';

function keyError(key: unknown): RangeError {
  return new RangeError(`key ${pyRepr(key)} is not in dict`);
}

function entriesOf(other: unknown, argName: string): Iterable<[unknown, unknown]> {
  if (types.isMap(other)) return other;
  if (Array.isArray(other)) {
    return other.map((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new TypeError(`${argName}[${String(i)}] must be a [key, value] pair`);
      }
      return pair as [unknown, unknown];
    });
  }
  if (typeof other === 'object' && other !== null) return Object.entries(other);
  if (other === undefined || other === null) return [];
  throw new TypeError(`${argName} must be an object, a Map or an array of [key, value] pairs`);
}

/** A managed dict (Python's `dict`): insertion-ordered, any primitive key. */
export class DictReferent {
  readonly map: Map<unknown, unknown>;

  constructor(init?: unknown) {
    this.map = new Map(entriesOf(init, 'dict()'));
  }

  get(key: unknown, defaultValue?: unknown): unknown {
    return this.map.has(key) ? this.map.get(key) : defaultValue;
  }
  set(key: unknown, value: unknown): void {
    this.map.set(key, value);
  }
  delete(key: unknown): void {
    if (!this.map.delete(key)) throw keyError(key);
  }
  has(key: unknown): boolean {
    return this.map.has(key);
  }
  length(): number {
    return this.map.size;
  }
  keys(): unknown[] {
    return [...this.map.keys()];
  }
  values(): unknown[] {
    return [...this.map.values()];
  }
  items(): [unknown, unknown][] {
    return [...this.map.entries()];
  }
  update(other?: unknown): void {
    for (const [k, v] of entriesOf(other, 'other')) this.map.set(k, v);
  }
  pop(key: unknown, ...defaultValue: unknown[]): unknown {
    if (this.map.has(key)) {
      const value = this.map.get(key);
      this.map.delete(key);
      return value;
    }
    if (defaultValue.length > 0) return defaultValue[0];
    throw keyError(key);
  }
  popitem(): [unknown, unknown] {
    const last = [...this.map.keys()].pop();
    if (this.map.size === 0) throw new RangeError('popitem(): dictionary is empty');
    const value = this.map.get(last);
    this.map.delete(last);
    return [last, value];
  }
  setdefault(key: unknown, defaultValue?: unknown): unknown {
    if (!this.map.has(key)) this.map.set(key, defaultValue);
    return this.map.get(key);
  }
  clear(): void {
    this.map.clear();
  }
  toObject(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of this.map) out[String(k)] = v;
    return out;
  }
  toMap(): Map<unknown, unknown> {
    return new Map(this.map);
  }
}

/** Python's index normalisation; throws `<what> index out of range`. */
function indexOf(len: number, i: unknown, what: string): number {
  if (typeof i !== 'number' || !Number.isInteger(i)) {
    throw new TypeError(`${what} indices must be integers, not ${typeof i}`);
  }
  const j = i < 0 ? i + len : i;
  if (j < 0 || j >= len) throw new RangeError(`${what} index out of range`);
  return j;
}

function clampSlice(len: number, i: number | undefined, dflt: number): number {
  if (i === undefined || i === null) return dflt;
  if (i < 0) return Math.max(0, i + len);
  return Math.min(i, len);
}

/** A managed list (Python's `list`). */
export class ListReferent {
  readonly items: unknown[];

  constructor(init?: unknown) {
    if (init === undefined || init === null) this.items = [];
    else if (typeof init === 'object' && Symbol.iterator in init) {
      this.items = [...(init as Iterable<unknown>)];
    } else throw new TypeError('list() takes an array or another iterable');
  }

  get(i: number): unknown {
    return this.items[indexOf(this.items.length, i, 'list')];
  }
  set(i: number, value: unknown): void {
    this.items[indexOf(this.items.length, i, 'list assignment')] = value;
  }
  delete(i: number): void {
    this.items.splice(indexOf(this.items.length, i, 'list assignment'), 1);
  }
  append(value: unknown): void {
    this.items.push(value);
  }
  extend(values: unknown): void {
    if (typeof values !== 'object' || values === null || !(Symbol.iterator in values)) {
      throw new TypeError('extend() takes an array or another iterable');
    }
    for (const v of values as Iterable<unknown>) this.items.push(v);
  }
  insert(i: number, value: unknown): void {
    if (typeof i !== 'number' || !Number.isInteger(i)) throw new TypeError('index must be an integer');
    this.items.splice(clampSlice(this.items.length, i, 0), 0, value);
  }
  pop(i?: number): unknown {
    if (this.items.length === 0) throw new RangeError('pop from empty list');
    const j = indexOf(this.items.length, i ?? -1, 'pop');
    return this.items.splice(j, 1)[0];
  }
  remove(value: unknown): void {
    const j = this.items.findIndex((item) => pyEquals(item, value));
    if (j < 0) throw new RangeError('list.remove(x): x not in list');
    this.items.splice(j, 1);
  }
  index(value: unknown, start?: number, stop?: number): number {
    const len = this.items.length;
    const from = clampSlice(len, start, 0);
    const to = clampSlice(len, stop, len);
    for (let j = from; j < to; j++) if (pyEquals(this.items[j], value)) return j;
    throw new RangeError(`${pyRepr(value)} is not in list`);
  }
  count(value: unknown): number {
    let n = 0;
    for (const item of this.items) if (pyEquals(item, value)) n++;
    return n;
  }
  has(value: unknown): boolean {
    return this.items.some((item) => pyEquals(item, value));
  }
  sort(options?: { reverse?: boolean }): void {
    const reverse = options?.reverse === true;
    // Array#sort is stable, and so is a negated comparator: Python's reverse=True.
    this.items.sort(reverse ? (a, b) => pyCompare(b, a) : pyCompare);
  }
  reverse(): void {
    this.items.reverse();
  }
  slice(start?: number, stop?: number): unknown[] {
    const len = this.items.length;
    return this.items.slice(clampSlice(len, start, 0), clampSlice(len, stop, len));
  }
  length(): number {
    return this.items.length;
  }
  toArray(): unknown[] {
    return this.items;
  }
}

/** A managed Namespace: named attributes. */
export class NamespaceReferent {
  readonly attrs: Record<string, unknown> = Object.create(null) as Record<string, unknown>;

  constructor(init?: unknown) {
    if (init !== undefined && init !== null) {
      if (typeof init !== 'object') throw new TypeError('Namespace() takes an object of attributes');
      Object.assign(this.attrs, init);
    }
  }

  get(name: string): unknown {
    return this.attrs[name];
  }
  set(name: string, value: unknown): void {
    this.attrs[name] = value;
  }
  has(name: string): boolean {
    return name in this.attrs;
  }
  delete(name: string): void {
    const key = name;
    if (!(key in this.attrs)) throw new RangeError(`Namespace has no attribute ${pyRepr(key)}`);
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete
    delete this.attrs[key];
  }
  toObject(): Record<string, unknown> {
    return { ...this.attrs };
  }
}

/** A managed Value: the typecode is not enforced, as in Python. */
export class ValueReferent {
  readonly typecode: string;
  value: unknown;

  constructor(typecode: unknown, value?: unknown) {
    this.typecode = String(typecode);
    this.value = value;
  }

  get(): unknown {
    return this.value;
  }
  set(value: unknown): void {
    this.value = value;
  }
}

/** A managed Array (Python's `array.array(typecode, sequence)`). */
export class ArrayReferent {
  readonly typecode: string;
  readonly data: ArrayModuleArray;

  constructor(typecode: unknown, sequence?: unknown) {
    const Ctor = arrayModuleType(typecode, () => pyRepr(typecode));
    this.typecode = typecode as string;
    const items =
      typeof sequence === 'number'
        ? new Array<number>(sequence).fill(0)
        : sequence === undefined || sequence === null
          ? []
          : [...(sequence as Iterable<unknown>)];
    this.data = new Ctor(items.length);
    items.forEach((v, i) => {
      this.#store(i, v);
    });
  }

  #store(i: number, v: unknown): void {
    const big = this.data instanceof BigInt64Array || this.data instanceof BigUint64Array;
    if (big) {
      if (typeof v === 'bigint') (this.data as BigInt64Array)[i] = v;
      else if (typeof v === 'number' && Number.isInteger(v)) (this.data as BigInt64Array)[i] = BigInt(v);
      else throw new TypeError(`an integer is required (got type ${typeof v})`);
      return;
    }
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (typeof n !== 'number') throw new TypeError(`must be a number, not ${typeof v}`);
    if (this.typecode !== 'f' && this.typecode !== 'd' && !Number.isInteger(n)) {
      throw new TypeError('integer argument expected, got float');
    }
    (this.data as Float64Array)[i] = n;
  }

  get(i: number): unknown {
    return this.data[indexOf(this.data.length, i, 'array')];
  }
  set(i: number, value: unknown): void {
    this.#store(indexOf(this.data.length, i, 'array assignment'), value);
  }
  length(): number {
    return this.data.length;
  }
  toArray(): unknown[] {
    return Array.from(this.data as ArrayLike<unknown>);
  }
}
