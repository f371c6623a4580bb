/**
 * Which queued tasks a pool worker runs: it claims each as it starts it
 * (under threads the parent may take unclaimed ones back, see
 * WorkerData.progress), and skips the ones the parent aborted while they
 * were queued here.
 */
import { kClaimSlot, kRunningSlot } from './protocol.js';
import { progress } from './worker-env.js';

/** Sequence number of the last task started (see WorkerData.progress). */
let seq = 0;
// Invariant: jobs the parent asked to abort while they were queued here,
// with the reason; each is removed when the worker reaches it (and skips it).
let skipped: Map<number, Error> | undefined;

/**
 * Claims the next task (see WorkerData.progress); false if the parent took
 * it back, in which case it must be skipped.
 */
export function claim(): boolean {
  const s = ++seq;
  if (progress === undefined) return true;
  if (Atomics.compareExchange(progress, kClaimSlot, s - 1, s) !== s - 1) return false;
  Atomics.store(progress, kRunningSlot, s);
  return true;
}

/** Job `jobId`, queued here, was aborted with `reason`: it will be skipped. */
export function skip(jobId: number, reason: Error): void {
  (skipped ??= new Map()).set(jobId, reason);
}

/** The reason job `jobId` must be skipped (forgotten once returned); undefined: it runs. */
export function skipReason(jobId: number): Error | undefined {
  if (skipped === undefined) return undefined;
  const reason = skipped.get(jobId);
  if (reason === undefined) return undefined;
  skipped.delete(jobId);
  if (skipped.size === 0) skipped = undefined;
  return reason;
}
