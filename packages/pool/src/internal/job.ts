/**
 * The job model of the pool: a call (`apply`, a map, an imap) owns jobs, one
 * unit of work for one worker each (a single call, or a chunk of a map), and
 * is told when each settles. The role of `ApplyResult` / `MapResult` jobs in
 * `multiprocessing.pool`'s task queue.
 */
import type { Transferable } from 'node:worker_threads';
import type { Timer } from '@multiprocessing/core/internal';
import type { PoolCounters } from './stats.js';
import type { WorkerSlot } from './worker-slot.js';

/** What the scheduler needs from the call that owns a job. */
export interface JobOwner {
  /** Per-task run-time limit in ms (set {@link kReportStartFlag} on its jobs too). */
  readonly timeoutMs: number | undefined;
  /** True once the call has ended (aborted, failed as a whole): its pending jobs are dropped. */
  readonly finished: boolean;
  /** A job of this call finished: `value` is the result, or the error. */
  settle(job: Job, ok: boolean, value: unknown): void;
  /** The whole call fails with `error` (pool terminated, pool broken). */
  fail(error: Error): void;
  /** A job was handed to a worker (the executor's `running()`). */
  dispatched?(job: Job): void;
  /** Item `index` of a job with {@link kReportStartFlag} started (a cluster host reports it to its caller). */
  started?(job: Job, index: number): void;
  /** A running job sent a progress value (`currentTask().progress`). */
  event?(job: Job, value: unknown): void;
}

/** Job states: waiting for a worker. */
export const kPending = 0;
/** Handed to a worker, no result yet. */
export const kDispatched = 1;
/** Its owner was told the outcome. */
export const kSettled = 2;
/** Dropped: cancelled before dispatch, or ended with the pool (its owner was failed as a whole). */
export const kCancelled = 3;

/** One unit of work for one worker: a single call, or a chunk of a map. */
export class Job {
  state = kPending;
  /** The worker it was handed to (while dispatched). */
  worker: WorkerSlot | undefined = undefined;
  /** Its sequence number in that worker's stream of tasks (1-based; 0 until posted). */
  seq = 0;
  submittedAt = 0;
  dispatchedAt = 0;
  timer: Timer | undefined = undefined;
  /** The call this job belongs to (the job itself for a single call). */
  readonly owner: JobOwner;

  constructor(
    readonly id: number,
    owner: JobOwner | null,
    readonly fnId: number,
    readonly mode: number,
    public payload: unknown,
    readonly transfer: readonly Transferable[] | undefined,
    /** Chunk index within its call. */
    readonly index: number,
    /** Number of items (1 for a single call). */
    readonly size: number,
  ) {
    this.owner = owner ?? (this as unknown as JobOwner);
  }
}

/** Produces jobs on demand (a map's chunks, an imap's input). */
export interface JobSource {
  readonly owner: JobOwner;
  /** The next job, or undefined when there is none (now or ever). */
  take(): Job | undefined;
  /** True when take() will never return a job again. */
  readonly exhausted: boolean;
  /** Jobs it may still produce, when known (for stats). */
  readonly remaining: number;
}

/** Stops a job's run-time timer, if it has one. */
export function clearJobTimer(job: Job): void {
  if (job.timer !== undefined) {
    job.timer.clear();
    job.timer = undefined;
  }
}

/**
 * Tells a job's owner its outcome, once: a job already settled or cancelled
 * is left alone. Counts it in `counters`.
 */
export function settleJob(job: Job, ok: boolean, value: unknown, counters: PoolCounters): void {
  clearJobTimer(job);
  if (job.state === kCancelled || job.state === kSettled) return;
  job.state = kSettled;
  job.worker = undefined;
  counters.settled++;
  if (ok) counters.completed++;
  else counters.failed++;
  job.owner.settle(job, ok, value);
}

/** Drops a job that will never settle on its own (its owner is failed as a whole instead). */
export function cancelJob(job: Job): void {
  clearJobTimer(job);
  job.state = kCancelled;
}
