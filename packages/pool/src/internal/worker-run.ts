/**
 * Running one pool task in the worker: a single call, or the items of a
 * map or starmap chunk one after another (async items awaited in turn).
 */
import { type AnyFunction } from '@multiprocessing/core';
import { fromPostable } from '@multiprocessing/core/internal';
import { kApply, kKindMask, kMap, kOneArgFlag, kPostableFlag, kReportStartFlag } from './protocol.js';
import { runningAbort } from './task-slot.js';
import { reportStart } from './worker-results.js';

/** True for a promise or any other thenable. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Runs the items of a map or starmap chunk from `from`; returns the result
 * array, or a promise of it once an item turns out to be async.
 */
export function runChunk(
  fn: AnyFunction,
  jobId: number,
  star: boolean,
  report: boolean,
  items: ArrayLike<unknown>,
  results: unknown[],
  from: number,
): unknown[] | Promise<unknown[]> {
  for (let i = from; i < items.length; i++) {
    if (report) reportStart(jobId, i);
    const item = items[i];
    const r: unknown = star ? fn(...(item as unknown[])) : fn(item);
    if (isThenable(r)) {
      return Promise.resolve(r).then((v) => {
        results.push(v);
        // The caller gave up on this chunk: its remaining items do not run.
        // (An abort arrives as a message, so it can only be seen after an
        // await: a run of synchronous items is never interrupted.)
        const abort = runningAbort();
        if (abort !== undefined) throw abort.reason;
        return runChunk(fn, jobId, star, report, items, results, i + 1);
      });
    }
    results.push(r);
  }
  return results;
}

/**
 * Runs task `jobId` (drainMany): returns its result, or the promise of it.
 * Called in the task's own context for `currentTask()` (runInTask).
 */
export function callTask(fn: AnyFunction, jobId: number, mode: number, payload: unknown): unknown {
  const kind = mode & kKindMask;
  const report = (mode & kReportStartFlag) !== 0;
  if ((mode & kPostableFlag) !== 0) payload = fromPostable(payload);
  if (kind === kApply) {
    if (report) reportStart(jobId, 0);
    return (mode & kOneArgFlag) !== 0 ? fn(payload) : fn(...(payload as unknown[]));
  }
  return runChunk(fn, jobId, kind !== kMap, report, payload as ArrayLike<unknown>, [], 0);
}
