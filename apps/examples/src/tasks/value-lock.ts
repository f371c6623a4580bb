/**
 * Task functions for the value-lock examples. They run inside child
 * processes (worker threads, or OS processes under the 'process' start
 * method), where the blocking `…Sync` forms are the natural Python-like style.
 */
import { currentProcess } from '@multiprocessing/process';
import type {
  Barrier,
  Condition,
  Event,
  Lock,
  SharedArray,
  Semaphore,
  ShareableList,
  Value,
} from '@multiprocessing/value-lock';
import { print } from '../repr.js';

/** Adds 1 to `counter` `times` times, each under `lock` (shared-counter). */
export function addOneUnderLock(counter: Value<'i'>, lock: Lock, times: number): void {
  for (let i = 0; i < times; i++) {
    lock.acquireSync();
    counter.value += 1;
    lock.release();
  }
}

/**
 * Adds `delta` to `value` `times` times with no lock: a visible race
 * (value-race). Both processes pass `start` together so their loops overlap.
 */
export function addUnlocked(value: Value<'i'>, delta: number, times: number, start: Barrier): void {
  start.waitSync();
  for (let i = 0; i < times; i++) value.value += delta;
}

/** Adds `delta` `times` times, acquire/release around each change (value-lock). */
export function addWithAcquireRelease(value: Value<'i'>, lock: Lock, delta: number, times: number): void {
  for (let i = 0; i < times; i++) {
    lock.acquireSync();
    try {
      value.value += delta;
    } finally {
      lock.release();
    }
  }
}

/** Adds `delta` `times` times in the scoped form, Python's `with lock:` (value-lock). */
export function addWithScopedLock(value: Value<'i'>, lock: Lock, delta: number, times: number): void {
  for (let i = 0; i < times; i++) {
    using _ = lock.holdSync();
    value.value += delta;
  }
}

/** Waits for `event`, then says so (event). */
export function waitForEvent(event: Event): void {
  event.waitSync();
  print(`${currentProcess().name}: event received`);
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Does some work while holding one of the semaphore's slots (semaphore). */
export function useSlot(slots: Semaphore, inside: Value<'i'>, most: Value<'i'>): void {
  using _ = slots.holdSync();
  const now = inside.withLockSync(() => (inside.value += 1));
  most.withLockSync(() => {
    if (now > most.value) most.value = now;
  });
  Atomics.wait(pause, 0, 0, 30); // stands in for 30 ms of work
  inside.withLockSync(() => (inside.value -= 1));
}

/** Waits until an item is available, then takes it (condition). */
export function consume(cond: Condition, available: Value<'i'>, consumed: Value<'i'>): void {
  cond.acquireSync();
  try {
    cond.waitForSync(() => available.value > 0);
    available.value -= 1;
    consumed.value += 1;
  } finally {
    cond.release();
  }
}

/** Waits at the barrier and records the index it got (barrier). */
export function meetAtBarrier(barrier: Barrier, indexes: SharedArray<'i'>, slot: number): void {
  indexes[slot] = barrier.waitSync();
}

/** Squares the items of `sl` from `start` to `end` in place (shared-memory). */
export function squareRange(sl: ShareableList, start: number, end: number): void {
  for (let i = start; i < end; i++) sl[i] = (sl[i] as number) ** 2;
}
