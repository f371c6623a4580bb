/**
 * Running one pool task in the worker: a single call, or the items of a
 * map or starmap chunk one after another (async items awaited in turn).
 */
import { type AnyFunction } from '@multiprocessing/core';
import { fromPostable } from '@multiprocessing/core/internal';
import {
  kApply,
  kKindMask,
  kMap,
  kOneArgFlag,
  kPackedFlag,
  kPostableFlag,
  kReportStartFlag,
} from './protocol.js';
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
    if (isThenable(r)) return continueChunk(fn, jobId, star, report, items, results, i, r);
    results.push(r);
  }
  return results;
}

/**
 * Item `i` of a chunk gave `r`: records it and runs the items after it
 * (after awaiting `r` when it is a promise).
 */
function continueChunk(
  fn: AnyFunction,
  jobId: number,
  star: boolean,
  report: boolean,
  items: ArrayLike<unknown>,
  results: unknown[],
  i: number,
  r: unknown,
): unknown[] | Promise<unknown[]> {
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
  return runChunk(fn, jobId, star, report, items, results, i + 1);
}

/**
 * Runs a packed map chunk (numbers in a Float64Array, kPackedFlag). Each
 * number result overwrites its own item, so the chunk's results go back in
 * the buffer its items came in: no result array and no second buffer to
 * allocate. From the first result that is not a number (or is a promise)
 * on, it goes on as {@link runChunk}, with the numbers so far in an array.
 */
export function runPackedChunk(
  fn: AnyFunction,
  jobId: number,
  report: boolean,
  items: Float64Array,
): Float64Array | unknown[] | Promise<unknown[]> {
  for (let i = 0; i < items.length; i++) {
    if (report) reportStart(jobId, i);
    const r: unknown = fn(items[i]);
    if (typeof r !== 'number') {
      return continueChunk(fn, jobId, false, report, items, Array.from(items.subarray(0, i)), i, r);
    }
    items[i] = r;
  }
  return items;
}

/** Runs a chunk: packed ones by {@link runPackedChunk}, others by {@link runChunk}. */
export function runAnyChunk(
  fn: AnyFunction,
  jobId: number,
  mode: number,
  report: boolean,
  items: ArrayLike<unknown>,
): Float64Array | unknown[] | Promise<unknown[]> {
  if ((mode & kPackedFlag) !== 0 && items instanceof Float64Array)
    return runPackedChunk(fn, jobId, report, items);
  return runChunk(fn, jobId, (mode & kKindMask) !== kMap, report, items, [], 0);
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
  return runAnyChunk(fn, jobId, mode, report, payload as ArrayLike<unknown>);
}
