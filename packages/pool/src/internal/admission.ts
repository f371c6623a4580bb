/**
 * The `maxQueue` limit of a Pool (no Python counterpart: Python's Pool
 * queues without limit). Every task (an `apply`, a map chunk, an imap chunk)
 * holds one unit from its submission until it settles; the pool has
 * `processes + maxQueue` units, so at most `maxQueue` tasks wait beyond the
 * `processes` that run. The count does not depend on how the scheduler has
 * spread the tasks over the workers, so the limit is deterministic.
 *
 * A call that needs more units than are free either fails at once with
 * `QueueFullError` ('reject') or waits for them, first come first served
 * ('wait'). An imap never fails: its source takes one unit per chunk and is
 * parked until units free up. Only made when `maxQueue` is finite.
 */
import { QueueFullError } from '@multiprocessing/core';
import { Deque } from './deque.js';

/** A call that holds units of the limit. */
export interface Admitted {
  /** True once the call has ended; a waiting call that ended is dropped. */
  readonly finished: boolean;
  /** The units were granted: the call enters the scheduler's queue. */
  admitted(): void;
  /** The call fails with `error` (it could not be admitted). */
  fail(error: Error): void;
}

/** A lazy source (an imap) parked until a unit frees up. */
export interface Parked {
  /** A unit may be free: re-enter the scheduler's queue. */
  unpark(): void;
}

/** What happens to a call beyond `maxQueue`. */
export type QueueFullPolicy = 'reject' | 'wait';

/** See the module header. */
export class Admission {
  /** Units held by tasks submitted and not settled. */
  #held = 0;
  readonly #capacity: number;
  readonly #waiters = new Deque<{ call: Admitted; units: number }>();
  #parked: Parked[] = [];
  #releasing = false;

  constructor(
    readonly processes: number,
    readonly maxQueue: number,
    readonly policy: QueueFullPolicy,
    /** The error a call admitted now gets instead (pool terminated or broken), if any. */
    private readonly closed: () => Error | undefined,
    /** Called whenever units are released (to check `drained()` waiters). */
    private readonly onRelease: () => void,
  ) {
    this.#capacity = processes + maxQueue;
  }

  /** Tasks beyond the running ones: held units past `processes`, plus the units waiting calls want. */
  get waiting(): number {
    let wanted = 0;
    for (const w of this.#waiters) if (!w.call.finished) wanted += w.units;
    return Math.max(0, this.#held - this.processes) + wanted;
  }

  /** True when waiting calls remain. */
  get hasWaiters(): boolean {
    for (const w of this.#waiters) if (!w.call.finished) return true;
    return false;
  }

  /**
   * Admits a call of `units` tasks: at once (`admitted()` is called), or it
   * fails with QueueFullError ('reject', or a call that can never fit), or it
   * waits its turn.
   */
  admit(call: Admitted, units: number, what: string): void {
    if (units > this.#capacity) {
      call.fail(
        new QueueFullError(
          `${what} needs ${String(units)} tasks, more than the pool ever queues: processes (${String(this.processes)}) + maxQueue (${String(this.maxQueue)})`,
        ),
      );
      return;
    }
    if (!this.hasWaiters && this.#held + units <= this.#capacity) {
      this.#held += units;
      call.admitted();
      return;
    }
    if (this.policy === 'reject') {
      call.fail(
        new QueueFullError(
          `Pool queue is full: maxQueue is ${String(this.maxQueue)} tasks waiting beyond the ${String(this.processes)} running`,
        ),
      );
      return;
    }
    this.#waiters.push({ call, units });
  }

  /** One unit for a lazy source's next chunk; false (and the source is parked) when none is free. */
  tryTake(source: Parked): boolean {
    if (!this.hasWaiters && this.#held < this.#capacity) {
      this.#held++;
      return true;
    }
    this.#parked.push(source);
    return false;
  }

  /**
   * `units` tasks settled (or were dropped; 0 when a waiting call ended):
   * admit waiting calls, then wake parked sources.
   */
  release(units: number): void {
    this.#held -= units;
    if (this.#releasing) return;
    this.#releasing = true;
    try {
      for (;;) {
        const head = this.#waiters.peek();
        if (head === undefined) break;
        if (head.call.finished) {
          this.#waiters.shift();
          continue;
        }
        if (this.#held + head.units > this.#capacity) break;
        this.#waiters.shift();
        const error = this.closed();
        if (error !== undefined) {
          head.call.fail(error);
          continue;
        }
        this.#held += head.units;
        head.call.admitted();
      }
      if (this.#parked.length > 0 && this.#held < this.#capacity && !this.hasWaiters) {
        const parked = this.#parked;
        this.#parked = [];
        for (const source of parked) source.unpark();
      }
    } finally {
      this.#releasing = false;
    }
    this.onRelease();
  }

  /** The pool was terminated or broke: every waiting call fails with `error()`. */
  failWaiters(error: () => Error): void {
    this.#parked = [];
    for (;;) {
      const w = this.#waiters.shift();
      if (w === undefined) break;
      if (!w.call.finished) w.call.fail(error());
    }
  }
}
