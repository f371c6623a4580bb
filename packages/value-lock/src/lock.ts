/**
 * `Lock`: a non-recursive lock in shared memory. Mirrors
 * `multiprocessing.synchronize.Lock`. Differences: `acquire()` returns a
 * Promise (never blocks the event loop); `acquireSync()` blocks the thread.
 *
 * Slot layout (LOCK_SLOTS = 2 Int32 words at `index`):
 *   [0] mutex state: 0 unlocked, 1 locked, 2 locked with maybe waiters
 *       (Drepper's mutex #3, see internal/futex.ts)
 *   [1] owner: threadId + 1 of the thread that acquired it, 0 when unlocked.
 *       Written only by the holder (plain writes, ordered by the mutex);
 *       read by Condition to check "is owned by this thread".
 *
 * Preconditions: `acquire*` none (re-acquiring from the holding thread waits
 * until the timeout, as in Python); `release` the lock is locked (any thread
 * may release it, as in Python).
 */
import { kShareable, registerShareable } from '@multiprocessing/core';
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

const LOCK_SLOTS = 2;
const OWNER = 1;
const TAG = 'value-lock:Lock';

// Set by fromShared() for the one constructor call that follows: the
// constructor then views that memory instead of allocating.
let adopting: SlotRef | undefined;

/**
 * A lock shared by every thread it is passed to. Any thread may release it.
 *
 * @example
 * const lock = new Lock();
 * await lock.withLock(() => { counter.value += 1; });
 * // in a worker: using _ = lock.holdSync();
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.Lock
 */
export class Lock extends Acquirable implements Shareable, ConditionLock {
  // Invariant: `#i32[#index]` is the mutex word and `#i32[#index + 1]` the
  // owner word; the memory is the source of truth, this object only a view.
  readonly #i32: Int32Array;
  readonly #index: number;

  constructor() {
    super();
    const ref = adopting ?? allocateWords(LOCK_SLOTS);
    adopting = undefined;
    this.#i32 = int32View(ref.sab);
    this.#index = ref.index;
  }

  /** Rebuilds a view of an existing lock (the reviver of the shareable protocol). */
  static fromShared(data: SlotRef): Lock {
    adopting = checkSlotRef(data, LOCK_SLOTS, 'Lock');
    return new Lock();
  }

  /** @inheritDoc */
  acquireSync(options?: AcquireOptions): boolean {
    const i32 = this.#i32;
    const index = this.#index;
    // Fast path inline: one CAS, then the owner word.
    if (options === undefined && Atomics.compareExchange(i32, index, 0, 1) === 0) {
      i32[index + OWNER] = ownerId();
      return true;
    }
    const me = ownerId();
    const ms = options === undefined ? undefined : acquireTimeoutMs(options);
    if (!mutexTryLock(i32, index) && !mutexLockSync(i32, index, ms)) return false;
    i32[index + OWNER] = me;
    return true;
  }

  /** @inheritDoc */
  async acquire(options?: AcquireOptions): Promise<boolean> {
    const i32 = this.#i32;
    const index = this.#index;
    const me = ownerId();
    const ms = options === undefined ? undefined : acquireTimeoutMs(options);
    if (!mutexTryLock(i32, index) && !(await mutexLock(i32, index, ms))) return false;
    i32[index + OWNER] = me;
    return true;
  }

  /**
   * Releases the lock. Any thread may call it.
   * @throws {StateError} `semaphore or lock released too many times` when it
   *   is not locked.
   */
  release(): void {
    const i32 = this.#i32;
    const index = this.#index;
    // Cleared before unlocking; when the lock was not locked, it was already 0.
    i32[index + OWNER] = 0;
    if (Atomics.compareExchange(i32, index, 1, 0) !== 1) mutexUnlock(i32, index);
  }

  /** True when some thread holds the lock (Python 3.14's `locked()`). */
  locked(): boolean {
    return Atomics.load(this.#i32, this.#index) !== 0;
  }

  /**
   * Python's repr: `<Lock(owner=None)>` when free, the process name
   * (`<Lock(owner=MainProcess)>`) when this thread holds it, else
   * `<Lock(owner=SomeOtherProcess)>` (every thread is a process here).
   */
  override toString(): string {
    if (!this.locked()) return '<Lock(owner=None)>';
    const mine = this.#i32[this.#index + OWNER] === ownerId();
    return `<Lock(owner=${mine ? thisOwnerName() : 'SomeOtherProcess'})>`;
  }

  /** @internal */
  [kIsOwned](owner: number): boolean {
    return this.#i32[this.#index + OWNER] === owner && this.locked();
  }

  /** @internal */
  [kReleaseAll](): number {
    this.release();
    return 1;
  }

  /** @internal */
  [kRestoreSync](_saved: number, owner: number): void {
    this.acquireSync();
    this.#i32[this.#index + OWNER] = owner;
  }

  /** @internal */
  async [kRestore](_saved: number, owner: number): Promise<void> {
    await this.acquire();
    this.#i32[this.#index + OWNER] = owner;
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

registerShareable(TAG, import.meta.url, Lock, (data: SlotRef) => Lock.fromShared(data), {
  remote: lockRemote,
});
