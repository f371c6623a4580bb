/**
 * What a pool does when a worker ends without being asked to (Python's
 * `Pool` hangs; its executor breaks): `heal` (the Pool) fails only the job
 * that was running and retries the others elsewhere; `break` (the executor)
 * fails every outstanding call. A worker that dies before it is ready
 * follows the start-failure policy of start-failures.ts.
 */
import { WorkerLostError } from '@multiprocessing/core';
import { settleJob, type Job } from './job.js';
import type { JobQueue } from './job-queue.js';
import { asError, launchFailure, StartFailures, startExitError } from './start-failures.js';
import type { PoolCounters } from './stats.js';
import { runningJob, runningJobs } from './task-registry.js';
import type { WorkerSlot } from './worker-slot.js';

/** `heal` replaces a dead worker and fails only its task; `break` fails everything. */
export type OnWorkerLost = 'heal' | 'break';

/** See the module header. */
export class WorkerLoss {
  readonly #failures = new StartFailures();
  /** Set after a worker failed to start: start a replacement only when work waits. */
  restartLazily = false;

  constructor(
    readonly mode: OnWorkerLost,
    private readonly queue: JobQueue,
    private readonly counters: PoolCounters,
    /** Breaks the pool with `cause`: every outstanding call fails, `dead` (the lost worker's jobs) included. */
    private readonly breakPool: (cause: Error, dead?: readonly Job[]) => void,
  ) {}

  /** A worker reported ready: the count of failed starts starts over. */
  ready(): void {
    this.restartLazily = false;
    this.#failures.started();
  }

  /** The error that breaks the pool when `launch()` refused to start a worker (no retry can succeed). */
  launchRefused(err: unknown): Error {
    const cause = asError(err);
    return this.mode === 'break' ? cause : launchFailure(cause);
  }

  /**
   * `w` ended with `code`: it is marked dead and emptied. `live`: the pool
   * was neither terminated nor broken (else its jobs were dropped already).
   * `launchError`: its `exited` promise rejected with it.
   */
  lost(w: WorkerSlot, code: number, live: boolean, launchError?: unknown): void {
    w.dead = true;
    const outstanding = w.inFlight.drain();
    w.outJobs = [];
    w.outbox = [];
    if (!live) return;
    const lost = (): Error =>
      new WorkerLostError(w.name, code, {
        message: `Worker ${w.name} exited with code ${String(code)} holding the buffers transferred to a task`,
      });
    if (!w.ready && w.blame === undefined) {
      this.#startFailed(w, code, launchError, outstanding, lost);
    } else if (w.blame !== undefined) {
      // The pool terminated it (a timeout, an abort): the jobs it names fail,
      // the others it was running too (several at once), the rest go elsewhere.
      const blame = w.blame;
      const running = w.slots > 1 ? runningJobs(w, outstanding) : undefined;
      for (const job of outstanding) {
        const err = blame.get(job);
        if (err !== undefined) settleJob(job, false, err, this.counters);
        else if (running?.has(job) === true) settleJob(job, false, sharedLoss(w, code, blame), this.counters);
        else this.queue.requeue(job, this.counters, lost);
      }
    } else if (outstanding.length > 0) {
      const cause = launchError ?? w.launched.error;
      const workerLost = new WorkerLostError(w.name, code, cause === undefined ? undefined : { cause });
      if (this.mode === 'break') {
        this.breakPool(workerLost, outstanding);
      } else if (w.slots > 1) {
        const running = runningJobs(w, outstanding);
        for (const job of outstanding) {
          if (running.has(job)) settleJob(job, false, workerLost, this.counters);
          else this.queue.requeue(job, this.counters, lost);
        }
      } else {
        const running = runningJob(w, outstanding);
        for (const job of outstanding) {
          if (job === running) settleJob(job, false, workerLost, this.counters);
          else this.queue.requeue(job, this.counters, lost);
        }
      }
    } else if (this.mode === 'break' && !w.retiring && !w.stopSent) {
      // An idle worker that died on its own still breaks an executor, as in Python.
      this.breakPool(
        new WorkerLostError(w.name, code, { message: `Worker ${w.name} exited with code ${String(code)}` }),
      );
    }
  }

  /**
   * `w` died before it reported ready, on its own: no task of it ran. The
   * executor breaks at once; the Pool retries, and breaks after
   * kMaxStartFailures failed starts in a row (see start-failures.ts).
   */
  #startFailed(
    w: WorkerSlot,
    code: number,
    launchError: unknown,
    outstanding: readonly Job[],
    lost: () => Error,
  ): void {
    // A WorkerLostError with the exit code; an initializer's error is its cause.
    const cause = startExitError(w.name, code, w.initError ?? launchError ?? w.launched.error);
    if (this.mode === 'break') {
      this.breakPool(cause, outstanding);
      return;
    }
    const broken = this.#failures.failed(cause);
    if (broken !== undefined) {
      this.breakPool(broken, outstanding);
      return;
    }
    this.restartLazily = true;
    if (w.initError !== undefined) {
      // An initializer failed: the work waiting for a worker fails with its error.
      for (const job of outstanding) settleJob(job, false, w.initError, this.counters);
      this.queue.failAll(w.initError, this.counters);
    } else {
      // Its tasks never started: they wait for the replacement.
      for (const job of outstanding) this.queue.requeue(job, this.counters, lost);
    }
  }
}

/**
 * The error of a task that was running beside a task that timed out or was
 * aborted, on a worker that runs several tasks at once: the worker was
 * terminated for the other task's sake, and this one ended with it.
 */
function sharedLoss(w: WorkerSlot, code: number, blame: ReadonlyMap<Job, Error>): WorkerLostError {
  const cause = blame.values().next().value;
  const why = cause instanceof Error ? cause.name : 'another task';
  return new WorkerLostError(w.name, code, {
    message: `Worker ${w.name} was terminated (exit code ${String(code)}) while it ran this task, because another task running on it at the same time ended with ${why} (concurrentTasksPerWorker)`,
    ...(cause === undefined ? {} : { cause }),
  });
}
