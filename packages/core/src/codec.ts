/**
 * The byte codec: msgpackr, configured to carry what structured clone carries
 * plus shareables. Used wherever bytes cross a boundary:
 * queue rings, pipes, sockets. Plays the role of Python's `pickle` in
 * `multiprocessing.reduction`.
 *
 * Plain data (primitives, plain objects, arrays, and the types msgpackr
 * handles natively) goes straight to msgpackr after one cheap scan. Only
 * values holding a `Map`, `-0` or an error from another realm are copied
 * into an encodable form first.
 */
import type { Packr } from 'msgpackr';
import type * as MsgpackrModule from 'msgpackr';
import { createRequire } from 'node:module';
import { types } from 'node:util';
import { PicklingError } from './errors.js';
import { deserializeError, serializeError, type SerializedError } from './error-serialization.js';
import {
  describeShareable,
  isShareable,
  onShareableClass,
  reviveShareable,
  type Shareable,
  type ShareableDescriptor,
} from './shareable.js';
import { exportSharedBuffer, importSharedBuffer } from './sab-registry.js';
import { renderPath, type PathStep } from './internal/path.js';
import { refusalMessage, refusedValue } from './internal/refused.js';
import { sparseArray, sparseIndexes } from './internal/sparse.js';
import { MessagePort } from 'node:worker_threads';

/** Carries a Map's entries, since msgpackr decodes maps as objects. */
class MapBox {
  constructor(readonly entries: [unknown, unknown][]) {}
}
/** Carries a sparse array as its length and its `[index, value]` entries. */
class SparseBox {
  constructor(
    readonly length: number,
    readonly entries: unknown[],
  ) {}
}
/** Stands for `-0`, which msgpackr writes as the integer 0. */
class NegativeZero {}
const negativeZero = new NegativeZero();
/**
 * Carries a typed array made in another realm (a vm context), which
 * msgpackr's own typed-array check (`instanceof` this realm's TypedArray)
 * does not recognise.
 */
class ForeignTypedArray {
  constructor(
    readonly type: string,
    readonly bytes: Uint8Array,
  ) {}
}
const TypedArray = (Object.getPrototypeOf(Uint8Array.prototype) as { constructor: unknown })
  .constructor as abstract new (...args: never[]) => unknown;
const typedArrayTypes = new Set([
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
]);

const EXT_ERROR = 0x20;
const EXT_SHAREABLE = 0x21;
const EXT_SAB = 0x22;
const EXT_MAP = 0x23;
const EXT_NEGATIVE_ZERO = 0x24;
const EXT_REFUSED = 0x25;
const EXT_FOREIGN_TYPED_ARRAY = 0x26;
const EXT_SPARSE_ARRAY = 0x27;

type Msgpackr = typeof MsgpackrModule;

/**
 * msgpackr with our extensions, made on first use: a thread that never
 * encodes bytes (most pool and process children) does not load msgpackr.
 */
function createPackr(): Packr {
  const msgpackr = createRequire(import.meta.url)('msgpackr') as Msgpackr;
  msgpackr.addExtension({
    Class: Error,
    type: EXT_ERROR,
    write: (err: Error) => serializeError(err),
    read: (data: SerializedError) => deserializeError(data),
  });
  msgpackr.addExtension({
    Class: SharedArrayBuffer,
    type: EXT_SAB,
    write: (sab: SharedArrayBuffer) => exportSharedBuffer(sab),
    read: (id: string) => importSharedBuffer(id),
  });
  msgpackr.addExtension({
    Class: MapBox,
    type: EXT_MAP,
    write: (box: MapBox) => box.entries,
    read: (entries: [unknown, unknown][]) => new Map(entries),
  });
  msgpackr.addExtension({
    Class: ForeignTypedArray,
    type: EXT_FOREIGN_TYPED_ARRAY,
    write: (box: ForeignTypedArray) => [box.type, box.bytes],
    read: ([type, bytes]: [string, Uint8Array]) => {
      const Ctor = (globalThis as unknown as Record<string, new (b: ArrayBuffer) => ArrayBufferView>)[type];
      if (Ctor === undefined || !typedArrayTypes.has(type))
        throw new TypeError(`unknown typed array ${type}`);
      return new Ctor(bytes.slice().buffer);
    },
  });
  msgpackr.addExtension({
    Class: SparseBox,
    type: EXT_SPARSE_ARRAY,
    write: (box: SparseBox) => [box.length, box.entries],
    read: ([length, entries]: [unknown, unknown[]]) => {
      const arr = sparseArray(length);
      for (let i = 0; i + 1 < entries.length; i += 2) {
        const index = entries[i];
        if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= arr.length) {
          throw new RangeError(`sparse array index ${String(index)} is out of range`);
        }
        arr[index] = entries[i + 1];
      }
      return arr;
    },
  });
  msgpackr.addExtension({
    Class: NegativeZero,
    type: EXT_NEGATIVE_ZERO,
    write: () => 0,
    read: () => -0,
  });
  for (const Refused of [MessagePort, Function] as (new () => unknown)[]) {
    msgpackr.addExtension({
      Class: Refused,
      type: EXT_REFUSED,
      write: (value: unknown) => {
        throw new PicklingError(
          `${describeValue(value)} cannot be encoded as bytes: ${
            typeof value === 'function'
              ? 'functions cannot be sent inside data; pass a moduleRef/taskRef as the task instead'
              : 'a MessagePort can only be posted, not put in a queue or pipe'
          }`,
        );
      },
      read: () => undefined,
    });
  }
  /** Never instantiated: gives the shareable extension its reader before any class registers. */
  class UnregisteredShareable {}
  msgpackr.addExtension({
    Class: UnregisteredShareable,
    type: EXT_SHAREABLE,
    write: () => {
      throw new PicklingError('unreachable');
    },
    read: (desc: ShareableDescriptor) => reviveShareable(desc),
  });
  onShareableClass((cls) => {
    msgpackr.addExtension({
      Class: cls,
      type: EXT_SHAREABLE,
      write: (value: Shareable) => describeShareable(value),
      read: (desc: ShareableDescriptor) => reviveShareable(desc),
    });
  });

  return new msgpackr.Packr({
    useRecords: false,
    moreTypes: true,
    int64AsType: 'bigint',
    copyBuffers: true,
    mapsAsObjects: true,
  });
}

let packr: Packr | undefined;

function describeValue(value: unknown): string {
  if (typeof value === 'function') {
    return `function ${value.name === '' ? '(anonymous)' : value.name}`;
  }
  return Object.prototype.toString.call(value);
}

const MAX_DEPTH = 2000;

/** Thrown inside the scan; turned into a PicklingError with the rendered path. */
class Refusal extends Error {
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
function isPlain(value: unknown, depth: number): boolean {
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
function prepare(value: unknown, at: PathStep | undefined, depth: number): unknown {
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

/**
 * Encodes `value` as msgpackr bytes.
 *
 * @param label - names the value in a PicklingError (e.g. `item`).
 * @throws {PicklingError} for a value neither wire carries (a function, a
 *   symbol, a Promise, a weak collection: `internal/refused.ts`) or a
 *   MessagePort inside the value; the message names its path.
 */
export function encode(value: unknown, label = 'value'): Uint8Array {
  let prepared: unknown;
  try {
    const plain =
      typeof value === 'object' && value !== null
        ? isPlain(value, 0)
        : typeof value !== 'function' && typeof value !== 'symbol' && !Object.is(value, -0);
    prepared = plain ? value : prepare(value, undefined, 0);
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    const path = renderPath(err.at, label);
    throw new PicklingError(
      err.what === 'deep'
        ? `value at ${path} is nested too deeply or is cyclic`
        : refusalMessage(err.what, path),
    );
  }
  try {
    packr ??= createPackr();
    return packr.pack(prepared);
  } catch (err) {
    if (err instanceof PicklingError) throw err;
    throw new PicklingError(`${label} cannot be encoded: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/**
 * Encodes `value` like {@link encode} and hands the bytes to `use`, which
 * must be done with them when it returns (copy them into a ring, write them
 * to a socket): afterwards msgpackr writes the next value over them. A
 * producer that copies every item out at once (a queue's `put`) then reuses
 * one buffer instead of taking a fresh stretch of msgpackr's for each item;
 * for 1 KB items that stretch, a new 8 KB buffer every few items, was the
 * producer's largest cost after the copy itself (allocation and collection).
 *
 * @throws {PicklingError} as {@link encode}.
 */
export function withEncoded<R>(value: unknown, label: string, use: (bytes: Uint8Array) => R): R {
  const bytes = encode(value, label);
  try {
    return use(bytes);
  } finally {
    // msgpackr writes at `position` in its current buffer (allocated by
    // itself, at offset 0). Still the end of these bytes means nothing was
    // encoded since, so the next value may start where these started.
    if (packr?.position === bytes.byteOffset + bytes.length) packr.position = bytes.byteOffset;
  }
}

/** Decodes bytes made by {@link encode}; shareables arrive live. */
export function decode(bytes: Uint8Array): unknown {
  packr ??= createPackr();
  return packr.unpack(bytes) as unknown;
}
