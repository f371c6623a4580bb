/** What each worker runs. The Values and the Barrier arrive as live views of the parent's memory. */
import type { Barrier, Value } from '@multiprocessing/value-lock';

/** Adds 1 `times` times, each under the value's own lock: Python's `with counter.get_lock():`. */
export function addLocked(counter: Value<'i'>, times: number): void {
  for (let i = 0; i < times; i++) {
    using _ = counter.getLock().holdSync();
    counter.value += 1;
  }
}

/** Adds 1 `times` times with no lock: `counter.value += 1` is a read, then a write. */
export function addRacy(counter: Value<'i'>, times: number): void {
  for (let i = 0; i < times; i++) counter.value += 1;
}

/** One worker: both loops, each started together with the other workers' at the barrier. */
export function work(locked: Value<'i'>, racy: Value<'i'>, start: Barrier, times: number): void {
  start.waitSync();
  addLocked(locked, times);
  start.waitSync();
  addRacy(racy, times);
}
