/**
 * Waiting on a futex word from this package's rings: a bounded, adaptive spin
 * first (only while it pays: while a core is free for the partner), then
 * `Atomics.wait` (…Sync forms) or `Atomics.waitAsync` with a ref'd keep-alive
 * (the async forms; Node 20 does not keep the loop alive for a pending
 * waitAsync: nodejs/node#44729).
 */
import { futexWait, futexWaitSync, type FutexWaitResult } from '@multiprocessing/value-lock/internal';
import { SpinGate } from './spin-gate.js';

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
// Per-thread spin policy: spinning pays only while a core is free for the
// partner (spin-gate.ts).
const gate = new SpinGate(MAX_SPIN, MIN_SPIN);

/**
 * Spins while `i32[index] === expected`, for a bounded number of loads.
 * Returns true when the word changed (no need to sleep).
 */
export function spinWhileEqual(i32: Int32Array, index: number, expected: number): boolean {
  const budget = gate.begin();
  if (budget === 0) return false;
  for (let i = 0; i < budget; i++) {
    if (Atomics.load(i32, index) !== expected) {
      gate.end(true);
      return true;
    }
  }
  gate.end(false);
  return false;
}

// The deadline helpers are core's (one implementation for every package);
// `remaining` is its `remainingMs` under the name this package's rings use.
export { deadlineAfter, remainingMs as remaining } from '@multiprocessing/core/internal';
