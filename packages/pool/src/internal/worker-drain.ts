/**
 * A pool worker's drain loop: runs the queued tasks (see worker-inbox.ts)
 * one at a time in the order they arrive (drainOne), or with
 * `concurrentTasksPerWorker` above 1, up to that many async tasks pending at
 * once (drainMany); once told to stop and out of work, runs the finalizer
 * and exits.
 */
import { type AnyFunction } from '@multiprocessing/core';
import { fromPostable } from '@multiprocessing/core/internal';
import {
  kApply,
  kEventsFlag,
  kKindMask,
  kOk,
  kOneArgFlag,
  kPostableFlag,
  kReportStartFlag,
  kStream,
  kStreamClosed,
  type AbortReason,
} from './protocol.js';
import { decodeAbortReason } from './abort-reason.js';
import { loadFinalizer, runFinalizer } from './worker-lifecycle.js';
import { abortRunning, enterTask, runInTask } from './task-slot.js';
import { closeActiveStream, runStream } from './stream-producer.js';
import { crossProcess, data } from './worker-env.js';
import {
  finish,
  finishChunk,
  finishError,
  finishOk,
  finishTask,
  flush,
  post,
  reportStart,
} from './worker-results.js';
import { callTask, isThenable, runAnyChunk } from './worker-run.js';
import {
  closeQueuedStream,
  compactInbox,
  flow,
  onResume,
  skipQueued,
  takeNext,
  takenJob,
  takenMode,
  takenPayload,
} from './worker-inbox.js';

/** Tasks pending at once (see WorkerData.concurrency). */
const concurrency = data.concurrency;

let stopping = false;
/** The finalizer, loading from the start (undefined: none). */
const finalizer = loadFinalizer(data);
let exiting = false;
/** drainMany only: tasks started whose result is not known yet. */
let active = 0;

/** Runs queued tasks until none is left or one is async (`concurrency` 1). */
function drainOne(): void {
  for (let fn = takeNext(); fn !== undefined; fn = takeNext()) {
    const jobId = takenJob;
    const mode = takenMode;
    let payload = takenPayload;
    const kind = mode & kKindMask;
    const report = (mode & kReportStartFlag) !== 0;
    if (kind === kStream) {
      startStream(fn, jobId, mode, payload, report);
      if (flow.waiting) return;
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
        result = runAnyChunk(fn, jobId, mode, report, payload as ArrayLike<unknown>);
      }
    } catch (err) {
      finishError(jobId, err);
      continue;
    }
    if (isThenable(result)) {
      flow.waiting = true;
      Promise.resolve(result).then(
        (value) => {
          flow.waiting = false;
          if (chunk) finishChunk(jobId, value as unknown[] | Float64Array);
          else finishOk(jobId, value);
          drain();
        },
        (err: unknown) => {
          flow.waiting = false;
          finishError(jobId, err);
          drain();
        },
      );
      return;
    }
    if (chunk) finishChunk(jobId, result as unknown[] | Float64Array);
    else finishOk(jobId, result);
  }
  if (!flow.waiting) {
    compactInbox();
    flush();
    if (stopping) exitCleanly();
  }
}

/**
 * drain() for `concurrency` above 1: starts queued tasks, in order, while
 * fewer than `concurrency` are pending, and sends every result known so far
 * (results go back in the order tasks finish).
 */
function drainMany(): void {
  while (active < concurrency) {
    const fn = takeNext();
    if (fn === undefined) break;
    const jobId = takenJob;
    const mode = takenMode;
    const payload = takenPayload;
    const kind = mode & kKindMask;
    if (kind === kStream) {
      // A stream task holds the worker alone: the tasks already running go
      // on, and no other starts until it ends.
      startStream(fn, jobId, mode, payload, (mode & kReportStartFlag) !== 0);
      if (flow.waiting) break;
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
  if (flow.waiting) return;
  if (compactInbox() && stopping && active === 0) exitCleanly();
}

/** Runs what is queued, as far as it can now. */
export const drain = concurrency > 1 ? drainMany : drainOne;
onResume(drain);

/** Told to stop and out of work: runs the finalizer, then exits with code 0. */
function exitCleanly(): void {
  if (exiting) return;
  exiting = true;
  const exit = (): never => process.exit(0);
  runFinalizer(data, finalizer, post).then(exit, exit);
}

/** `stop`: the worker exits once the tasks it holds have run. */
export function stop(): void {
  stopping = true;
}

/**
 * The parent gave up on job `jobId`: signal it if it runs, skip it if it is
 * queued here; a job that already finished is left alone.
 */
export function abortJob(jobId: number, wire: AbortReason): void {
  const reason = decodeAbortReason(wire);
  if (abortRunning(jobId, reason)) return;
  skipQueued(jobId, reason);
}

/** `close-stream`: stop the running stream, or mark a queued one so it never starts. */
export function closeStream(jobId: number): void {
  if (closeActiveStream(jobId)) return;
  closeQueuedStream(jobId);
}

/**
 * Runs stream task `jobId` (payload `[credit, args]`); the worker waits for
 * it (`flow.waiting`) until it ends, then goes on with the next task.
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
  flow.waiting = true;
  runStream(fn, args, jobId, credit, report, crossProcess, post).then(
    () => {
      flow.waiting = false;
      finish(jobId, kOk, undefined);
      drain();
    },
    (err: unknown) => {
      flow.waiting = false;
      finishError(jobId, err);
      drain();
    },
  );
}
