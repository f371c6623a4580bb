/**
 * One pool worker as the parent sees it: the jobs it holds, its outbox (all
 * the jobs it is given in one tick go in one message), the results it sends
 * back, and its adaptive cap. The parent's half of the pipes behind
 * `multiprocessing.pool`'s `_inqueue` / `_outqueue`, one pair per worker.
 */
import type { Transferable } from 'node:worker_threads';
import { PicklingError, ProcessError, TimeoutError } from '@multiprocessing/core';
import {
  deserializeError,
  fromPostable,
  startTimer,
  type SerializedError,
  type Timer,
} from '@multiprocessing/core/internal';
import type { Launched } from '@multiprocessing/process/internal';
import { Deque } from './deque.js';
import { clearJobTimer, kDispatched, settleJob, type Job } from './job.js';
import { kFailed, kOkPacked, kOkPostable, kPoolMessage, kResultStride, type RunMessage } from './protocol.js';
import type { PoolCounters } from './stats.js';
import { inFlightJob, type TaskRegistry } from './task-registry.js';
import { endAbort } from './task-talk.js';

/** How much work (in ms) a worker should hold, to size its cap. */
export const kWindowMs = 2;
export const kMaxCap = 1024;
/** A worker with no result for this long is stalled: no more work, and (threads) its queue is taken back. */
export const kStallMs = 5;

/** What every worker of one pool shares (given once, at construction). */
export interface SlotContext {
  readonly registry: TaskRegistry;
  readonly counters: PoolCounters;
  /** Thread start method: transfer lists move buffers into the worker. */
  readonly movesBuffers: boolean;
  /**
   * How long (ms) a worker asked to abort a task has to stop it before it is
   * terminated; 0 terminates it at once.
   */
  readonly abortGraceMs: number;
}

/** One worker as the scheduler sees it. */
export class WorkerSlot {
  // Invariant: inFlight holds every job handed to this worker whose result
  // has not arrived, in the order they were (or will be) sent; the last
  // outJobs.length of them are in the outbox, not posted yet.
  readonly inFlight = new Deque<Job>();
  outbox: unknown[] = [];
  outJobs: Job[] = [];
  outTransfer: Set<Transferable> | undefined = undefined;
  /** Functions whose definition was posted to it. */
  readonly knownFns = new Set<number>();
  /** Tasks posted so far (the last sequence number used). */
  sent = 0;
  /** Jobs handed to it in total (for maxTasksPerChild). */
  assigned = 0;
  /** Mean ms per job (EWMA), undefined until measured. */
  avgMs: number | undefined = undefined;
  lastDoneAt = 0;
  ready = false;
  /** No more jobs: it reached maxTasksPerChild, or the pool is closing. */
  retiring = false;
  stopSent = false;
  dead = false;
  refed = true;
  /**
   * The stream job it was last handed (Pool.stream): while it holds it, it
   * takes no other job, so none waits behind a stream its consumer reads
   * slowly. Set by the stream call on dispatch; stale once the job settles.
   */
  stream: Job | undefined = undefined;
  /** Jobs whose failure the parent caused by terminating it (timeout, abort). */
  blame: Map<Job, Error> | undefined = undefined;
  /**
   * Jobs it was asked to abort (already settled for their callers) whose
   * result has not come back yet, each with the timer of its grace period.
   * While any is here it gets no new job; undefined when none.
   */
  aborting: Map<Job, Timer> | undefined = undefined;
  initError: Error | undefined = undefined;

  constructor(
    readonly launched: Launched,
    /** The progress slots shared with it (threads; see WorkerData.progress). */
    readonly progress: Int32Array | undefined,
    /** Hold the next task while one runs (threads, where stealing can take it back). */
    readonly prefetch: boolean,
    readonly context: SlotContext,
    /**
     * Tasks it runs at once (`concurrentTasksPerWorker`). Above 1, its
     * results come in the order its tasks finish.
     */
    readonly slots = 1,
  ) {}

  get name(): string {
    return this.launched.name;
  }

  /**
   * Jobs it may hold: about kWindowMs of work at its measured pace. Under
   * threads, at least 2 (the next task waits in the worker, so it never idles
   * for a round trip; work stealing takes it back if another worker goes
   * idle meanwhile); under processes, 1 for long tasks, as Python's workers
   * pull one task at a time. With `slots` above 1, that many more (less one).
   */
  cap(): number {
    const min = this.prefetch ? this.slots + 1 : this.slots;
    if (this.avgMs === undefined) return min;
    if (this.avgMs <= 0) return Math.max(min, kMaxCap);
    return Math.max(min, Math.min(kMaxCap, Math.floor(kWindowMs / this.avgMs)));
  }

  /**
   * True when it can be given one more job now: it is up for work, below
   * its cap and `maxTasks`, and not stuck on long tasks (kStallMs) while
   * all its slots are taken.
   */
  canTake(now: number, maxTasks: number | undefined): boolean {
    if (
      this.dead ||
      this.retiring ||
      this.blame !== undefined ||
      this.aborting !== undefined ||
      this.initError !== undefined
    )
      return false;
    const stream = this.stream;
    if (stream !== undefined) {
      if (stream.worker === this && stream.state === kDispatched) return false;
      this.stream = undefined;
    }
    const n = this.inFlight.length;
    if (n >= this.cap()) return false;
    // A worker whose current tasks run long gets nothing more for now.
    if (n >= this.slots && now - this.lastDoneAt > kStallMs) return false;
    return maxTasks === undefined || this.assigned < maxTasks;
  }

  /** Ends the job it was terminated for with `error` once it exits (a timeout, an abort). */
  blameFor(job: Job, error: Error): void {
    this.blame ??= new Map();
    this.blame.set(job, error);
    this.launched.terminate();
  }

  /**
   * Job `jobId` reported its start (it has a run-time limit): if it still
   * runs when the limit is up, `abort` fails it with TimeoutError.
   */
  startClock(jobId: number, index: number, abort: (job: Job, error: Error) => void): void {
    const job = inFlightJob(this, jobId);
    if (job?.state !== kDispatched) return;
    job.owner.started?.(job, index);
    const ms = job.owner.timeoutMs;
    if (ms === undefined) return;
    clearJobTimer(job);
    job.timer = startTimer(ms, () => {
      job.timer = undefined;
      if (job.state !== kDispatched) return;
      const what =
        this.context.abortGraceMs === 0
          ? 'was terminated and replaced'
          : `was asked to stop it (abortGracePeriod ${String(this.context.abortGraceMs / 1000)} s)`;
      abort(
        job,
        new TimeoutError(`Task timed out after ${String(ms / 1000)} s; its worker ${this.name} ${what}`),
      );
    });
  }

  /** True when posting `job` moved buffers into this worker (they cannot be sent again). */
  moved(job: Job): boolean {
    return job.transfer !== undefined && job.seq > 0 && this.context.movesBuffers;
  }

  /** Puts `job` in the outbox (posted by the next {@link flush}); it now holds it. */
  push(job: Job, now: number): void {
    this.outbox.push(job.id, job.fnId, job.mode, job.payload);
    this.outJobs.push(job);
    if (job.transfer !== undefined && job.transfer.length > 0 && this.context.movesBuffers) {
      this.outTransfer ??= new Set();
      for (const t of job.transfer) this.outTransfer.add(t);
    }
    if (this.inFlight.length === 0) {
      this.lastDoneAt = now;
      this.setRef(true);
    }
    this.inFlight.push(job);
    this.assigned++;
  }

  /**
   * Posts the outbox in one message. A job that cannot be posted (its
   * arguments do not clone) fails with PicklingError and leaves inFlight.
   */
  flush(): void {
    const jobs = this.outJobs;
    const tasks = this.outbox;
    const transfer = this.outTransfer;
    this.outJobs = [];
    this.outbox = [];
    this.outTransfer = undefined;
    if (this.dead || this.launched.exitcode !== null) return; // the exit handler requeues them
    const defs = this.context.registry.defsFor(this.knownFns, jobs);
    const message: RunMessage = [kPoolMessage, 'run', defs, tasks];
    try {
      this.launched.postMessage(message, transfer === undefined ? undefined : [...transfer]);
      for (const job of jobs) job.seq = ++this.sent;
    } catch (err) {
      if (defs !== null) for (const [id] of defs) this.knownFns.delete(id);
      this.#flushOneByOne(jobs, err);
    }
  }

  /** A batch could not be posted: post each job alone and fail the ones that cannot go. */
  #flushOneByOne(jobs: readonly Job[], batchError: unknown): void {
    for (const job of jobs) {
      const defs = this.context.registry.defsFor(this.knownFns, [job]);
      const transfer =
        job.transfer !== undefined && this.context.movesBuffers ? [...job.transfer] : undefined;
      try {
        this.launched.postMessage(
          [kPoolMessage, 'run', defs, [job.id, job.fnId, job.mode, job.payload]] satisfies RunMessage,
          transfer,
        );
        job.seq = ++this.sent;
      } catch (err) {
        if (defs !== null) for (const [id] of defs) this.knownFns.delete(id);
        this.inFlight.remove(job);
        const cause = err ?? batchError;
        const message = cause instanceof Error ? cause.message : String(cause);
        const error = new PicklingError(`a task's arguments cannot be sent to a worker: ${message}`, {
          cause,
        });
        settleJob(job, false, error, this.context.counters);
      }
    }
  }

  /**
   * Settles the jobs of a `done` message (results in the order the tasks
   * were sent, or finished when `slots` is above 1) and updates its pace.
   * With one slot, a job the worker skipped over (a protocol fault: results
   * come in task order) fails with ProcessError rather than wait for ever.
   */
  receive(results: unknown[], now: number): void {
    const counters = this.context.counters;
    const count = results.length / kResultStride;
    // Service time per job: since the previous result if the worker was busy
    // all along, else since the first of these jobs was dispatched.
    const first = this.inFlight.peek();
    const since =
      first !== undefined && first.dispatchedAt > this.lastDoneAt ? first.dispatchedAt : this.lastDoneAt;
    const sample = (now - since) / count;
    this.avgMs = this.avgMs === undefined ? sample : this.avgMs * 0.7 + sample * 0.3;
    this.lastDoneAt = now;
    for (let i = 0; i < results.length; i += kResultStride) {
      const jobId = results[i] as number;
      const head = this.inFlight.peek();
      if (head === undefined) break;
      let job: Job | undefined = head;
      if (head.id === jobId) {
        this.inFlight.shift();
      } else {
        job = this.slots > 1 ? inFlightJob(this, jobId) : this.#skipTo(jobId);
        if (job === undefined) continue; // a result for no job it holds: ignored
        if (this.slots > 1) this.inFlight.remove(job);
        else this.inFlight.shift();
      }
      if (this.aborting !== undefined) endAbort(this, job);
      const ran = now - job.dispatchedAt;
      counters.runTotal += ran;
      counters.run.record(ran);
      const status = results[i + 1] as number;
      const value = results[i + 2];
      if (status === kFailed) {
        settleJob(job, false, deserializeError(value as SerializedError), counters);
      } else if (status === kOkPacked) {
        // A chunk's numbers: an array-like the calls read by index.
        settleJob(job, true, value, counters);
      } else {
        let out = value;
        if (status === kOkPostable) {
          try {
            out = fromPostable(value);
          } catch (err) {
            settleJob(job, false, err, counters);
            continue;
          }
        }
        settleJob(job, true, out, counters);
      }
    }
  }

  /**
   * A result arrived for `jobId`, not for the first job it holds. If it
   * holds `jobId`, the jobs before it will get no result: they fail, and
   * the job of `jobId` (now first) is returned. Else undefined.
   */
  #skipTo(jobId: number): Job | undefined {
    let found: Job | undefined;
    for (const job of this.inFlight) {
      if (job.id === jobId) {
        found = job;
        break;
      }
    }
    if (found === undefined) return undefined;
    for (let job = this.inFlight.peek(); job !== undefined && job !== found; job = this.inFlight.peek()) {
      this.inFlight.shift();
      if (this.aborting !== undefined) endAbort(this, job);
      const error = new ProcessError(
        `Worker ${this.name} sent the result of a later task first; this task got no result (a pool protocol fault)`,
      );
      settleJob(job, false, error, this.context.counters);
    }
    return found;
  }

  /** Asks it to exit once its queued tasks are done (terminates it if it cannot be asked). */
  stop(): void {
    this.stopSent = true;
    try {
      this.launched.postMessage([kPoolMessage, 'stop']);
    } catch {
      this.launched.terminate();
    }
  }

  /** Whether it keeps the parent's event loop alive. */
  setRef(ref: boolean): void {
    if (this.refed === ref || this.dead) return;
    this.refed = ref;
    if (ref) this.launched.ref();
    else this.launched.unref();
  }
}
