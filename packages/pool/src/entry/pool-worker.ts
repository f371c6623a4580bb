/**
 * The pool worker: what runs inside each `PoolWorker-N`. Mirrors
 * `multiprocessing.pool.worker`: run the initializer once, then run tasks one
 * at a time in the order they arrive and send each result back. With
 * `concurrentTasksPerWorker` above 1, tasks still start in the order they
 * arrive, but up to that many async tasks are pending at once, and each
 * result goes back when its task finishes (drainMany).
 *
 * Tasks arrive in batches (one message per tick of the parent) and results go
 * back in batches: one message per synchronous run of tasks, or sooner when a
 * run lasts over half a millisecond. Under the 'process' start method each result
 * is sent as soon as it is known, because messages a child wrote just before
 * it died may be lost, and the parent must know which task was running.
 */
import { type AnyFunction } from '@multiprocessing/core';
import {
  fromPostable,
  loadRevivers,
  loadTask,
  serializeError,
  toPostable,
  type TaskSpec,
} from '@multiprocessing/core/internal';
import { getLaunchData, parentChannel } from '@multiprocessing/process/internal';
import {
  isPoolMessage,
  kApply,
  kClaimSlot,
  kEventsFlag,
  kFailed,
  kKindMask,
  kMap,
  kOk,
  kOkPacked,
  kOkPostable,
  kOneArgFlag,
  kPackMin,
  kPoolMessage,
  kPostableFlag,
  kReportStartFlag,
  kRunningSlot,
  kStream,
  kStreamClosed,
  kTaskStride,
  type AbortReason,
  type DoneMessage,
  type FromWorker,
  type ToWorker,
  type WorkerData,
} from '../internal/protocol.js';
import { decodeAbortReason } from '../internal/abort-reason.js';
import { EventOutbox } from '../internal/event-outbox.js';
import { rejected } from '../internal/rejected.js';
import { installMoveRegistry, takeMoved, type MoveRegistry } from '../internal/move-registry.js';
import { loadFinalizer, overMemory, runFinalizer } from '../internal/worker-lifecycle.js';
import {
  abortRunning,
  enterTask,
  leaveTask,
  runInTask,
  runningAbort,
  setEventSink,
  useTaskContexts,
} from '../internal/task-slot.js';
import { closeActiveStream, flushActiveStream, grantCredit, runStream } from '../internal/stream-producer.js';

const data = getLaunchData<WorkerData>();
const progress = data.progress === null ? undefined : new Int32Array(data.progress);
const crossProcess = data.crossProcess;
/** Tasks pending at once (see WorkerData.concurrency). */
const concurrency = data.concurrency;
/** Send each result at once (see the module header). */
const flushEach = progress === undefined;
/** A run of tasks longer than this sends the results it has so far. */
const kFlushAfterMs = 0.5;
/**
 * The buffers `move()` marked (thread workers only: across processes a
 * result is always copied, so there `move()` marks nothing).
 */
const moves = crossProcess ? undefined : installMoveRegistry();

// Invariant: `fns` maps every fnId the parent defined to the function, or to
// the promise of it while the module loads (or the load error's promise).
const fns = new Map<number, AnyFunction | Promise<AnyFunction>>();
// Invariant: tasks[head …] are received and not started, kTaskStride items each.
let tasks: unknown[] = [];
let head = 0;
// Invariant: `outbox` holds finished results not yet posted, in task order;
// `outTransfer` the buffers of packed and `move()`d results in it (moved,
// under threads), each once.
let outbox: unknown[] = [];
let outTransfer: ArrayBuffer[] = [];
let lastFlush = performance.now();
// Invariant: jobs the parent asked to abort while they were queued here,
// with the reason; each is removed when the worker reaches it (and skips it).
let skipped: Map<number, Error> | undefined;
/** True while a task's promise (or a function's load) is pending. */
let waiting = false;
/** False until the initializer has run. */
let ready = false;
let stopping = false;
/** Sequence number of the last task started (see WorkerData.progress). */
let seq = 0;
/** maxMemoryPerChild in bytes; 0: no limit. */
const maxMemory = data.maxMemoryBytes;
/** True once it told the parent its heap passed maxMemoryPerChild. */
let recycling = false;
/** The finalizer, loading from the start (undefined: none). */
const finalizer = loadFinalizer(data);
let exiting = false;
/** drainMany only: tasks started whose result is not known yet. */
let active = 0;

function post(message: FromWorker): void {
  parentChannel.postMessage(message);
}

const events = new EventOutbox(
  post,
  crossProcess,
  () => flushEach || performance.now() - lastFlush > kFlushAfterMs,
  flush,
);
setEventSink((jobId, value) => {
  events.push(jobId, value);
});

function flush(): void {
  // Events first: a task's events come before its result.
  if (events.pending) events.flush();
  if (outbox.length === 0) return;
  const batch = outbox;
  const transfer = outTransfer;
  outbox = [];
  outTransfer = [];
  lastFlush = performance.now();
  try {
    if (transfer.length > 0)
      parentChannel.postMessage([kPoolMessage, 'done', batch] satisfies DoneMessage, transfer);
    else post([kPoolMessage, 'done', batch]);
  } catch {
    // A value structured clone refuses (a WeakMap, a Promise …) that
    // toPostable let through: send the results one by one and turn each
    // that fails into an error for its own task.
    for (let i = 0; i < batch.length; i += 3) {
      const one = batch.slice(i, i + 3);
      try {
        post([kPoolMessage, 'done', one]);
      } catch (err) {
        post([kPoolMessage, 'done', [one[0], kFailed, serializeError(err)]]);
      }
    }
  }
}

/**
 * Claims the next task (see WorkerData.progress); false if the parent took
 * it back, in which case it must be skipped.
 */
function claim(): boolean {
  const s = ++seq;
  if (progress === undefined) return true;
  if (Atomics.compareExchange(progress, kClaimSlot, s - 1, s) !== s - 1) return false;
  Atomics.store(progress, kRunningSlot, s);
  return true;
}

function finish(jobId: number, status: number, value: unknown): void {
  if (maxMemory !== 0 && !recycling && overMemory(maxMemory)) {
    // Before the result: the parent gives it nothing more and replaces it.
    recycling = true;
    post([kPoolMessage, 'recycle']);
  }
  leaveTask(jobId);
  outbox.push(jobId, status, value);
  if (progress !== undefined) Atomics.store(progress, kRunningSlot, 0);
  if (flushEach || performance.now() - lastFlush > kFlushAfterMs) flush();
}

/**
 * Adds the buffers `move()` marked `value` with to the transfer list; true
 * if there were any.
 */
function addMoved(registry: MoveRegistry, value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const list = takeMoved(registry, value);
  if (list === undefined) return false;
  for (const buffer of list) if (!outTransfer.includes(buffer)) outTransfer.push(buffer);
  return true;
}

/** Adds the moves of a result, or of each item of a chunk's results; true if there were any. */
function addMoves(registry: MoveRegistry, value: unknown, items: unknown[] | undefined): boolean {
  let moved = addMoved(registry, value);
  if (items !== undefined) for (const item of items) if (addMoved(registry, item)) moved = true;
  return moved;
}

/**
 * The result being finished goes out at once, so the buffers it moves are
 * detached as the task returns (not when its batch ends).
 */
function sendAtOnce(): void {
  lastFlush = -Infinity;
}

/** A result; `items` when it is a chunk's results (each may have been moved). */
function finishOk(jobId: number, value: unknown, items?: unknown[]): void {
  if (typeof value !== 'object' || value === null) {
    if (typeof value !== 'function') {
      finish(jobId, kOk, value);
      return;
    }
  }
  let out: ReturnType<typeof toPostable>;
  try {
    out = toPostable(value, 'result', { crossProcess });
  } catch (err) {
    finish(jobId, kFailed, serializeError(err));
    return;
  }
  // A moved result goes at once: its buffers are detached as the task returns.
  if (moves !== undefined && moves.pending > 0 && addMoves(moves, value, items)) sendAtOnce();
  finish(jobId, out.plain ? kOk : kOkPostable, out.value);
}

/** A map chunk's results: packed in a Float64Array when they are all numbers. */
function finishChunk(jobId: number, results: unknown[]): void {
  const n = results.length;
  if (n >= kPackMin) {
    let numbers = true;
    for (let i = 0; i < n; i++) {
      if (typeof results[i] !== 'number') {
        numbers = false;
        break;
      }
    }
    if (numbers) {
      const packed = new Float64Array(results as number[]);
      if (!crossProcess) outTransfer.push(packed.buffer);
      finish(jobId, kOkPacked, packed);
      return;
    }
  }
  finishOk(jobId, results, results);
}

function finishError(jobId: number, err: unknown): void {
  finish(jobId, kFailed, serializeError(err));
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function reportStart(jobId: number, index: number): void {
  // Results first, so the parent sees them in order.
  flush();
  post([kPoolMessage, 'start', jobId, index]);
}

/**
 * Runs the items of a map or starmap chunk from `from`; returns the result
 * array, or a promise of it once an item turns out to be async.
 */
function runChunk(
  fn: AnyFunction,
  jobId: number,
  star: boolean,
  report: boolean,
  items: ArrayLike<unknown>,
  results: unknown[],
  from: number,
): unknown[] | Promise<unknown[]> {
  for (let i = from; i < items.length; i++) {
    // The caller gave up on this chunk: its remaining items do not run.
    const abort = runningAbort();
    if (abort !== undefined) throw abort.reason;
    if (report) reportStart(jobId, i);
    const item = items[i];
    const r: unknown = star ? fn(...(item as unknown[])) : fn(item);
    if (isThenable(r)) {
      return Promise.resolve(r).then((v) => {
        results.push(v);
        return runChunk(fn, jobId, star, report, items, results, i + 1);
      });
    }
    results.push(r);
  }
  return results;
}

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
    if (skipped !== undefined) {
      const reason = skipped.get(jobId);
      if (reason !== undefined) {
        // Aborted while it waited here: it does not run.
        skipped.delete(jobId);
        if (skipped.size === 0) skipped = undefined;
        tasks[head + 3] = undefined;
        head += kTaskStride;
        if (claim()) finishError(jobId, reason);
        continue;
      }
    }
    const fn = fns.get(fnId);
    if (fn === undefined) {
      head += kTaskStride;
      if (claim()) finishError(jobId, new Error(`pool protocol: function ${String(fnId)} was never defined`));
      continue;
    }
    if (typeof fn !== 'function') {
      // The module is still loading: wait for it, then go on.
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
          // Fail this task; the next task of the same function fails the same way.
          head += kTaskStride;
          if (claim()) finishError(jobId, err);
          waiting = false;
          drain();
        },
      );
      return;
    }
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
      (skipped ??= new Map()).set(jobId, reason);
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

/** Sends one task's outcome: a chunk's result array, or a single call's value. */
function finishTask(jobId: number, chunk: boolean, value: unknown): void {
  if (chunk) finishChunk(jobId, value as unknown[]);
  else finishOk(jobId, value);
}

/**
 * Runs task `jobId` (drainMany): returns its result, or the promise of it.
 * Called in the task's own context for `currentTask()` (runInTask).
 */
function callTask(fn: AnyFunction, jobId: number, mode: number, payload: unknown): unknown {
  const kind = mode & kKindMask;
  const report = (mode & kReportStartFlag) !== 0;
  if ((mode & kPostableFlag) !== 0) payload = fromPostable(payload);
  if (kind === kApply) {
    if (report) reportStart(jobId, 0);
    return (mode & kOneArgFlag) !== 0 ? fn(payload) : fn(...(payload as unknown[]));
  }
  return runChunk(fn, jobId, kind !== kMap, report, payload as ArrayLike<unknown>, [], 0);
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
    if (skipped !== undefined) {
      const reason = skipped.get(jobId);
      if (reason !== undefined) {
        // Aborted while it waited here: it does not run.
        skipped.delete(jobId);
        if (skipped.size === 0) skipped = undefined;
        tasks[head + 3] = undefined;
        head += kTaskStride;
        if (claim()) finishError(jobId, reason);
        continue;
      }
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

async function initialize(): Promise<void> {
  // So getWorkerData() can revive the shareables in it synchronously.
  if (data.workerDataPostable) await loadRevivers(data.workerData);
  if (data.initializer === null) return;
  const init = await loadTask(data.initializer);
  if (data.initArgsPostable) await loadRevivers(data.initArgs);
  const args = (data.initArgsPostable ? fromPostable(data.initArgs) : data.initArgs) as unknown[];
  await init(...args);
}

initialize().then(
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
