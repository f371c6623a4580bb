/**
 * Thread-safe FIFO queue between worker threads. Mirrors
 * `multiprocessing.queues.Queue`. Differences: `get`/`put` return Promises
 * (with …Sync twins), `put` is synchronous (the item is in shared memory when
 * it resolves, so there is no feeder thread and no join-before-drain
 * deadlock), `qsize()`/`empty()`/`full()` are exact, and `close()` closes the
 * queue for every thread. `shutdown()` follows Python's main branch.
 */
import {
  EmptyError,
  FullError,
  ShutDownError,
  StateError,
  kInspect,
  kShareable,
  registerShareable,
  type Shareable,
  type ShareableState,
} from '@multiprocessing/core';
import { kReadyNow, kWhenReady, withEncoded } from '@multiprocessing/core/internal';
import { BUSY, CLOSED, EMPTY, Outcome, SharedRing, type RingData, type Taken } from './internal/ring.js';
import type { BlockOptions } from './block-options.js';
import { waitBudget } from './internal/timeout.js';
import { deadlineAfter } from './internal/wait.js';
import { rejectWith } from './internal/reject.js';
import { queueRemote } from './internal/remote-specs.js';
import { kRing } from './internal/ring-key.js';
import { immediateOf, isShutDown, shutDown, stateSuffix } from './internal/ring-shutdown.js';
import type { QueueShutdownOptions } from './internal/ring-shutdown.js';

export type { BlockOptions } from './block-options.js';
export type { QueueShutdownOptions } from './internal/ring-shutdown.js';

/** Options of {@link Queue} and {@link JoinableQueue}. */
export interface QueueOptions {
  /**
   * Most items the queue holds; `put` waits (or fails with `FullError`)
   * when it is reached. `0` or a negative number means unbounded, as in
   * Python. At most 2³¹−1, as in Python (whose semaphore holds a C int):
   * a larger one throws `RangeError` (Python: `OverflowError`).
   * @default 0
   */
  maxsize?: number;
}

/** @internal The descriptor every queue kind shares. */
export interface QueueData extends RingData {
  readonly kind: 'Queue' | 'JoinableQueue' | 'SimpleQueue';
}

/** The largest `maxsize`: the ring keeps it, and the item count, in 32-bit words. */
const MAX_MAXSIZE = 0x7fffffff;

/** @internal Builds the shared ring for a new queue from its options. */
export function ringFor(options: QueueOptions | undefined): SharedRing {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError('options must be an object like {maxsize}');
  }
  const maxsize = options?.maxsize ?? 0;
  if (typeof maxsize !== 'number' || !Number.isInteger(maxsize)) {
    throw new TypeError(
      `maxsize must be an integer, got ${typeof maxsize === 'number' ? String(maxsize) : typeof maxsize}`,
    );
  }
  if (maxsize > MAX_MAXSIZE) {
    throw new RangeError(
      `maxsize must be <= ${String(MAX_MAXSIZE)} (the item count is a 32-bit word), got ${String(maxsize)}`,
    );
  }
  return SharedRing.create(maxsize > 0 ? maxsize : 0);
}

/**
 * A FIFO queue shared by every thread it is passed to. Items are anything
 * the project codec carries, shareables included: a
 * Queue, a Connection, a Lock or a Value put on a queue arrives live. Items
 * from one producer come out in put order.
 *
 * @example
 * ```ts
 * const q = new Queue<number>({ maxsize: 100 });
 * await q.put(1);
 * console.log(await q.get()); // 1
 * q.close();
 * for await (const x of q) console.log(x); // drains what is left, then ends
 * ```
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.Queue
 */
export class Queue<T = unknown> implements Shareable, AsyncIterable<T> {
  /** @internal */
  readonly [kRing]: SharedRing;

  constructor(options?: QueueOptions);
  /** @internal Revives a queue over existing shared memory. */
  constructor(options: QueueOptions | undefined, ring: SharedRing);
  constructor(options?: QueueOptions, ring?: SharedRing) {
    this[kRing] = ring ?? ringFor(options);
  }

  /** The `maxsize` the queue was created with (0 = unbounded). */
  get maxsize(): number {
    return this[kRing].maxsize;
  }

  /**
   * Puts `item` at the end of the queue. The item is encoded at once (a
   * function inside it rejects with `PicklingError`), and it is in shared
   * memory when the promise resolves. Waits while the queue is full.
   *
   * @throws {FullError} when it is still full after `timeout` seconds, or at
   *   once with `block: false`.
   * @throws {ShutDownError} once the queue is shut down, a put waiting for
   *   room included.
   * @throws {StateError} `Queue is closed`.
   */
  put(item: T, options?: BlockOptions): Promise<void> {
    try {
      const ring = this[kRing];
      const ms = waitBudget(options);
      if (ring.closed()) throw this._closedError();
      return withEncoded(item, 'item', (bytes) => {
        const fast = ring.tryPut(bytes, this._countsTasks());
        if (fast === Outcome.Done) return Promise.resolve();
        if (fast === Outcome.Closed) throw this._closedError();
        if (fast === Outcome.Full && ms === 0) throw new FullError();
        // The codec reuses `bytes` once this returns: the wait keeps a copy.
        return ring
          .putAsync(new Uint8Array(bytes), deadlineAfter(ms), ms === 0, this._countsTasks())
          .then((r) => {
            this.#afterPut(r);
          });
      });
    } catch (err) {
      return rejectWith(err);
    }
  }

  /**
   * Blocking twin of {@link Queue.put}: blocks the calling thread while full.
   *
   * @throws {FullError} as {@link Queue.put}.
   * @throws {ShutDownError} as {@link Queue.put}.
   */
  putSync(item: T, options?: BlockOptions): void {
    const ring = this[kRing];
    const ms = waitBudget(options);
    if (ring.closed()) throw this._closedError();
    this.#afterPut(
      withEncoded(item, 'item', (bytes) =>
        ring.putSync(bytes, deadlineAfter(ms), ms === 0, this._countsTasks()),
      ),
    );
  }

  /**
   * Puts without waiting (Python's `put_nowait`).
   *
   * @throws {FullError} when the queue is full.
   * @throws {ShutDownError} once the queue is shut down.
   */
  putNowait(item: T): void {
    this.putSync(item, { block: false });
  }

  /**
   * Removes and resolves with the first item. Waits while the queue is
   * empty; on a closed or shut-down queue, resolves with what is left and
   * then rejects.
   *
   * @throws {EmptyError} when it is still empty after `timeout` seconds, or
   *   at once with `block: false`.
   * @throws {ShutDownError} once shut down and drained (a get waiting then
   *   included); at once after an immediate shutdown.
   * @throws {StateError} `Queue is closed` once closed and drained.
   */
  get(options?: BlockOptions): Promise<T> {
    try {
      const ring = this[kRing];
      const ms = waitBudget(options);
      const fast = ring.tryGet();
      if (fast === CLOSED) throw this._closedError();
      if (fast === EMPTY) {
        if (ms === 0) throw new EmptyError();
      } else if (fast !== BUSY) {
        return Promise.resolve(fast as T);
      }
      return ring.getAsync(deadlineAfter(ms), ms === 0).then((r) => this.#afterGet(r));
    } catch (err) {
      return rejectWith(err);
    }
  }

  /**
   * Blocking twin of {@link Queue.get}: blocks the calling thread while empty.
   *
   * @throws {EmptyError} as {@link Queue.get}.
   * @throws {ShutDownError} as {@link Queue.get}.
   */
  getSync(options?: BlockOptions): T {
    const ms = waitBudget(options);
    return this.#afterGet(this[kRing].getSync(deadlineAfter(ms), ms === 0));
  }

  /**
   * Removes the first item without waiting (Python's `get_nowait`).
   *
   * @throws {EmptyError} when the queue is empty.
   * @throws {ShutDownError} when it is shut down and empty.
   */
  getNowait(): T {
    return this.getSync({ block: false });
  }

  /**
   * The number of items in the queue, exact at the moment of the call (a
   * thread whose own `put` resolved sees its item counted).
   */
  qsize(): number {
    return this[kRing].count();
  }

  /** True when the queue holds no item (exact at the moment of the call). */
  empty(): boolean {
    return this[kRing].count() === 0;
  }

  /** @internal For connection.wait(): whether a get would not wait (an item, or closed). */
  [kReadyNow](): boolean {
    return this[kRing].readable();
  }

  /** @internal For connection.wait(): settles once a get would not wait, or once `signal` aborts. */
  [kWhenReady](signal: AbortSignal): Promise<void> {
    return this[kRing].whenReadable(signal);
  }

  /** True when the queue holds `maxsize` items (never, when unbounded). */
  full(): boolean {
    const ring = this[kRing];
    return ring.maxsize > 0 && ring.count() >= ring.maxsize;
  }

  /**
   * Closes the queue in every thread: later puts throw `Queue is closed`;
   * gets drain what is left, then reject with `Queue is closed`, and
   * `for await` loops end. Idempotent. Unlike Python's `close()`, which
   * only says that this process will put no more, it ends the queue for
   * every user, as {@link Queue.shutdown} does with Python's `ShutDown`
   * error; {@link Queue.joinThread} needs no `close()` first.
   */
  close(): void {
    this[kRing].close();
  }

  /**
   * Shuts the queue down in every thread and process (Python's
   * `Queue.shutdown`, main branch): later puts throw `ShutDownError`, and
   * so do puts waiting for room. Gets take the items left, then throw
   * `ShutDownError` (gets waiting are woken); with `immediate: true` the
   * items left are dropped and every get throws at once, and on a
   * JoinableQueue each dropped item counts as a `taskDone()`, so `join()`
   * returns once the items already taken are done. `for await` loops end
   * once the queue is drained. Calling it again is harmless. A queue both
   * closed and shut down throws `ShutDownError`.
   *
   * In another process, two things differ. A put to an unbounded queue is
   * streamed: once the queue is shut down it fails at the owner, and that
   * process's next call on the queue (such as `joinThread()`) throws the
   * `ShutDownError`. And a process that took items of an unbounded queue
   * ahead of its gets may still get the ones it holds after an immediate
   * shutdown; the ones it gives back are dropped (and counted as done).
   *
   * @throws {TypeError} when `options` or `immediate` has the wrong type.
   * @see https://docs.python.org/3/library/queue.html#queue.Queue.shutdown
   */
  shutdown(options?: QueueShutdownOptions): void {
    shutDown(this[kRing], immediateOf(options));
  }

  /**
   * Resolves once every put of this thread on this queue that has resolved
   * (or returned, for `putSync`/`putNowait`) is in the queue (Python's
   * `join_thread`). In the process that made the queue, and in its worker
   * threads, a put is in shared memory when it resolves, so this resolves
   * at once. In another process, puts to an unbounded queue are streamed to
   * the owner without waiting for it; this resolves once the owner has put
   * them all in the queue. A put still waiting for room is not covered:
   * await it. Unlike Python's, it needs no `close()` first.
   *
   * @throws {ShutDownError} (in another process) when a streamed put failed
   *   at the owner because the queue was shut down (`StateError` when it was
   *   closed): the error of a streamed put comes with the next call.
   * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.Queue.join_thread
   */
  joinThread(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Python's `cancel_join_thread`, for parity; it changes nothing. Python
   * needs it because a process exits only once its feeder thread has written
   * the buffered puts into the pipe, which blocks while the pipe is full.
   * Here a put in the queue's own process needs no flush, and a process
   * that streamed puts to an unbounded queue of another process waits at
   * exit only until the owner has taken them, which never waits for room
   * (or fails at once when the owner is gone): the exit still delivers
   * them, unless the process is killed.
   *
   * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.Queue.cancel_join_thread
   */
  cancelJoinThread(): void {
    // Nothing to cancel (see above).
  }

  /** Yields items until the queue is closed or shut down, and drained. */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    const ring = this[kRing];
    for (;;) {
      let item: T;
      try {
        item = await this.get();
      } catch (err) {
        const ended = err instanceof StateError || err instanceof ShutDownError;
        if (ended && ring.closed() && ring.count() === 0) return;
        throw err;
      }
      yield item;
    }
  }

  /** @internal The shareable descriptor. */
  [kShareable](): ShareableState {
    return {
      tag: `queue:${this._kind()}`,
      data: { ...this[kRing].data, kind: this._kind() } satisfies QueueData,
      threadOnly: true,
    };
  }

  /** @internal Which kind of queue this is (its shareable tag). */
  protected _kind(): QueueData['kind'] {
    return 'Queue';
  }

  /** @internal Whether a put counts an unfinished task (JoinableQueue). */
  protected _countsTasks(): boolean {
    return false;
  }

  /** @internal The error for an operation on a closed or shut-down queue. */
  protected _closedError(): StateError | ShutDownError {
    if (isShutDown(this[kRing])) return new ShutDownError('Queue is shut down');
    return new StateError('Queue is closed');
  }

  #afterPut(r: Outcome): void {
    if (r === Outcome.Done) return;
    if (r === Outcome.Full) throw new FullError();
    throw this._closedError();
  }

  #afterGet(r: Taken): T {
    if (r === EMPTY) throw new EmptyError();
    if (r === CLOSED) throw this._closedError();
    return r as T;
  }

  /**
   * `<Queue qsize=3 maxsize=0>`, then ` closed` once closed and ` shutdown`
   * once shut down (Python's has no repr of its own).
   */
  toString(): string {
    const ring = this[kRing];
    const extra = this._countsTasks() ? ` unfinished=${String(ring.unfinished())}` : '';
    return `<${this._kind()} qsize=${String(ring.count())} maxsize=${String(ring.maxsize)}${extra}${stateSuffix(ring)}>`;
  }

  /** `util.inspect` / `console.log` show {@link Queue.toString}, not the ring and its buffer. */
  [kInspect](): string {
    return this.toString();
  }
}

/** @internal Used by the other queue kinds and their revivers. */
export { kRing };

registerShareable(
  'queue:Queue',
  import.meta.url,
  Queue,
  (d: QueueData) => new Queue(undefined, new SharedRing(d)),
  { remote: queueRemote },
);
