/**
 * A pool worker's outbox of progress events (worker side): the values its
 * running task sends with `currentTask().progress`, encoded as results are,
 * batched, and posted before the results of the same tasks (see
 * EventMessage). No Python counterpart.
 */
import { serializeError, toPostable } from '@multiprocessing/core/internal';
import { kFailed, kOk, kOkPostable, kPoolMessage, kResultStride, type EventMessage } from './protocol.js';

/** See the module header. */
export class EventOutbox {
  // Invariant: events not yet posted, kResultStride items each, in the order sent.
  #events: unknown[] = [];
  /** A flush is queued (setImmediate). */
  #queued = false;
  readonly #flushQueued = (): void => {
    this.#queued = false;
    this.flushAll();
  };

  constructor(
    private readonly post: (message: EventMessage) => void,
    /** The worker is a child process: refuse thread-only shareables. */
    private readonly crossProcess: boolean,
    /** True when the worker's batch is due now (else the flush waits for the next turn). */
    private readonly dueNow: () => boolean,
    /** Flushes the worker's events, then its results. */
    private readonly flushAll: () => void,
  ) {}

  /** True when events wait to be posted. */
  get pending(): boolean {
    return this.#events.length > 0;
  }

  /**
   * Queues `value` of job `jobId`.
   *
   * @throws {PicklingError} a value that cannot travel (thrown into the task).
   */
  push(jobId: number, value: unknown): void {
    let status = kOk;
    let out = value;
    if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
      const postable = toPostable(value, 'progress value', { crossProcess: this.crossProcess });
      out = postable.value;
      if (!postable.plain) status = kOkPostable;
    }
    this.#events.push(jobId, status, out);
    if (this.dueNow()) {
      this.flushAll();
    } else if (!this.#queued) {
      // An async task may wait long after this: send it soon, not with its result.
      this.#queued = true;
      setImmediate(this.#flushQueued);
    }
  }

  /** Posts the queued events in one message (one each if a value refuses to clone). */
  flush(): void {
    if (this.#events.length === 0) return;
    const batch = this.#events;
    this.#events = [];
    try {
      this.post([kPoolMessage, 'event', batch]);
    } catch {
      for (let i = 0; i < batch.length; i += kResultStride) {
        const one = batch.slice(i, i + kResultStride);
        try {
          this.post([kPoolMessage, 'event', one]);
        } catch (err) {
          // The task fails with the clone error, as for a result.
          this.post([kPoolMessage, 'event', [one[0], kFailed, serializeError(err)]]);
        }
      }
    }
  }
}
