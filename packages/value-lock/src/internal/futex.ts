/**
 * Futex primitives over one Int32 word of a SharedArrayBuffer: wait/wake
 * (`Atomics.wait` / `Atomics.waitAsync` / `Atomics.notify`) and a 3-state
 * mutex. Every lock of this package and the ring buffer of
 * @multiprocessing/queue are built from these.
 *
 * Slot layout of a mutex (one word, MUTEX_SLOTS = 1):
 *   [index] state
 *
 * State table (Drepper, "Futexes Are Tricky", 2011, mutex #3; the same
 * algorithm as lars-t-hansen/parlib-simple src/lock.js with `xchg` in place
 * of the cmpxchg loop):
 *   0  unlocked
 *   1  locked, no waiters
 *   2  locked, maybe waiters (an unlock must wake one)
 *
 *   lock:   c = cas(0 → 1); if c ≠ 0 { if c ≠ 2: c = xchg(2);
 *                                      while c ≠ 0 { wait(word, 2); c = xchg(2) } }
 *   unlock: c = cas(1 → 0); if c = 2 { store 0; wake 1 }
 *
 * A woken thread re-enters with state 2, so one spurious wake per contention
 * episode is the price of not counting waiters. The lock is not fair
 * (barging), like Python's.
 *
 * Timeouts are deadlines: each wait gets the time left until the deadline
 * (`performance.now()`), never the original timeout again, so wake-ups that
 * lose the race do not stretch the wait.
 */
import { StateError } from '@multiprocessing/core';
import { atomicsTimeout, deadlineAfter, remainingMs } from '@multiprocessing/core/internal';
import { holdKeepAlive, releaseKeepAlive } from './keep-alive.js';

/** Words a mutex occupies. */
export const MUTEX_SLOTS = 1;

/** Result of a futex wait, as `Atomics.wait` reports it. */
export type FutexWaitResult = 'ok' | 'not-equal' | 'timed-out';

const UNLOCKED = 0;
const LOCKED = 1;
const CONTENDED = 2;

/**
 * Blocks the calling thread while `i32[index] === expected`, until woken or
 * `timeoutMs` passes.
 *
 * Precondition: none (a plain futex wait; `Atomics.wait` is allowed on Node's
 * main thread but stalls its event loop).
 */
export function futexWaitSync(
  i32: Int32Array,
  index: number,
  expected: number,
  timeoutMs?: number,
): FutexWaitResult {
  return Atomics.wait(i32, index, expected, atomicsTimeout(timeoutMs));
}

/**
 * Waits without blocking while `i32[index] === expected`, until woken or
 * `timeoutMs` passes. Holds a ref'd keep-alive while pending, so the thread
 * does not exit under a pending wait.
 *
 * Precondition: none.
 */
export function futexWait(
  i32: Int32Array,
  index: number,
  expected: number,
  timeoutMs?: number,
): Promise<FutexWaitResult> {
  const res = Atomics.waitAsync(i32, index, expected, atomicsTimeout(timeoutMs));
  if (!res.async) return Promise.resolve(res.value);
  holdKeepAlive();
  return res.value.then(
    (value) => {
      releaseKeepAlive();
      return value;
    },
    (err: unknown) => {
      releaseKeepAlive();
      throw err;
    },
  );
}

/**
 * Wakes up to `count` waiters (default: all) on `i32[index]` and returns how
 * many were woken. Never blocks.
 */
export function futexWake(i32: Int32Array, index: number, count?: number): number {
  return Atomics.notify(i32, index, count ?? Infinity);
}

/**
 * Takes the mutex at `i32[index]` if it is free. Never blocks.
 *
 * Precondition: the word was initialised to 0 and is used only as a mutex.
 */
export function mutexTryLock(i32: Int32Array, index: number): boolean {
  return Atomics.compareExchange(i32, index, UNLOCKED, LOCKED) === UNLOCKED;
}

/**
 * Takes the mutex at `i32[index]`, blocking the calling thread for up to
 * `timeoutMs` (undefined = forever). Returns false on timeout.
 *
 * Precondition: the caller does not hold it (not re-entrant: that deadlocks
 * until the timeout).
 */
export function mutexLockSync(i32: Int32Array, index: number, timeoutMs?: number): boolean {
  let c = Atomics.compareExchange(i32, index, UNLOCKED, LOCKED);
  if (c === UNLOCKED) return true;
  if (c !== CONTENDED) c = Atomics.exchange(i32, index, CONTENDED);
  if (c === UNLOCKED) return true;
  if (timeoutMs === undefined) {
    do {
      Atomics.wait(i32, index, CONTENDED);
      c = Atomics.exchange(i32, index, CONTENDED);
    } while (c !== UNLOCKED);
    return true;
  }
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const left = deadline - performance.now();
    if (left <= 0) return false;
    Atomics.wait(i32, index, CONTENDED, left);
    c = Atomics.exchange(i32, index, CONTENDED);
    if (c === UNLOCKED) return true;
  }
}

async function mutexLockSlow(
  i32: Int32Array,
  index: number,
  timeoutMs: number | undefined,
): Promise<boolean> {
  const deadline = deadlineAfter(timeoutMs);
  holdKeepAlive();
  try {
    for (;;) {
      const left = remainingMs(deadline);
      if (left === 0) return false;
      const res = Atomics.waitAsync(i32, index, CONTENDED, atomicsTimeout(left));
      if (res.async) await res.value;
      if (Atomics.exchange(i32, index, CONTENDED) === UNLOCKED) return true;
    }
  } finally {
    releaseKeepAlive();
  }
}

/**
 * Takes the mutex at `i32[index]` without blocking the event loop, waiting
 * for up to `timeoutMs` (undefined = forever). Resolves to false on timeout.
 * Holds a ref'd keep-alive while pending.
 *
 * Precondition: as {@link mutexLockSync}.
 */
export function mutexLock(i32: Int32Array, index: number, timeoutMs?: number): Promise<boolean> {
  let c = Atomics.compareExchange(i32, index, UNLOCKED, LOCKED);
  if (c === UNLOCKED) return Promise.resolve(true);
  if (c !== CONTENDED) c = Atomics.exchange(i32, index, CONTENDED);
  if (c === UNLOCKED) return Promise.resolve(true);
  if (timeoutMs === 0) return Promise.resolve(false);
  return mutexLockSlow(i32, index, timeoutMs);
}

/**
 * Releases the mutex at `i32[index]`, waking one waiter if any may exist.
 * Any thread may release (as Python's `Lock`).
 *
 * Precondition: the mutex is locked.
 * @throws {StateError} `semaphore or lock released too many times` when it is
 *   not locked.
 */
export function mutexUnlock(i32: Int32Array, index: number): void {
  const c = Atomics.compareExchange(i32, index, LOCKED, UNLOCKED);
  if (c === LOCKED) return;
  if (c === UNLOCKED) throw new StateError('semaphore or lock released too many times');
  // CONTENDED: only the holder leaves this state, so a plain store is safe.
  Atomics.store(i32, index, UNLOCKED);
  Atomics.notify(i32, index, 1);
}

/** True when the mutex at `i32[index]` is held by some thread. */
export function mutexIsLocked(i32: Int32Array, index: number): boolean {
  return Atomics.load(i32, index) !== UNLOCKED;
}
