/**
 * `Value` and `RawValue`: one number in shared memory. Mirror
 * `multiprocessing.Value` / `RawValue` (`sharedctypes`). Differences: 64-bit
 * typecodes (`l L q Q`) hold `bigint`; the lock's blocking methods are async
 * with `…Sync` twins.
 *
 * Memory: one 64-byte line from the thread's arena (internal/arena.ts); the
 * number sits at the start of it. `v.value += 1` is a read then a write, not
 * atomic, exactly as in Python: guard it with the lock.
 */
import { kInspect, kShareable, registerShareable } from '@multiprocessing/core';
import type { Shareable, ShareableState } from '@multiprocessing/core';
import { allocate, isSharedArrayBuffer } from './internal/arena.js';
import type { LockState } from './internal/lock-state.js';
import { lockState, reviveLock } from './internal/lock-state.js';
import { pyNumber } from './internal/repr.js';
import { resolveLock } from './internal/lock-option.js';
import type { AcquireOptions, Held, SynchronizedOptions } from './options.js';
import type { Lock } from './lock.js';
import type { RLock } from './rlock.js';
import { coerce, typecodeInfo } from './typecodes.js';
import type { Typecode, TypecodeInfo, TypedView, ValueInput, ValueOf } from './typecodes.js';
import { rawValueRemote, valueRemote } from './internal/remote-specs.js';

const RAW_TAG = 'value-lock:RawValue';
const TAG = 'value-lock:Value';

interface ValueData {
  readonly typecode: Typecode;
  readonly sab: SharedArrayBuffer;
  readonly byteOffset: number;
  readonly lock?: LockState;
  /** The lock itself, when the data was made in this thread (sharedctypes' synchronized()). */
  readonly live?: Lock | RLock;
}

// Set by fromShared() for the one constructor call that follows.
let adopting: ValueData | undefined;

function checkData(data: ValueData): ValueData {
  const info = typecodeInfo(data.typecode);
  if (
    typeof data.byteOffset !== 'number' ||
    data.byteOffset % info.bytes !== 0 ||
    !isSharedArrayBuffer(data.sab) ||
    data.byteOffset + info.bytes > data.sab.byteLength
  ) {
    throw new TypeError('invalid shared Value descriptor');
  }
  return data;
}

/**
 * A number in shared memory with no lock. Reads and writes of `.value` are
 * each whole (no torn values), but read-modify-write is not atomic.
 *
 * @example
 * const hits = new RawValue('i', 0);
 * hits.value = 2 ** 31; // wraps to -2147483648, as ctypes does
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.sharedctypes.RawValue
 */
export class RawValue<T extends Typecode = Typecode> implements Shareable {
  // Invariant: memory is the source of truth; #view is a 1-element view of it.
  readonly #info: TypecodeInfo;
  readonly #view: TypedView;

  /**
   * @param typecode - `c b B h H i I l L q Q f d`.
   * @param initial - the initial value.
   * @default initial 0
   * @throws {TypeError} `this type has no size` for an unknown typecode, and
   *   for a non-integer initial value of an integer typecode.
   */
  constructor(typecode: T, initial?: ValueInput<T>) {
    const shared = adopting;
    adopting = undefined;
    if (shared !== undefined) {
      this.#info = typecodeInfo(shared.typecode);
      this.#view = new this.#info.View(shared.sab, shared.byteOffset, 1);
      return;
    }
    const info = typecodeInfo(typecode);
    const stored = initial === undefined ? undefined : coerce(info, initial);
    const block = allocate(info.bytes);
    this.#info = info;
    this.#view = new info.View(block.sab, block.byteOffset, 1);
    if (stored !== undefined) this.#view[0] = stored;
  }

  /** @internal Rebuilds a view (used by the revivers). */
  static adopt<C extends RawValue>(this: new (typecode: Typecode) => C, data: ValueData): C {
    adopting = checkData(data);
    return new this(data.typecode);
  }

  /** The typecode. */
  get typecode(): T {
    return this.#info.typecode as T;
  }

  /** The number (a `bigint` for `l L q Q`). */
  get value(): ValueOf<T> {
    return this.#view[0] as ValueOf<T>;
  }

  /**
   * Writes the number. Integers wrap to the typecode's width, as ctypes does.
   * @throws {TypeError} for a non-integer on an integer typecode.
   */
  set value(value: ValueInput<T>) {
    const view = this.#view;
    if (
      typeof value === 'number' &&
      this.#info.kind !== 'bigint' &&
      (this.#info.kind === 'float' || Number.isInteger(value))
    ) {
      view[0] = value;
    } else {
      view[0] = coerce(this.#info, value);
    }
  }

  /** `<RawValue('i', 5)>`, `<Value('d', 1.0)>`: the class, typecode and value, as Python prints them. */
  toString(): string {
    const info = this.#info;
    return `<${this.constructor.name}('${info.typecode}', ${pyNumber(this.#view[0] ?? 0, info.kind === 'float')})>`;
  }

  /** `util.inspect` / `console.log` show {@link RawValue.toString}. */
  [kInspect](): string {
    return this.toString();
  }

  /** @internal The plain data of this value (without its lock). */
  protected valueData(): ValueData {
    return {
      typecode: this.#info.typecode,
      sab: this.#view.buffer as SharedArrayBuffer,
      byteOffset: this.#view.byteOffset,
    };
  }

  /** The shareable protocol: arrives in another thread as a live view. */
  [kShareable](): ShareableState {
    return { tag: RAW_TAG, data: this.valueData(), threadOnly: true };
  }
}

/**
 * A number in shared memory guarded by a lock (an RLock unless you pass
 * one). `v.value += 1` is not atomic: hold the lock around it.
 *
 * @example
 * const counter = new Value('i', 0);
 * await counter.withLock(() => { counter.value += 1; });
 * // in a worker:
 * { using _ = counter.holdSync(); counter.value += 1; }
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.Value
 */
export class Value<T extends Typecode = Typecode> extends RawValue<T> {
  // Set once in the constructor (which returns a RawValue instead when there is no lock).
  readonly #lock!: Lock | RLock;

  /**
   * @param typecode - `c b B h H i I l L q Q f d`.
   * @param initial - the initial value.
   * @param options - `{lock}`: `true` (a new RLock, the default), `false`
   *   (no lock: you get a RawValue, without getLock()), or a Lock / RLock.
   * @throws {TypeError} `this type has no size` for an unknown typecode; a
   *   TypeError naming `lock` for a bad lock.
   */
  constructor(typecode: T, initial?: ValueInput<T>, options?: SynchronizedOptions) {
    const lock = adopting === undefined ? resolveLock(options) : adoptedLock(adopting);
    // Python's lock=False: the raw object itself, which has no getLock().
    // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
    if (lock === undefined) return new RawValue(typecode, initial) as Value<T>;
    super(typecode, initial);
    this.#lock = lock;
  }

  /** The lock that guards this value (Python's `get_lock()`). */
  getLock(): Lock | RLock {
    return this.#lock;
  }

  /**
   * The unlocked object behind this value (Python's `get_obj()`): a
   * `RawValue` over the same memory, so its writes are this value's. A new
   * view each call.
   */
  getObj(): RawValue<T> {
    return RawValue.adopt(this.valueData()) as RawValue<T>;
  }

  /** Acquires the value's lock. See {@link Lock.acquire}. */
  acquire(options?: AcquireOptions): Promise<boolean> {
    return this.#lock.acquire(options);
  }

  /** Acquires the value's lock, blocking the thread. See {@link Lock.acquireSync}. */
  acquireSync(options?: AcquireOptions): boolean {
    return this.#lock.acquireSync(options);
  }

  /** Releases the value's lock. */
  release(): void {
    this.#lock.release();
  }

  /** `await using _ = await v.hold()`: holds the value's lock for a scope. */
  hold(options?: Pick<AcquireOptions, 'timeout'>): Promise<Held> {
    return this.#lock.hold(options);
  }

  /** `using _ = v.holdSync()`: holds the value's lock for a scope (blocking). */
  holdSync(options?: Pick<AcquireOptions, 'timeout'>): Held {
    return this.#lock.holdSync(options);
  }

  /** Runs `fn` under the value's lock. */
  withLock<R>(fn: () => R | PromiseLike<R>): Promise<R> {
    return this.#lock.withLock(fn);
  }

  /** Runs `fn` under the value's lock (blocking to acquire it). */
  withLockSync<R>(fn: () => R): R {
    return this.#lock.withLockSync(fn);
  }

  /** The shareable protocol: arrives in another thread as a live view, with its lock. */
  override [kShareable](): ShareableState {
    return { tag: TAG, data: { ...this.valueData(), lock: lockState(this.#lock) }, threadOnly: true };
  }
}

function adoptedLock(data: ValueData): Lock | RLock {
  if (data.live !== undefined) return data.live;
  if (data.lock === undefined) throw new TypeError('invalid shared Value descriptor (no lock)');
  return reviveLock(data.lock);
}

registerShareable(RAW_TAG, import.meta.url, RawValue, (data: ValueData) => RawValue.adopt(data), {
  remote: rawValueRemote,
});
registerShareable(TAG, import.meta.url, Value, (data: ValueData) => Value.adopt(data), {
  remote: valueRemote,
});
