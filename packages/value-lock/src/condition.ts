/**
 * `Condition`: a condition variable over a Lock or an RLock. Mirrors
 * `multiprocessing.synchronize.Condition`. Differences: `wait()` and
 * `waitFor()` return Promises; `waitSync()` / `waitForSync()` block the thread.
 *
 * Slot layout (CONDITION_SLOTS = 3 Int32 words at `index`; the lock lives in
 * its own slots):
 *   [0] seq: bumped by every notify; the futex word waiters sleep on. A
 *       changing sequence word, never a constant one: a notify that lands
 *       between a waiter's unlock and its sleep changes the word, so the
 *       sleep returns at once (Hansen, parlib-simple src/lock.js `Cond`)
 *   [1] waiters: waits in progress (registered, not yet returned)
 *   [2] pending: wake-up tokens handed out by notify and not yet taken
 * Words 1 and 2 change only while the condition's lock is held.
 *
 * Algorithm (tokens make `notify(n)` wake exactly n waiters):
 *   wait:   (lock held) waiters += 1; loop { s = seq; release the lock fully;
 *           futex-wait(seq, s, time left); take the lock back;
 *           if pending > 0 { pending -= 1; waiters -= 1; return true }
 *           if time is up { waiters -= 1; return false } }
 *   notify(n): (lock held) k = min(n, waiters - pending); if k > 0
 *           { pending += k; seq += 1; wake k }
 * A waiter woken without a token (it lost the token to another waiter, or a
 * sequence change woke it) goes back to sleep; every token is taken by some
 * waiter that is awake or will wake, so none is lost.
 *
 * Preconditions: `wait*` and `notify*` need the lock held by this thread.
 */
import { kShareable, registerShareable, StateError } from '@multiprocessing/core';
import type { Shareable, ShareableState } from '@multiprocessing/core';
import { atomicsTimeout, deadlineAfter, remainingMs, timeoutMs } from '@multiprocessing/core/internal';
import { Acquirable } from './internal/acquirable.js';
import { allocateWords, checkSlotRef, int32View } from './internal/arena.js';
import type { SlotRef } from './internal/arena.js';
import { kIsOwned, kReleaseAll, kRestore, kRestoreSync } from './internal/cond-lock.js';
import { ownerId } from './internal/owner.js';
import { futexWait } from './internal/futex.js';
import { isLock, lockState, reviveLock } from './internal/lock-state.js';
import type { LockState } from './internal/lock-state.js';
import type { AcquireOptions } from './options.js';
import type { Lock } from './lock.js';
import { RLock } from './rlock.js';
import { conditionRemote } from './internal/remote-specs.js';

const CONDITION_SLOTS = 3;
const SEQ = 0;
const WAITERS = 1;
const PENDING = 2;
const TAG = 'value-lock:Condition';
const WAIT_UNOWNED = 'must acquire() condition before using wait()';
const NOTIFY_UNOWNED = 'lock is not owned';

interface ConditionData extends SlotRef {
  readonly lock: LockState;
}

// Set by fromShared() for the one constructor call that follows.
let adopting: SlotRef | undefined;

/**
 * A condition variable: threads wait until another notifies them, with the
 * lock held around the shared state they check.
 *
 * @example
 * const cond = new Condition();
 * // consumer
 * await cond.withLock(() => cond.waitFor(() => items.value > 0));
 * // producer
 * await cond.withLock(() => { items.value += 1; cond.notify(); });
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.Condition
 */
export class Condition extends Acquirable implements Shareable {
  // Invariant: memory is the source of truth; this object is a view.
  readonly #i32: Int32Array;
  readonly #index: number;
  readonly #lock: Lock | RLock;

  /**
   * @param lock - the lock to use; a new RLock when omitted.
   * @throws {TypeError} when `lock` is not a Lock or an RLock.
   */
  constructor(lock?: Lock | RLock) {
    super();
    if (lock !== undefined && lock !== null && !isLock(lock)) {
      throw new TypeError('lock must be a Lock or an RLock');
    }
    this.#lock = lock ?? new RLock();
    const ref = adopting ?? allocateWords(CONDITION_SLOTS);
    adopting = undefined;
    this.#i32 = int32View(ref.sab);
    this.#index = ref.index;
  }

  /** Rebuilds a view of an existing condition (the reviver of the shareable protocol). */
  static fromShared(data: ConditionData): Condition {
    const lock = reviveLock(data.lock);
    adopting = checkSlotRef(data, CONDITION_SLOTS, 'Condition');
    return new Condition(lock);
  }

  /** The underlying lock. */
  getLock(): Lock | RLock {
    return this.#lock;
  }

  /**
   * Acquires the underlying lock without blocking the event loop.
   * @returns true once acquired; false when `block` is false or `timeout`
   *   passed first.
   */
  acquire(options?: AcquireOptions): Promise<boolean> {
    return this.#lock.acquire(options);
  }

  /**
   * Acquires the underlying lock, blocking the calling thread.
   * @returns true once acquired; false when `block` is false or `timeout`
   *   passed first.
   */
  acquireSync(options?: AcquireOptions): boolean {
    return this.#lock.acquireSync(options);
  }

  /** Releases the underlying lock. */
  release(): void {
    this.#lock.release();
  }

  #register(me: number): void {
    if (!this.#lock[kIsOwned](me)) throw new StateError(WAIT_UNOWNED);
    Atomics.add(this.#i32, this.#index + WAITERS, 1);
  }

  /** After taking the lock back: true = notified, false = keep waiting or time up. */
  #takeToken(): boolean {
    const i32 = this.#i32;
    if (Atomics.load(i32, this.#index + PENDING) > 0) {
      Atomics.sub(i32, this.#index + PENDING, 1);
      Atomics.sub(i32, this.#index + WAITERS, 1);
      return true;
    }
    return false;
  }

  /**
   * Releases the lock, blocks the thread until notified or `timeout` seconds
   * pass, then takes the lock back.
   * @returns false on timeout, true otherwise.
   * @throws {StateError} `must acquire() condition before using wait()` when
   *   this thread does not hold the lock.
   */
  waitSync(timeout?: number | null): boolean {
    const ms = timeoutMs(timeout);
    const me = ownerId();
    this.#register(me);
    const i32 = this.#i32;
    const seq = this.#index + SEQ;
    const lock = this.#lock;
    const deadline = deadlineAfter(ms);
    for (;;) {
      const s = Atomics.load(i32, seq);
      const saved = lock[kReleaseAll](me);
      Atomics.wait(i32, seq, s, atomicsTimeout(remainingMs(deadline)));
      lock[kRestoreSync](saved, me);
      if (this.#takeToken()) return true;
      if (remainingMs(deadline) === 0) {
        Atomics.sub(i32, this.#index + WAITERS, 1);
        return false;
      }
    }
  }

  /**
   * Releases the lock, waits without blocking the event loop until notified
   * or `timeout` seconds pass, then takes the lock back.
   * @returns false on timeout, true otherwise.
   * @throws {StateError} `must acquire() condition before using wait()` when
   *   this thread does not hold the lock.
   */
  async wait(timeout?: number | null): Promise<boolean> {
    const ms = timeoutMs(timeout);
    const me = ownerId();
    this.#register(me);
    const i32 = this.#i32;
    const seq = this.#index + SEQ;
    const lock = this.#lock;
    const deadline = deadlineAfter(ms);
    for (;;) {
      const s = Atomics.load(i32, seq);
      const saved = lock[kReleaseAll](me);
      try {
        await futexWait(i32, seq, s, remainingMs(deadline));
      } finally {
        await lock[kRestore](saved, me);
      }
      if (this.#takeToken()) return true;
      if (remainingMs(deadline) === 0) {
        Atomics.sub(i32, this.#index + WAITERS, 1);
        return false;
      }
    }
  }

  /**
   * Waits (blocking the thread) until `predicate()` is truthy or `timeout`
   * seconds pass, as Python's `wait_for`.
   * @returns the predicate's last value.
   */
  waitForSync<T>(predicate: () => T, timeout?: number | null): T {
    if (typeof predicate !== 'function') throw new TypeError('predicate must be a function');
    const deadline = deadlineAfter(timeoutMs(timeout));
    let result = predicate();
    while (!result) {
      const left = remainingMs(deadline);
      if (left === 0) break;
      this.waitSync(left === undefined ? undefined : left / 1000);
      result = predicate();
    }
    return result;
  }

  /**
   * Waits without blocking the event loop until `predicate()` is truthy or
   * `timeout` seconds pass, as Python's `wait_for`.
   * @returns the predicate's last value.
   */
  async waitFor<T>(predicate: () => T, timeout?: number | null): Promise<T> {
    if (typeof predicate !== 'function') throw new TypeError('predicate must be a function');
    const deadline = deadlineAfter(timeoutMs(timeout));
    let result = predicate();
    while (!result) {
      const left = remainingMs(deadline);
      if (left === 0) break;
      await this.wait(left === undefined ? undefined : left / 1000);
      result = predicate();
    }
    return result;
  }

  /**
   * Wakes up to `n` of the threads waiting now.
   * @throws {StateError} `lock is not owned` when this thread does not hold
   *   the lock.
   * @throws {RangeError} when `n` is not a non-negative integer.
   */
  notify(n = 1): void {
    if (typeof n !== 'number' || !(Number.isInteger(n) || n === Infinity) || n < 0) {
      throw new RangeError(`n must be a non-negative integer, got ${String(n)}`);
    }
    if (!this.#lock[kIsOwned](ownerId())) throw new StateError(NOTIFY_UNOWNED);
    const i32 = this.#i32;
    const idle = Atomics.load(i32, this.#index + WAITERS) - Atomics.load(i32, this.#index + PENDING);
    const k = Math.min(n, idle);
    if (k <= 0) return;
    Atomics.add(i32, this.#index + PENDING, k);
    Atomics.add(i32, this.#index + SEQ, 1);
    Atomics.notify(i32, this.#index + SEQ, k);
  }

  /**
   * Wakes every thread waiting now (Python's `notify_all`).
   * @throws {StateError} `lock is not owned` when this thread does not hold
   *   the lock.
   */
  notifyAll(): void {
    this.notify(Infinity);
  }

  /** Python's repr style: `<Condition(<RLock(None, 0)>, 0)>`. */
  override toString(): string {
    const waiting =
      Atomics.load(this.#i32, this.#index + WAITERS) - Atomics.load(this.#i32, this.#index + PENDING);
    return `<Condition(${this.#lock.toString()}, ${String(waiting)})>`;
  }

  /** The shareable protocol: arrives in another thread as a live view, with its lock. */
  [kShareable](): ShareableState {
    return {
      tag: TAG,
      data: {
        sab: this.#i32.buffer as SharedArrayBuffer,
        index: this.#index,
        lock: lockState(this.#lock),
      } satisfies ConditionData,
      threadOnly: true,
    };
  }
}

registerShareable(TAG, import.meta.url, Condition, (data: ConditionData) => Condition.fromShared(data), {
  remote: conditionRemote,
});
