/**
 * The simplest queue between threads. Mirrors `multiprocessing.SimpleQueue`:
 * `put`, `get`, `empty` and `close`, without a size limit, timeouts or
 * `qsize`. Beyond Python: `shutdown()`, as on `Queue`.
 */
import {
  ShutDownError,
  StateError,
  kInspect,
  kShareable,
  registerShareable,
  type Shareable,
  type ShareableState,
} from '@multiprocessing/core';
import { kReadyNow, kWhenReady, withEncoded } from '@multiprocessing/core/internal';
import { BUSY, CLOSED, EMPTY, Outcome, SharedRing, type Taken } from './internal/ring.js';
import type { QueueData, QueueShutdownOptions } from './queue.js';
import { rejectWith } from './internal/reject.js';
import { simpleQueueRemote } from './internal/remote-specs.js';
import { immediateOf, isShutDown, shutDown, stateSuffix } from './internal/ring-shutdown.js';

/**
 * An unbounded FIFO queue shared by every thread it is passed to, with the
 * same item rules as {@link Queue}.
 *
 * @example
 * ```ts
 * const q = new SimpleQueue<number>();
 * q.putSync(1);
 * console.log(await q.get()); // 1
 * ```
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.SimpleQueue
 */
export class SimpleQueue<T = unknown> implements Shareable {
  readonly #ring: SharedRing;

  constructor();
  /** @internal Revives a queue over existing shared memory. */
  constructor(ring: SharedRing);
  constructor(ring?: SharedRing) {
    this.#ring = ring ?? SharedRing.create(0);
  }

  /**
   * Puts `item`; never waits (the queue is unbounded).
   *
   * @throws {PicklingError} when `item` holds a function.
   * @throws {ShutDownError} once the queue is shut down.
   * @throws {StateError} `handle is closed`.
   */
  put(item: T): Promise<void> {
    try {
      this.putSync(item);
      return Promise.resolve();
    } catch (err) {
      return rejectWith(err);
    }
  }

  /**
   * Synchronous form of {@link SimpleQueue.put} (it never blocks).
   *
   * @throws {ShutDownError} as {@link SimpleQueue.put}.
   */
  putSync(item: T): void {
    const ring = this.#ring;
    if (ring.closed()) throw closed(ring);
    const r = withEncoded(item, 'item', (bytes) => ring.putSync(bytes, undefined, false, false));
    if (r !== Outcome.Done) throw closed(ring);
  }

  /**
   * Removes and resolves with the first item, waiting while empty.
   *
   * @throws {ShutDownError} once shut down and drained (at once after an
   *   immediate shutdown).
   * @throws {StateError} `handle is closed` once closed and drained.
   */
  get(): Promise<T> {
    const ring = this.#ring;
    const fast = ring.tryGet();
    if (fast === CLOSED) return rejectWith(closed(ring));
    if (fast !== BUSY && fast !== EMPTY) return Promise.resolve(fast as T);
    return ring.getAsync(undefined, false).then((r) => unwrap(ring, r) as T);
  }

  /**
   * Blocking twin of {@link SimpleQueue.get}.
   *
   * @throws {ShutDownError} as {@link SimpleQueue.get}.
   */
  getSync(): T {
    const ring = this.#ring;
    return unwrap(ring, ring.getSync(undefined, false)) as T;
  }

  /** True when the queue holds no item. */
  empty(): boolean {
    return this.#ring.count() === 0;
  }

  /** @internal For connection.wait(): whether a get would not wait (an item, or closed). */
  [kReadyNow](): boolean {
    return this.#ring.readable();
  }

  /** @internal For connection.wait(): settles once a get would not wait, or once `signal` aborts. */
  [kWhenReady](signal: AbortSignal): Promise<void> {
    return this.#ring.whenReadable(signal);
  }

  /**
   * Closes the queue in every thread: later puts throw `handle is closed`;
   * gets drain what is left, then throw it. Idempotent.
   */
  close(): void {
    this.#ring.close();
  }

  /**
   * Shuts the queue down in every thread and process, as
   * {@link Queue.shutdown} does (Python's `SimpleQueue` has no `shutdown`):
   * later puts throw `ShutDownError`; gets take what is left, then throw it;
   * with `immediate: true` the items left are dropped and gets throw at
   * once. Calling it again is harmless.
   *
   * @throws {TypeError} when `options` or `immediate` has the wrong type.
   */
  shutdown(options?: QueueShutdownOptions): void {
    shutDown(this.#ring, immediateOf(options));
  }

  /** @internal The shareable descriptor. */
  [kShareable](): ShareableState {
    return {
      tag: 'queue:SimpleQueue',
      data: { ...this.#ring.data, kind: 'SimpleQueue' } satisfies QueueData,
      threadOnly: true,
    };
  }

  /**
   * `<SimpleQueue empty=true>`, then ` closed` once closed and ` shutdown`
   * once shut down (Python's has no repr of its own).
   */
  toString(): string {
    const ring = this.#ring;
    return `<SimpleQueue empty=${String(ring.count() === 0)}${stateSuffix(ring)}>`;
  }

  /** `util.inspect` / `console.log` show {@link SimpleQueue.toString}, not the ring. */
  [kInspect](): string {
    return this.toString();
  }
}

function closed(ring: SharedRing): StateError | ShutDownError {
  if (isShutDown(ring)) return new ShutDownError('Queue is shut down');
  return new StateError('handle is closed');
}

function unwrap(ring: SharedRing, r: Taken): unknown {
  if (r === CLOSED || r === EMPTY) throw closed(ring);
  return r;
}

registerShareable(
  'queue:SimpleQueue',
  import.meta.url,
  SimpleQueue,
  (d: QueueData) => new SimpleQueue(new SharedRing(d)),
  { remote: simpleQueueRemote },
);
