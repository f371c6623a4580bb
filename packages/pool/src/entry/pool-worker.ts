/**
 * The pool worker: what runs inside each `PoolWorker-N`. Mirrors
 * `multiprocessing.pool.worker`: run the initializer once, then run tasks one
 * at a time in the order they arrive and send each result back. With
 * `concurrentTasksPerWorker` above 1, tasks still start in the order they
 * arrive, but up to that many async tasks are pending at once, and each
 * result goes back when its task finishes (drainMany).
 *
 * Tasks arrive in batches (one message per tick of the parent). This file
 * queues them and wires the messages; a task is claimed in worker-claims.ts,
 * run by worker-run.ts, and its result goes back through worker-results.ts.
 */
import { type AnyFunction } from '@multiprocessing/core';
import {
  fromPostable,
  loadRevivers,
  loadTask,
  serializeError,
  type TaskSpec,
} from '@multiprocessing/core/internal';
import { parentChannel } from '@multiprocessing/process/internal/child';
import {
  isPoolMessage,
  kApply,
  kEventsFlag,
  kKindMask,
  kMap,
  kOk,
  kOneArgFlag,
  kPoolMessage,
  kPostableFlag,
  kReportStartFlag,
  kStream,
  kStreamClosed,
  kTaskStride,
  type AbortReason,
  type ToWorker,
} from '../internal/protocol.js';
import { decodeAbortReason } from '../internal/abort-reason.js';
import { rejected } from '../internal/rejected.js';
import { initialize, loadFinalizer, runFinalizer } from '../internal/worker-lifecycle.js';
import { claim, skip, skipReason } from '../internal/worker-claims.js';
import { abortRunning, enterTask, runInTask, useTaskContexts } from '../internal/task-slot.js';
import { closeActiveStream, flushActiveStream, grantCredit, runStream } from '../internal/stream-producer.js';
import { crossProcess, data } from '../internal/worker-env.js';
import {
  finish,
  finishChunk,
  finishError,
  finishOk,
  finishTask,
  flush,
  post,
  reportStart,
} from '../internal/worker-results.js';
import { callTask, isThenable, runChunk } from '../internal/worker-run.js';

/** Tasks pending at once (see WorkerData.concurrency). */
const concurrency = data.concurrency;

// Invariant: `fns` maps every fnId the parent defined to the function, or to
// the promise of it while the module loads (or the load error's promise).
const fns = new Map<number, AnyFunction | Promise<AnyFunction>>();
// Invariant: tasks[head …] are received and not started, kTaskStride items each.
let tasks: unknown[] = [];
let head = 0;
/** True while a task's promise (or a function's load) is pending. */
let waiting = false;
/** False until the initializer has run. */
let ready = false;
let stopping = false;
/** The finalizer, loading from the start (undefined: none). */
const finalizer = loadFinalizer(data);
let exiting = false;
/** drainMany only: tasks started whose result is not known yet. */
let active = 0;

/**
 * True while the modules that register the payload's shareables are being
 * imported; `drain()` then resumes at the same task.
 */
function importingRevivers(payload: unknown): boolean {
  const loading = loadRevivers(payload);
  if (loading === undefined) return false;
  waiting = true;
  // After a failed import, fromPostable tries the module once more
  // (synchronously) and fails the task with the reason.
  const resume = (): void => {
    waiting = false;
    drain();
  };
  loading.then(resume, resume);
  return true;
}

/** Runs queued tasks until none is left or one is async (`concurrency` 1). */
function drainOne(): void {
  while (!waiting && head < tasks.length) {
    const jobId = tasks[head] as number;
    const fnId = tasks[head + 1] as number;
    const mode = tasks[head + 2] as number;
    let payload = tasks[head + 3];
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
    if (fn === undefined) return;
    if ((mode & kPostableFlag) !== 0 && importingRevivers(payload)) return;
    tasks[head + 3] = undefined;
    head += kTaskStride;
    if (!claim()) continue;
    const kind = mode & kKindMask;
    const report = (mode & kReportStartFlag) !== 0;
    if (kind === kStream) {
      startStream(fn, jobId, mode, payload, report);
      if (waiting) return;
      continue;
    }
    let result: unknown;
    const chunk = kind !== kApply;
    enterTask(jobId, (mode & kEventsFlag) !== 0);
    try {
      if ((mode & kPostableFlag) !== 0) payload = fromPostable(payload);
      if (!chunk) {
        if (report) reportStart(jobId, 0);
        result = (mode & kOneArgFlag) !== 0 ? fn(payload) : fn(...(payload as unknown[]));
      } else {
        result = runChunk(fn, jobId, kind !== kMap, report, payload as ArrayLike<unknown>, [], 0);
      }
    } catch (err) {
      finishError(jobId, err);
      continue;
    }
    if (isThenable(result)) {
      waiting = true;
      Promise.resolve(result).then(
        (value) => {
          waiting = false;
          if (chunk) finishChunk(jobId, value as unknown[]);
          else finishOk(jobId, value);
          drain();
        },
        (err: unknown) => {
          waiting = false;
          finishError(jobId, err);
          drain();
        },
      );
      return;
    }
    if (chunk) finishChunk(jobId, result as unknown[]);
    else finishOk(jobId, result);
  }
  if (!waiting) {
    tasks = [];
    head = 0;
    flush();
    if (stopping) exitCleanly();
  }
}

/** Told to stop and out of work: runs the finalizer, then exits with code 0. */
function exitCleanly(): void {
  if (exiting) return;
  exiting = true;
  const exit = (): never => process.exit(0);
  runFinalizer(data, finalizer, post).then(exit, exit);
}

/**
 * The parent gave up on job `jobId`: signal it if it runs, skip it if it is
 * queued here; a job that already finished is left alone.
 */
function abortJob(jobId: number, wire: AbortReason): void {
  const reason = decodeAbortReason(wire);
  if (abortRunning(jobId, reason)) return;
  for (let i = head; i < tasks.length; i += kTaskStride) {
    if (tasks[i] === jobId) {
      skip(jobId, reason);
      return;
    }
  }
}

/**
 * Runs stream task `jobId` (payload `[credit, args]`); the worker waits for
 * it (`waiting`) until it ends, then goes on with the next task.
 */
function startStream(fn: AnyFunction, jobId: number, mode: number, payload: unknown, report: boolean): void {
  let credit: number;
  let args: unknown[];
  try {
    const p = ((mode & kPostableFlag) !== 0 ? fromPostable(payload) : payload) as [number, unknown[]];
    credit = p[0];
    args = p[1];
  } catch (err) {
    finishError(jobId, err);
    return;
  }
  // Closed by the caller before it started: it never runs.
  if (credit === kStreamClosed) {
    finish(jobId, kOk, undefined);
    return;
  }
  // Results of earlier tasks go before its values.
  flush();
  waiting = true;
  runStream(fn, args, jobId, credit, report, crossProcess, post).then(
    () => {
      waiting = false;
      finish(jobId, kOk, undefined);
      drain();
    },
    (err: unknown) => {
      waiting = false;
      finishError(jobId, err);
      drain();
    },
  );
}

/** `close-stream`: stop the running stream, or mark a queued one so it never starts. */
function closeStream(jobId: number): void {
  if (closeActiveStream(jobId)) return;
  for (let i = head; i < tasks.length; i += kTaskStride) {
    if (tasks[i] === jobId && ((tasks[i + 2] as number) & kKindMask) === kStream) {
      const payload = tasks[i + 3];
      if (Array.isArray(payload)) payload[0] = kStreamClosed;
      return;
    }
  }
}

/**
 * The function of the next queued task (at `head`): null when that task
 * was consumed (its function was never defined: it failed), undefined
 * while its module loads (`waiting` is set, and drain() runs again once it
 * has loaded or failed to).
 */
function nextFn(jobId: number, fnId: number): AnyFunction | null | undefined {
  const fn = fns.get(fnId);
  if (fn === undefined) {
    head += kTaskStride;
    if (claim()) finishError(jobId, new Error(`pool protocol: function ${String(fnId)} was never defined`));
    return null;
  }
  if (typeof fn === 'function') return fn;
  waiting = true;
  fn.then(
    (loaded) => {
      fns.set(fnId, loaded);
      waiting = false;
      drain();
    },
    (err: unknown) => {
      const failed = rejected(err);
      failed.catch(() => undefined);
      fns.set(fnId, failed);
      head += kTaskStride;
      if (claim()) finishError(jobId, err);
      waiting = false;
      drain();
    },
  );
  return undefined;
}

/**
 * drain() for `concurrency` above 1: starts queued tasks, in order, while
 * fewer than `concurrency` are pending, and sends every result known so far
 * (results go back in the order tasks finish).
 */
function drainMany(): void {
  while (!waiting && active < concurrency && head < tasks.length) {
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
    if (fn === undefined) break;
    if ((mode & kPostableFlag) !== 0 && importingRevivers(payload)) break;
    tasks[head + 3] = undefined;
    head += kTaskStride;
    if (!claim()) continue;
    const kind = mode & kKindMask;
    if (kind === kStream) {
      // A stream task holds the worker alone: the tasks already running go
      // on, and no other starts until it ends.
      startStream(fn, jobId, mode, payload, (mode & kReportStartFlag) !== 0);
      if (waiting) break;
      continue;
    }
    const chunk = kind !== kApply;
    let result: unknown;
    try {
      result = runInTask(jobId, (mode & kEventsFlag) !== 0, callTask, fn, jobId, mode, payload);
    } catch (err) {
      finishError(jobId, err);
      continue;
    }
    if (!isThenable(result)) {
      finishTask(jobId, chunk, result);
      continue;
    }
    active++;
    Promise.resolve(result).then(
      (value) => {
        active--;
        finishTask(jobId, chunk, value);
        drainMany();
      },
      (err: unknown) => {
        active--;
        finishError(jobId, err);
        drainMany();
      },
    );
  }
  // Results of tasks that finished go now, even while a module loads.
  flush();
  if (waiting) return;
  if (head === tasks.length) {
    tasks = [];
    head = 0;
  }
  if (stopping && active === 0 && tasks.length === 0) exitCleanly();
}

function define(defs: [number, TaskSpec][]): void {
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

function onMessage(message: unknown): void {
  if (!isPoolMessage(message)) return;
  const msg = message as ToWorker;
  if (msg[1] === 'run') {
    if (msg[2] !== null) define(msg[2]);
    const incoming = msg[3];
    if (head === tasks.length) {
      tasks = incoming;
      head = 0;
    } else {
      for (const item of incoming) tasks.push(item);
    }
  } else if (msg[1] === 'stop') {
    stopping = true;
  } else if (msg[1] === 'abort') {
    abortJob(msg[2], msg[3]);
    return;
  } else if (msg[1] === 'credit') {
    grantCredit(msg[2], msg[3]);
    return;
  } else if (msg[1] === 'close-stream') {
    closeStream(msg[2]);
    return;
  }
  if (ready && !waiting) drain();
}

/** Runs what is queued, as far as it can now. */
const drain = concurrency > 1 ? drainMany : drainOne;
if (concurrency > 1) useTaskContexts();

parentChannel.onMessage(onMessage);
// A task that calls process.exit() or crashes the worker: results already
// computed still reach the parent (messages posted before exit are delivered).
process.on('exit', flushActiveStream);
process.on('exit', flush);
process.on('uncaughtExceptionMonitor', flushActiveStream);
process.on('uncaughtExceptionMonitor', flush);

initialize(data).then(
  () => {
    ready = true;
    post([kPoolMessage, 'ready']);
    drain();
  },
  (err: unknown) => {
    post([kPoolMessage, 'init-error', serializeError(err)]);
    // As in Python, a failing initializer ends the worker with its traceback
    // on stderr and exit code 1.
    setImmediate(() => {
      throw err;
    });
  },
);
