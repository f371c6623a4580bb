/**
 * The pool's one FIFO of work waiting for a worker (Python's `_taskqueue`):
 * single jobs and sources of jobs (a map's chunks, an imap's input) in
 * submission order, after the jobs a dead or robbed worker had not started.
 */
import { Deque } from './deque.js';
import {
  cancelJob,
  clearJobTimer,
  Job,
  kDispatched,
  kPending,
  settleJob,
  type JobOwner,
  type JobSource,
} from './job.js';
import type { PoolCounters } from './stats.js';
import type { WorkerSlot } from './worker-slot.js';

/** See the module header. */
export class JobQueue {
  // Invariant: jobs waiting for a worker: `#retry` first (jobs a dead worker
  // had not started, in their original order), then `#queue` in submission
  // order. Entries whose job or owner has finished are skipped when taken.
  readonly #retry = new Deque<Job>();
  readonly #queue = new Deque<Job | JobSource>();

  /** Adds a job or a source at the back. */
  push(entry: Job | JobSource): void {
    this.#queue.push(entry);
  }

  /**
   * Puts a job a dead or robbed worker had not started back at the front
   * (after the jobs put back before it). `lost`: its worker died, so a job
   * whose buffers were moved into it fails with that error instead.
   */
  requeue(job: Job, counters: PoolCounters, lost?: () => Error): void {
    clearJobTimer(job);
    if (job.state !== kDispatched) return;
    if (lost !== undefined && job.worker?.moved(job) === true) {
      // Its transferred buffers died with the worker.
      settleJob(job, false, lost(), counters);
      return;
    }
    job.state = kPending;
    job.worker = undefined;
    job.seq = 0;
    this.#retry.push(job);
  }

  /** Entries waiting (a source counts once), for sizing a lazy pool. */
  get length(): number {
    return this.#retry.length + this.#queue.length;
  }

  /** The next job to run; `now` stamps a job a source makes. */
  take(now: number): Job | undefined {
    for (;;) {
      const retried = this.#retry.shift();
      if (retried === undefined) break;
      if (retried.state === kPending && !retried.owner.finished) return retried;
    }
    for (;;) {
      const entry = this.#queue.peek();
      if (entry === undefined) return undefined;
      if (entry instanceof Job) {
        this.#queue.shift();
        if (entry.state === kPending && !entry.owner.finished) return entry;
        continue;
      }
      if (entry.owner.finished || entry.exhausted) {
        this.#queue.shift();
        continue;
      }
      let job: Job | undefined;
      try {
        job = entry.take();
      } catch (err) {
        // A bug or a hostile input must not wedge the queue: fail that call.
        this.#queue.shift();
        entry.owner.fail(err as Error);
        continue;
      }
      if (job === undefined) {
        if (entry.exhausted) {
          this.#queue.shift();
          continue;
        }
        return undefined;
      }
      job.submittedAt = now;
      return job;
    }
  }

  /** True when some job waits (or a source may still produce one). */
  hasWork(): boolean {
    if (this.#retry.length > 0) return true;
    for (const entry of this.#queue) {
      if (entry instanceof Job) {
        if (entry.state === kPending && !entry.owner.finished) return true;
      } else if (!entry.owner.finished && !entry.exhausted) {
        return true;
      }
    }
    return false;
  }

  /** Jobs waiting, a source counting the jobs it may still make (for stats). */
  queued(): number {
    let queued = this.#retry.length;
    for (const entry of this.#queue) {
      if (entry instanceof Job) {
        if (entry.state === kPending && !entry.owner.finished) queued++;
      } else if (!entry.owner.finished) {
        queued += entry.remaining;
      }
    }
    return queued;
  }

  /** Adds the owner of every waiting job or live source to `owners`. */
  addOwners(owners: Set<JobOwner>): void {
    for (const job of this.#retry) if (job.state === kPending) owners.add(job.owner);
    for (const entry of this.#queue) {
      if (entry instanceof Job) {
        if (entry.state === kPending) owners.add(entry.owner);
      } else if (!entry.exhausted) {
        owners.add(entry.owner);
      }
    }
  }

  /** Empties the queue (the owners were, or are about to be, failed as a whole). */
  clear(): void {
    this.#retry.drain();
    this.#queue.drain();
  }

  /** Empties the queue: every waiting job fails with `error`, every source's call too. */
  failAll(error: Error, counters: PoolCounters): void {
    const owners = new Set<JobOwner>();
    for (const job of this.#retry.drain()) {
      if (job.state === kPending) settleJob(job, false, error, counters);
    }
    for (const entry of this.#queue.drain()) {
      if (entry instanceof Job) {
        if (entry.state === kPending) settleJob(entry, false, error, counters);
      } else {
        owners.add(entry.owner);
      }
    }
    for (const owner of owners) owner.fail(error);
  }
}

/**
 * Drops every job of the pool (waiting, on `workers`, and `dead`, the jobs
 * of a worker that just died) and returns the calls they belonged to, to be
 * failed as a whole (the pool was terminated or broke).
 */
export function dropAll(queue: JobQueue, workers: Iterable<WorkerSlot>, dead: readonly Job[]): Set<JobOwner> {
  const owners = new Set<JobOwner>();
  queue.addOwners(owners);
  for (const w of workers) for (const job of w.inFlight) if (job.state === kDispatched) owners.add(job.owner);
  for (const job of dead) {
    if (job.state === kDispatched) owners.add(job.owner);
    cancelJob(job);
  }
  queue.clear();
  for (const w of workers) for (const job of w.inFlight.drain()) cancelJob(job);
  return owners;
}
