/**
 * The engine under `Pool` and `ProcessPoolExecutor`: it starts the workers,
 * queues jobs, hands them to workers and routes results back. Mirrors the
 * task, result and worker handler threads of `multiprocessing.pool.Pool` and
 * the manager thread of `concurrent.futures.ProcessPoolExecutor`, done on the
 * event loop instead of threads.
 *
 * Scheduling: one FIFO for the whole pool. A worker is given jobs while it
 * has fewer in flight than its `cap`; the cap adapts to the measured job
 * time, so a worker holds about a millisecond of work (1 job for long jobs,
 * up to 1024 for tiny ones). Long jobs are then pulled one at a time, as by
 * Python's workers, while tiny jobs never wait for a round trip. All the jobs
 * a worker gets in one tick go in one message, and its results come back
 * batched the same way.
 *
 * A dead worker: its running job fails (`heal` mode, the Pool) or the whole
 * pool breaks (`break` mode, the executor); jobs it had not started go back
 * to the front of the queue, and a replacement starts. A worker that dies
 * before it is ready breaks the executor, and the Pool after a few such
 * failures in a row (start-failures.ts).
 */
import type { ResourceLimits, Transferable } from 'node:worker_threads';
import {
  CancelledError,
  deserializeError,
  fromPostable,
  PicklingError,
  StateError,
  TimeoutError,
  taskKey,
  toTaskSpec,
  WorkerLostError,
  type SerializedError,
  type TaskSpec,
} from '@multiprocessing/core';
import { launch, type Launched, type StartMethod } from '@multiprocessing/process/internal';
import { Deque } from './deque.js';
import { asError, launchFailure, StartFailures, startExitError } from './start-failures.js';
import { poolWorkerEntry } from './entry-path.js';
import {
  isPoolMessage,
  kClaimSlot,
  kFailed,
  kOkPacked,
  kOkPostable,
  kPoolMessage,
  kProgressSlots,
  kResultStride,
  kRunningSlot,
  type FromWorker,
  type RunMessage,
  type WorkerData,
} from './protocol.js';

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
}

/** Job states. */
export const kPending = 0;
export const kDispatched = 1;
export const kSettled = 2;
export const kCancelled = 3;

/** One unit of work for one worker: a single call, or a chunk of a map. */
export class Job {
  state = kPending;
  /** The worker it was handed to (while dispatched). */
  worker: WorkerSlot | undefined = undefined;
  /** Its sequence number in that worker's stream of tasks (1-based). */
  seq = 0;
  submittedAt = 0;
  dispatchedAt = 0;
  timer: NodeJS.Timeout | undefined = undefined;
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
  readonly onWorkerLost: 'heal' | 'break';
  /** Start workers only when work needs them (executor), not all at once (Pool). */
  readonly lazy: boolean;
  /**
   * Let a worker hold its next task while one runs (threads only). The
   * executor does not, so `running()` means a worker has started the call.
   */
  readonly prefetch: boolean;
  /** Error for every outstanding call when the pool breaks (executor). */
  readonly brokenError?: (cause: Error) => Error;
}

/** `pool.stats()`. */
export interface PoolStats {
  /** Live workers (including ones starting). */
  readonly workers: number;
  /** Workers with at least one task in flight. */
  readonly busy: number;
  /** Workers with nothing in flight. */
  readonly idle: number;
  /** Tasks (a map chunk counts as one) waiting for a worker. */
  readonly queued: number;
  /** Tasks that finished with a result. */
  readonly completed: number;
  /** Tasks that failed (error, timeout, dead worker). */
  readonly failed: number;
  /** Mean time from a task's submission to its dispatch to a worker, in ms. */
  readonly meanWaitTimeMs: number;
  /** Mean time from dispatch to result, as seen by the pool, in ms. */
  readonly meanRunTimeMs: number;
  /** Workers started since the pool was made (replacements included). */
  readonly workersStarted: number;
}

const kRun = 0;
const kClose = 1;
const kTerminate = 2;

/** How much work (in ms) a worker should hold, to size its cap. */
const kWindowMs = 2;
const kMaxCap = 1024;
/** A worker with no result for this long is stalled: no more work, and (threads) its queue is taken back. */
const kStallMs = 5;

let workerCounter = 0;

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
  /** Jobs whose failure the parent caused by terminating it (timeout, abort). */
  blame: Map<Job, Error> | undefined = undefined;
  initError: Error | undefined = undefined;

  constructor(
    readonly launched: Launched,
    readonly progress: Int32Array | undefined,
    /** Hold the next task while one runs (threads, where stealing can take it back). */
    readonly prefetch: boolean,
  ) {}

  get name(): string {
    return this.launched.name;
  }

  /**
   * Jobs it may hold: about kWindowMs of work at its measured pace. Under
   * threads, at least 2 (the next task waits in the worker, so it never idles
   * for a round trip; work stealing takes it back if another worker goes
   * idle meanwhile); under processes, 1 for long tasks, as Python's workers
   * pull one task at a time.
   */
  cap(): number {
    const min = this.prefetch ? 2 : 1;
    if (this.avgMs === undefined) return min;
    if (this.avgMs <= 0) return kMaxCap;
    return Math.max(min, Math.min(kMaxCap, Math.floor(kWindowMs / this.avgMs)));
  }
}

/** See the module header. */
export class Scheduler {
  readonly #opts: SchedulerOptions;
  #state = kRun;
  // Invariant: `#workers` holds every live worker (not yet seen exiting).
  readonly #workers = new Set<WorkerSlot>();
  // Invariant: jobs waiting for a worker: `#retry` first (jobs a dead worker
  // had not started, in their original order), then `#queue` in submission
  // order. Entries whose job or owner has finished are skipped when taken.
  readonly #retry = new Deque<Job>();
  readonly #queue = new Deque<Job | JobSource>();
  #pumpScheduled = false;
  /** The time of the first enqueue since the last pump (one clock read per tick). */
  #tickNow = 0;
  #nextJobId = 1;
  // Function registry: id → spec, and caches to find the id of a task.
  readonly #fnSpecs: TaskSpec[] = [];
  readonly #fnIds = new Map<string, number>();
  readonly #fnByObject = new WeakMap<object, number>();
  readonly #fnBySource = new Map<string, number>();
  // Counters for stats().
  #completed = 0;
  #failed = 0;
  #waitTotal = 0;
  #runTotal = 0;
  #dispatchedCount = 0;
  #settledCount = 0;
  #started = 0;
  #broken: Error | undefined = undefined;
  #allExited: { promise: Promise<void>; resolve: () => void } | undefined;
  /** Set after a worker failed to start: start a replacement only when work waits. */
  #initFailing = false;
  readonly #startFailures = new StartFailures();
  #stallTimer: NodeJS.Timeout | undefined = undefined;

  constructor(opts: SchedulerOptions) {
    this.#opts = opts;
    if (!opts.lazy) {
      const started: WorkerSlot[] = [];
      try {
        for (let i = 0; i < opts.processes; i++) started.push(this.#spawn());
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

  /** The error that broke the pool, if it is broken (executor: the lost worker's; Pool: a BrokenPoolError). */
  get broken(): Error | undefined {
    return this.#broken;
  }

  /** The id under which workers know `task`; validates it on the caller's side. */
  fnId(task: unknown, argName: string): number {
    const isObject = typeof task === 'object' && task !== null;
    if (isObject) {
      const known = this.#fnByObject.get(task);
      if (known !== undefined) return known;
    }
    let source: string | undefined;
    if (typeof task === 'function') {
      // A new arrow per call (`pool.apply((x) => x * x, [i])` in a loop) has
      // the same source each time: check and register it once.
      source = Function.prototype.toString.call(task);
      const known = this.#fnBySource.get(source);
      if (known !== undefined) return known;
    }
    const spec = toTaskSpec(task, argName);
    const key = taskKey(spec);
    let id = this.#fnIds.get(key);
    if (id === undefined) {
      id = this.#fnSpecs.length;
      this.#fnSpecs.push(spec);
      this.#fnIds.set(key, id);
    }
    if (source !== undefined) this.#fnBySource.set(source, id);
    else if (isObject) this.#fnByObject.set(task, id);
    return id;
  }

  newJobId(): number {
    return this.#nextJobId++;
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

  /** Drops a job that has not been handed to a worker; false if it has. */
  cancelPending(job: Job): boolean {
    if (job.state !== kPending) return job.state === kCancelled;
    job.state = kCancelled;
    return true;
  }

  /**
   * Ends dispatched jobs now: their workers are terminated and replaced, each
   * job fails with its error, the other jobs of those workers are requeued.
   */
  abortJobs(jobs: Iterable<Job>, error: Error): void {
    for (const job of jobs) {
      if (job.state === kPending) {
        job.state = kCancelled;
        continue;
      }
      if (job.state !== kDispatched || job.worker === undefined) continue;
      const w = job.worker;
      w.blame ??= new Map();
      w.blame.set(job, error);
      w.launched.terminate();
    }
  }

  /** The dispatched, unsettled jobs of `owner`. */
  dispatchedJobsOf(owner: JobOwner): Job[] {
    const out: Job[] = [];
    for (const w of this.#workers) {
      for (const job of w.inFlight) if (job.owner === owner && job.state === kDispatched) out.push(job);
    }
    return out;
  }

  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    queueMicrotask(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #takeJob(now: number): Job | undefined {
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

  #hasWork(): boolean {
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

  #canTake(w: WorkerSlot, now: number): boolean {
    if (w.dead || w.retiring || w.blame !== undefined || w.initError !== undefined) return false;
    const n = w.inFlight.length;
    if (n >= w.cap()) return false;
    // A worker whose current task runs long gets nothing more for now.
    if (n > 0 && now - w.lastDoneAt > kStallMs) return false;
    const max = this.#opts.maxTasksPerChild;
    return max === undefined || w.assigned < max;
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
        if (!this.#canTake(w, now)) continue;
        const job = this.#takeJob(now);
        if (job === undefined) break outer;
        this.#assign(w, job, now);
        more = true;
      }
    }
    for (const w of this.#workers) {
      if (w.outJobs.length > 0) this.#flush(w);
    }
    this.#ensureWorkers();
    if (this.#broken !== undefined) return;
    this.#retireIdle();
    this.#maybeStop();
    this.#watchStalls(now);
  }

  #assign(w: WorkerSlot, job: Job, now: number): void {
    job.state = kDispatched;
    job.worker = w;
    job.dispatchedAt = now;
    this.#waitTotal += now - job.submittedAt;
    this.#dispatchedCount++;
    w.outbox.push(job.id, job.fnId, job.mode, job.payload);
    w.outJobs.push(job);
    if (job.transfer !== undefined && job.transfer.length > 0 && this.#opts.startMethod === 'thread') {
      w.outTransfer ??= new Set();
      for (const t of job.transfer) w.outTransfer.add(t);
    }
    if (w.inFlight.length === 0) {
      w.lastDoneAt = now;
      this.#setRef(w, true);
    }
    w.inFlight.push(job);
    w.assigned++;
    const max = this.#opts.maxTasksPerChild;
    if (max !== undefined && w.assigned >= max) {
      // Start its replacement now, so it is up when this one retires.
      w.retiring = true;
      if (this.#state !== kTerminate) this.#spawnReplacement();
    }
    job.owner.dispatched?.(job);
  }

  #defsFor(w: WorkerSlot, jobs: readonly Job[]): [number, TaskSpec][] | null {
    let defs: [number, TaskSpec][] | null = null;
    for (const job of jobs) {
      if (!w.knownFns.has(job.fnId)) {
        w.knownFns.add(job.fnId);
        const spec = this.#fnSpecs[job.fnId];
        if (spec !== undefined) (defs ??= []).push([job.fnId, spec]);
      }
    }
    return defs;
  }

  #flush(w: WorkerSlot): void {
    const jobs = w.outJobs;
    const tasks = w.outbox;
    const transfer = w.outTransfer;
    w.outJobs = [];
    w.outbox = [];
    w.outTransfer = undefined;
    if (w.dead || w.launched.exitcode !== null) return; // the exit handler requeues them
    const defs = this.#defsFor(w, jobs);
    const message: RunMessage = [kPoolMessage, 'run', defs, tasks];
    try {
      w.launched.postMessage(message, transfer === undefined ? undefined : [...transfer]);
      for (const job of jobs) job.seq = ++w.sent;
    } catch (err) {
      if (defs !== null) for (const [id] of defs) w.knownFns.delete(id);
      this.#flushOneByOne(w, jobs, err);
    }
  }

  /** A batch could not be posted: post each job alone and fail the ones that cannot go. */
  #flushOneByOne(w: WorkerSlot, jobs: readonly Job[], batchError: unknown): void {
    for (const job of jobs) {
      const defs = this.#defsFor(w, [job]);
      const transfer =
        job.transfer !== undefined && this.#opts.startMethod === 'thread' ? [...job.transfer] : undefined;
      try {
        w.launched.postMessage(
          [kPoolMessage, 'run', defs, [job.id, job.fnId, job.mode, job.payload]] satisfies RunMessage,
          transfer,
        );
        job.seq = ++w.sent;
      } catch (err) {
        if (defs !== null) for (const [id] of defs) w.knownFns.delete(id);
        w.inFlight.remove(job);
        const cause = err ?? batchError;
        const message = cause instanceof Error ? cause.message : String(cause);
        this.#settle(job, false, new PicklingError(`a task's arguments cannot be sent to a worker: ${message}`, { cause }));
      }
    }
    if (w.inFlight.length === 0) this.#setRef(w, this.#state !== kRun);
  }

  #setRef(w: WorkerSlot, ref: boolean): void {
    if (w.refed === ref || w.dead) return;
    w.refed = ref;
    if (ref) w.launched.ref();
    else w.launched.unref();
  }

  #settle(job: Job, ok: boolean, value: unknown): void {
    if (job.timer !== undefined) {
      clearTimeout(job.timer);
      job.timer = undefined;
    }
    if (job.state === kCancelled || job.state === kSettled) return;
    job.state = kSettled;
    job.worker = undefined;
    this.#settledCount++;
    if (ok) this.#completed++;
    else this.#failed++;
    job.owner.settle(job, ok, value);
  }

  #onMessage(w: WorkerSlot, message: unknown): void {
    if (w.dead || !isPoolMessage(message)) return;
    const msg = message as FromWorker;
    switch (msg[1]) {
      case 'done':
        this.#onDone(w, msg[2]);
        break;
      case 'start':
        this.#onStart(w, msg[2]);
        break;
      case 'ready':
        w.ready = true;
        // The stall clock starts when it can run tasks, not when it was sent them.
        if (w.inFlight.length > 0) w.lastDoneAt = performance.now();
        this.#initFailing = false;
        this.#startFailures.started();
        break;
      case 'init-error':
        w.initError = deserializeError(msg[2]);
        break;
    }
  }

  #onDone(w: WorkerSlot, results: unknown[]): void {
    const now = performance.now();
    const count = results.length / kResultStride;
    // Service time per job: since the previous result if the worker was busy
    // all along, else since the first of these jobs was dispatched.
    const first = w.inFlight.peek();
    const since = first !== undefined && first.dispatchedAt > w.lastDoneAt ? first.dispatchedAt : w.lastDoneAt;
    const sample = (now - since) / count;
    w.avgMs = w.avgMs === undefined ? sample : w.avgMs * 0.7 + sample * 0.3;
    w.lastDoneAt = now;
    for (let i = 0; i < results.length; i += kResultStride) {
      const jobId = results[i] as number;
      let job = w.inFlight.shift();
      while (job !== undefined && job.id !== jobId) {
        // Cannot happen (results come in task order); keep going rather than stall.
        job = w.inFlight.shift();
      }
      if (job === undefined) break;
      this.#runTotal += now - job.dispatchedAt;
      const status = results[i + 1] as number;
      const value = results[i + 2];
      if (status === kFailed) {
        this.#settle(job, false, deserializeError(value as SerializedError));
      } else if (status === kOkPacked) {
        // A chunk's numbers: an array-like the calls read by index.
        this.#settle(job, true, value);
      } else {
        let out = value;
        if (status === kOkPostable) {
          try {
            out = fromPostable(value);
          } catch (err) {
            this.#settle(job, false, err);
            continue;
          }
        }
        this.#settle(job, true, out);
      }
    }
    if (w.inFlight.length === 0) this.#setRef(w, this.#state !== kRun);
    this.#pump();
  }

  #onStart(w: WorkerSlot, jobId: number): void {
    let job: Job | undefined;
    for (const j of w.inFlight) {
      if (j.id === jobId) {
        job = j;
        break;
      }
    }
    if (job?.state !== kDispatched) return;
    const ms = job.owner.timeoutMs;
    if (ms === undefined) return;
    if (job.timer !== undefined) clearTimeout(job.timer);
    const target = job;
    job.timer = setTimeout(() => {
      target.timer = undefined;
      if (target.state !== kDispatched) return;
      this.abortJobs([target], timeoutErrorFor(ms, w.name));
    }, ms);
  }

  #spawn(): WorkerSlot {
    const thread = this.#opts.startMethod === 'thread';
    const progress = thread ? new SharedArrayBuffer(kProgressSlots * 4) : null;
    const data: WorkerData = {
      progress,
      initializer: this.#opts.initializer,
      initArgs: this.#opts.initArgs,
      initArgsPostable: this.#opts.initArgsPostable,
      crossProcess: !thread,
    };
    const launched = launch({
      entry: poolWorkerEntry(),
      startMethod: this.#opts.startMethod,
      name: `PoolWorker-${String(++workerCounter)}`,
      data,
      daemon: true,
      ...(thread && this.#opts.resourceLimits !== undefined ? { resourceLimits: this.#opts.resourceLimits } : {}),
    });
    const w = new WorkerSlot(
      launched,
      progress === null ? undefined : new Int32Array(progress),
      progress !== null && this.#opts.prefetch,
    );
    this.#started++;
    this.#workers.add(w);
    launched.onMessage((message) => {
      this.#onMessage(w, message);
    });
    launched.exited.then(
      (code) => {
        // Let messages that raced the exit event arrive first.
        setImmediate(() => {
          this.#onExit(w, code);
        });
      },
      (err: unknown) => {
        setImmediate(() => {
          this.#onExit(w, launched.exitcode ?? 1, err);
        });
      },
    );
    if (this.#state === kRun) this.#setRef(w, false);
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

  /** Live workers that can still take work. */
  #activeCount(): number {
    let n = 0;
    for (const w of this.#workers) if (!w.retiring && w.blame === undefined && w.initError === undefined) n++;
    return n;
  }

  #ensureWorkers(): void {
    if (this.#state === kTerminate || this.#broken !== undefined) return;
    const active = this.#activeCount();
    let want: number;
    if (this.#opts.lazy || this.#initFailing || this.#state === kClose) {
      if (!this.#hasWork()) return;
      let idle = 0;
      const now = performance.now();
      for (const w of this.#workers) if (w.inFlight.length === 0 && this.#canTake(w, now)) idle++;
      if (idle > 0) return;
      // As Python's executor: one more worker per waiting task, up to the maximum.
      const waiting = this.#opts.lazy && this.#state === kRun ? this.#retry.length + this.#queue.length : 1;
      want = Math.min(this.#opts.processes, active + Math.max(1, waiting));
    } else {
      want = this.#opts.processes;
    }
    for (let i = active; i < want; i++) {
      try {
        this.#spawn();
      } catch (err) {
        // launch() refused (an entry file missing): no retry can succeed.
        const cause = asError(err);
        this.#break(this.#opts.onWorkerLost === 'break' ? cause : launchFailure(cause));
        return;
      }
    }
  }

  #onExit(w: WorkerSlot, code: number, launchError?: unknown): void {
    if (w.dead) return;
    w.dead = true;
    this.#workers.delete(w);
    const outstanding = w.inFlight.drain();
    w.outJobs = [];
    w.outbox = [];
    const lost = (): Error =>
      new WorkerLostError(w.name, code, {
        message: `Worker ${w.name} exited with code ${String(code)} holding the buffers transferred to a task`,
      });
    const live = this.#state !== kTerminate && this.#broken === undefined;
    if (live && !w.ready && w.blame === undefined) {
      this.#startFailed(w, code, launchError, outstanding, lost);
    } else if (live && outstanding.length > 0) {
      if (w.blame !== undefined) {
        for (const job of outstanding) {
          const err = w.blame.get(job);
          if (err !== undefined) this.#settle(job, false, err);
          else this.#requeue(job, lost);
        }
      } else {
        const cause = launchError ?? w.launched.error;
        const workerLost = new WorkerLostError(w.name, code, cause === undefined ? undefined : { cause });
        if (this.#opts.onWorkerLost === 'break') {
          this.#break(workerLost, outstanding);
        } else {
          const running = this.#runningJob(w, outstanding);
          for (const job of outstanding) {
            if (job === running) this.#settle(job, false, workerLost);
            else this.#requeue(job, lost);
          }
        }
      }
    } else if (
      live &&
      this.#opts.onWorkerLost === 'break' &&
      !w.retiring &&
      !w.stopSent &&
      w.blame === undefined
    ) {
      // An idle worker that died on its own still breaks an executor, as in Python.
      this.#break(new WorkerLostError(w.name, code, { message: `Worker ${w.name} exited with code ${String(code)}` }));
    }
    if (this.#state === kTerminate || this.#broken !== undefined) {
      this.#checkAllExited();
      return;
    }
    this.#pump();
    this.#checkAllExited();
  }

  /**
   * `w` died before it reported ready, on its own: no task of it ran. The
   * executor breaks at once; the Pool retries, and breaks after
   * kMaxStartFailures failed starts in a row (see start-failures.ts).
   */
  #startFailed(w: WorkerSlot, code: number, launchError: unknown, outstanding: readonly Job[], lost: () => Error): void {
    const cause = w.initError ?? startExitError(w.name, code, launchError ?? w.launched.error);
    if (this.#opts.onWorkerLost === 'break') {
      this.#break(cause, outstanding);
      return;
    }
    const broken = this.#startFailures.failed(cause);
    if (broken !== undefined) {
      this.#break(broken, outstanding);
    } else if (w.initError !== undefined) {
      this.#initFailed(w.initError, outstanding);
    } else {
      // Its tasks never started: they wait for the replacement.
      this.#initFailing = true;
      for (const job of outstanding) this.#requeue(job, lost);
    }
  }

  /** The job `w` was running when it died (see WorkerData.progress). */
  #runningJob(w: WorkerSlot, outstanding: readonly Job[]): Job | undefined {
    if (w.progress === undefined) return outstanding[0];
    const running = Atomics.load(w.progress, kRunningSlot);
    if (running === 0) return undefined;
    return outstanding.find((job) => job.seq === running);
  }

  /**
   * Takes back the tasks `w` has not started (thread start method): they go
   * to the front of the queue (see WorkerData.progress).
   */
  #steal(w: WorkerSlot): void {
    const progress = w.progress;
    if (progress === undefined || w.dead || w.outJobs.length > 0) return;
    const last = w.sent;
    for (;;) {
      const claimed = Atomics.load(progress, kClaimSlot);
      if (claimed >= last) return;
      // Buffers moved to this worker cannot be sent again: leave such jobs there.
      for (const job of w.inFlight) if (job.seq > claimed && this.#moved(job)) return;
      if (Atomics.compareExchange(progress, kClaimSlot, claimed, last) !== claimed) continue;
      const jobs = w.inFlight.drain();
      for (const job of jobs) {
        if (job.seq <= claimed) w.inFlight.push(job);
      }
      for (const job of jobs) {
        if (job.seq > claimed) {
          // Taken back: it does not count towards maxTasksPerChild.
          w.assigned--;
          this.#requeue(job);
        }
      }
      return;
    }
  }

  /** Arms a check for workers stuck on a long task while others are idle. */
  #watchStalls(now: number): void {
    if (this.#stallTimer !== undefined || this.#opts.startMethod !== 'thread') return;
    // Only between workers that are up: moving tasks from a worker still
    // starting to another one still starting gains nothing.
    let idle = false;
    let loaded = false;
    for (const w of this.#workers) {
      if (!w.ready) continue;
      if (w.inFlight.length === 0 && this.#canTake(w, now)) idle = true;
      else if (w.inFlight.length > 1) loaded = true;
    }
    if (!idle || !loaded) return;
    this.#stallTimer = setTimeout(() => {
      this.#stallTimer = undefined;
      if (this.#state === kTerminate || this.#broken !== undefined) return;
      const at = performance.now();
      for (const w of this.#workers) {
        if (w.ready && w.inFlight.length > 1 && at - w.lastDoneAt > kStallMs) this.#steal(w);
      }
      this.#pump();
    }, kStallMs);
    this.#stallTimer.unref();
  }

  /** True when posting `job` moved buffers into its worker (they cannot be sent again). */
  #moved(job: Job): boolean {
    return job.transfer !== undefined && job.seq > 0 && this.#opts.startMethod === 'thread';
  }

  /** Puts a job a dead or robbed worker had not started back at the front of the queue. */
  #requeue(job: Job, lost?: () => Error): void {
    if (job.timer !== undefined) {
      clearTimeout(job.timer);
      job.timer = undefined;
    }
    if (job.state !== kDispatched) return;
    if (lost !== undefined && this.#moved(job)) {
      // Its transferred buffers died with the worker.
      this.#settle(job, false, lost());
      return;
    }
    job.state = kPending;
    job.worker = undefined;
    job.seq = 0;
    this.#retry.push(job);
  }

  /** An initializer failed: the work waiting for a worker fails with its error. */
  #initFailed(error: Error, outstanding: readonly Job[]): void {
    this.#initFailing = true;
    for (const job of outstanding) this.#settle(job, false, error);
    const owners = new Set<JobOwner>();
    for (const job of this.#retry.drain()) {
      if (job.state === kPending) this.#settle(job, false, error);
    }
    for (const entry of this.#queue.drain()) {
      if (entry instanceof Job) {
        if (entry.state === kPending) this.#settle(entry, false, error);
      } else {
        owners.add(entry.owner);
      }
    }
    for (const owner of owners) owner.fail(error);
  }

  /** Every outstanding call of the pool, in no particular order. */
  #outstandingOwners(): Set<JobOwner> {
    const owners = new Set<JobOwner>();
    for (const job of this.#retry) if (job.state === kPending) owners.add(job.owner);
    for (const entry of this.#queue) {
      if (entry instanceof Job) {
        if (entry.state === kPending) owners.add(entry.owner);
      } else if (!entry.exhausted) {
        owners.add(entry.owner);
      }
    }
    for (const w of this.#workers) for (const job of w.inFlight) if (job.state === kDispatched) owners.add(job.owner);
    return owners;
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
    const owners = this.#outstandingOwners();
    for (const job of dead) {
      if (job.timer !== undefined) clearTimeout(job.timer);
      if (job.state === kDispatched) owners.add(job.owner);
      job.state = kCancelled;
    }
    this.#retry.drain();
    this.#queue.drain();
    for (const w of this.#workers) {
      for (const job of w.inFlight.drain()) {
        if (job.timer !== undefined) clearTimeout(job.timer);
        job.state = kCancelled;
      }
    }
    const make = this.#opts.brokenError ?? ((c: Error) => c);
    for (const owner of owners) owner.fail(make(cause));
    for (const w of this.#workers) {
      this.#setRef(w, true);
      w.launched.terminate();
    }
  }

  /** After close(): idle workers stop once no work is left. */
  #maybeStop(): void {
    if (this.#state !== kClose) return;
    if (this.#hasWork()) return;
    for (const w of this.#workers) {
      if (w.inFlight.length === 0 && !w.stopSent) {
        w.stopSent = true;
        w.retiring = true;
        try {
          w.launched.postMessage([kPoolMessage, 'stop']);
        } catch {
          w.launched.terminate();
        }
      }
    }
  }

  /** Retired workers (maxTasksPerChild) stop once their last result is in. */
  #retireIdle(): void {
    for (const w of this.#workers) {
      if (w.retiring && !w.stopSent && w.inFlight.length === 0) {
        w.stopSent = true;
        try {
          w.launched.postMessage([kPoolMessage, 'stop']);
        } catch {
          w.launched.terminate();
        }
      }
    }
  }

  #checkAllExited(): void {
    if (this.#state === kRun && this.#broken === undefined) return;
    if (this.#workers.size > 0) return;
    if (this.#state === kClose && this.#hasWork()) return;
    this.#allExited?.resolve();
  }

  /** Stops taking work; workers exit once the queued work is done (Python's `close`). */
  close(): void {
    if (this.#state !== kRun) return;
    this.#state = kClose;
    for (const w of this.#workers) this.#setRef(w, true);
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
      const owners = this.#outstandingOwners();
      this.#state = kTerminate;
      this.#retry.drain();
      this.#queue.drain();
      for (const w of this.#workers) {
        for (const job of w.inFlight.drain()) {
          if (job.timer !== undefined) clearTimeout(job.timer);
          job.state = kCancelled;
        }
      }
      for (const owner of owners) owner.fail(error());
      for (const w of this.#workers) {
        this.#setRef(w, true);
        if (kill) w.launched.kill();
        else w.launched.terminate();
      }
      if (this.#stallTimer !== undefined) clearTimeout(this.#stallTimer);
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
    let busy = 0;
    for (const w of this.#workers) if (w.inFlight.length > 0) busy++;
    let queued = this.#retry.length;
    for (const entry of this.#queue) {
      if (entry instanceof Job) {
        if (entry.state === kPending && !entry.owner.finished) queued++;
      } else if (!entry.owner.finished) {
        queued += entry.remaining;
      }
    }
    return {
      workers: this.#workers.size,
      busy,
      idle: this.#workers.size - busy,
      queued,
      completed: this.#completed,
      failed: this.#failed,
      meanWaitTimeMs: this.#dispatchedCount === 0 ? 0 : this.#waitTotal / this.#dispatchedCount,
      meanRunTimeMs: this.#settledCount === 0 ? 0 : this.#runTotal / Math.max(1, this.#settledCount),
      workersStarted: this.#started,
    };
  }
}

function withResolvers(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function timeoutErrorFor(ms: number, workerName: string): Error {
  return new TimeoutError(
    `Task timed out after ${String(ms / 1000)} s; its worker ${workerName} was terminated and replaced`,
  );
}
