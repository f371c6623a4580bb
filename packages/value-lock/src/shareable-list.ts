/**
 * `ShareableList`: a fixed-length list of numbers, bigints, booleans,
 * strings, bytes and nulls, stored in a `SharedMemory`. Mirrors
 * `multiprocessing.shared_memory.ShareableList`.
 *
 * Layout of the segment (little-endian):
 *
 *   0            length n (u32), data bytes (u32)
 *   8            n + 1 slot offsets (u32), from the start of the data
 *   …            n kinds (u8), one per item (see `Kind`)
 *   data         the slots, 8-byte aligned: 8 bytes for a number, bigint,
 *                boolean or null; a string's or bytes' initial length in
 *                UTF-8, plus 1, rounded up to 8 (Python's sizing)
 *
 * An item may change type when the new value fits its slot, as in Python.
 * There is no lock, as in Python: guard read-modify-write with one.
 */
import { inspect } from 'node:util';
import { kInspect, kShareable, registerShareable } from '@multiprocessing/core';
import { toIndex } from './internal/index-key.js';
import type { RemoteSpec, Shareable, ShareableState } from '@multiprocessing/core';
import { SharedMemory } from './shared-memory.js';

const TAG = 'value-lock:ShareableList';

/** What a ShareableList holds. */
export type ShareableItem = number | bigint | boolean | string | Uint8Array | null;

const Kind = { int: 0, float: 1, bool: 2, str: 3, bytes: 4, none: 5, bigint: 6 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

const FIXED_FORMATS: Record<number, string> = {
  [Kind.int]: 'q',
  [Kind.float]: 'd',
  [Kind.bool]: 'xxxxxxx?',
  [Kind.none]: 'xxxxxx?x',
  [Kind.bigint]: 'q',
};

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface Layout {
  readonly view: DataView;
  readonly bytes: Uint8Array;
  readonly length: number;
  readonly offsets: number;
  readonly kinds: number;
  readonly data: number;
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

function regions(length: number): { offsets: number; kinds: number; data: number } {
  const offsets = 8;
  const kinds = offsets + align8(4 * (length + 1));
  return { offsets, kinds, data: kinds + align8(length) };
}

/** The kind a value is stored as, and its encoded bytes for a string or bytes. */
function classify(value: unknown, what: string): { kind: Kind; encoded?: Uint8Array } {
  switch (typeof value) {
    case 'number':
      return { kind: Number.isSafeInteger(value) && !Object.is(value, -0) ? Kind.int : Kind.float };
    case 'bigint':
      if (value < INT64_MIN || value > INT64_MAX) {
        throw new RangeError(`${what} must fit in 64 bits (signed), got ${String(value)}`);
      }
      return { kind: Kind.bigint };
    case 'boolean':
      return { kind: Kind.bool };
    case 'string':
      return { kind: Kind.str, encoded: encoder.encode(value) };
    default:
      if (value === null || value === undefined) return { kind: Kind.none };
      if (value instanceof Uint8Array) return { kind: Kind.bytes, encoded: value };
      throw new TypeError(
        `${what} must be a number, bigint, boolean, string, Uint8Array or null, got ${
          typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value
        }`,
      );
  }
}

function layoutOf(bytes: Uint8Array): Layout {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(0, true);
  return { view, bytes, length, ...regions(length) };
}

function slot(l: Layout, i: number): { at: number; room: number } {
  const start = l.view.getUint32(l.offsets + 4 * i, true);
  const stop = l.view.getUint32(l.offsets + 4 * (i + 1), true);
  return { at: l.data + start, room: stop - start };
}

function read(l: Layout, i: number): ShareableItem {
  const { at, room } = slot(l, i);
  const kind = l.view.getUint8(l.kinds + i) as Kind;
  switch (kind) {
    case Kind.int:
      return Number(l.view.getBigInt64(at, true));
    case Kind.float:
      return l.view.getFloat64(at, true);
    case Kind.bigint:
      return l.view.getBigInt64(at, true);
    case Kind.bool:
      return l.view.getUint8(at) !== 0;
    case Kind.none:
      return null;
    case Kind.str:
    case Kind.bytes: {
      // Python strips trailing NUL bytes from both.
      let stop = at + room;
      while (stop > at && l.bytes[stop - 1] === 0) stop--;
      const raw = l.bytes.slice(at, stop);
      return kind === Kind.str ? decoder.decode(raw) : raw;
    }
  }
}

function write(l: Layout, i: number, value: unknown): void {
  const { at, room } = slot(l, i);
  const { kind, encoded } = classify(value, 'value');
  if (encoded !== undefined && encoded.length > room) {
    throw new RangeError(
      `${kind === Kind.str ? 'str' : 'bytes'} of ${String(encoded.length)} bytes exceeds available storage ` +
        `for existing ${l.view.getUint8(l.kinds + i) === Kind.bytes ? 'bytes' : 'str'} (${String(room)} bytes)`,
    );
  }
  l.bytes.fill(0, at, at + room);
  switch (kind) {
    case Kind.int:
      l.view.setBigInt64(at, BigInt(value as number), true);
      break;
    case Kind.float:
      l.view.setFloat64(at, value as number, true);
      break;
    case Kind.bigint:
      l.view.setBigInt64(at, value as bigint, true);
      break;
    case Kind.bool:
      l.view.setUint8(at, value === true ? 1 : 0);
      break;
    case Kind.none:
      break;
    default:
      if (encoded !== undefined) l.bytes.set(encoded, at);
  }
  l.view.setUint8(l.kinds + i, kind);
}

function position(l: Layout, i: number, assignment: boolean): number {
  const at = i < 0 ? i + l.length : i;
  if (at < 0 || at >= l.length) {
    throw new RangeError(`${assignment ? 'assignment ' : ''}index out of range: ${String(i)}`);
  }
  return at;
}

function same(a: ShareableItem, b: unknown): boolean {
  if (a instanceof Uint8Array) {
    return b instanceof Uint8Array && a.length === b.length && a.every((x, k) => x === b[k]);
  }
  return a === b;
}

function repr(value: unknown): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return `'${value.replaceAll("'", "\\'")}'`;
  if (value instanceof Uint8Array) {
    let out = '';
    for (const b of value) {
      out +=
        b >= 32 && b < 127 && b !== 39 && b !== 92
          ? String.fromCharCode(b)
          : `\\x${b.toString(16).padStart(2, '0')}`;
    }
    return `b'${out}'`;
  }
  return typeof value === 'number' || typeof value === 'bigint' ? String(value) : inspect(value);
}

/** Per-object state, under a symbol so methods called through the Proxy find it. */
interface ListState {
  readonly shm: SharedMemory;
  layout: Layout | undefined;
}

const kState: unique symbol = Symbol('value-lock:shareable-list');

/** The layout, read once; throws once the segment is closed rather than read freed memory. */
function layout(state: ListState): Layout {
  const bytes = state.shm.buf;
  state.layout ??= layoutOf(bytes);
  return state.layout;
}

const handler: ProxyHandler<ShareableList> = {
  get(target, prop, receiver) {
    const i = toIndex(prop);
    if (i === undefined) return Reflect.get(target, prop, receiver) as unknown;
    const l = layout(target[kState]);
    return read(l, position(l, i, false));
  },
  set(target, prop, value, receiver) {
    const i = toIndex(prop);
    if (i === undefined) return Reflect.set(target, prop, value, receiver);
    const l = layout(target[kState]);
    write(l, position(l, i, true), value);
    return true;
  },
  has(target, prop) {
    const i = toIndex(prop);
    return i === undefined ? Reflect.has(target, prop) : i >= 0 && i < target.length;
  },
};

/** A new segment holding `items`. */
function makeList(items: unknown[], name: string | undefined): SharedMemory {
  const kinds = items.map((item, i) => classify(item, `sequence[${String(i)}]`));
  const rooms = kinds.map(({ encoded }) =>
    encoded === undefined ? 8 : 8 * (Math.floor(encoded.length / 8) + 1),
  );
  const { offsets, kinds: kindsAt, data } = regions(items.length);
  const dataBytes = rooms.reduce((a, b) => a + b, 0);
  const shm = new SharedMemory({
    create: true,
    size: data + dataBytes,
    ...(name === undefined ? {} : { name }),
  });
  const view = new DataView(shm.buf.buffer, shm.buf.byteOffset, shm.size);
  view.setUint32(0, items.length, true);
  view.setUint32(4, dataBytes, true);
  let at = 0;
  rooms.forEach((room, i) => {
    view.setUint32(offsets + 4 * i, at, true);
    at += room;
  });
  view.setUint32(offsets + 4 * items.length, at, true);
  const l: Layout = { view, bytes: shm.buf, length: items.length, offsets, kinds: kindsAt, data };
  items.forEach((item, i) => {
    write(l, i, item);
  });
  return shm;
}

/** Options of {@link ShareableList}. */
export interface ShareableListOptions {
  /** The segment's name: attach to it (no sequence), or create the list under it. */
  name?: string;
}

/**
 * A fixed-length list in a {@link SharedMemory}: index it (`sl[0]`,
 * `sl[-1] = 'x'`), iterate it, `count()` and `index()` its items. Every
 * thread of the process can attach to it by name or receive it as an
 * argument; another OS process (the `'process'` start method) receives a
 * handle whose every access runs in the process that made it.
 *
 * @example
 * const sl = new ShareableList(['howdy', 42, -273.154, 100n, null, true]);
 * sl[0] = 'hi'; // fits the slot of 'howdy'
 * const same = new ShareableList(null, { name: sl.shm.name });
 * console.log(same[0], same.length); // hi 6
 * sl.shm.close();
 * sl.shm.unlink();
 * @see https://docs.python.org/3/library/multiprocessing.shared_memory.html#multiprocessing.shared_memory.ShareableList
 */
export class ShareableList implements Shareable, Iterable<ShareableItem> {
  /** Index access: `sl[i]`, negative `i` counting from the end. */
  [index: number]: ShareableItem;

  /** @internal */
  readonly [kState]: ListState;

  /**
   * @param sequence - the items of a new list; `null`/`undefined` with a
   *   `name` attaches to an existing list.
   * @param options - `name`: the segment's name.
   * @throws {TypeError} an item of another type, or a sequence that is not iterable.
   * @throws {RangeError} a bigint outside 64 bits.
   * @throws {FileExistsError} creating under a name in use.
   * @throws {FileNotFoundError} attaching to a name no segment has.
   */
  constructor(sequence?: Iterable<ShareableItem> | null, options: ShareableListOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`options must be an object, got ${String(options)}`);
    }
    const { name } = options;
    if (name !== undefined && typeof name !== 'string') {
      throw new TypeError(`name must be a string, got ${typeof name}`);
    }
    if (sequence === null || sequence === undefined) {
      const shm = name === undefined ? makeList([], undefined) : new SharedMemory({ name });
      this[kState] = { shm, layout: undefined };
    } else {
      if (typeof (sequence as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') {
        throw new TypeError(`sequence must be iterable, got ${typeof sequence}`);
      }
      this[kState] = { shm: makeList([...sequence], name), layout: undefined };
    }
    const proxy: unknown = new Proxy(this, handler);
    return proxy as this;
  }

  /** The `SharedMemory` holding the items (close and unlink it when done). */
  get shm(): SharedMemory {
    return this[kState].shm;
  }

  /** The number of items (fixed). */
  get length(): number {
    return layout(this[kState]).length;
  }

  /** The struct format of the items as Python writes it, such as `'8sqdxxxxxx?x'`. */
  get format(): string {
    const l = layout(this[kState]);
    let out = '';
    for (let i = 0; i < l.length; i++) {
      const kind = l.view.getUint8(l.kinds + i);
      out += FIXED_FORMATS[kind] ?? `${String(slot(l, i).room)}s`;
    }
    return out;
  }

  /** How many items equal `value` (`===`; bytes by content). */
  count(value: unknown): number {
    let n = 0;
    for (const item of this) if (same(item, value)) n++;
    return n;
  }

  /**
   * The position of the first item equal to `value`.
   *
   * @throws {RangeError} `… not in this container` when there is none (Python's ValueError).
   */
  index(value: unknown): number {
    let i = 0;
    for (const item of this) {
      if (same(item, value)) return i;
      i++;
    }
    throw new RangeError(`${repr(value)} not in this container`);
  }

  /** A copy of the items as a plain array (Python's `list(sl)`). */
  toArray(): ShareableItem[] {
    return [...this];
  }

  /** The items, in order. */
  *[Symbol.iterator](): Iterator<ShareableItem> {
    const l = layout(this[kState]);
    for (let i = 0; i < l.length; i++) yield read(l, i);
  }

  /** `ShareableList(['a', 1, None], name='psm_1a2b3c4d')`, as Python's repr. */
  toString(): string {
    return `ShareableList([${this.toArray().map(repr).join(', ')}], name='${this[kState].shm.name}')`;
  }

  /** `util.inspect` / `console.log` show {@link ShareableList.toString}. */
  [kInspect](): string {
    return this.toString();
  }

  /** The shareable protocol: travels by the segment's name, and attaches on arrival. */
  [kShareable](): ShareableState {
    return { tag: TAG, data: { name: this[kState].shm.name }, threadOnly: true };
  }
}

/** Another OS process: every access runs in the process that made the list. */
const shareableListRemote: RemoteSpec = {
  indexed: true,
  sync: ['count', 'index', 'toArray'],
  getters: ['format', 'shm'],
  constants: ['length'],
  methods: {
    *[Symbol.iterator](this: { toArray(): unknown[] }): Iterator<unknown> {
      yield* this.toArray();
    },
  },
};

registerShareable(
  TAG,
  import.meta.url,
  ShareableList,
  (data: { name: string }) => new ShareableList(null, { name: data.name }),
  { remote: shareableListRemote },
);
