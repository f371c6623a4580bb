/**
 * A Queue that counts unfinished tasks. Mirrors
 * `multiprocessing.JoinableQueue`: every `put` adds a task, `taskDone()`
 * finishes one, and `join()` waits until none is left.
 */
import { StateError, registerShareable } from '@multiprocessing/core';
import { SharedRing } from './internal/ring.js';
import { timeoutMs } from '@multiprocessing/core/internal';
import { deadlineAfter } from './internal/wait.js';
import { Queue, kRing, type QueueData, type QueueOptions } from './queue.js';
import { rejectWith } from './internal/reject.js';
import { joinableQueueRemote } from './internal/remote-specs.js';

/**
 * A {@link Queue} with task accounting, for "workers consume, the producer
 * waits until everything was processed".
 *
 * @example
 * ```ts
 * const q = new JoinableQueue<string>();
 * // in each worker: for (;;) { const job = q.getSync(); work(job); q.taskDone(); }
 * for (const job of jobs) await q.put(job);
 * await q.join(); // every job was taken and marked done
 * ```
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.JoinableQueue
 */
export class JoinableQueue<T = unknown> extends Queue<T> {
  constructor(options?: QueueOptions);
  /** @internal Revives a queue over existing shared memory. */
  constructor(options: QueueOptions | undefined, ring: SharedRing);
  constructor(options?: QueueOptions, ring?: SharedRing) {
    if (ring === undefined) super(options);
    else super(options, ring);
  }

  /**
   * Marks one task, taken with `get`, as done (Python's `task_done`).
   *
   * @throws {StateError} `task_done() called too many times`.
   */
  taskDone(): void {
    if (!this[kRing].taskDone()) throw new StateError('task_done() called too many times');
  }

  /**
   * Resolves when every item ever put has been marked done with
   * `taskDone()`. The items `shutdown({ immediate: true })` dropped count
   * as done.
   *
   * @param timeout - seconds to wait at most (beyond Python, which has
   *   none); `undefined`/`null` waits for ever.
   * @returns true when all tasks are done, false when the timeout passed.
   */
  join(timeout?: number | null): Promise<boolean> {
    try {
      return this[kRing].join(deadlineAfter(timeoutMs(timeout)));
    } catch (err) {
      return rejectWith(err);
    }
  }

  /** Blocking twin of {@link JoinableQueue.join}. */
  joinSync(timeout?: number | null): boolean {
    return this[kRing].joinSync(deadlineAfter(timeoutMs(timeout)));
  }

  /** @internal */
  protected override _kind(): QueueData['kind'] {
    return 'JoinableQueue';
  }

  /** @internal */
  protected override _countsTasks(): boolean {
    return true;
  }
}

registerShareable(
  'queue:JoinableQueue',
  import.meta.url,
  JoinableQueue,
  (d: QueueData) => new JoinableQueue(undefined, new SharedRing(d)),
  { remote: joinableQueueRemote },
);
