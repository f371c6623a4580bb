/**
 * Waiting on a futex word from this package's rings: a bounded, adaptive spin
 * first (only while it pays: while a core is free for the partner), then
 * `Atomics.wait` (…Sync forms) or `Atomics.waitAsync` with a ref'd keep-alive
 * (the async forms; Node 20 does not keep the loop alive for a pending
 * waitAsync: nodejs/node#44729).
 */
import { availableParallelism, loadavg } from 'node:os';
import { futexWait, futexWaitSync, type FutexWaitResult } from '@multiprocessing/value-lock/internal';

/** Outcome of one wait, as `Atomics.wait` reports it. */
export type WaitOutcome = FutexWaitResult;

/**
 * `Atomics.waitAsync` that keeps the event loop alive while pending.
 *
 * @param timeoutMs - `undefined` waits forever.
 */
export const waitAsync: (
  i32: Int32Array,
  index: number,
  expected: number,
  timeoutMs: number | undefined,
) => Promise<WaitOutcome> = futexWait;

/** `Atomics.wait` with an optional timeout in ms. */
export const waitSync: (
  i32: Int32Array,
  index: number,
  expected: number,
  timeoutMs: number | undefined,
) => WaitOutcome = futexWaitSync;

const MAX_SPIN = 4000; // ~25 µs of Atomics.load here: half a sleeping wake-up
const MIN_SPIN = 250;
const PROBE_EVERY = 16;
const cores = availableParallelism();
// Per-thread spin policy (spinning pays only while a core is free for the
// partner):
// - no spin at all while the load average says the cores are taken
//   (sampled twice a second; our own busy threads count, so more threads
//   than cores turns it off too);
// - otherwise an adaptive budget (after glibc's adaptive mutex): a spin that
//   saw the word change restores the full budget, a wasted one halves it,
//   and below MIN_SPIN spinning stops; every PROBE_EVERY-th wait then
//   probes with the full budget, so a partner that became fast is noticed.
let spinBudget = cores > 1 ? MAX_SPIN : 0;
let probe = 0;
let loadCheckedAt = -Infinity;
let coresFree = cores > 1;

function spinAllowed(): boolean {
  const now = performance.now();
  if (now - loadCheckedAt > 500) {
    loadCheckedAt = now;
    coresFree = cores > 1 && (loadavg()[0] ?? 0) < cores + 0.5;
  }
  return coresFree;
}

/**
 * Spins while `i32[index] === expected`, for a bounded number of loads.
 * Returns true when the word changed (no need to sleep).
 */
export function spinWhileEqual(i32: Int32Array, index: number, expected: number): boolean {
  if (!spinAllowed()) return false;
  let budget = spinBudget;
  if (budget === 0) {
    if (++probe % PROBE_EVERY !== 0) return false;
    budget = MAX_SPIN;
  }
  for (let i = 0; i < budget; i++) {
    if (Atomics.load(i32, index) !== expected) {
      spinBudget = MAX_SPIN;
      return true;
    }
  }
  spinBudget = budget >>> 1;
  if (spinBudget < MIN_SPIN) spinBudget = 0;
  return false;
}

// The deadline helpers are core's (one implementation for every package);
// `remaining` is its `remainingMs` under the name this package's rings use.
export { deadlineAfter, remainingMs as remaining } from '@multiprocessing/core/internal';
