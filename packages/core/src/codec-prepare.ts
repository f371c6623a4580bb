/**
 * The codec's scan before msgpackr: `isPlain()` tells whether msgpackr can
 * write a value as it is (the fast path, allocating nothing), `prepare()`
 * copies it into an encodable form otherwise, and refuses what no wire
 * carries.
 */
import { types } from 'node:util';
import { MessagePort } from 'node:worker_threads';
import { deserializeError, serializeError } from './error-serialization.js';
import { isShareable } from './shareable.js';
import { type PathStep } from './internal/path.js';
import { refusedValue } from './internal/refused.js';
import { sparseIndexes } from './internal/sparse.js';
import {
  describeValue,
  ForeignTypedArray,
  MapBox,
  negativeZero,
  SparseBox,
  TypedArray,
} from './codec-boxes.js';

const MAX_DEPTH = 2000;

/** Thrown inside the scan; turned into a PicklingError with the rendered path. */
export class Refusal extends Error {
  constructor(
    readonly at: PathStep | undefined,
    readonly what: string,
  ) {
    super(what);
  }
}

/** {@link isPlain} for one element or property value. */
function isPlainItem(item: unknown, depth: number): boolean {
  switch (typeof item) {
    case 'number':
      return item !== 0 || 1 / item > 0;
    case 'object':
      return item === null || isPlain(item, depth + 1);
    case 'function':
    case 'symbol':
      return false;
    default:
      return true;
  }
}

/**
 * True when msgpackr can write `value` exactly as it is: no Map, no `-0`, no
 * function, no error or typed array from another realm, not too deep. The
 * fast path: it allocates nothing, so plain data pays one cheap scan.
 */
export function isPlain(value: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    const arr = value as unknown[];
    for (let i = 0; i < arr.length; i++) {
      const item = arr[i];
      // A hole: the full pass decides whether the array is sparse.
      if (item === undefined && !(i in arr)) return false;
      if (!isPlainItem(item, depth)) return false;
    }
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    // Leaves msgpackr writes natively; anything else takes the full pass.
    return (
      (ArrayBuffer.isView(value) &&
        ((value as unknown) instanceof TypedArray || !types.isTypedArray(value))) ||
      types.isDate(value) ||
      types.isRegExp(value) ||
      types.isAnyArrayBuffer(value) ||
      value instanceof Error ||
      isShareable(value)
    );
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (!isPlainItem(record[key], depth)) return false;
  }
  return true;
}

/** True for an element or property value {@link prepare} must look at. */
function needsPrepare(item: unknown): boolean {
  const t = typeof item;
  return t === 'object' || t === 'function' || t === 'symbol' || Object.is(item, -0);
}

/**
 * Returns `value` itself when msgpackr can write it as is, or a copy in which
 * every Map, `-0` and foreign-realm error or typed array is replaced by an
 * encodable form. Throws a Refusal for a function or a too-deep value.
 */
export function prepare(value: unknown, at: PathStep | undefined, depth: number): unknown {
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? negativeZero : value;
    case 'function':
    case 'symbol':
      throw new Refusal(at, refusedValue(value) ?? describeValue(value));
    case 'object':
      break;
    default:
      return value;
  }
  if (value === null) return value;
  if (depth > MAX_DEPTH) throw new Refusal(at, 'deep');
  if (Array.isArray(value)) {
    const sparse = sparseIndexes(value);
    if (sparse !== undefined) {
      const entries: unknown[] = [];
      for (const i of sparse) {
        entries.push(i, prepare(value[i], { up: at, key: i, kind: 'index' }, depth + 1));
      }
      return new SparseBox(value.length, entries);
    }
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (!needsPrepare(item)) continue;
      const next = prepare(item, { up: at, key: i, kind: 'index' }, depth + 1);
      if (next !== item) {
        copy ??= value.slice();
        copy[i] = next;
      }
    }
    return copy ?? value;
  }
  if (types.isMap(value)) {
    const entries: [unknown, unknown][] = [];
    let i = 0;
    for (const [k, v] of value) {
      entries.push([
        prepare(k, { up: at, key: i, kind: 'mapKey' }, depth + 1),
        prepare(v, { up: at, key: i, kind: 'mapValue' }, depth + 1),
      ]);
      i++;
    }
    return new MapBox(entries);
  }
  if (types.isSet(value)) {
    let changed = false;
    const items: unknown[] = [];
    let i = 0;
    for (const item of value) {
      const next = prepare(item, { up: at, key: i++, kind: 'setValue' }, depth + 1);
      if (next !== item) changed = true;
      items.push(next);
    }
    return changed ? new Set(items) : value;
  }
  if (types.isNativeError(value)) {
    return value instanceof Error ? value : serializeErrorBox(value);
  }
  if (ArrayBuffer.isView(value)) {
    const view: ArrayBufferView = value;
    if ((view as unknown) instanceof TypedArray || !types.isTypedArray(view)) return view;
    const type = Object.prototype.toString.call(view).slice(8, -1);
    return new ForeignTypedArray(type, new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice());
  }
  if (
    types.isAnyArrayBuffer(value) ||
    types.isDate(value) ||
    types.isRegExp(value) ||
    isShareable(value) ||
    value instanceof MessagePort
  ) {
    return value;
  }
  const refused = refusedValue(value);
  if (refused !== undefined) throw new Refusal(at, refused);
  let copy: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const item = record[key];
    if (!needsPrepare(item)) continue;
    const next = prepare(item, { up: at, key, kind: 'prop' }, depth + 1);
    if (next !== item) {
      copy ??= { ...record };
      copy[key] = next;
    }
  }
  return copy ?? value;
}

/** An error from another realm, re-made in this realm so the extension matches. */
function serializeErrorBox(err: Error): Error {
  return deserializeError(serializeError(err));
}
