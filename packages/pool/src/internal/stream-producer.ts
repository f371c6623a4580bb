/**
 * The worker's half of `Pool.stream` (no Python counterpart: Python's Pool
 * cannot stream a generator's values). It pulls values from a stream task's
 * iterator only while the caller has granted credit, and posts them in
 * batches: every value pulled in one run of microtasks goes in one message.
 *
 * Flow control: the task arrives with an initial credit (the call's
 * `highWaterMark`); each value pulled spends one; the caller grants more
 * (`credit` messages) as its consumer reads values. So the worker is never
 * more values ahead of the consumer than `highWaterMark`.
 */
import { PicklingError, toPostable } from '@multiprocessing/core/internal';
import { kPoolMessage, type ItemsMessage } from './protocol.js';

/** A batch that has been filling this long is posted even while values keep coming (ms). */
const kBatchMs = 0.5;
/** The most values in one message. */
const kMaxBatch = 4096;

/** Posts a message to the parent (may throw a DataCloneError). */
export type PostItems = (message: ItemsMessage) => void;

/** The stream running in this worker (a worker runs one task at a time). */
class ActiveStream {
  /** Values it may still pull before the caller grants more. */
  credit: number;
  /** The caller closed the stream (its consumer's `return()`). */
  closed = false;
  /** A batch could not be posted: the stream fails with this. */
  failure: Error | undefined = undefined;
  // Invariant: `batch` holds the values pulled and not posted yet, in order;
  // `postable` is true when one of them went through toPostable's encoding.
  batch: unknown[] = [];
  postable = false;
  batchStart = 0;
  flushScheduled = false;
  /** Resolves the wait for credit (or for the close). */
  wake: (() => void) | undefined = undefined;

  constructor(
    readonly jobId: number,
    credit: number,
    readonly crossProcess: boolean,
    readonly post: PostItems,
  ) {
    this.credit = credit;
  }

  /** Adds a pulled value to the batch; throws PicklingError for a value that cannot be sent. */
  add(value: unknown): void {
    if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
      const out = toPostable(value, 'a streamed value', { crossProcess: this.crossProcess });
      if (!out.plain) this.postable = true;
      value = out.value;
    }
    const batch = this.batch;
    if (batch.length === 0) {
      this.batchStart = performance.now();
      if (!this.flushScheduled) {
        // Posted as soon as the generator waits for anything but a microtask.
        this.flushScheduled = true;
        setImmediate(() => {
          this.flushScheduled = false;
          this.flush();
        });
      }
    }
    batch.push(value);
    if (batch.length >= kMaxBatch || performance.now() - this.batchStart > kBatchMs) this.flush();
  }

  /** Posts the batch; a value that cannot be cloned sets {@link failure} (after posting the ones before it). */
  flush(): void {
    const batch = this.batch;
    if (batch.length === 0 || this.failure !== undefined) return;
    const postable = this.postable;
    this.batch = [];
    this.postable = false;
    if (this.closed) return; // nobody reads them any more
    try {
      this.post([kPoolMessage, 'items', this.jobId, postable, batch]);
    } catch {
      // A value structured clone refuses (a WeakMap, a Promise …) that
      // toPostable let through: post the values before it, then fail.
      for (const value of batch) {
        try {
          this.post([kPoolMessage, 'items', this.jobId, postable, [value]]);
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          this.failure = new PicklingError(`a streamed value cannot be sent to the caller: ${message}`, {
            cause: err,
          });
          this.wake?.();
          return;
        }
      }
    }
  }

  /** Resolves once the caller grants credit or closes the stream. */
  waitForCredit(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        resolve();
      };
    });
  }
}

// Invariant: the stream this worker is running, if any.
let active: ActiveStream | undefined;

/** A `credit` message: stream `jobId` may pull `credit` more values. */
export function grantCredit(jobId: number, credit: number): void {
  if (active?.jobId !== jobId) return; // it ended meanwhile
  active.credit += credit;
  active.wake?.();
}

/** A `close-stream` message: true if `jobId` is the running stream (it stops at its next step). */
export function closeActiveStream(jobId: number): boolean {
  if (active?.jobId !== jobId) return false;
  active.closed = true;
  active.batch = [];
  active.wake?.();
  return true;
}

/** Posts the running stream's pending values now (the worker is exiting). */
export function flushActiveStream(): void {
  active?.flush();
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** The iterator of what a stream task returned: its async iterator, else its iterator. */
function iteratorOf(source: unknown): Iterator<unknown> | AsyncIterator<unknown> {
  if (source !== null && source !== undefined) {
    const s = source as Partial<AsyncIterable<unknown> & Iterable<unknown>>;
    const asyncIterator = s[Symbol.asyncIterator];
    if (typeof asyncIterator === 'function') return asyncIterator.call(source);
    const iterator = s[Symbol.iterator];
    if (typeof iterator === 'function') return iterator.call(source);
  }
  const got = source === null ? 'null' : typeof source;
  throw new TypeError(
    `a stream task must return an iterable or an async iterable (an async generator, say), got ${got}`,
  );
}

/** Calls `iterator.return()` so the generator's `finally` blocks run; awaits it. */
async function stopIterator(iterator: Iterator<unknown> | AsyncIterator<unknown>): Promise<void> {
  if (typeof iterator.return !== 'function') return;
  const r: unknown = iterator.return();
  if (isThenable(r)) await r;
}

/**
 * Runs stream task `fn(...args)` as job `jobId` with `credit` (the initial
 * credit): resolves once its iterator is done or the caller closed it,
 * rejects with the error that ended it. `reportStart`: post an empty
 * `items` message first (the caller's clock starts).
 */
export async function runStream(
  fn: (...args: unknown[]) => unknown,
  args: unknown[],
  jobId: number,
  credit: number,
  reportStart: boolean,
  crossProcess: boolean,
  post: PostItems,
): Promise<void> {
  const s = new ActiveStream(jobId, credit, crossProcess, post);
  active = s;
  try {
    if (reportStart) post([kPoolMessage, 'items', jobId, false, []]);
    let source = fn(...args);
    if (isThenable(source)) source = await source;
    const iterator = iteratorOf(source);
    for (;;) {
      if (s.closed) {
        await stopIterator(iterator);
        return;
      }
      if (s.failure !== undefined) break;
      if (s.credit <= 0) {
        s.flush();
        if (s.failure !== undefined) break;
        await s.waitForCredit();
        continue;
      }
      // An error the iterator throws ends it (no return() after it), after
      // the values it yielded before.
      let step: unknown;
      try {
        step = iterator.next();
        if (isThenable(step)) step = await step;
      } catch (err) {
        s.flush();
        throw err;
      }
      if (typeof step !== 'object' || step === null) {
        throw new TypeError(`a stream task's iterator returned a non-object result: ${String(step)}`);
      }
      const result = step as IteratorResult<unknown>;
      if (result.done === true) break;
      let value = result.value;
      // As `for await` over a sync iterable: a yielded promise is awaited.
      if (isThenable(value)) value = await value;
      if (s.closed) continue;
      s.credit--;
      try {
        s.add(value);
      } catch (err) {
        // The values before this one first.
        s.flush();
        await stopIterator(iterator).catch(() => undefined);
        throw err;
      }
    }
    const failed = s.failure;
    if (failed !== undefined) {
      await stopIterator(iterator).catch(() => undefined);
      throw failed;
    }
    // Its last values go before its result.
    s.flush();
    const lastFailed = s.failure;
    if (lastFailed !== undefined) throw lastFailed;
  } finally {
    s.wake = undefined;
    if (active === s) active = undefined;
  }
}
