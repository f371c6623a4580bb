/**
 * The parent's side of talking to a running task (no Python counterpart):
 * a job its caller gave up on (an abort, a timeout) is ended by asking its
 * worker to abort it, and the worker is terminated only if the job has not
 * settled there within the pool's grace period; a running job's progress
 * events go to its call.
 */
import { PicklingError } from '@multiprocessing/core';
import {
  deserializeError,
  fromPostable,
  startTimer,
  type SerializedError,
  type Timer,
} from '@multiprocessing/core/internal';
import { encodeAbortReason } from './abort-reason.js';
import { kCancelled, kDispatched, kPending, settleJob, type Job } from './job.js';
import { kFailed, kOkPostable, kPoolMessage, kResultStride, type AbortMessage } from './protocol.js';
import type { PoolCounters } from './stats.js';
import { inFlightJob, runningJobs } from './task-registry.js';
import type { WorkerSlot } from './worker-slot.js';

/**
 * Ends `jobs` now: each fails with `error` at once. A pending one is
 * dropped; a dispatched one is aborted on its worker ({@link abortOnWorker}).
 */
export function abortJobs(jobs: Iterable<Job>, error: Error, counters: PoolCounters): void {
  for (const job of jobs) {
    if (job.state === kPending) {
      job.state = kCancelled;
      continue;
    }
    const w = job.worker;
    if (job.state !== kDispatched || w === undefined) continue;
    settleJob(job, false, error, counters);
    abortOnWorker(w, job, error);
  }
}

/**
 * Ends `job` (already settled for its caller) on `w`: asks the worker to
 * abort it, and terminates the worker if the job has not settled there
 * within the grace period; at once when the period is 0, or when the job
 * was never posted (it is not in the worker to be told about).
 */
export function abortOnWorker(w: WorkerSlot, job: Job, error: Error): void {
  const graceMs = w.context.abortGraceMs;
  if (graceMs === 0 || job.seq === 0 || w.dead) {
    w.blameFor(job, error);
    return;
  }
  if (w.aborting?.has(job) === true) return;
  try {
    w.launched.postMessage([kPoolMessage, 'abort', job.id, encodeAbortReason(error)] satisfies AbortMessage);
  } catch {
    w.blameFor(job, error);
    return;
  }
  (w.aborting ??= new Map()).set(job, graceTimer(w, job, error, graceMs));
}

/**
 * When the grace period of `job` is up: a job that still runs gets its
 * worker terminated (and, with several tasks at once, the ones running
 * beside it end with it: see worker-loss.ts); a job still queued behind another will
 * be skipped by the worker when it gets there, so it waits another period;
 * a job the worker no longer holds (taken back by stealing) is forgotten.
 */
function graceTimer(w: WorkerSlot, job: Job, error: Error, graceMs: number): Timer {
  return startTimer(
    graceMs,
    () => {
      if (w.aborting?.get(job) === undefined || w.dead) return;
      if (isRunning(w, job)) w.blameFor(job, error);
      else if (inFlightJob(w, job.id) === job) w.aborting.set(job, graceTimer(w, job, error, graceMs));
      else endAbort(w, job);
    },
    { unref: true },
  );
}

/**
 * True if `w` runs `job` now: the first job it holds, or, when it runs
 * several at once, one of those it started (see runningJobs).
 */
function isRunning(w: WorkerSlot, job: Job): boolean {
  if (w.inFlight.peek() === job) return true;
  return w.slots > 1 && runningJobs(w, [...w.inFlight]).has(job);
}

/** `job` left `w` (its result came, or it was dropped): its grace period ends. */
export function endAbort(w: WorkerSlot, job: Job): void {
  const aborting = w.aborting;
  if (aborting === undefined) return;
  const timer = aborting.get(job);
  if (timer === undefined) return;
  timer.clear();
  aborting.delete(job);
  if (aborting.size === 0) w.aborting = undefined;
}

/** `w` exited: no grace period is left to watch. */
export function endAborts(w: WorkerSlot): void {
  if (w.aborting === undefined) return;
  for (const timer of w.aborting.values()) timer.clear();
  w.aborting = undefined;
}

/**
 * Hands the progress events of an `event` message from `w` to the calls of
 * their jobs, in order. Events of a job already settled are dropped; an
 * event that could not be sent fails its job with PicklingError.
 */
export function deliverEvents(w: WorkerSlot, events: unknown[]): void {
  for (let i = 0; i < events.length; i += kResultStride) {
    const jobId = events[i] as number;
    const head = w.inFlight.peek();
    const job = head?.id === jobId ? head : inFlightJob(w, jobId);
    if (job?.state !== kDispatched) continue;
    const status = events[i + 1] as number;
    let value = events[i + 2];
    if (status === kFailed) {
      const cause = deserializeError(value as SerializedError);
      const error = new PicklingError(`a progress value cannot be sent to the caller: ${cause.message}`, {
        cause,
      });
      settleJob(job, false, error, w.context.counters);
      continue;
    }
    if (status === kOkPostable) {
      try {
        value = fromPostable(value);
      } catch (err) {
        settleJob(job, false, err, w.context.counters);
        continue;
      }
    }
    job.owner.event?.(job, value);
  }
}
