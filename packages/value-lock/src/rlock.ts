/**
 * `RLock`: a recursive lock in shared memory, owned by the thread that
 * holds it. Mirrors `multiprocessing.synchronize.RLock`. Differences:
 * `acquire()` returns a Promise; ownership is per thread, so two async flows
 * on one thread share an RLock (use a `Lock` between them).
 *
 * Slot layout (RLOCK_SLOTS = 3 Int32 words at `index`):
 *   [0] mutex state (Drepper's mutex #3, see internal/futex.ts)
 *   [1] owner: threadId + 1 of the holder, 0 when free
 *   [2] count: recursion depth, meaningful only to the owner
 * Words 1 and 2 are written only by the holder, after taking the mutex and
 * before releasing it; a thread reading owner === its own id can only see
 * its own write (no other thread ever writes that id).
 *
 * Preconditions: `acquire*` none; `release` the calling thread owns it.
 */
import { kShareable, registerShareable, StateError } from '@multiprocessing/core';
import type { Shareable, ShareableState } from '@multiprocessing/core';
import { Acquirable } from './internal/acquirable.js';
import { allocateWords, checkSlotRef, int32View } from './internal/arena.js';
import type { SlotRef } from './internal/arena.js';
import { kIsOwned, kReleaseAll, kRestore, kRestoreSync } from './internal/cond-lock.js';
import type { ConditionLock } from './internal/cond-lock.js';
import { mutexLock, mutexLockSync, mutexTryLock, mutexUnlock } from './internal/futex.js';
import { acquireTimeoutMs } from './internal/options.js';
import type { AcquireOptions } from './options.js';
import { ownerId } from './internal/owner.js';
import { thisOwnerName } from './internal/repr.js';
import { lockRemote } from './internal/remote-specs.js';

const RLOCK_SLOTS = 3;
const OWNER = 1;
const COUNT = 2;
const TAG = 'value-lock:RLock';
const NOT_OWNED = 'attempt to release recursive lock not owned by thread';

// Set by fromShared() for the one constructor call that follows.
let adopting: SlotRef | undefined;

/**
 * A re-entrant lock: the thread that holds it may acquire it again, and
 * must release it as many times. The default lock of `Value`,
 * `SharedArray` and `Condition`.
 *
 * @example
 * const rlock = new RLock();
 * rlock.acquireSync();
 * rlock.acquireSync(); // same thread: count 2
 * rlock.release();
 * rlock.release();
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.RLock
 */
export class RLock extends Acquirable implements Shareable, ConditionLock {
  // Invariant: memory is the source of truth; this object is a view.
  readonly #i32: Int32Array;
  readonly #index: number;

  constructor() {
    super();
    const ref = adopting ?? allocateWords(RLOCK_SLOTS);
    adopting = undefined;
    this.#i32 = int32View(ref.sab);
    this.#index = ref.index;
  }

  /** Rebuilds a view of an existing RLock (the reviver of the shareable protocol). */
  static fromShared(data: SlotRef): RLock {
    adopting = checkSlotRef(data, RLOCK_SLOTS, 'RLock');
    return new RLock();
  }

  /** @inheritDoc */
  acquireSync(options?: AcquireOptions): boolean {
    const me = ownerId();
    const i32 = this.#i32;
    const index = this.#index;
    // Fast path inline: a free lock takes one CAS.
    if (options === undefined && Atomics.compareExchange(i32, index, 0, 1) === 0) {
      i32[index + OWNER] = me;
      i32[index + COUNT] = 1;
      return true;
    }
    const ms = options === undefined ? undefined : acquireTimeoutMs(options);
    if (i32[index + OWNER] === me) {
      i32[index + COUNT] = (i32[index + COUNT] ?? 0) + 1;
      return true;
    }
    if (!mutexTryLock(i32, index) && !mutexLockSync(i32, index, ms)) return false;
    i32[index + OWNER] = me;
    i32[index + COUNT] = 1;
    return true;
  }

  /** @inheritDoc */
  async acquire(options?: AcquireOptions): Promise<boolean> {
    const me = ownerId();
    const i32 = this.#i32;
    const index = this.#index;
    const ms = options === undefined ? undefined : acquireTimeoutMs(options);
    if (i32[index + OWNER] === me) {
      i32[index + COUNT] = (i32[index + COUNT] ?? 0) + 1;
      return true;
    }
    // While this waits, another async flow of this thread may take and give
    // back the lock; once the mutex is ours, the owner word is free.
    if (!mutexTryLock(i32, index) && !(await mutexLock(i32, index, ms))) return false;
    i32[index + OWNER] = me;
    i32[index + COUNT] = 1;
    return true;
  }

  /**
   * Releases one level; the last release frees the lock.
   * @throws {StateError} `attempt to release recursive lock not owned by
   *   thread` when the calling thread does not hold it.
   */
  release(): void {
    const me = ownerId();
    const i32 = this.#i32;
    const index = this.#index;
    if (i32[index + OWNER] !== me) throw new StateError(NOT_OWNED);
    const count = (i32[index + COUNT] ?? 1) - 1;
    i32[index + COUNT] = count;
    if (count === 0) {
      i32[index + OWNER] = 0;
      if (Atomics.compareExchange(i32, index, 1, 0) !== 1) mutexUnlock(i32, index);
    }
  }

  /** True when some thread holds the lock (Python 3.14's `locked()`). */
  locked(): boolean {
    return Atomics.load(this.#i32, this.#index) !== 0;
  }

  /**
   * Python's repr: `<RLock(None, 0)>`, `<RLock(MainProcess, 2)>` when this
   * thread holds it twice, `<RLock(SomeOtherProcess, nonzero)>`.
   */
  override toString(): string {
    const me = ownerId();
    const owner = this.#i32[this.#index + OWNER] ?? 0;
    if (owner === me) return `<RLock(${thisOwnerName()}, ${String(this.#i32[this.#index + COUNT])})>`;
    if (!this.locked()) return '<RLock(None, 0)>';
    return '<RLock(SomeOtherProcess, nonzero)>';
  }

  /** @internal */
  [kIsOwned](owner: number): boolean {
    return this.#i32[this.#index + OWNER] === owner;
  }

  /** @internal */
  [kReleaseAll](owner: number): number {
    const i32 = this.#i32;
    const index = this.#index;
    if (i32[index + OWNER] !== owner) throw new StateError(NOT_OWNED);
    const count = i32[index + COUNT] ?? 1;
    i32[index + COUNT] = 0;
    i32[index + OWNER] = 0;
    mutexUnlock(i32, index);
    return count;
  }

  /** @internal */
  [kRestoreSync](saved: number, owner: number): void {
    const i32 = this.#i32;
    const index = this.#index;
    if (!mutexTryLock(i32, index)) mutexLockSync(i32, index);
    i32[index + OWNER] = owner;
    i32[index + COUNT] = saved;
  }

  /** @internal */
  async [kRestore](saved: number, owner: number): Promise<void> {
    const i32 = this.#i32;
    const index = this.#index;
    if (!mutexTryLock(i32, index)) await mutexLock(i32, index);
    i32[index + OWNER] = owner;
    i32[index + COUNT] = saved;
  }

  /** The shareable protocol: arrives in another thread as a live view. */
  [kShareable](): ShareableState {
    return {
      tag: TAG,
      data: { sab: this.#i32.buffer as SharedArrayBuffer, index: this.#index },
      threadOnly: true,
    };
  }
}

registerShareable(TAG, import.meta.url, RLock, (data: SlotRef) => RLock.fromShared(data), {
  remote: lockRemote,
});
