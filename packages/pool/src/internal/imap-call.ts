/**
 * `imap` / `imapUnordered`: pulls its input as workers need it. Mirrors
 * `multiprocessing.pool.IMapIterator`, minus its public face.
 */
import type { Transferable } from 'node:worker_threads';
import { callUser } from '../async-result.js';
import { kEventsFlag, kMap, kPostableFlag, kReportStartFlag } from './protocol.js';
import { rejected } from './rejected.js';
import { Job, type JobOwner, type JobSource } from './job.js';
import type { Admission, Parked } from './admission.js';
import { AsyncFeed } from './async-feed.js';
import { Deque } from './deque.js';
import type { Scheduler } from './scheduler.js';
import { prepare, transferFor, type CallSettings } from './call-wire.js';
import { followSignal, noSubscription, waitForResult, type Waiter } from './call-signal.js';

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** What bounds an imap's reading ahead (each is optional). */
export interface IMapLimits {
  /** At most this many chunks made and not yet yielded to the consumer (Python's `buffersize`). */
  readonly buffersize: number | undefined;
  /** The pool's maxQueue limit: one unit per chunk until it settles. */
  readonly gate: Admission | undefined;
  /** The pool's live buffered imaps (the call removes itself when it ends). */
  readonly buffered: Set<IMapCall>;
}

/** `imap` / `imapUnordered`: pulls its input as workers need it. */
export class IMapCall implements JobOwner, JobSource, Parked {
  /** True once the call has ended: consumer returned, aborted, or pool terminated. */
  finished = false;
  readonly owner: JobOwner = this;
  readonly timeoutMs: number | undefined;
  readonly #scheduler: Scheduler;
  readonly #fnId: number;
  readonly #iterator: Iterator<unknown>;
  /** The input, when it is an async iterable (then also #iterator). */
  readonly #feed: AsyncFeed | undefined;
  readonly #ordered: boolean;
  readonly #chunksize: number;
  readonly #settings: CallSettings;
  #inputDone = false;
  #chunksMade = 0;
  #chunksSettled = 0;
  /** An error raised by the input, after chunk `#chunksMade`. */
  #inputError: { index: number; error: unknown } | undefined = undefined;
  /** Ordered: outcomes by chunk index, until yielded. */
  readonly #byIndex = new Map<number, Outcome>();
  #nextIndex = 0;
  /** Items (or one error) ready to yield, in yield order. */
  readonly #ready: Outcome[] = [];
  #readyHead = 0;
  /** A failure that ends the iteration (abort, terminate). */
  #fatal: { error: unknown } | undefined = undefined;
  readonly #waiters: Waiter<IteratorResult<unknown>>[] = [];
  #unsubscribe: () => void = noSubscription;
  readonly #limits: IMapLimits | undefined;
  /** Out of the queue until a chunk is yielded or a maxQueue unit frees up. */
  #parked = false;
  /** Units of the maxQueue limit held: one per chunk made and not settled. */
  #held = 0;
  /** Buffered: chunks whose last item (or error) the consumer has read. */
  #chunksYielded = 0;
  /** Buffered: item counts of the chunks moved into #ready, not yet read out. */
  readonly #readySizes: Deque<number> | undefined;
  #leftInChunk = 0;

  constructor(
    scheduler: Scheduler,
    fnId: number,
    iterable: Iterable<unknown> | AsyncIterable<unknown>,
    ordered: boolean,
    chunksize: number,
    settings: CallSettings,
    limits?: IMapLimits,
  ) {
    this.#limits = limits;
    this.#readySizes = limits?.buffersize === undefined ? undefined : new Deque<number>();
    this.#scheduler = scheduler;
    this.#fnId = fnId;
    if (typeof (iterable as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function') {
      this.#feed = undefined;
      this.#iterator = (iterable as Iterable<unknown>)[Symbol.iterator]();
    } else {
      this.#feed = new AsyncFeed(iterable as AsyncIterable<unknown>, () => {
        this.unpark();
      });
      this.#iterator = this.#feed;
    }
    this.#ordered = ordered;
    this.#chunksize = chunksize;
    this.#settings = settings;
    this.timeoutMs = settings.timeoutMs;
    const unsubscribe = followSignal(settings.signal, this, (reason) => {
      this.#abort(reason);
    });
    if (unsubscribe === undefined) return;
    this.#unsubscribe = unsubscribe;
    if (limits?.buffersize !== undefined) limits.buffered.add(this);
    scheduler.enqueue(this);
  }

  get exhausted(): boolean {
    return this.#inputDone || this.finished || this.#parked;
  }

  /** Out of the scheduler's queue until {@link unpark}. */
  #park(): void {
    this.#parked = true;
    this.#scheduler.park(this);
  }

  /** Back into the scheduler's queue, if it was parked and has input left. */
  unpark(): void {
    if (!this.#parked) return;
    this.#parked = false;
    this.#scheduler.unpark(this, !this.#inputDone && !this.finished);
  }

  /**
   * The pool was closed: a buffered imap reads no more input; the chunks
   * already made still run, then the iteration ends (as CPython does since
   * gh-155477, where close() used to leave join() waiting for ever).
   */
  stopInput(): void {
    if (this.#inputDone || this.finished) return;
    this.#inputDone = true;
    this.#feed?.stop();
    this.unpark();
    this.#deliver();
  }

  /** The call ended: no more input, limits given back. */
  #end(): void {
    this.finished = true;
    this.#unsubscribe();
    this.#feed?.stop();
    this.unpark();
    if (this.#limits === undefined) return;
    this.#limits.buffered.delete(this);
    if (this.#held > 0) {
      const held = this.#held;
      this.#held = 0;
      this.#limits.gate?.release(held);
    }
  }

  get remaining(): number {
    return this.exhausted ? 0 : 1;
  }

  take(): Job | undefined {
    if (this.exhausted) return undefined;
    const limits = this.#limits;
    const buffersize = limits?.buffersize;
    if (buffersize !== undefined && this.#chunksMade - this.#chunksYielded >= buffersize) {
      // Unparked when the consumer reads a chunk.
      this.#park();
      return undefined;
    }
    const feed = this.#feed;
    if (feed !== undefined && !feed.ready(this.#chunksize)) {
      // Unparked once the async input has a chunk's worth (or ended).
      this.#park();
      feed.fill(this.#chunksize);
      return undefined;
    }
    if (limits?.gate !== undefined) {
      if (!limits.gate.tryTake(this)) {
        this.#park();
        return undefined;
      }
      this.#held++;
    }
    const job = this.#makeJob();
    // No chunk after all: give its unit back (unless the call ended, which gave back every unit).
    if (job === undefined && limits?.gate !== undefined && !this.finished) {
      this.#held--;
      limits.gate.release(1);
    }
    return job;
  }

  #makeJob(): Job | undefined {
    const index = this.#chunksMade;
    const chunk: unknown[] = [];
    try {
      while (chunk.length < this.#chunksize) {
        const step = this.#iterator.next();
        if (step.done === true) {
          this.#inputDone = true;
          break;
        }
        chunk.push(step.value);
      }
    } catch (error) {
      // Python: the results before the failing chunk come first, then the error.
      this.#inputDone = true;
      this.#inputError = { index, error };
      this.#deliver();
      return undefined;
    }
    if (chunk.length === 0) {
      this.#deliver();
      return undefined;
    }
    let payload: unknown = chunk;
    let postable = false;
    let ports: readonly Transferable[] = [];
    try {
      [payload, postable, ports] = prepare(chunk, 'iterable', this.#settings.crossProcess);
    } catch (error) {
      this.#inputDone = true;
      this.#inputError = { index, error };
      this.#deliver();
      return undefined;
    }
    this.#chunksMade++;
    const mode =
      kMap |
      (postable ? kPostableFlag : 0) |
      (this.timeoutMs === undefined ? 0 : kReportStartFlag) |
      (this.#settings.onEvent === undefined ? 0 : kEventsFlag);
    return new Job(
      this.#scheduler.newJobId(),
      this,
      this.#fnId,
      mode,
      payload,
      transferFor(payload, this.#settings.transfer, ports),
      index,
      chunk.length,
    );
  }

  event(_job: Job, value: unknown): void {
    const onEvent = this.#settings.onEvent;
    if (!this.finished && onEvent !== undefined) callUser(onEvent, value);
  }

  settle(job: Job, ok: boolean, value: unknown): void {
    if (this.finished) return;
    if (this.#held > 0) {
      this.#held--;
      this.#limits?.gate?.release(1);
    }
    this.#chunksSettled++;
    const outcome: Outcome = ok ? { ok: true, value } : { ok: false, error: value };
    if (this.#ordered) this.#byIndex.set(job.index, outcome);
    else this.#push(outcome);
    this.#deliver();
  }

  #push(outcome: Outcome): void {
    this.#readySizes?.push(outcome.ok ? (outcome.value as unknown[]).length : 1);
    if (outcome.ok)
      for (const value of outcome.value as Iterable<unknown>) this.#ready.push({ ok: true, value });
    else this.#ready.push(outcome);
  }

  /** Moves ordered outcomes into #ready and answers waiting next() calls. */
  #deliver(): void {
    if (this.#ordered) {
      for (;;) {
        const outcome = this.#byIndex.get(this.#nextIndex);
        if (outcome === undefined) break;
        this.#byIndex.delete(this.#nextIndex++);
        this.#push(outcome);
      }
    }
    while (this.#waiters.length > 0) {
      const result = this.#poll();
      if (result === undefined) break;
      const waiter = this.#waiters.shift();
      if (waiter === undefined) break;
      if ('error' in result) waiter.reject(result.error);
      else waiter.resolve(result);
    }
  }

  /** The next answer, if one is known now. */
  #poll(): IteratorResult<unknown> | { error: unknown } | undefined {
    if (this.#readyHead < this.#ready.length) {
      const outcome = this.#ready[this.#readyHead];
      if (outcome === undefined) return undefined;
      this.#ready[this.#readyHead++] = undefined as unknown as Outcome;
      if (this.#readyHead === this.#ready.length) {
        this.#ready.length = 0;
        this.#readyHead = 0;
      }
      if (this.#readySizes !== undefined) this.#countRead(this.#readySizes);
      return outcome.ok ? { done: false, value: outcome.value } : { error: outcome.error };
    }
    if (this.#fatal !== undefined) {
      const error = this.#fatal.error;
      this.#fatal = undefined;
      return { error };
    }
    const allSettled = this.#inputDone && this.#chunksSettled === this.#chunksMade;
    if (
      this.#inputError !== undefined &&
      (this.#ordered ? this.#nextIndex === this.#inputError.index : allSettled)
    ) {
      const { error } = this.#inputError;
      this.#inputError = undefined;
      this.#end();
      return { error };
    }
    if ((allSettled && this.#inputError === undefined) || this.finished) {
      this.#end();
      return { done: true, value: undefined };
    }
    return undefined;
  }

  /** Buffered: one item was read; the last of its chunk lets one more chunk be made. */
  #countRead(sizes: Deque<number>): void {
    while (this.#leftInChunk === 0) {
      const size = sizes.shift();
      if (size === undefined) return;
      this.#leftInChunk = size;
    }
    if (--this.#leftInChunk === 0) {
      this.#chunksYielded++;
      this.unpark();
    }
  }

  /** The next result; `timeoutMs` only limits this wait. */
  next(waitMs: number | undefined, onTimeout: () => Error): Promise<IteratorResult<unknown>> {
    const now = this.#poll();
    if (now !== undefined) return 'error' in now ? rejected(now.error) : Promise.resolve(now);
    return waitForResult(this.#waiters, waitMs, onTimeout);
  }

  /** The consumer stopped: pull no more input, ignore results still coming. */
  close(): void {
    if (this.finished) return;
    this.#end();
    this.#ready.length = 0;
    this.#readyHead = 0;
    this.#deliver();
  }

  #abort(reason: Error): void {
    if (this.finished) return;
    this.fail(reason);
    this.#scheduler.abortJobs(this.#scheduler.dispatchedJobsOf(this), reason);
  }

  fail(error: Error): void {
    if (this.finished && this.#fatal === undefined) {
      // Already ended; nothing more to report.
      if (this.#waiters.length === 0) return;
    }
    this.#end();
    this.#ready.length = 0;
    this.#readyHead = 0;
    this.#fatal = { error };
    this.#deliver();
  }
}
