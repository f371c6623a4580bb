/**
 * `Semaphore` and `BoundedSemaphore` in shared memory. Mirror
 * `multiprocessing.synchronize.Semaphore` / `BoundedSemaphore`. Differences:
 * `acquire()` returns a Promise; `acquireSync()` blocks the thread.
 *
 * Slot layout (SEMAPHORE_SLOTS = 3 Int32 words at `index`):
 *   [0] value: the counter; the futex word sleepers wait on while it is 0
 *   [1] waiters: threads or async flows about to sleep or sleeping on [0]
 *   [2] bound: BoundedSemaphore's initial value (-1 for a plain Semaphore)
 *
 * Algorithm (parlib-simple's counted waiters):
 *   acquire: loop { v = load(value); if v > 0 { if cas(v → v-1) succeeds: done }
 *                   else { waiters += 1; wait(value, 0, time left); waiters -= 1 } }
 *   release: value += 1 (Bounded: cas loop refusing to pass the bound);
 *            if load(waiters) > 0: wake 1.
 * No lost wake-up: a sleeper increments `waiters` before its wait checks
 * value = 0, and a releaser increments `value` before it reads `waiters`
 * (Atomics are sequentially consistent), so either the sleeper's wait sees
 * value ≠ 0 or the releaser sees the sleeper and wakes it.
 *
 * Preconditions: none for acquire; release of a BoundedSemaphore at its
 * bound throws.
 */
import { kShareable, registerShareable, StateError } from '@multiprocessing/core';
import type { Shareable, ShareableState } from '@multiprocessing/core';
import { deadlineAfter, remainingMs } from '@multiprocessing/core/internal';
import { Acquirable } from './internal/acquirable.js';
import { allocateWords, checkSlotRef, int32View } from './internal/arena.js';
import type { SlotRef } from './internal/arena.js';
import { futexWait } from './internal/futex.js';
import { acquireTimeoutMs } from './internal/options.js';
import type { AcquireOptions } from './options.js';
import { semaphoreRemote } from './internal/remote-specs.js';

const SEMAPHORE_SLOTS = 3;
const VALUE = 0;
const WAITERS = 1;
const BOUND = 2;
const MAX_VALUE = 0x7fffffff;
const TOO_MANY = 'semaphore or lock released too many times';

// Set by fromShared() for the one constructor call that follows.
let adopting: SlotRef | undefined;

function checkInitial(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(
      `value must be an integer, got ${typeof value === 'number' ? String(value) : typeof value}`,
    );
  }
  if (value < 0 || value > MAX_VALUE) {
    throw new RangeError(`value must be between 0 and ${String(MAX_VALUE)}, got ${String(value)}`);
  }
  return value;
}

function tryTake(i32: Int32Array, at: number): boolean {
  for (;;) {
    const v = Atomics.load(i32, at);
    if (v <= 0) return false;
    if (Atomics.compareExchange(i32, at, v, v - 1) === v) return true;
  }
}

/**
 * A counter that `acquire` decrements, waiting while it is 0, and `release`
 * increments. It has no upper bound (see {@link BoundedSemaphore}).
 *
 * @example
 * const slots = new Semaphore(2);
 * await slots.withLock(async () => { await download(); });
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.Semaphore
 */
export class Semaphore extends Acquirable implements Shareable {
  // Invariant: memory is the source of truth; this object is a view.
  readonly #i32: Int32Array;
  readonly #index: number;

  /**
   * @param value - the initial counter.
   * @default 1
   * @throws {TypeError} when `value` is not an integer.
   * @throws {RangeError} when `value` is negative.
   */
  constructor(value = 1) {
    super();
    if (adopting !== undefined) {
      const ref = adopting;
      adopting = undefined;
      this.#i32 = int32View(ref.sab);
      this.#index = ref.index;
      return;
    }
    const initial = checkInitial(value);
    const ref = allocateWords(SEMAPHORE_SLOTS);
    this.#i32 = int32View(ref.sab);
    this.#index = ref.index;
    Atomics.store(this.#i32, ref.index + VALUE, initial);
    Atomics.store(this.#i32, ref.index + BOUND, this.isBounded() ? initial : -1);
  }

  /** Rebuilds a view of an existing semaphore (the reviver of the shareable protocol). */
  static fromShared(data: SlotRef): Semaphore {
    adopting = checkSlotRef(data, SEMAPHORE_SLOTS, this.name);
    return new this();
  }

  /** True for a BoundedSemaphore. */
  protected isBounded(): boolean {
    return false;
  }

  /** The current counter (Python's `get_value()`). */
  getValue(): number {
    return Atomics.load(this.#i32, this.#index + VALUE);
  }

  /** @inheritDoc */
  acquireSync(options?: AcquireOptions): boolean {
    const i32 = this.#i32;
    const at = this.#index + VALUE;
    const ms = options === undefined ? undefined : acquireTimeoutMs(options);
    if (tryTake(i32, at)) return true;
    if (ms === 0) return false;
    const deadline = deadlineAfter(ms);
    const waiters = this.#index + WAITERS;
    for (;;) {
      const left = remainingMs(deadline);
      if (left === 0) return false;
      Atomics.add(i32, waiters, 1);
      Atomics.wait(i32, at, 0, left ?? Infinity);
      Atomics.sub(i32, waiters, 1);
      // Try before looking at the clock: a wake-up is never wasted.
      if (tryTake(i32, at)) return true;
    }
  }

  /** @inheritDoc */
  async acquire(options?: AcquireOptions): Promise<boolean> {
    const ms = options === undefined ? undefined : acquireTimeoutMs(options);
    if (tryTake(this.#i32, this.#index + VALUE)) return true;
    if (ms === 0) return false;
    const i32 = this.#i32;
    const at = this.#index + VALUE;
    const waiters = this.#index + WAITERS;
    const deadline = deadlineAfter(ms);
    for (;;) {
      const left = remainingMs(deadline);
      if (left === 0) return false;
      Atomics.add(i32, waiters, 1);
      try {
        await futexWait(i32, at, 0, left);
      } finally {
        Atomics.sub(i32, waiters, 1);
      }
      if (tryTake(i32, at)) return true;
    }
  }

  /**
   * Increments the counter and wakes one waiter, if any.
   * @throws {StateError} `semaphore or lock released too many times` for a
   *   BoundedSemaphore already at its initial value.
   */
  release(): void {
    const i32 = this.#i32;
    const at = this.#index + VALUE;
    const bound = Atomics.load(i32, this.#index + BOUND);
    for (;;) {
      const v = Atomics.load(i32, at);
      if (bound >= 0 ? v >= bound : v >= MAX_VALUE) throw new StateError(TOO_MANY);
      if (Atomics.compareExchange(i32, at, v, v + 1) === v) break;
    }
    if (Atomics.load(i32, this.#index + WAITERS) > 0) Atomics.notify(i32, at, 1);
  }

  /** Python's repr: `<Semaphore(value=2)>`, `<BoundedSemaphore(value=2, maxvalue=3)>`. */
  override toString(): string {
    const bound = Atomics.load(this.#i32, this.#index + BOUND);
    const max = bound >= 0 ? `, maxvalue=${String(bound)}` : '';
    return `<${this.constructor.name}(value=${String(this.getValue())}${max})>`;
  }

  /** The shareable protocol: arrives in another thread as a live view. */
  [kShareable](): ShareableState {
    return {
      tag: this.isBounded() ? BOUNDED_TAG : TAG,
      data: { sab: this.#i32.buffer as SharedArrayBuffer, index: this.#index },
      threadOnly: true,
    };
  }
}

/**
 * A Semaphore whose `release` refuses to raise the counter above its
 * initial value.
 *
 * @example
 * const pool = new BoundedSemaphore(3);
 * pool.acquireSync();
 * pool.release();
 * pool.release(); // throws StateError: semaphore or lock released too many times
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.BoundedSemaphore
 */
export class BoundedSemaphore extends Semaphore {
  /** Rebuilds a view of an existing semaphore (the reviver of the shareable protocol). */
  static override fromShared(data: SlotRef): BoundedSemaphore {
    adopting = checkSlotRef(data, SEMAPHORE_SLOTS, 'BoundedSemaphore');
    return new BoundedSemaphore();
  }

  protected override isBounded(): boolean {
    return true;
  }
}

const TAG = 'value-lock:Semaphore';
const BOUNDED_TAG = 'value-lock:BoundedSemaphore';
registerShareable(TAG, import.meta.url, Semaphore, (data: SlotRef) => Semaphore.fromShared(data), {
  remote: semaphoreRemote,
});
registerShareable(
  BOUNDED_TAG,
  import.meta.url,
  BoundedSemaphore,
  (data: SlotRef) => BoundedSemaphore.fromShared(data),
  { remote: semaphoreRemote },
);
