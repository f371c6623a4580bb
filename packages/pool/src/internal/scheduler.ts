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
 * by worker-loss.ts. Workers are started by the launcher it is given
 * (launcher.ts).
 *
 * Sizing: a Pool keeps `processes` workers from its construction on, as
 * Python's does. An elastic one (`minProcesses` below `processes`, and the
 * executor) keeps `minProcesses` and starts more, up to `processes`, while
 * work waits that no live worker can take; workers above the minimum
 * retire after `idleTimeout` without a task (pool-size.ts, idle-reaper.ts).
 *
 * With `concurrency` above 1 each worker runs that many tasks at once, and
 * its cap is at least that many.
 */
import type { ResourceLimits } from 'node:worker_threads';
import { CancelledError, StateError } from '@multiprocessing/core';
import { deserializeError, type TaskSpec } from '@multiprocessing/core/internal';
import type { StartMethod } from '@multiprocessing/process/internal';
import { Job, kCancelled, kDispatched, kPending, settleJob } from './job.js';
import type { JobOwner, JobSource } from './job.js';
import { dropAll, JobQueue } from './job-queue.js';
import { FinalizerWatch } from './finalizer-watch.js';
import type { WorkerLifecycle } from './lifecycle-options.js';
import { launchPoolWorker, startWorker, type WorkerEvents, type WorkerLauncher } from './launcher.js';
import type { OutputSink } from './output-lines.js';
import { isPoolMessage, type FromWorker } from './protocol.js';
import type { PoolStats } from '../pool-stats.js';
import { PoolCounters } from './stats.js';
import { StallWatch, stalledWorkers, takeBackUnclaimed } from './stealing.js';
import { receiveItems } from './stream-call.js';
import { dispatchedJobsOf, TaskRegistry } from './task-registry.js';
import { IdleReaper } from './idle-reaper.js';
import { countsTowardsSize, workersWanted, type SizePolicy } from './pool-size.js';
import { abortOnWorker, deliverEvents, endAbort, endAborts } from './task-talk.js';
import { WorkerLoss, type OnWorkerLost } from './worker-loss.js';
import type { SlotContext, WorkerSlot } from './worker-slot.js';

/** What a scheduler is made with. */
export interface SchedulerOptions {
  readonly processes: number;
  readonly startMethod: StartMethod;
  readonly initializer: TaskSpec | null;
  readonly initArgs: readonly unknown[];
  readonly initArgsPostable: boolean;
  readonly maxTasksPerChild: number | undefined;
  readonly resourceLimits: ResourceLimits | undefined;
  /** `heal` replaces a dead worker and fails only its task; `break` fails everything. */
  readonly onWorkerLost: OnWorkerLost;
  /** Start workers only when work needs them (executor), not all at once (Pool). */
  readonly lazy: boolean;
  /**
   * Workers kept alive; more start when work waits, up to `processes`.
   * @default `processes`, or 0 when `lazy`
   */
  readonly minProcesses?: number;
  /** A worker above `minProcesses` idle this long (ms) exits. @default undefined (never) */
  readonly idleTimeoutMs?: number;
  /**
   * Let a worker hold its next task while one runs (threads only). The
   * executor does not, so `running()` means a worker has started the call.
   */
  readonly prefetch: boolean;
  /** Error for every outstanding call when the pool breaks (executor). */
  readonly brokenError?: (cause: Error) => Error;
  /** Finalizer, maxMemoryPerChild, env, argv, execArgv, workerData; undefined: none set. */
  readonly lifecycle?: WorkerLifecycle | undefined;
  /**
   * How long (ms) a worker asked to abort a task (a timeout, an abort) has
   * to stop it before it is terminated and replaced. @default 0 (at once)
   */
  readonly abortGraceMs?: number;
  /** Tasks each worker runs at once (concurrentTasksPerWorker). @default 1 */
  readonly concurrency?: number;
  /** Where each line of the workers' output goes (captureOutput); undefined: to ours, as is. */
  readonly output?: OutputSink | undefined;
}

const kRun = 0;
const kClose = 1;
const kTerminate = 2;

/** See the module header. */
export class Scheduler {
  readonly #opts: SchedulerOptions;
  readonly #launch: WorkerLauncher;
  #state = kRun;
  // Invariant: `#workers` holds every live worker (not yet seen exiting).
  readonly #workers = new Set<WorkerSlot>();
  readonly #queue = new JobQueue();
  /** Sources out of the queue until they can make a job again (a buffered or maxQueue-bound imap). */
  readonly #parked = new Set<JobSource>();
  readonly #registry = new TaskRegistry();
  readonly #counters = new PoolCounters();
  readonly #slotContext: SlotContext;
  readonly #loss: WorkerLoss;
  readonly #stalls: StallWatch;
  /** Times the workers' finalizers; undefined without a finalizer. */
  readonly #finalizers: FinalizerWatch | undefined;
  readonly #events: WorkerEvents = {
    message: (w, message) => {
      this.#onMessage(w, message);
    },
    exit: (w, code, launchError) => {
      this.#onExit(w, code, launchError);
    },
  };
  readonly #abortOne = (job: Job, error: Error): void => {
    this.abortJobs([job], error);
  };
  #pumpScheduled = false;
  /** The time of the first enqueue since the last pump (one clock read per tick). */
  #tickNow = 0;
  #broken: Error | undefined = undefined;
  /** Called after each pump and when the pool ends (set only while a `drained()` waits). */
  afterPump: (() => void) | undefined = undefined;
  #allExited: { promise: Promise<void>; resolve: () => void } | undefined;
  readonly #size: SizePolicy;
  readonly #reaper: IdleReaper | undefined;

  constructor(opts: SchedulerOptions, launcher: WorkerLauncher = launchPoolWorker) {
    this.#opts = opts;
    this.#launch = launcher;
    const thread = opts.startMethod === 'thread';
    this.#slotContext = {
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
    const minProcesses = opts.minProcesses ?? (opts.lazy ? 0 : opts.processes);
    const elastic = opts.lazy || minProcesses < opts.processes;
    this.#size = {
      processes: opts.processes,
      minProcesses,
      elastic,
      lazy: opts.lazy,
      maxTasksPerChild: opts.maxTasksPerChild,
    };
    this.#reaper =
      elastic && opts.idleTimeoutMs !== undefined
        ? new IdleReaper(opts.idleTimeoutMs, minProcesses, () => {
            this.#reapIdle();
          })
        : undefined;
    if (!opts.lazy) {
      const started: WorkerSlot[] = [];
      try {
        for (let i = 0; i < minProcesses; i++) started.push(this.#spawn());
      } catch (err) {
        // As Python: the workers already started are terminated, the error propagates.
        for (const w of started) w.launched.terminate();
        throw err;
      }
    }
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
    let n = this.#queue.queued();
    for (const w of this.#workers) n += w.inFlight.length;
    return n;
  }

  /** The error that broke the pool, if it is broken (executor: the lost worker's; Pool: a BrokenPoolError). */
  get broken(): Error | undefined {
    return this.#broken;
  }

  /** The id under which workers know `task`; validates it on the caller's side. */
  fnId(task: unknown, argName: string): number {
    return this.#registry.fnId(task, argName);
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
    for (const job of jobs) {
      if (job.state === kPending) {
        job.state = kCancelled;
        continue;
      }
      const w = job.worker;
      if (job.state !== kDispatched || w === undefined) continue;
      settleJob(job, false, error, this.#counters);
      abortOnWorker(w, job, error);
    }
    // The queue shrank: a drained() waiter may be due.
    if (this.afterPump !== undefined) this.#schedulePump();
  }

  /** The dispatched, unsettled jobs of `owner`. */
  dispatchedJobsOf(owner: JobOwner): Job[] {
    return dispatchedJobsOf(this.#workers, owner);
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
      for (const w of this.#workers) {
        if (!w.canTake(now, this.#opts.maxTasksPerChild)) continue;
        const job = this.#queue.take(now);
        if (job === undefined) break outer;
        this.#assign(w, job, now);
        more = true;
      }
    }
    for (const w of this.#workers) {
      if (w.outJobs.length === 0) continue;
      w.flush();
      // Every job of the batch may have failed to post.
      if (w.inFlight.length === 0) w.setRef(this.#state !== kRun);
    }
    this.#ensureWorkers();
    if (this.#broken !== undefined) return;
    for (const w of this.#workers) {
      // Retired workers (maxTasksPerChild) stop once their last result is in.
      if (w.retiring && !w.stopSent && w.inFlight.length === 0) w.stop();
    }
    this.#maybeStop();
    this.#stalls.watch(this.#workers, now, this.#opts.maxTasksPerChild);
    if (this.#reaper !== undefined && this.#state === kRun) this.#reaper.watch(this.#workers);
    this.afterPump?.();
  }

  /** The idle timer fired: workers idle too long above the minimum exit. */
  #reapIdle(): void {
    const reaper = this.#reaper;
    if (reaper === undefined || this.#state !== kRun || this.#broken !== undefined) return;
    for (const w of reaper.expired(this.#workers, performance.now())) {
      // It holds no task and gets none from now on; its exit is not a loss.
      w.retiring = true;
      w.stop();
    }
    reaper.watch(this.#workers);
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
    for (const w of stalledWorkers(this.#workers, performance.now())) {
      for (const job of takeBackUnclaimed(w)) {
        // An aborted job taken back no longer holds its worker back.
        if (w.aborting !== undefined) endAbort(w, job);
        this.#queue.requeue(job, this.#counters);
      }
    }
    this.#pump();
  }

  #onMessage(w: WorkerSlot, message: unknown): void {
    if (w.dead || !isPoolMessage(message)) return;
    const msg = message as FromWorker;
    switch (msg[1]) {
      case 'done':
        w.receive(msg[2], performance.now());
        if (w.inFlight.length === 0) w.setRef(this.#state !== kRun);
        this.#pump();
        break;
      case 'event':
        deliverEvents(w, msg[2]);
        break;
      case 'items':
        receiveItems(w, msg);
        break;
      case 'start':
        // A task with a timeout started: its clock runs from now.
        w.startClock(msg[2], this.#abortOne);
        break;
      case 'ready':
        w.ready = true;
        // The stall clock (or, idle, the idle clock) starts when it can run tasks, not when it was sent them.
        w.lastDoneAt = performance.now();
        this.#loss.ready();
        // An elastic pool may have started it for work that waits, or for tasks held behind a long one.
        if (this.#size.elastic || this.#queue.hasWork()) this.#schedulePump();
        break;
      case 'init-error':
        w.initError = deserializeError(msg[2]);
        break;
      case 'recycle':
        this.#recycle(w);
        break;
      case 'finalizing':
        this.#finalizers?.started(w);
        break;
      case 'finalizer-error':
        this.#finalizers?.failed(w, msg[2]);
        break;
    }
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

  #spawn(): WorkerSlot {
    const w = startWorker(this.#launch, this.#opts, this.#slotContext, this.#events);
    this.#counters.started++;
    this.#workers.add(w);
    if (this.#state === kRun) w.setRef(false);
    return w;
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
    let active = 0;
    for (const w of this.#workers) if (countsTowardsSize(w)) active++;
    const steady = this.#state === kRun && !this.#loss.restartLazily;
    const want = workersWanted(this.#size, this.#workers, this.#queue, active, steady);
    for (let i = active; i < want; i++) {
      try {
        this.#spawn();
      } catch (err) {
        // launch() refused (an entry file missing): no retry can succeed.
        this.#break(this.#loss.launchRefused(err));
        return;
      }
    }
  }

  #onExit(w: WorkerSlot, code: number, launchError?: unknown): void {
    if (w.dead) return;
    endAborts(w);
    this.#workers.delete(w);
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
    const owners = dropAll(this.#queue, this.#workers, dead);
    for (const source of this.#parked) owners.add(source.owner);
    this.#parked.clear();
    this.#stalls.cancel();
    this.#reaper?.cancel();
    const make = this.#opts.brokenError ?? ((c: Error) => c);
    for (const owner of owners) owner.fail(make(cause));
    for (const w of this.#workers) {
      w.setRef(true);
      w.launched.terminate();
    }
    this.afterPump?.();
  }

  /** After close(): idle workers stop once no work is left. */
  #maybeStop(): void {
    // A parked source (an imap waiting for its async input or for room) has work to come.
    if (this.#state !== kClose || this.#queue.hasWork() || this.#parked.size > 0) return;
    for (const w of this.#workers) {
      if (w.inFlight.length === 0 && !w.stopSent) {
        w.retiring = true;
        w.stop();
      }
    }
  }

  #checkAllExited(): void {
    if (this.#state === kRun && this.#broken === undefined) return;
    if (this.#workers.size > 0) return;
    if (this.#state === kClose && (this.#queue.hasWork() || this.#parked.size > 0)) return;
    this.#allExited?.resolve();
  }

  /** Stops taking work; workers exit once the queued work is done (Python's `close`). */
  close(): void {
    if (this.#state !== kRun) return;
    this.#state = kClose;
    this.#reaper?.cancel();
    for (const w of this.#workers) w.setRef(true);
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
      const owners = dropAll(this.#queue, this.#workers, []);
      for (const source of this.#parked) owners.add(source.owner);
      this.#parked.clear();
      this.#stalls.cancel();
      this.#reaper?.cancel();
      for (const owner of owners) owner.fail(error());
      for (const w of this.#workers) {
        w.setRef(true);
        if (kill) w.launched.kill();
        else w.launched.terminate();
      }
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
      Array.from(this.#workers, (w) => w.inFlight.length),
      this.#queue.queued(),
      this.#size.minProcesses,
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
