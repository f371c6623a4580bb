/**
 * Running a task that arrived over a wire, already in the pool's worker form
 * (a task spec, a mode and a payload as a call made them on another
 * machine), on a local Pool: a cluster host hands each task of a job it
 * pulled to its own Pool this way, and sends back what the pool's calls
 * would have been given. The pool checks nothing here that the sending call
 * has not checked already.
 */
import { StateError } from '@multiprocessing/core';
import type { TaskSpec } from '@multiprocessing/core/internal';
import { Job, kDispatched, kPending, type JobOwner } from './job.js';
import type { Scheduler } from './scheduler.js';

/** A task in the pool's worker form. */
export interface RawTask {
  readonly spec: TaskSpec;
  /** The `mode` of the pool protocol (kind bits and flags). */
  readonly mode: number;
  readonly payload: unknown;
  /** Items in the payload (1 for an apply). */
  readonly size: number;
  /** Per-task run-time limit in ms; undefined: none. */
  readonly timeoutMs: number | undefined;
  /** Receives the task's progress values (set kEventsFlag in `mode` too). */
  readonly onEvent?: ((value: unknown) => void) | undefined;
  /** Told when item `index` starts (set kReportStartFlag in `mode` too). */
  readonly onStart?: ((index: number) => void) | undefined;
}

/** A submitted {@link RawTask}. */
export interface RawTaskHandle {
  /** `[true, result]` or `[false, error]`: what the sending call's `settle` takes. Never rejects. */
  readonly done: Promise<[ok: boolean, value: unknown]>;
  /** Ends the task now with `reason` (its worker is asked to stop it, as an abort does). */
  abort(reason: Error): void;
}

const schedulers = new WeakMap<object, Scheduler>();

/** Records the scheduler behind `pool`, for {@link submitRawTask}. */
export function registerScheduler(pool: object, scheduler: Scheduler): void {
  schedulers.set(pool, scheduler);
}

class RawOwner implements JobOwner {
  finished = false;
  readonly done: Promise<[boolean, unknown]>;
  #resolve!: (outcome: [boolean, unknown]) => void;

  constructor(
    readonly timeoutMs: number | undefined,
    private readonly onEvent: ((value: unknown) => void) | undefined,
    private readonly onStart: ((index: number) => void) | undefined,
  ) {
    this.done = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  settle(_job: Job, ok: boolean, value: unknown): void {
    this.#end(ok, value);
  }

  fail(error: Error): void {
    this.#end(false, error);
  }

  started(_job: Job, index: number): void {
    if (!this.finished) this.onStart?.(index);
  }

  event(_job: Job, value: unknown): void {
    if (!this.finished) this.onEvent?.(value);
  }

  #end(ok: boolean, value: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.#resolve([ok, value]);
  }
}

/**
 * Queues `task` on `pool` (a Pool or a ProcessPoolExecutor of this
 * package) as one job.
 *
 * @throws {TypeError} `pool` is not a pool of this package.
 */
export function submitRawTask(pool: object, task: RawTask): RawTaskHandle {
  const scheduler = schedulers.get(pool);
  if (scheduler === undefined) throw new TypeError('pool must be a Pool of @multiprocessing/pool');
  const owner = new RawOwner(task.timeoutMs, task.onEvent, task.onStart);
  if (!scheduler.running) {
    owner.fail(new StateError('Pool not running'));
    return { done: owner.done, abort: () => undefined };
  }
  const fnId = scheduler.specId(task.spec);
  const job = new Job(scheduler.newJobId(), owner, fnId, task.mode, task.payload, undefined, 0, task.size);
  scheduler.enqueue(job);
  return {
    done: owner.done,
    abort(reason) {
      if (owner.finished) return;
      if (job.state === kPending) {
        scheduler.cancelPending(job);
        owner.fail(reason);
      } else if (job.state === kDispatched) {
        scheduler.abortJobs([job], reason);
      }
    },
  };
}
