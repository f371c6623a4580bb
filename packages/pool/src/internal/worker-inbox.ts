/**
 * A pool worker's inbox: the functions the parent defined and the tasks it
 * sent, queued in arrival order until the worker starts them. `takeNext()`
 * hands out the next task that is due to run, dealing on the way with the
 * ones that must not (aborted while queued, taken back by the parent, or
 * naming a function that failed to load).
 */
import { type AnyFunction } from '@multiprocessing/core';
import { loadRevivers, loadTask, type TaskSpec } from '@multiprocessing/core/internal';
import { kKindMask, kPostableFlag, kStream, kStreamClosed, kTaskStride } from './protocol.js';
import { rejected } from './rejected.js';
import { claim, skip, skipReason } from './worker-claims.js';
import { finishError } from './worker-results.js';

// Invariant: `fns` maps every fnId the parent defined to the function, or to
// the promise of it while the module loads (or the load error's promise).
const fns = new Map<number, AnyFunction | Promise<AnyFunction>>();
// Invariant: tasks[head …] are received and not started, kTaskStride items each.
let tasks: unknown[] = [];
let head = 0;

/** The worker's flow: `waiting` is true while a task's promise (or a load) is pending. */
export const flow = { waiting: false };

/** Called once a wait started here is over (set by the drain loop). */
let resume: () => void = () => undefined;

/** Sets what runs once a load or an import that held the queue has ended. */
export function onResume(fn: () => void): void {
  resume = fn;
}

// The task takeNext() returned last.
/** Its job id. */
export let takenJob = 0;
/** Its mode (kind and flags, see protocol.ts). */
export let takenMode = 0;
/** Its payload, as it arrived. */
export let takenPayload: unknown;

/** Forgets the consumed tasks once all are; true if the queue is empty. */
export function compactInbox(): boolean {
  if (head !== tasks.length) return false;
  tasks = [];
  head = 0;
  return true;
}

/** Queues a batch of tasks (kTaskStride items each). */
export function enqueue(incoming: unknown[]): void {
  if (head === tasks.length) {
    tasks = incoming;
    head = 0;
  } else {
    for (const item of incoming) tasks.push(item);
  }
}

/** Starts loading the functions the parent defined. */
export function define(defs: [number, TaskSpec][]): void {
  for (const [fnId, spec] of defs) {
    const loading = loadTask(spec);
    fns.set(fnId, loading);
    loading.then(
      (fn) => {
        // Only if nothing replaced it meanwhile.
        if (fns.get(fnId) === loading) fns.set(fnId, fn);
      },
      () => undefined,
    );
  }
}

/** Job `jobId`, if queued here, will be skipped with `reason`; false if it is not queued. */
export function skipQueued(jobId: number, reason: Error): boolean {
  for (let i = head; i < tasks.length; i += kTaskStride) {
    if (tasks[i] === jobId) {
      skip(jobId, reason);
      return true;
    }
  }
  return false;
}

/** Marks queued stream task `jobId` closed, so it never starts. */
export function closeQueuedStream(jobId: number): void {
  for (let i = head; i < tasks.length; i += kTaskStride) {
    if (tasks[i] === jobId && ((tasks[i + 2] as number) & kKindMask) === kStream) {
      const payload = tasks[i + 3];
      if (Array.isArray(payload)) payload[0] = kStreamClosed;
      return;
    }
  }
}

/**
 * The function of the next task to run, which it dequeues and claims
 * (its job, mode and payload are then in takenJob, takenMode and
 * takenPayload); undefined when none is queued or the queue waits (`flow.waiting`:
 * a module loads, and the drain loop resumes once it has).
 */
export function takeNext(): AnyFunction | undefined {
  while (!flow.waiting && head < tasks.length) {
    const jobId = tasks[head] as number;
    const fnId = tasks[head + 1] as number;
    const mode = tasks[head + 2] as number;
    const payload = tasks[head + 3];
    const reason = skipReason(jobId);
    if (reason !== undefined) {
      // Aborted while it waited here: it does not run.
      tasks[head + 3] = undefined;
      head += kTaskStride;
      if (claim()) finishError(jobId, reason);
      continue;
    }
    const fn = nextFn(jobId, fnId);
    if (fn === null) continue;
    if (fn === undefined) return undefined;
    if ((mode & kPostableFlag) !== 0 && importingRevivers(payload)) return undefined;
    tasks[head + 3] = undefined;
    head += kTaskStride;
    if (!claim()) continue;
    takenJob = jobId;
    takenMode = mode;
    takenPayload = payload;
    return fn;
  }
  return undefined;
}

/**
 * True while the modules that register the payload's shareables are being
 * imported; the drain loop then resumes at the same task.
 */
function importingRevivers(payload: unknown): boolean {
  const loading = loadRevivers(payload);
  if (loading === undefined) return false;
  flow.waiting = true;
  // After a failed import, fromPostable tries the module once more
  // (synchronously) and fails the task with the reason.
  const done = (): void => {
    flow.waiting = false;
    resume();
  };
  loading.then(done, done);
  return true;
}

/**
 * The function of the next queued task (at `head`): null when that task
 * was consumed (its function was never defined: it failed), undefined
 * while its module loads (`flow.waiting` is set, and the drain loop runs
 * again once it has loaded or failed to).
 */
function nextFn(jobId: number, fnId: number): AnyFunction | null | undefined {
  const fn = fns.get(fnId);
  if (fn === undefined) {
    head += kTaskStride;
    if (claim()) finishError(jobId, new Error(`pool protocol: function ${String(fnId)} was never defined`));
    return null;
  }
  if (typeof fn === 'function') return fn;
  flow.waiting = true;
  fn.then(
    (loaded) => {
      fns.set(fnId, loaded);
      flow.waiting = false;
      resume();
    },
    (err: unknown) => {
      const failed = rejected(err);
      failed.catch(() => undefined);
      fns.set(fnId, failed);
      head += kTaskStride;
      if (claim()) finishError(jobId, err);
      flow.waiting = false;
      resume();
    },
  );
  return undefined;
}
