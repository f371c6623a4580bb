/**
 * `SharedArray` and `RawArray`: a fixed-length array of numbers in shared
 * memory. Mirror `multiprocessing.Array` / `RawArray` (`sharedctypes`);
 * renamed so the global `Array` is never shadowed. Differences: 64-bit
 * typecodes hold `bigint`; an index out of range throws RangeError (Python:
 * IndexError); negative indexes count from the end, as in Python.
 *
 * Index access (`arr[i]`) goes through a Proxy whose traps read and write
 * the typed-array view; every other property reaches the object itself.
 * Memory: lines from the thread's arena, or a buffer of its own when larger
 * than a quarter chunk (internal/arena.ts).
 */
import { kInspect, kShareable, registerShareable } from '@multiprocessing/core';
import type { Shareable, ShareableState } from '@multiprocessing/core';
import { allocate, isSharedArrayBuffer } from './internal/arena.js';
import { arrayHandler, kState, type ArrayState } from './internal/array-state.js';
import { charRaw, charValue, setCharRaw, setCharValue } from './internal/char-array.js';
import type { LockState } from './internal/lock-state.js';
import { lockState, reviveLock } from './internal/lock-state.js';
import { pyList } from './internal/repr.js';
import { resolveLock } from './internal/lock-option.js';
import type { AcquireOptions, Held, SynchronizedOptions } from './options.js';
import type { Lock } from './lock.js';
import type { RLock } from './rlock.js';
import { coerce, typecodeInfo } from './typecodes.js';
import type { Typecode, ValueInput, ValueOf } from './typecodes.js';
import { rawArrayRemote, sharedArrayRemote } from './internal/remote-specs.js';

const RAW_TAG = 'value-lock:RawArray';
const TAG = 'value-lock:SharedArray';
const MAX_LENGTH = 2 ** 31 - 1;

interface ArrayData {
  readonly typecode: Typecode;
  readonly sab: SharedArrayBuffer;
  readonly byteOffset: number;
  readonly length: number;
  readonly lock?: LockState;
  /** The lock itself, when the data was made in this thread (sharedctypes' synchronized()). */
  readonly live?: Lock | RLock;
}

// Set by adopt() for the one constructor call that follows.
let adopting: ArrayData | undefined;

function checkData(data: ArrayData): ArrayData {
  const info = typecodeInfo(data.typecode);
  if (
    typeof data.byteOffset !== 'number' ||
    typeof data.length !== 'number' ||
    data.byteOffset % info.bytes !== 0 ||
    !isSharedArrayBuffer(data.sab) ||
    data.byteOffset + data.length * info.bytes > data.sab.byteLength
  ) {
    throw new TypeError('invalid shared SharedArray descriptor');
  }
  return data;
}

function initialValues(sizeOrValues: unknown): { length: number; values: ArrayLike<unknown> | undefined } {
  if (typeof sizeOrValues === 'number') {
    if (!Number.isInteger(sizeOrValues)) {
      throw new TypeError(`sizeOrValues must be an integer size or a sequence, got ${String(sizeOrValues)}`);
    }
    if (sizeOrValues < 0 || sizeOrValues > MAX_LENGTH) {
      throw new RangeError(
        `sizeOrValues must be a size between 0 and ${String(MAX_LENGTH)}, got ${String(sizeOrValues)}`,
      );
    }
    return { length: sizeOrValues, values: undefined };
  }
  if (typeof sizeOrValues === 'object' && sizeOrValues !== null) {
    const values: ArrayLike<unknown> =
      Symbol.iterator in sizeOrValues && !ArrayBuffer.isView(sizeOrValues) && !Array.isArray(sizeOrValues)
        ? Array.from(sizeOrValues as Iterable<unknown>)
        : (sizeOrValues as ArrayLike<unknown>);
    if (typeof values.length === 'number') return { length: values.length, values };
  }
  throw new TypeError(
    `sizeOrValues must be an integer size or a sequence of numbers, got ${sizeOrValues === null ? 'null' : typeof sizeOrValues}`,
  );
}

/**
 * A fixed-length array of numbers in shared memory, with no lock.
 *
 * @example
 * const squares = new RawArray('d', 4);
 * squares[1] = 1.5;
 * console.log(squares.toArray()); // [0, 1.5, 0, 0]
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.sharedctypes.RawArray
 */
export class RawArray<T extends Typecode = Typecode> implements Shareable, Iterable<ValueOf<T>> {
  /** Index access: `arr[i]`, negative `i` counting from the end. */
  [index: number]: ValueOf<T>;

  /** @internal */
  readonly [kState]: ArrayState;

  /**
   * @param typecode - `c b B h H i I l L q Q f d`.
   * @param sizeOrValues - a length (zero-filled) or the initial values.
   * @throws {TypeError} `this type has no size` for an unknown typecode, and
   *   for a non-integer element of an integer typecode.
   * @throws {RangeError} for a negative size.
   */
  constructor(typecode: T, sizeOrValues: number | Iterable<ValueInput<T>> | ArrayLike<ValueInput<T>>) {
    const shared = adopting;
    adopting = undefined;
    if (shared !== undefined) {
      const info = typecodeInfo(shared.typecode);
      this[kState] = {
        info,
        view: new info.View(shared.sab, shared.byteOffset, shared.length),
        lock: undefined,
      };
    } else {
      const info = typecodeInfo(typecode);
      const { length, values } = initialValues(sizeOrValues);
      const converted: (number | bigint)[] = [];
      if (values !== undefined) {
        for (let i = 0; i < length; i++) converted.push(coerce(info, values[i]));
      }
      const block = allocate(length * info.bytes);
      const view = new info.View(block.sab, block.byteOffset, length);
      const slots = view as unknown as Record<number, number | bigint>;
      converted.forEach((v, i) => {
        slots[i] = v;
      });
      this[kState] = { info, view, lock: undefined };
    }
    const proxy: unknown = new Proxy(this, arrayHandler);
    return proxy as this;
  }

  /** @internal Rebuilds a view (used by the revivers). */
  static adopt<C extends RawArray>(this: new (typecode: Typecode, size: number) => C, data: ArrayData): C {
    adopting = checkData(data);
    return new this(data.typecode, 0);
  }

  /** The typecode. */
  get typecode(): T {
    return this[kState].info.typecode as T;
  }

  /** The number of elements. */
  get length(): number {
    return this[kState].view.length;
  }

  /**
   * For typecode `'c'` (Python's `c_char` array): the bytes up to the first
   * NUL. Writing it stores the bytes and a NUL after them when there is room.
   *
   * @throws {TypeError} for another typecode, or a value that is not a Uint8Array.
   * @throws {RangeError} `byte string too long` when it does not fit.
   */
  get value(): Uint8Array {
    const { view, info } = this[kState];
    return charValue(view, info.typecode);
  }

  /** Writes `bytes` and a NUL after them when there is room (typecode `'c'`). */
  set value(bytes: Uint8Array) {
    const { view, info } = this[kState];
    setCharValue(view, info.typecode, bytes);
  }

  /**
   * For typecode `'c'`: every byte. Writing it stores the bytes at the start.
   *
   * @throws {TypeError} / {RangeError} as {@link RawArray.value}.
   */
  get raw(): Uint8Array {
    const { view, info } = this[kState];
    return charRaw(view, info.typecode);
  }

  /** Writes `bytes` at the start (typecode `'c'`). */
  set raw(bytes: Uint8Array) {
    const { view, info } = this[kState];
    setCharRaw(view, info.typecode, bytes);
  }

  /** A copy of the elements as a plain array. */
  toArray(): ValueOf<T>[] {
    return Array.from(this[kState].view as unknown as ArrayLike<ValueOf<T>>);
  }

  /** A copy of the elements from `start` to `end` (Python's `arr[start:end]`). */
  slice(start?: number, end?: number): ValueOf<T>[] {
    return Array.from(this[kState].view.slice(start, end) as unknown as ArrayLike<ValueOf<T>>);
  }

  /** The elements, in order. */
  *[Symbol.iterator](): Iterator<ValueOf<T>> {
    for (const v of this[kState].view as unknown as Iterable<ValueOf<T>>) yield v;
  }

  /** `<RawArray('i', [1, 2, 3])>`, `<SharedArray('d', [1.0, 2.0, ...])>`: at most 10 elements. */
  toString(): string {
    const { info, view } = this[kState];
    return `<${this.constructor.name}('${info.typecode}', ${pyList(view, info.kind === 'float')})>`;
  }

  /** `util.inspect` / `console.log` show {@link RawArray.toString}. */
  [kInspect](): string {
    return this.toString();
  }

  /** @internal The plain data of this array (without its lock). */
  protected arrayData(): ArrayData {
    const { info, view } = this[kState];
    return {
      typecode: info.typecode,
      sab: view.buffer as SharedArrayBuffer,
      byteOffset: view.byteOffset,
      length: view.length,
    };
  }

  /** The shareable protocol: arrives in another thread as a live view. */
  [kShareable](): ShareableState {
    return { tag: RAW_TAG, data: this.arrayData(), threadOnly: true };
  }
}

/**
 * A fixed-length array of numbers in shared memory guarded by a lock (an
 * RLock unless you pass one). Python's `multiprocessing.Array`.
 *
 * @example
 * const arr = new SharedArray('i', [1, 2, 3]);
 * await arr.withLock(() => { arr[0] += 1; });
 * console.log(arr.toArray(), arr.length); // [2, 2, 3] 3
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.Array
 */
export class SharedArray<T extends Typecode = Typecode> extends RawArray<T> {
  /**
   * @param typecode - `c b B h H i I l L q Q f d`.
   * @param sizeOrValues - a length (zero-filled) or the initial values.
   * @param options - `{lock}`: `true` (a new RLock, the default), `false`
   *   (no lock: you get a RawArray, without getLock()), or a Lock / RLock.
   */
  constructor(
    typecode: T,
    sizeOrValues: number | Iterable<ValueInput<T>> | ArrayLike<ValueInput<T>>,
    options?: SynchronizedOptions,
  ) {
    const lock = adopting === undefined ? resolveLock(options) : adoptedLock(adopting);
    // Python's lock=False: the raw object itself, which has no getLock().
    // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
    if (lock === undefined) return new RawArray(typecode, sizeOrValues) as SharedArray<T>;
    super(typecode, sizeOrValues);
    this[kState].lock = lock;
  }

  #lock(): Lock | RLock {
    const lock = this[kState].lock;
    if (lock === undefined) throw new TypeError('SharedArray has no lock');
    return lock;
  }

  /** The lock that guards this array (Python's `get_lock()`). */
  getLock(): Lock | RLock {
    return this.#lock();
  }

  /**
   * The unlocked array behind this one (Python's `get_obj()`): a `RawArray`
   * over the same memory, so its writes are this array's. A new view each call.
   */
  getObj(): RawArray<T> {
    return RawArray.adopt(this.arrayData()) as RawArray<T>;
  }

  /** Acquires the array's lock. See {@link Lock.acquire}. */
  acquire(options?: AcquireOptions): Promise<boolean> {
    return this.#lock().acquire(options);
  }

  /** Acquires the array's lock, blocking the thread. See {@link Lock.acquireSync}. */
  acquireSync(options?: AcquireOptions): boolean {
    return this.#lock().acquireSync(options);
  }

  /** Releases the array's lock. */
  release(): void {
    this.#lock().release();
  }

  /** `await using _ = await arr.hold()`: holds the array's lock for a scope. */
  hold(options?: Pick<AcquireOptions, 'timeout'>): Promise<Held> {
    return this.#lock().hold(options);
  }

  /** `using _ = arr.holdSync()`: holds the array's lock for a scope (blocking). */
  holdSync(options?: Pick<AcquireOptions, 'timeout'>): Held {
    return this.#lock().holdSync(options);
  }

  /** Runs `fn` under the array's lock. */
  withLock<R>(fn: () => R | PromiseLike<R>): Promise<R> {
    return this.#lock().withLock(fn);
  }

  /** Runs `fn` under the array's lock (blocking to acquire it). */
  withLockSync<R>(fn: () => R): R {
    return this.#lock().withLockSync(fn);
  }

  /** The shareable protocol: arrives in another thread as a live view, with its lock. */
  override [kShareable](): ShareableState {
    return { tag: TAG, data: { ...this.arrayData(), lock: lockState(this.#lock()) }, threadOnly: true };
  }
}

function adoptedLock(data: ArrayData): Lock | RLock {
  if (data.live !== undefined) return data.live;
  if (data.lock === undefined) throw new TypeError('invalid shared SharedArray descriptor (no lock)');
  return reviveLock(data.lock);
}

registerShareable(RAW_TAG, import.meta.url, RawArray, (data: ArrayData) => RawArray.adopt(data), {
  remote: rawArrayRemote,
});
registerShareable(TAG, import.meta.url, SharedArray, (data: ArrayData) => SharedArray.adopt(data), {
  remote: sharedArrayRemote,
});
