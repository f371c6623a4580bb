/**
 * `Barrier`: a fixed number of parties wait until all have arrived. Mirrors
 * `multiprocessing.synchronize.Barrier` (Python's threading.Barrier state
 * machine over shared memory). Differences: `wait()` returns a Promise;
 * `waitSync()` blocks the thread; `action` must be a self-contained function
 * (or a module reference), since it runs in whichever thread arrives last.
 *
 * Slot layout (BARRIER_SLOTS = 5 Int32 words at `index`):
 *   [0] mutex guarding words 1, 2 and 4 (Drepper's mutex #3, internal/futex.ts)
 *   [1] state: 0 filling, 1 draining, -1 resetting, -2 broken
 *   [2] count: parties inside wait() in this cycle
 *   [3] seq: the generation word, bumped by every state change that may
 *       release sleepers; sleepers futex-wait on it (never a constant word)
 *   [4] sleepers: threads between "read seq, unlock" and "lock again"; a
 *       state change wakes all only when sleepers > 0
 *
 * State machine (CPython Lib/threading.py Barrier): wait = (enter: sleep
 * while draining or resetting; broken → throw) index = count++;
 * last arrival: run action, state = draining, wake all; others: sleep until
 * state ≠ filling, time up → break; leave: count--, the last to leave a
 * draining/resetting barrier sets filling and wakes all. reset: with
 * waiters → resetting (they throw), else filling. abort: broken.
 *
 * The mutex is never held across an `await`: async paths take it inline
 * (exchange, then sleep on it) and do all their work before the next await,
 * so the synchronous `abort()` / `reset()` cannot deadlock against an async
 * waiter of their own thread.
 *
 * Preconditions: none (`action` must not call this barrier's methods: the
 * barrier's mutex is held while it runs, as Python holds its condition lock).
 */
import { BrokenBarrierError, kInspect, kShareable, registerShareable } from '@multiprocessing/core';
import type { Shareable, ShareableState } from '@multiprocessing/core';
import {
  atomicsTimeout,
  deadlineAfter,
  remainingMs,
  timeoutMs,
  type TaskSpec,
} from '@multiprocessing/core/internal';
import { actionSpec, loadActionSync } from './internal/action.js';
import type { Action } from './internal/action.js';
import { allocateWords, checkSlotRef, int32View } from './internal/arena.js';
import type { SlotRef } from './internal/arena.js';
import { futexWait, mutexLockSync, mutexTryLock, mutexUnlock } from './internal/futex.js';
import { barrierRemote } from './internal/remote-specs.js';

const BARRIER_SLOTS = 5;
const MUTEX = 0;
const STATE = 1;
const COUNT = 2;
const SEQ = 3;
const SLEEPERS = 4;
const FILLING = 0;
const DRAINING = 1;
const RESETTING = -1;
const BROKEN = -2;
const TAG = 'value-lock:Barrier';
const MAX_PARTIES = 0x7fffffff;

/** Options of {@link Barrier}. */
export interface BarrierOptions {
  /**
   * Run by the last party to arrive, before the others are released.
   * A self-contained function (it travels as source text, so it may not use
   * variables from outside its own body) or a module reference.
   * @default undefined
   */
  action?:
    | (() => unknown)
    | {
        /** `file:` URL of the module that exports the action. */
        readonly url: string;
        /** The name of the export to call. */
        readonly name: string;
      };
  /**
   * Default timeout of `wait()` in seconds; `undefined` / `null` = for ever.
   * @default undefined
   */
  timeout?: number | null;
}

interface BarrierData extends SlotRef {
  readonly parties: number;
  readonly timeout: number | null;
  readonly action: TaskSpec | null;
}

// Set by fromShared() for the one constructor call that follows.
let adopting: BarrierData | undefined;

/**
 * A barrier for `parties` threads (or async flows): each `wait()` returns
 * once all have called it, with a distinct index 0 … parties − 1. A timeout,
 * `abort()` or a `reset()` under waiters breaks it: every waiter gets
 * BrokenBarrierError.
 *
 * @example
 * const barrier = new Barrier(3, { action: () => console.log('all here') });
 * // in each of 3 workers:
 * const index = barrier.waitSync();
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.Barrier
 */
export class Barrier implements Shareable {
  // Invariant: memory is the source of truth for state/count; parties,
  // timeout and action are fixed at construction and travel in the descriptor.
  readonly #i32: Int32Array;
  readonly #index: number;
  readonly #parties: number;
  readonly #timeoutMs: number | undefined;
  readonly #timeout: number | null;
  readonly #spec: TaskSpec | null;
  // The action as a function in this thread: the original function in the
  // creating thread, compiled from #spec on first use elsewhere.
  #action: Action | undefined;

  /**
   * @param parties - how many parties must arrive.
   * @throws {TypeError} when `parties` is not an integer, `action` is not a
   *   function or module reference, or `timeout` is not a number.
   * @throws {RangeError} when `parties` is below 1 or above 2³¹−1.
   * @throws {PicklingError} when `action` refers to variables outside its body.
   */
  constructor(parties: number, options: BarrierOptions = {}) {
    const shared = adopting;
    adopting = undefined;
    if (shared !== undefined) {
      this.#i32 = int32View(shared.sab);
      this.#index = shared.index;
      this.#parties = shared.parties;
      this.#timeout = shared.timeout;
      this.#timeoutMs = timeoutMs(shared.timeout);
      this.#spec = shared.action;
      return;
    }
    if (typeof parties !== 'number' || !Number.isInteger(parties)) {
      throw new TypeError(
        `parties must be an integer, got ${typeof parties === 'number' ? String(parties) : typeof parties}`,
      );
    }
    if (parties < 1) throw new RangeError(`parties must be >= 1, got ${String(parties)}`);
    if (parties > MAX_PARTIES) {
      throw new RangeError(
        `parties must be <= ${String(MAX_PARTIES)} (the count is a 32-bit word), got ${String(parties)}`,
      );
    }
    if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
    const { action, timeout } = options;
    this.#timeoutMs = timeoutMs(timeout);
    this.#timeout = timeout ?? null;
    if (action === undefined || action === null) {
      this.#spec = null;
    } else {
      this.#spec = actionSpec(action);
      if (typeof action === 'function') this.#action = action;
    }
    this.#parties = parties;
    const ref = allocateWords(BARRIER_SLOTS);
    this.#i32 = int32View(ref.sab);
    this.#index = ref.index;
  }

  /** Rebuilds a view of an existing barrier (the reviver of the shareable protocol). */
  static fromShared(data: BarrierData): Barrier {
    const ref = checkSlotRef(data, BARRIER_SLOTS, 'Barrier');
    if (typeof data.parties !== 'number') throw new TypeError('invalid shared Barrier descriptor');
    adopting = { ...data, sab: ref.sab, index: ref.index };
    return new Barrier(data.parties);
  }

  /** How many parties must arrive. */
  get parties(): number {
    return this.#parties;
  }

  /** How many parties are waiting now (Python's `n_waiting`). */
  get nWaiting(): number {
    const i32 = this.#i32;
    return Atomics.load(i32, this.#index + STATE) === FILLING ? Atomics.load(i32, this.#index + COUNT) : 0;
  }

  /** True when the barrier is broken. */
  get broken(): boolean {
    return Atomics.load(this.#i32, this.#index + STATE) === BROKEN;
  }

  #lockSync(): void {
    const i32 = this.#i32;
    if (!mutexTryLock(i32, this.#index + MUTEX)) mutexLockSync(i32, this.#index + MUTEX);
  }

  #unlock(): void {
    mutexUnlock(this.#i32, this.#index + MUTEX);
  }

  #state(): number {
    return Atomics.load(this.#i32, this.#index + STATE);
  }

  #setState(state: number): void {
    Atomics.store(this.#i32, this.#index + STATE, state);
  }

  /** Wakes every sleeper (mutex held). */
  #notifyAll(): void {
    const i32 = this.#i32;
    Atomics.add(i32, this.#index + SEQ, 1);
    if (Atomics.load(i32, this.#index + SLEEPERS) > 0) Atomics.notify(i32, this.#index + SEQ);
  }

  /** Breaks the barrier (mutex held). */
  #break(): void {
    this.#setState(BROKEN);
    this.#notifyAll();
  }

  /** Sleeps until the next state change or the deadline (mutex held on entry and exit). */
  #sleepSync(deadline: number | undefined): void {
    const i32 = this.#i32;
    const s = Atomics.load(i32, this.#index + SEQ);
    Atomics.add(i32, this.#index + SLEEPERS, 1);
    this.#unlock();
    Atomics.wait(i32, this.#index + SEQ, s, atomicsTimeout(remainingMs(deadline)));
    this.#lockSync();
    Atomics.sub(i32, this.#index + SLEEPERS, 1);
  }

  /** The last arrival: run the action, then release everyone (mutex held). */
  #release(): void {
    try {
      if (this.#spec !== null) {
        this.#action ??= loadActionSync(this.#spec);
        this.#action();
      }
      this.#setState(DRAINING);
      this.#notifyAll();
    } catch (err) {
      this.#break();
      throw err;
    }
  }

  /** Leaving wait(): the last to leave a draining or resetting barrier refills it (mutex held). */
  #exit(): void {
    const i32 = this.#i32;
    if (Atomics.sub(i32, this.#index + COUNT, 1) === 1) {
      const state = this.#state();
      if (state === RESETTING || state === DRAINING) {
        this.#setState(FILLING);
        this.#notifyAll();
      }
    }
  }

  #deadline(timeout: number | null | undefined): number | undefined {
    // As Python's Barrier.wait(timeout=None): null, like undefined, means the default.
    return deadlineAfter(timeout == null ? this.#timeoutMs : timeoutMs(timeout));
  }

  /**
   * Waits, blocking the thread, until all parties have arrived.
   * @param timeout - seconds; `undefined` or `null` take the constructor's timeout (`Infinity` waits for ever). When it
   *   passes, the barrier breaks.
   * @returns this party's index, 0 … parties − 1.
   * @throws {BrokenBarrierError} when the barrier is or becomes broken,
   *   times out, or is reset while waiting.
   */
  waitSync(timeout?: number | null): number {
    const deadline = this.#deadline(timeout);
    this.#lockSync();
    try {
      while (this.#state() === DRAINING || this.#state() === RESETTING) this.#sleepSync(undefined);
      if (this.#state() < 0) throw new BrokenBarrierError();
      const index = Atomics.add(this.#i32, this.#index + COUNT, 1);
      try {
        if (index + 1 === this.#parties) {
          this.#release();
        } else {
          while (this.#state() === FILLING) {
            if (remainingMs(deadline) === 0) {
              this.#break();
              throw new BrokenBarrierError();
            }
            this.#sleepSync(deadline);
          }
          if (this.#state() < 0) throw new BrokenBarrierError();
        }
        return index;
      } finally {
        this.#exit();
      }
    } finally {
      this.#unlock();
    }
  }

  /**
   * Waits without blocking the event loop until all parties have arrived.
   * @param timeout - seconds; `undefined` or `null` take the constructor's timeout (`Infinity` waits for ever). When it
   *   passes, the barrier breaks.
   * @returns this party's index, 0 … parties − 1.
   * @throws {BrokenBarrierError} when the barrier is or becomes broken,
   *   times out, or is reset while waiting.
   */
  async wait(timeout?: number | null): Promise<number> {
    const deadline = this.#deadline(timeout);
    const i32 = this.#i32;
    const mutex = this.#index + MUTEX;
    const seq = this.#index + SEQ;
    // Take the mutex inline: it must be held only between awaits.
    if (!mutexTryLock(i32, mutex)) {
      while (Atomics.exchange(i32, mutex, 2) !== 0) await futexWait(i32, mutex, 2);
    }
    let index = -1;
    let registered = false;
    try {
      for (;;) {
        const state = this.#state();
        if (!registered && (state === DRAINING || state === RESETTING)) {
          // enter: wait for the previous cycle to drain (no deadline, as Python).
        } else if (!registered) {
          if (state < 0) throw new BrokenBarrierError();
          index = Atomics.add(i32, this.#index + COUNT, 1);
          registered = true;
          if (index + 1 === this.#parties) {
            this.#release();
            return index;
          }
          continue;
        } else if (state !== FILLING) {
          if (state < 0) throw new BrokenBarrierError();
          return index;
        } else if (remainingMs(deadline) === 0) {
          this.#break();
          throw new BrokenBarrierError();
        }
        // Sleep until the next state change; re-take the mutex inline.
        const s = Atomics.load(i32, seq);
        Atomics.add(i32, this.#index + SLEEPERS, 1);
        this.#unlock();
        await futexWait(i32, seq, s, registered ? remainingMs(deadline) : undefined);
        if (!mutexTryLock(i32, mutex)) {
          while (Atomics.exchange(i32, mutex, 2) !== 0) await futexWait(i32, mutex, 2);
        }
        Atomics.sub(i32, this.#index + SLEEPERS, 1);
      }
    } finally {
      if (registered) this.#exit();
      this.#unlock();
    }
  }

  /**
   * Returns the barrier to its initial state. Parties waiting now get
   * BrokenBarrierError.
   */
  reset(): void {
    this.#lockSync();
    try {
      if (Atomics.load(this.#i32, this.#index + COUNT) > 0) {
        const state = this.#state();
        if (state === FILLING || state === BROKEN) this.#setState(RESETTING);
      } else {
        this.#setState(FILLING);
      }
      this.#notifyAll();
    } finally {
      this.#unlock();
    }
  }

  /**
   * Breaks the barrier: waiting and later parties get BrokenBarrierError
   * until `reset()`.
   */
  abort(): void {
    this.#lockSync();
    try {
      this.#break();
    } finally {
      this.#unlock();
    }
  }

  /** `<Barrier parties=3 n_waiting=1 broken=false>`, with Python's attribute names. */
  toString(): string {
    return `<Barrier parties=${String(this.#parties)} n_waiting=${String(this.nWaiting)} broken=${String(this.broken)}>`;
  }

  /** `util.inspect` / `console.log` show {@link Barrier.toString}. */
  [kInspect](): string {
    return this.toString();
  }

  /** The shareable protocol: arrives in another thread as a live view. */
  [kShareable](): ShareableState {
    return {
      tag: TAG,
      data: {
        sab: this.#i32.buffer as SharedArrayBuffer,
        index: this.#index,
        parties: this.#parties,
        timeout: this.#timeout,
        action: this.#spec,
      } satisfies BarrierData,
      threadOnly: true,
    };
  }
}

registerShareable(TAG, import.meta.url, Barrier, (data: BarrierData) => Barrier.fromShared(data), {
  remote: barrierRemote,
});
