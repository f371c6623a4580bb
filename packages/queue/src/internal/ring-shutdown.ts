/**
 * Shutting a queue's ring down, as Python's `queue.Queue.shutdown` does:
 * puts fail from then on; gets take what is left, then fail; an immediate
 * shutdown also empties the ring and counts each dropped item as a
 * `taskDone()`, so a `join()` returns.
 */
import { mutexLockSync, mutexUnlock } from '@multiprocessing/value-lock/internal';
import type { SharedRing } from './ring.js';
import {
  ALL_DONE,
  COUNT,
  HEAD,
  JOINERS,
  LOCK,
  NOT_EMPTY,
  NOT_FULL,
  SHUT,
  SHUT_CLOSED,
  SHUT_DOWN,
  SHUT_IMMEDIATE,
  UNFINISHED,
  USED,
} from './ring-layout.js';

/** Options of `shutdown()`. */
export interface QueueShutdownOptions {
  /**
   * Drop the items left in the queue, so that every get fails at once (for
   * a JoinableQueue, each dropped item counts as a `taskDone()`). With
   * `false`, gets take what is left first.
   * @default false
   */
  immediate?: boolean;
}

/** The `immediate` of `shutdown(options)`, checked. */
export function immediateOf(options: QueueShutdownOptions | undefined): boolean {
  if (options === undefined) return false;
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('options must be an object like {immediate}');
  }
  const { immediate = false } = options;
  if (typeof immediate !== 'boolean') {
    throw new TypeError(`immediate must be a boolean, got ${typeof immediate}`);
  }
  return immediate;
}

/**
 * Removes `dropped` unfinished tasks (never below 0, as Python) and wakes
 * the joiners when none is left. Precondition: lock held; it unlocks.
 */
function finishDropped(ctl: Int32Array, dropped: number): void {
  const before = Atomics.load(ctl, UNFINISHED);
  const left = Math.max(0, before - dropped);
  Atomics.store(ctl, UNFINISHED, left);
  mutexUnlock(ctl, LOCK);
  // Dekker with join(): JOINERS is read after UNFINISHED is written, as in taskDone().
  if (before > 0 && left === 0 && Atomics.load(ctl, JOINERS) > 0) {
    Atomics.add(ctl, ALL_DONE, 1);
    Atomics.notify(ctl, ALL_DONE);
  }
}

/**
 * Shuts the ring down in every thread and wakes every sleeper: blocked
 * putters fail, blocked getters take what is left or fail. With
 * `immediate`, the items left are dropped first. Idempotent; a later
 * immediate shutdown still drops what an earlier one left to drain.
 */
export function shutDown(ring: SharedRing, immediate: boolean): void {
  const ctl = ring.ctl;
  mutexLockSync(ctl, LOCK);
  ctl[SHUT] = Atomics.load(ctl, SHUT) | SHUT_DOWN | (immediate ? SHUT_IMMEDIATE : 0);
  // Every waiter re-checks: a getter sees the ring shut (or emptied), a putter sees it shut.
  Atomics.add(ctl, NOT_EMPTY, 1);
  Atomics.add(ctl, NOT_FULL, 1);
  let dropped = 0;
  if (immediate) {
    dropped = Atomics.load(ctl, COUNT);
    ctl[HEAD] = 0;
    ctl[USED] = 0;
    Atomics.store(ctl, COUNT, 0);
  }
  finishDropped(ctl, dropped);
  Atomics.notify(ctl, NOT_EMPTY);
  Atomics.notify(ctl, NOT_FULL);
}

/**
 * For `putBack`: after an immediate shutdown, frames given back are
 * dropped and counted as done (they were in the queue when it was emptied,
 * held by a consumer in another process). Precondition: lock held; true
 * when it dropped them, and then it has unlocked.
 */
export function droppedAfterShutdown(ctl: Int32Array, frames: number): boolean {
  if ((Atomics.load(ctl, SHUT) & SHUT_IMMEDIATE) === 0) return false;
  finishDropped(ctl, frames);
  return true;
}

/** Whether the ring was shut down (else, when refused, it was closed). */
export function isShutDown(ring: SharedRing): boolean {
  return (Atomics.load(ring.ctl, SHUT) & SHUT_DOWN) !== 0;
}

/** The state a queue's repr ends with: ``, ` closed`, ` shutdown` or ` closed shutdown`. */
export function stateSuffix(ring: SharedRing): string {
  const shut = Atomics.load(ring.ctl, SHUT);
  return `${shut & SHUT_CLOSED ? ' closed' : ''}${shut & SHUT_DOWN ? ' shutdown' : ''}`;
}
