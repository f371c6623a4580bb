/**
 * The pool worker's outbox to its parent: finished tasks' results (and,
 * before them, their progress events) go back in batches, one message per
 * synchronous run of tasks, or sooner when a run lasts over half a
 * millisecond, or each at once under the 'process' start method (see
 * worker-env.ts). A map chunk of numbers goes packed in a Float64Array;
 * buffers `move()` marked go in the transfer list.
 */
import { serializeError, toPostable } from '@multiprocessing/core/internal';
import { parentChannel } from '@multiprocessing/process/internal/child';
import { EventOutbox } from './event-outbox.js';
import { installMoveRegistry, takeMoved, type MoveRegistry } from './move-registry.js';
import {
  kFailed,
  kOk,
  kOkPacked,
  kOkPostable,
  kPackMin,
  kPoolMessage,
  kRunningSlot,
  type DoneMessage,
  type FromWorker,
} from './protocol.js';
import { leaveTask, setEventSink } from './task-slot.js';
import { crossProcess, data, flushEach, progress } from './worker-env.js';
import { overMemory } from './worker-lifecycle.js';

/** A run of tasks longer than this sends the results it has so far. */
const kFlushAfterMs = 0.5;
/**
 * The buffers `move()` marked (thread workers only: across processes a
 * result is always copied, so there `move()` marks nothing).
 */
const moves = crossProcess ? undefined : installMoveRegistry();
/** maxMemoryPerChild in bytes; 0: no limit. */
const maxMemory = data.maxMemoryBytes;

// Invariant: `outbox` holds finished results not yet posted, in task order;
// `outTransfer` the buffers of packed and `move()`d results in it (moved,
// under threads), each once.
let outbox: unknown[] = [];
let outTransfer: ArrayBuffer[] = [];
let lastFlush = performance.now();
/** True once it told the parent its heap passed maxMemoryPerChild. */
let recycling = false;

/** Posts `message` to the parent. */
export function post(message: FromWorker): void {
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

/** Posts the events and results not sent yet. */
export function flush(): void {
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

/** Task `jobId` ended with `status` and `value`: queued for the parent (posted now if due). */
export function finish(jobId: number, status: number, value: unknown): void {
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
export function finishOk(jobId: number, value: unknown, items?: unknown[]): void {
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

/**
 * A map chunk's results: packed in a Float64Array when they are all numbers
 * (a packed chunk that gave numbers only comes back in its own buffer).
 */
export function finishChunk(jobId: number, results: unknown[] | Float64Array): void {
  if (results instanceof Float64Array) {
    // Its buffer is its own (it was moved here, or copied whole across
    // processes); anything else (a view, a shared buffer) goes as a copy.
    const buffer = results.buffer;
    const own =
      buffer instanceof ArrayBuffer && results.byteOffset === 0 && results.byteLength === buffer.byteLength;
    const packed = own ? results : results.slice();
    if (!crossProcess) outTransfer.push(packed.buffer as ArrayBuffer);
    finish(jobId, kOkPacked, packed);
    return;
  }
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

export function finishError(jobId: number, err: unknown): void {
  finish(jobId, kFailed, serializeError(err));
}

/** Sends one task's outcome: a chunk's result array, or a single call's value. */
export function finishTask(jobId: number, chunk: boolean, value: unknown): void {
  if (chunk) finishChunk(jobId, value as unknown[] | Float64Array);
  else finishOk(jobId, value);
}

/** Task `jobId` (item `index` of a chunk) starts: the parent starts its clock. */
export function reportStart(jobId: number, index: number): void {
  // Results first, so the parent sees them in order.
  flush();
  post([kPoolMessage, 'start', jobId, index]);
}
