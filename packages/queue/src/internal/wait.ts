/**
 * Waiting on a futex word from this package's rings: a bounded, adaptive spin
 * first (only while it pays: pitfall 9 of shared/research/shm-sync.md), then
 * `Atomics.wait` (…Sync forms) or `Atomics.waitAsync` with a ref'd keep-alive
 * (the async forms; Node 20 does not keep the loop alive for a pending
 * waitAsync: nodejs/node#44729).
 */
import { availableParallelism } from 'node:os';
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

const MAX_SPIN = 2000;
const MIN_SPIN = 64;
const cores = availableParallelism();
// Adaptive per-thread spin budget (after glibc's adaptive mutex): a spin
// that saw the word change within the budget doubles it (up to MAX_SPIN); a
// wasted spin halves it, and below MIN_SPIN it stops. On a busy machine,
// where spinning steals the core the partner needs (research pitfall 9),
// spins keep failing and the budget falls to nothing within a few waits;
// every 64th wait then probes again with the smallest budget.
let spinBudget = cores > 1 ? MAX_SPIN : 0;
let probe = 0;

/**
 * Spins while `i32[index] === expected`, for a bounded number of loads.
 * Returns true when the word changed (no need to sleep).
 */
export function spinWhileEqual(i32: Int32Array, index: number, expected: number): boolean {
  if (cores < 2) return false;
  let budget = spinBudget;
  if (budget === 0) {
    if ((++probe & 63) !== 0) return false;
    budget = MIN_SPIN;
  }
  for (let i = 0; i < budget; i++) {
    if (Atomics.load(i32, index) !== expected) {
      spinBudget = Math.min(MAX_SPIN, Math.max(budget * 2, MIN_SPIN));
      return true;
    }
  }
  spinBudget = budget >>> 1;
  if (spinBudget < MIN_SPIN) spinBudget = 0;
  return false;
}

/** Milliseconds left until `deadline` (a `performance.now()` value), never negative. */
export function remaining(deadline: number | undefined): number | undefined {
  if (deadline === undefined) return undefined;
  const left = deadline - performance.now();
  return left > 0 ? left : 0;
}

/** The deadline for a timeout in ms (`undefined` = none). */
export function deadlineAfter(timeoutMs: number | undefined): number | undefined {
  return timeoutMs === undefined ? undefined : performance.now() + timeoutMs;
}
