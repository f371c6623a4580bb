/**
 * The pool's registry of what runs where: the ids under which workers know
 * task functions (each travels once per worker as a `TaskSpec`, then by id),
 * the ids of jobs, and which job a worker holds or runs. Python's Pool
 * pickles the function with every task instead.
 */
import { taskKey, toTaskSpec, type TaskSpec } from '@multiprocessing/core/internal';
import { kDispatched, type Job, type JobOwner } from './job.js';
import { kClaimSlot, kRunningSlot } from './protocol.js';
import type { WorkerSlot } from './worker-slot.js';

/** Function ids and job ids of one pool. */
export class TaskRegistry {
  // id → spec, and caches to find the id of a task.
  readonly #specs: TaskSpec[] = [];
  readonly #ids = new Map<string, number>();
  readonly #byObject = new WeakMap<object, number>();
  readonly #bySource = new Map<string, number>();
  #nextJobId = 1;

  /** The id under which workers know `task`; validates it on the caller's side. */
  fnId(task: unknown, argName: string): number {
    const isObject = typeof task === 'object' && task !== null;
    if (isObject) {
      const known = this.#byObject.get(task);
      if (known !== undefined) return known;
    }
    let source: string | undefined;
    if (typeof task === 'function') {
      // A new arrow per call (`pool.apply((x) => x * x, [i])` in a loop) has
      // the same source each time: check and register it once.
      source = Function.prototype.toString.call(task);
      const known = this.#bySource.get(source);
      if (known !== undefined) return known;
    }
    const id = this.specId(toTaskSpec(task, argName));
    if (source !== undefined) this.#bySource.set(source, id);
    else if (isObject) this.#byObject.set(task, id);
    return id;
  }

  /** The id under which workers know the task `spec` describes (a spec that came over a wire). */
  specId(spec: TaskSpec): number {
    const key = taskKey(spec);
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = this.#specs.length;
      this.#specs.push(spec);
      this.#ids.set(key, id);
    }
    return id;
  }

  newJobId(): number {
    return this.#nextJobId++;
  }

  /**
   * The `[fnId, spec]` definitions `jobs` need that a worker knowing
   * `known` lacks (added to `known`), or null when it lacks none.
   */
  defsFor(known: Set<number>, jobs: readonly Job[]): [number, TaskSpec][] | null {
    let defs: [number, TaskSpec][] | null = null;
    for (const job of jobs) {
      if (!known.has(job.fnId)) {
        known.add(job.fnId);
        const spec = this.#specs[job.fnId];
        if (spec !== undefined) (defs ??= []).push([job.fnId, spec]);
      }
    }
    return defs;
  }
}

/** The dispatched, unsettled jobs of `owner`, on any of `workers`. */
export function dispatchedJobsOf(workers: Iterable<WorkerSlot>, owner: JobOwner): Job[] {
  const out: Job[] = [];
  for (const w of workers) {
    for (const job of w.inFlight) if (job.owner === owner && job.state === kDispatched) out.push(job);
  }
  return out;
}

/** The job of `w` with id `jobId`, if it holds it. */
export function inFlightJob(w: WorkerSlot, jobId: number): Job | undefined {
  for (const job of w.inFlight) if (job.id === jobId) return job;
  return undefined;
}

/**
 * The job `w` was running when it died, among `outstanding` (its jobs
 * without a result): read from its progress slots under threads (see
 * WorkerData.progress); under processes results come one per task, so the
 * first job without one.
 */
export function runningJob(w: WorkerSlot, outstanding: readonly Job[]): Job | undefined {
  if (w.progress === undefined) return outstanding[0];
  const running = Atomics.load(w.progress, kRunningSlot);
  if (running === 0) return undefined;
  return outstanding.find((job) => job.seq === running);
}

/**
 * The jobs `w` was running when it ended, among `outstanding` (its jobs
 * without a result, in the order they were posted), when it runs several at
 * once (`slots` above 1). Under threads, every job it claimed (it claims a
 * task as it starts it); under processes, the first `slots` posted ones (it
 * starts tasks in order and keeps its slots full).
 */
export function runningJobs(w: WorkerSlot, outstanding: readonly Job[]): Set<Job> {
  const running = new Set<Job>();
  if (w.progress === undefined) {
    for (const job of outstanding) {
      if (running.size === w.slots) break;
      if (job.seq > 0) running.add(job);
    }
    return running;
  }
  const claimed = Atomics.load(w.progress, kClaimSlot);
  for (const job of outstanding) if (job.seq > 0 && job.seq <= claimed) running.add(job);
  return running;
}
