/**
 * The engine under `Pool` and `ProcessPoolExecutor`: it starts the workers,
 * queues jobs, hands them to workers and routes results back. Mirrors the
 * task, result and worker handler threads of `multiprocessing.pool.Pool` and
 * the manager thread of `concurrent.futures.ProcessPoolExecutor`, done on the
 * event loop instead of threads.
 *
 * Scheduling: one FIFO for the whole pool (job-queue.ts). A worker is given
 * jobs while it has fewer in flight than its `cap`; the cap adapts to the
 * measured job time, so a worker holds about 2 ms of work (1 job for long
 * jobs, up to 1024 for tiny ones; worker-slot.ts). Long jobs are then pulled
 * one at a time, as by Python's workers, while tiny jobs never wait for a
 * round trip. All the jobs a worker gets in one tick go in one message, and
 * its results come back batched the same way. Thread workers stuck on a long
 * job give back the jobs they hold (stealing.ts); a dead worker is handled
 * by worker-loss.ts. Workers are started, kept to the pool's size and
 * retired when idle by worker-set.ts, through the launcher it is given
 * (launcher.ts); messages from them are applied by worker-messages.ts.
 *
 * With `concurrency` above 1 each worker runs that many tasks at once, and
 * its cap is at least that many.
 */
import { CancelledError, StateError } from '@multiprocessing/core';
import { runtimeLogger, type TaskSpec } from '@multiprocessing/core/internal';
import type { StartMethod } from '@multiprocessing/process/internal';
import { Job, kCancelled, kDispatched, kPending } from './job.js';
import type { JobOwner, JobSource } from './job.js';
import { dropAll, JobQueue } from './job-queue.js';
import { FinalizerWatch } from './finalizer-watch.js';
import { launchPoolWorker, type WorkerEvents, type WorkerLauncher } from './launcher.js';
import type { PoolStats } from '../pool-stats.js';
import type { SchedulerOptions } from './scheduler-options.js';
import { PoolCounters } from './stats.js';
import { StallWatch, stalledWorkers, takeBackUnclaimed } from './stealing.js';
import { dispatchedJobsOf, TaskRegistry } from './task-registry.js';
import { abortJobs, endAbort, endAborts } from './task-talk.js';
import { routeWorkerMessage, type MessageHandlers } from './worker-messages.js';
import { WorkerLoss } from './worker-loss.js';
import { WorkerSet } from './worker-set.js';
import type { SlotContext, WorkerSlot } from './worker-slot.js';

export type { SchedulerOptions } from './scheduler-options.js';

const kRun = 0;
const kClose = 1;
const kTerminate = 2;

/** See the module header. */
export class Scheduler {
  readonly #opts: SchedulerOptions;
  #state = kRun;
  readonly #workers: WorkerSet;
  readonly #queue = new JobQueue();
  /** Sources out of the queue until they can make a job again (a buffered or maxQueue-bound imap). */
  readonly #parked = new Set<JobSource>();
  readonly #registry = new TaskRegistry();
  readonly #counters = new PoolCounters();
  readonly #loss: WorkerLoss;
  readonly #stalls: StallWatch;
  /** Times the workers' finalizers; undefined without a finalizer. */
  readonly #finalizers: FinalizerWatch | undefined;
  readonly #handlers: MessageHandlers;
  readonly #events: WorkerEvents = {
    message: (w, message) => {
      routeWorkerMessage(w, message, this.#handlers);
    },
    exit: (w, code, launchError) => {
      this.#onExit(w, code, launchError);
    },
  };
  #pumpScheduled = false;
  /** The time of the first enqueue since the last pump (one clock read per tick). */
  #tickNow = 0;
  #broken: Error | undefined = undefined;
  /** Called after each pump and when the pool ends (set only while a `drained()` waits). */
  afterPump: (() => void) | undefined = undefined;
  #allExited: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(opts: SchedulerOptions, launcher: WorkerLauncher = launchPoolWorker) {
    this.#opts = opts;
    const thread = opts.startMethod === 'thread';
    const slotContext: SlotContext = {
      registry: this.#registry,
      counters: this.#counters,
      movesBuffers: thread,
      abortGraceMs: opts.abortGraceMs ?? 0,
    };
    this.#loss = new WorkerLoss(opts.onWorkerLost, this.#queue, this.#counters, (cause, dead) => {
      this.#break(cause, dead);
    });
    this.#stalls = new StallWatch(thread, () => {
      this.#onStall();
    });
    const life = opts.lifecycle;
    this.#finalizers =
      life !== undefined && life.finalizer !== null ? new FinalizerWatch(life.finalizerTimeoutMs) : undefined;
    this.#handlers = {
      done: (w) => {
        if (w.inFlight.length === 0) w.setRef(this.#state !== kRun);
        this.#pump();
      },
      ready: () => {
        this.#loss.ready();
        // An elastic pool may have started it for work that waits, or for tasks held behind a long one.
        if (this.#workers.size.elastic || this.#queue.hasWork()) this.#schedulePump();
      },
      recycle: (w) => {
        this.#recycle(w);
      },
      abortOne: (job, error) => {
        this.abortJobs([job], error);
      },
      finalizers: this.#finalizers,
    };
    this.#workers = new WorkerSet(opts, launcher, slotContext, this.#events, this.#counters, () => {
      this.#reapIdle();
    });
    if (!opts.lazy) this.#workers.startMinimum();
  }

  get startMethod(): StartMethod {
    return this.#opts.startMethod;
  }

  /** True until close() or terminate(). */
  get running(): boolean {
    return this.#state === kRun;
  }

  /** True after terminate(). */
  get terminated(): boolean {
    return this.#state === kTerminate;
  }

  /**
   * Tasks submitted and not settled: queued (a source counting the tasks it
   * may still make) and on workers.
   */
  outstanding(): number {
    return this.#queue.queued() + this.#workers.inFlight();
  }

  /** The error that broke the pool, if it is broken (executor: the lost worker's; Pool: a BrokenPoolError). */
  get broken(): Error | undefined {
    return this.#broken;
  }

  /** The id under which workers know `task`; validates it on the caller's side. */
  fnId(task: unknown, argName: string): number {
    return this.#registry.fnId(task, argName);
  }

  /** The id under which workers know the task `spec` describes. */
  specId(spec: TaskSpec): number {
    return this.#registry.specId(spec);
  }

  newJobId(): number {
    return this.#registry.newJobId();
  }

  /** Queues a job or a source of jobs. */
  enqueue(entry: Job | JobSource): void {
    if (!this.#pumpScheduled) {
      this.#tickNow = performance.now();
      this.#schedulePump();
    }
    if (entry instanceof Job) entry.submittedAt = this.#tickNow;
    this.#queue.push(entry);
  }

  /** Takes a source out of the queue until {@link unpark}; it still fails with the pool. */
  park(source: JobSource): void {
    this.#parked.add(source);
  }

  /** Ends a {@link park}; `requeue`: it has jobs to make again. */
  unpark(source: JobSource, requeue: boolean): void {
    if (!this.#parked.delete(source)) return;
    if (requeue) this.enqueue(source);
    // After close(): with no parked source left, idle workers may stop.
    else if (this.#state === kClose) this.#schedulePump();
  }

  /** Drops a job that has not been handed to a worker; false if it has. */
  cancelPending(job: Job): boolean {
    if (job.state !== kPending) return job.state === kCancelled;
    job.state = kCancelled;
    return true;
  }

  /**
   * Ends jobs now: each fails with `error` at once. A pending one is
   * dropped; a dispatched one's worker is asked to abort it and is
   * terminated and replaced if it does not within the grace period (at once
   * without one); the other jobs of a terminated worker are requeued.
   */
  abortJobs(jobs: Iterable<Job>, error: Error): void {
    abortJobs(jobs, error, this.#counters);
    // The queue shrank: a drained() waiter may be due.
    if (this.afterPump !== undefined) this.#schedulePump();
  }

  /** The dispatched, unsettled jobs of `owner`. */
  dispatchedJobsOf(owner: JobOwner): Job[] {
    return dispatchedJobsOf(this.#workers.all, owner);
  }

  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    queueMicrotask(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    if (this.#state === kTerminate || this.#broken !== undefined) return;
    const now = performance.now();
    this.#ensureWorkers();
    if (this.#broken !== undefined) return;
    let more = true;
    outer: while (more) {
      more = false;
      for (const w of this.#workers.all) {
        if (!w.canTake(now, this.#opts.maxTasksPerChild)) continue;
        const job = this.#queue.take(now);
        if (job === undefined) break outer;
        this.#assign(w, job, now);
        more = true;
      }
    }
    for (const w of this.#workers.all) {
      if (w.outJobs.length === 0) continue;
      w.flush();
      // Every job of the batch may have failed to post.
      if (w.inFlight.length === 0) w.setRef(this.#state !== kRun);
    }
    this.#ensureWorkers();
    if (this.#broken !== undefined) return;
    this.#workers.stopRetired();
    this.#maybeStop();
    this.#stalls.watch(this.#workers.all, now, this.#opts.maxTasksPerChild);
    if (this.#workers.reaper !== undefined && this.#state === kRun)
      this.#workers.reaper.watch(this.#workers.all);
    this.afterPump?.();
  }

  /** The idle timer fired: workers idle too long above the minimum exit. */
  #reapIdle(): void {
    const reaper = this.#workers.reaper;
    if (reaper === undefined || this.#state !== kRun || this.#broken !== undefined) return;
    this.#workers.reapIdle(reaper);
  }

  #assign(w: WorkerSlot, job: Job, now: number): void {
    job.state = kDispatched;
    job.worker = w;
    job.dispatchedAt = now;
    const wait = now - job.submittedAt;
    this.#counters.waitTotal += wait;
    this.#counters.wait.record(wait);
    this.#counters.dispatched++;
    w.push(job, now);
    const max = this.#opts.maxTasksPerChild;
    if (max !== undefined && w.assigned >= max) {
      // Start its replacement now, so it is up when this one retires.
      w.retiring = true;
      if (this.#state !== kTerminate) this.#spawnReplacement();
    }
    job.owner.dispatched?.(job);
  }

  /** The stall check fired: take back the unclaimed jobs of stuck workers. */
  #onStall(): void {
    if (this.#state === kTerminate || this.#broken !== undefined) return;
    for (const w of stalledWorkers(this.#workers.all, performance.now())) {
      for (const job of takeBackUnclaimed(w)) {
        // An aborted job taken back no longer holds its worker back.
        if (w.aborting !== undefined) endAbort(w, job);
        this.#queue.requeue(job, this.#counters);
      }
    }
    this.#pump();
  }

  /**
   * `w`'s heap passed maxMemoryPerChild: it gets no more jobs, gives back
   * those it has not started (threads), and is replaced; it stops once the
   * jobs it still holds are done.
   */
  #recycle(w: WorkerSlot): void {
    if (w.retiring || this.#state === kTerminate || this.#broken !== undefined) return;
    w.retiring = true;
    for (const job of takeBackUnclaimed(w)) this.#queue.requeue(job, this.#counters);
    this.#spawnReplacement();
    this.#schedulePump();
  }

  #spawnReplacement(): void {
    if (this.#state === kTerminate || this.#broken !== undefined) return;
    if (this.#opts.lazy) {
      this.#schedulePump();
      return;
    }
    this.#ensureWorkers();
  }

  #ensureWorkers(): void {
    if (this.#state === kTerminate || this.#broken !== undefined) return;
    const steady = this.#state === kRun && !this.#loss.restartLazily;
    try {
      this.#workers.topUp(this.#queue, steady, this.#state === kRun);
    } catch (err) {
      // launch() refused (an entry file missing): no retry can succeed.
      this.#break(this.#loss.launchRefused(err));
    }
  }

  #onExit(w: WorkerSlot, code: number, launchError?: unknown): void {
    if (w.dead) return;
    runtimeLogger()?.debug(`cleaning up worker ${w.name} (exit code ${String(code)})`);
    endAborts(w);
    this.#workers.all.delete(w);
    this.#finalizers?.exited(w);
    const live = this.#state !== kTerminate && this.#broken === undefined;
    this.#loss.lost(w, code, live, launchError);
    if (this.#state !== kTerminate && this.#broken === undefined) this.#pump();
    this.#checkAllExited();
  }

  /**
   * The pool breaks (the executor on a dead worker, the Pool after workers
   * failed to start): every outstanding call fails (those of `dead`, the jobs
   * of the worker that died, included), every worker is terminated, and no
   * worker starts again.
   */
  #break(cause: Error, dead: readonly Job[] = []): void {
    if (this.#broken !== undefined) return;
    this.#broken = cause;
    const make = this.#opts.brokenError ?? ((c: Error) => c);
    this.#endAll(() => make(cause), dead, false);
    this.afterPump?.();
  }

  /**
   * Every outstanding call (those of `dead` included) fails with `error()`,
   * nothing is left to run, and every worker is ended (SIGKILL with `kill`).
   */
  #endAll(error: () => Error, dead: readonly Job[], kill: boolean): void {
    const owners = dropAll(this.#queue, this.#workers.all, dead);
    for (const source of this.#parked) owners.add(source.owner);
    this.#parked.clear();
    this.#stalls.cancel();
    this.#workers.reaper?.cancel();
    for (const owner of owners) owner.fail(error());
    this.#workers.end(kill);
  }

  /** After close(): idle workers stop once no work is left. */
  #maybeStop(): void {
    // A parked source (an imap waiting for its async input or for room) has work to come.
    if (this.#state !== kClose || this.#queue.hasWork() || this.#parked.size > 0) return;
    this.#workers.stopIdle();
  }

  #checkAllExited(): void {
    if (this.#state === kRun && this.#broken === undefined) return;
    if (this.#workers.all.size > 0) return;
    if (this.#state === kClose && (this.#queue.hasWork() || this.#parked.size > 0)) return;
    this.#allExited?.resolve();
  }

  /** Stops taking work; workers exit once the queued work is done (Python's `close`). */
  close(): void {
    if (this.#state !== kRun) return;
    this.#state = kClose;
    this.#workers.reaper?.cancel();
    this.#workers.setRef(true);
    this.#pump();
    this.#checkAllExited();
  }

  /**
   * Ends every worker now (SIGTERM semantics, or SIGKILL with `kill`);
   * outstanding calls fail with `error()`.
   */
  terminate(
    error: () => Error = () => new CancelledError('Pool was terminated before the task completed'),
    kill = false,
  ): Promise<void> {
    if (this.#state !== kTerminate) {
      this.#state = kTerminate;
      this.#endAll(error, [], kill);
    }
    return this.join();
  }

  /** Resolves once every worker has exited (after close() or terminate()). */
  join(): Promise<void> {
    if (this.#state === kRun && this.#broken === undefined) {
      return Promise.reject(new StateError('Pool is still running'));
    }
    this.#allExited ??= withResolvers();
    this.#checkAllExited();
    return this.#allExited.promise;
  }

  stats(): PoolStats {
    return this.#counters.snapshot(
      Array.from(this.#workers.all, (w) => w.inFlight.length),
      this.#queue.queued(),
      this.#workers.size.minProcesses,
      this.#opts.processes,
    );
  }
}

function withResolvers(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
