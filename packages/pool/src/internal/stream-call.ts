/**
 * `Pool.stream`: one job, its own owner, whose task yields values that come
 * back in `items` messages while it runs (the worker's half is
 * stream-producer.ts). No Python counterpart.
 *
 * Flow control is by credit: the task starts with `highWaterMark` credit,
 * and as the consumer reads values the call grants the worker as many more
 * (in steps of half the high-water mark, or at once when the consumer waits
 * on an empty buffer). The worker is so never more than `highWaterMark`
 * values ahead of the consumer, and this side never buffers more.
 *
 * `timeout` limits the time the worker takes for each value (the first one
 * counting from the task's start); the clock stops while the worker has no
 * credit, that is while it waits for the consumer.
 */
import { TimeoutError } from '@multiprocessing/core';
import { fromPostable, secondsText, startTimer, type Timer } from '@multiprocessing/core/internal';
import { Deque } from './deque.js';
import { kDispatched, kPending, Job, type JobOwner } from './job.js';
import {
  kPoolMessage,
  kPostableFlag,
  kReportStartFlag,
  kStream,
  kStreamClosed,
  type CloseStreamMessage,
  type CreditMessage,
  type ItemsMessage,
} from './protocol.js';
import { rejected } from './rejected.js';
import type { Scheduler } from './scheduler.js';
import { inFlightJob } from './task-registry.js';
import { allPrimitive, prepare, type CallSettings } from './call-wire.js';
import { followSignal, noSubscription, waitForResult, type Waiter } from './call-signal.js';
import type { WorkerSlot } from './worker-slot.js';

const kDone: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/** See the module header. */
export class StreamCall extends Job implements JobOwner {
  /** True once the call has ended for the pool: a pending job of it is dropped. */
  finished = false;
  readonly timeoutMs: number | undefined;
  readonly highWaterMark: number;
  readonly #scheduler: Scheduler;
  /** Grant credit once the consumer has read this many values since the last grant. */
  readonly #grantStep: number;
  // Invariant: `#buffer` holds the values received and not yet read, at most
  // `highWaterMark`; `#ungranted` counts the values read since the last grant.
  readonly #buffer = new Deque<unknown>();
  #received = 0;
  #granted: number;
  #ungranted = 0;
  /** The task has started in a worker (a value or the start report arrived). */
  #started = false;
  /** How the stream ends once the buffer is read: undefined while it runs. */
  #end: { ok: true } | { ok: false; error: unknown } | undefined = undefined;
  /** An error that ends it at once, before buffered values (abort, terminate). */
  #fatal: { error: unknown } | undefined = undefined;
  readonly #waiters: Waiter<IteratorResult<unknown>>[] = [];
  /** `return()` was called; its callers wait here until the worker confirms. */
  #closing: Waiter<IteratorResult<unknown>>[] | undefined = undefined;
  #itemTimer: Timer | undefined = undefined;
  #unsubscribe: () => void = noSubscription;

  constructor(
    scheduler: Scheduler,
    fnId: number,
    args: readonly unknown[],
    highWaterMark: number,
    settings: CallSettings,
  ) {
    let mode = kStream | (settings.timeoutMs === undefined ? 0 : kReportStartFlag);
    let argsPayload: unknown = args;
    let transfer = settings.transfer;
    if (!allPrimitive(args)) {
      const [converted, postable, ports] = prepare(args, 'args', settings.crossProcess);
      argsPayload = converted;
      if (postable) mode |= kPostableFlag;
      if (ports.length > 0) transfer = [...ports, ...(transfer ?? [])];
    }
    super(
      scheduler.newJobId(),
      null,
      fnId,
      mode,
      [highWaterMark, argsPayload],
      transfer !== undefined && transfer.length > 0 ? transfer : undefined,
      0,
      1,
    );
    this.#scheduler = scheduler;
    this.highWaterMark = highWaterMark;
    this.#granted = highWaterMark;
    this.#grantStep = Math.max(1, highWaterMark >> 1);
    this.timeoutMs = settings.timeoutMs;
    const unsubscribe = followSignal(settings.signal, this, (reason) => {
      this.#abort(reason);
    });
    if (unsubscribe === undefined) return;
    this.#unsubscribe = unsubscribe;
    scheduler.enqueue(this);
  }

  /** The task has ended in its worker, or never will run (values may still wait to be read). */
  get ended(): boolean {
    return this.finished || this.#end !== undefined;
  }

  /** Handed to `w`: it takes no other job while it holds this one (see WorkerSlot.stream). */
  dispatched(job: Job): void {
    const w = job.worker;
    if (w !== undefined) w.stream = this;
    // Closed while it waited (it was taken back from a worker): it must not run.
    if (this.#closing !== undefined) (this.payload as unknown[])[0] = kStreamClosed;
  }

  /** An `items` message for this call. */
  items(postable: boolean, values: unknown[]): void {
    this.#started = true;
    if (this.ended || this.#closing !== undefined) return;
    const n = values.length;
    if (n > 0) {
      const decoded = postable ? (fromPostable(values) as unknown[]) : values;
      for (let i = 0; i < n; i++) this.#buffer.push(decoded[i]);
      this.#received += n;
    }
    this.#armClock();
    this.#deliver();
  }

  /** The worker reported the end: `ok`, or failed with `value`. */
  settle(_job: Job, ok: boolean, value: unknown): void {
    this.#stopClock();
    if (this.#closing !== undefined) {
      this.#finish();
      const closing = this.#closing;
      for (const w of closing) {
        if (ok) w.resolve(kDone);
        else w.reject(value);
      }
      closing.length = 0;
      return;
    }
    if (this.ended) return;
    this.#end = ok ? { ok: true } : { ok: false, error: value };
    this.#unsubscribe();
    this.#deliver();
  }

  /** The whole call fails now: terminate(), a broken pool, an abort. */
  fail(error: Error): void {
    this.#stopClock();
    if (this.#closing !== undefined) {
      // It has stopped, if not as asked: the return() callers are done.
      this.#finish();
      for (const w of this.#closing) w.resolve(kDone);
      this.#closing.length = 0;
      return;
    }
    if (this.finished) return;
    this.#finish();
    this.#buffer.drain();
    this.#fatal = { error };
    this.#deliver();
  }

  #finish(): void {
    this.finished = true;
    this.#unsubscribe();
  }

  #abort(reason: Error): void {
    if (this.finished) return;
    const wasDispatched = this.state === kDispatched;
    this.fail(reason);
    if (wasDispatched) this.#scheduler.abortJobs([this], reason);
    else this.#scheduler.cancelPending(this);
  }

  /** The next value; `waitMs` only limits this wait. */
  next(waitMs: number | undefined, onTimeout: () => Error): Promise<IteratorResult<unknown>> {
    const now = this.#poll();
    if (now !== undefined) return 'error' in now ? rejected(now.error) : Promise.resolve(now);
    return waitForResult(this.#waiters, waitMs, onTimeout, () => {
      this.#updateRef();
    });
  }

  /**
   * The consumer stopped: values still coming are dropped, and the worker
   * stops the task's iterator (its `finally` blocks run). Resolves once it
   * has; rejects with the error its clean-up threw or the worker's loss.
   */
  close(): Promise<IteratorResult<unknown>> {
    if (this.ended && this.#closing === undefined) {
      this.#finish();
      this.#buffer.drain();
      this.#fatal = undefined;
      this.#end = { ok: true };
      this.#deliver();
      return Promise.resolve(kDone);
    }
    const promise = new Promise<IteratorResult<unknown>>((resolve, reject) => {
      (this.#closing ??= []).push({ resolve, reject });
    });
    if (this.#closing?.length !== 1) return promise;
    this.#buffer.drain();
    // Concurrent next() calls end with the stream.
    for (const w of this.#waiters.splice(0)) w.resolve(kDone);
    if (this.state === kPending) {
      this.#scheduler.cancelPending(this);
      this.settle(this, true, undefined);
      return promise;
    }
    const w = this.worker;
    if (this.state === kDispatched && w !== undefined) {
      if (this.seq === 0) {
        // Not posted yet: it goes with the closed mark and never starts.
        (this.payload as unknown[])[0] = kStreamClosed;
      } else {
        post(w, [kPoolMessage, 'close-stream', this.id] satisfies CloseStreamMessage);
      }
      // The clean-up runs under the same clock as a value.
      this.#armClock(true);
      w.setRef(true);
    }
    return promise;
  }

  /** The next answer, if one is known now. */
  #poll(): IteratorResult<unknown> | { error: unknown } | undefined {
    if (this.#fatal !== undefined) {
      const error = this.#fatal.error;
      this.#fatal = undefined;
      this.#end = { ok: true };
      return { error };
    }
    if (this.#buffer.length > 0) {
      const value = this.#buffer.shift();
      this.#ungranted++;
      this.#maybeGrant();
      return { done: false, value };
    }
    const end = this.#end;
    if (end !== undefined || this.#closing !== undefined) {
      if (end !== undefined && !end.ok) {
        this.#end = { ok: true };
        return { error: end.error };
      }
      return kDone;
    }
    return undefined;
  }

  /** Answers waiting next() calls from the buffer or the end. */
  #deliver(): void {
    while (this.#waiters.length > 0) {
      const result = this.#poll();
      if (result === undefined) break;
      const waiter = this.#waiters.shift();
      if (waiter === undefined) break;
      if ('error' in result) waiter.reject(result.error);
      else waiter.resolve(result);
    }
    this.#updateRef();
  }

  /** Grants the worker the values read since the last grant, once enough are, or the buffer is empty. */
  #maybeGrant(): void {
    const n = this.#ungranted;
    if (n === 0 || (n < this.#grantStep && this.#buffer.length > 0)) return;
    const w = this.worker;
    if (this.state !== kDispatched || w === undefined || this.ended || this.#closing !== undefined) return;
    this.#ungranted = 0;
    this.#granted += n;
    post(w, [kPoolMessage, 'credit', this.id, n] satisfies CreditMessage);
    this.#armClock();
  }

  /**
   * Runs the clock while the worker owes a value (it has credit), from the
   * last value or grant; stops it while the worker waits for credit.
   * `closing`: it runs until the worker confirms the close.
   */
  #armClock(closing = false): void {
    const ms = this.timeoutMs;
    if (ms === undefined) return;
    this.#stopClock();
    if (!this.#started || this.ended) return;
    if (!closing && this.#received >= this.#granted) return;
    this.#itemTimer = startTimer(
      ms,
      () => {
        this.#itemTimer = undefined;
        if (this.state !== kDispatched) return;
        const w = this.worker?.name ?? 'its worker';
        this.#scheduler.abortJobs(
          [this],
          new TimeoutError(
            `Stream value timed out after ${secondsText(ms)}; its worker ${w} was terminated and replaced`,
          ),
        );
      },
      { unref: true },
    );
  }

  #stopClock(): void {
    this.#itemTimer?.clear();
    this.#itemTimer = undefined;
  }

  /**
   * Keeps the parent alive for the worker only while someone waits on the
   * stream: a stream left half read does not hold the program open (nor,
   * after close(), does anything change: the pool holds its workers then).
   */
  #updateRef(): void {
    const w = this.worker;
    if (w === undefined || !this.#started || this.state !== kDispatched) return;
    if (!this.#scheduler.running || w.inFlight.length !== 1) return;
    w.setRef(this.#waiters.length > 0 || this.#closing !== undefined);
  }
}

function post(w: WorkerSlot, message: CreditMessage | CloseStreamMessage): void {
  try {
    w.launched.postMessage(message);
  } catch {
    // It is exiting: its exit ends the stream.
  }
}

/** Routes an `items` message from `w` to the stream call it belongs to. */
export function receiveItems(w: WorkerSlot, message: ItemsMessage): void {
  const job = inFlightJob(w, message[2]);
  if (job instanceof StreamCall) job.items(message[3], message[4]);
}
