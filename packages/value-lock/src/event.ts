/**
 * `Event`: a flag that threads wait for. Mirrors
 * `multiprocessing.synchronize.Event`. Differences: `wait()` returns a
 * Promise; `waitSync()` blocks the thread.
 *
 * Slot layout (EVENT_SLOTS = 2 Int32 words at `index`):
 *   [0] flag: 0 clear, 1 set; the futex word waiters sleep on while it is 0
 *   [1] waiters: waiters about to sleep or sleeping on [0]
 *
 * Algorithm: wait = loop { if flag = 1: true; waiters += 1;
 *   r = wait(flag, 0, time left); waiters -= 1; if r = ok: true (a set()
 *   happened, even if a clear() followed, as threading.Event reports) };
 *   set = store 1, then wake all when waiters > 0; clear = store 0.
 * Same counted-waiter argument as Semaphore: no lost wake-up.
 *
 * Preconditions: none.
 */
import { kInspect, kShareable, registerShareable } from '@multiprocessing/core';
import type { Shareable, ShareableState } from '@multiprocessing/core';
import { deadlineAfter, remainingMs, timeoutMs } from '@multiprocessing/core/internal';
import { allocateWords, checkSlotRef, int32View } from './internal/arena.js';
import type { SlotRef } from './internal/arena.js';
import { futexWait } from './internal/futex.js';
import { eventRemote } from './internal/remote-specs.js';

const EVENT_SLOTS = 2;
const FLAG = 0;
const WAITERS = 1;
const TAG = 'value-lock:Event';

// Set by fromShared() for the one constructor call that follows.
let adopting: SlotRef | undefined;

/**
 * A flag, initially clear: `set()` wakes every waiter, `wait()` returns at
 * once while it is set.
 *
 * @example
 * const ready = new Event();
 * // worker: ready.set();
 * if (await ready.wait(5)) console.log('ready');
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.Event
 */
export class Event implements Shareable {
  // Invariant: memory is the source of truth; this object is a view.
  readonly #i32: Int32Array;
  readonly #index: number;

  constructor() {
    const ref = adopting ?? allocateWords(EVENT_SLOTS);
    adopting = undefined;
    this.#i32 = int32View(ref.sab);
    this.#index = ref.index;
  }

  /** Rebuilds a view of an existing event (the reviver of the shareable protocol). */
  static fromShared(data: SlotRef): Event {
    adopting = checkSlotRef(data, EVENT_SLOTS, 'Event');
    return new Event();
  }

  /** True when the flag is set (Python's `is_set()`). */
  isSet(): boolean {
    return Atomics.load(this.#i32, this.#index + FLAG) === 1;
  }

  /** Sets the flag and wakes every waiter. */
  set(): void {
    const i32 = this.#i32;
    Atomics.store(i32, this.#index + FLAG, 1);
    if (Atomics.load(i32, this.#index + WAITERS) > 0) Atomics.notify(i32, this.#index + FLAG);
  }

  /** Clears the flag. */
  clear(): void {
    Atomics.store(this.#i32, this.#index + FLAG, 0);
  }

  /**
   * Waits, blocking the thread, until the flag is set or `timeout` seconds
   * pass.
   * @returns true when set, false on timeout (as Python).
   * @throws {TypeError} when `timeout` is not a number, null or undefined.
   */
  waitSync(timeout?: number | null): boolean {
    const i32 = this.#i32;
    const flag = this.#index + FLAG;
    const ms = timeoutMs(timeout);
    if (Atomics.load(i32, flag) === 1) return true;
    const deadline = deadlineAfter(ms);
    for (;;) {
      const left = remainingMs(deadline);
      if (left === 0) return Atomics.load(i32, flag) === 1;
      Atomics.add(i32, this.#index + WAITERS, 1);
      const r = Atomics.wait(i32, flag, 0, left ?? Infinity);
      Atomics.sub(i32, this.#index + WAITERS, 1);
      if (r === 'ok' || Atomics.load(i32, flag) === 1) return true;
    }
  }

  /**
   * Waits without blocking the event loop until the flag is set or
   * `timeout` seconds pass.
   * @returns true when set, false on timeout (as Python).
   * @throws {TypeError} when `timeout` is not a number, null or undefined.
   */
  async wait(timeout?: number | null): Promise<boolean> {
    const ms = timeoutMs(timeout);
    if (Atomics.load(this.#i32, this.#index + FLAG) === 1) return true;
    if (ms === 0) return false;
    const i32 = this.#i32;
    const flag = this.#index + FLAG;
    const deadline = deadlineAfter(ms);
    for (;;) {
      const left = remainingMs(deadline);
      if (left === 0) return Atomics.load(i32, flag) === 1;
      Atomics.add(i32, this.#index + WAITERS, 1);
      let r: string;
      try {
        r = await futexWait(i32, flag, 0, left);
      } finally {
        Atomics.sub(i32, this.#index + WAITERS, 1);
      }
      if (r === 'ok' || Atomics.load(i32, flag) === 1) return true;
    }
  }

  /** Python 3.13's repr without the address: `<Event set>` / `<Event unset>`. */
  toString(): string {
    return `<Event ${this.isSet() ? 'set' : 'unset'}>`;
  }

  /** `util.inspect` / `console.log` show {@link Event.toString}. */
  [kInspect](): string {
    return this.toString();
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

registerShareable(TAG, import.meta.url, Event, (data: SlotRef) => Event.fromShared(data), {
  remote: eventRemote,
});
