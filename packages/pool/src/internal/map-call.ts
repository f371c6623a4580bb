/**
 * `map` / `starmap` (and their `…Async`): a list cut into chunks, made
 * lazily. Mirrors `multiprocessing.pool.MapResult`, minus its public face.
 */
import type { Transferable } from 'node:worker_threads';
import { toPostable } from '@multiprocessing/core/internal';
import { callUser, settleAsyncResult, type AsyncResult } from '../async-result.js';
import {
  kEventsFlag,
  kMap,
  kPackedFlag,
  kPackMin,
  kPostableFlag,
  kReportStartFlag,
  kStarmap,
} from './protocol.js';
import { Job, type JobOwner, type JobSource } from './job.js';
import type { Admission, Admitted } from './admission.js';
import type { Scheduler } from './scheduler.js';
import { prepare, transferFor, type CallSettings } from './call-wire.js';
import { followSignal, noSubscription } from './call-signal.js';

/** True when every item is a number (a map chunk can travel packed). */
function allNumbers(items: readonly unknown[]): boolean {
  for (const item of items) if (typeof item !== 'number') return false;
  return true;
}

/** `map` / `starmap` (and their `…Async`): a list cut into chunks, made lazily. */
export class MapCall<R> implements JobOwner, JobSource, Admitted {
  finished = false;
  readonly owner: JobOwner = this;
  readonly timeoutMs: number | undefined;
  readonly #scheduler: Scheduler;
  readonly #fnId: number;
  readonly #kind: number;
  /** Mode flags of every chunk: kReportStartFlag, kEventsFlag. */
  readonly #flags: number;
  readonly #items: readonly unknown[];
  readonly #postable: boolean;
  /** Every item is a number: chunks travel packed (see kPackedFlag). */
  readonly #numbers: boolean;
  readonly #chunksize: number;
  readonly #settings: CallSettings;
  readonly #onProgress: ((done: number, total: number) => void) | undefined;
  readonly #result: AsyncResult<R[]>;
  readonly #results: R[];
  readonly #chunks: number;
  #next = 0;
  #left: number;
  #done = 0;
  #error: { index: number; error: unknown } | undefined = undefined;
  /** The result array holds doubles (see settle). */
  #doubles = false;
  #unsubscribe: () => void = noSubscription;
  /** The pool's maxQueue limit, if it has one. */
  #gate: Admission | undefined = undefined;
  /** Units of the limit this call holds: one per chunk not yet settled. */
  #held = 0;

  constructor(
    scheduler: Scheduler,
    fnId: number,
    star: boolean,
    items: readonly unknown[],
    chunksize: number,
    settings: CallSettings,
    onProgress: ((done: number, total: number) => void) | undefined,
    result: AsyncResult<R[]>,
    gate?: Admission,
  ) {
    this.#scheduler = scheduler;
    this.#fnId = fnId;
    this.#kind = star ? kStarmap : kMap;
    this.#flags =
      (settings.timeoutMs === undefined ? 0 : kReportStartFlag) |
      (settings.onEvent === undefined ? 0 : kEventsFlag);
    this.#items = items;
    this.#chunksize = Math.max(1, chunksize);
    this.#settings = settings;
    this.timeoutMs = settings.timeoutMs;
    this.#onProgress = onProgress;
    this.#result = result;
    this.#results = new Array<R>(items.length);
    this.#chunks = Math.ceil(items.length / this.#chunksize);
    this.#left = this.#chunks;
    this.#numbers = !star && this.#chunksize >= kPackMin && allNumbers(items);
    // Checked in the caller, so a function among the items throws here
    // (PicklingError naming its index), as Python's map raises.
    this.#postable =
      !this.#numbers && !toPostable(items, 'iterable', { crossProcess: settings.crossProcess }).plain;
    const unsubscribe = followSignal(settings.signal, this, (reason) => {
      this.#abort(reason);
    });
    if (unsubscribe === undefined) return;
    this.#unsubscribe = unsubscribe;
    if (this.#chunks === 0) {
      this.#finish();
      return;
    }
    if (gate === undefined) {
      scheduler.enqueue(this);
      return;
    }
    this.#gate = gate;
    gate.admit(this, this.#chunks, star ? 'starmap' : 'map');
  }

  /** The maxQueue limit let its chunks in. */
  admitted(): void {
    this.#held = this.#chunks;
    this.#scheduler.enqueue(this);
  }

  /** Gives back `units` of the maxQueue limit (0: a waiting call ended). */
  #release(units: number): void {
    if (this.#gate === undefined) return;
    this.#held -= units;
    this.#gate.release(units);
  }

  get exhausted(): boolean {
    return this.#next >= this.#chunks;
  }

  get remaining(): number {
    return this.#chunks - this.#next;
  }

  take(): Job | undefined {
    if (this.#next >= this.#chunks || this.finished) return undefined;
    const index = this.#next++;
    const start = index * this.#chunksize;
    if (this.#numbers) {
      const end = Math.min(start + this.#chunksize, this.#items.length);
      const packed = new Float64Array(end - start);
      for (let i = start; i < end; i++) packed[i - start] = this.#items[i] as number;
      const mode = kMap | kPackedFlag | this.#flags;
      return new Job(
        this.#scheduler.newJobId(),
        this,
        this.#fnId,
        mode,
        packed,
        this.#settings.crossProcess ? undefined : [packed.buffer],
        index,
        end - start,
      );
    }
    const chunk = this.#items.slice(start, start + this.#chunksize);
    let payload: unknown = chunk;
    let ports: readonly Transferable[] = [];
    if (this.#postable) [payload, , ports] = prepare(chunk, 'iterable', this.#settings.crossProcess);
    const mode = this.#kind | (this.#postable ? kPostableFlag : 0) | this.#flags;
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
    if (this.#held > 0) this.#release(1);
    this.#left--;
    this.#done += job.size;
    if (ok) {
      const values = value as ArrayLike<R>;
      const start = job.index * this.#chunksize;
      if (!this.#doubles && values instanceof Float64Array) {
        // Turns the result array into one of unboxed doubles while it is
        // empty, before the first copy of packed numbers: left to the first
        // number past the small-integer range, the engine converts it when
        // it is half full, in the middle of a copy.
        this.#doubles = true;
        if (values.length > 0) (this.#results as unknown[])[start] = 0.5;
      }
      for (let i = 0; i < values.length; i++) this.#results[start + i] = values[i] as R;
    } else if (this.#error === undefined || job.index < this.#error.index) {
      this.#error = { index: job.index, error: value };
    }
    if (this.#onProgress !== undefined) callUser(this.#onProgress, this.#done, this.#items.length);
    if (this.#left === 0) this.#finish();
  }

  #finish(): void {
    this.finished = true;
    this.#unsubscribe();
    this.#release(this.#held);
    if (this.#error !== undefined) settleAsyncResult(this.#result, false, this.#error.error);
    else settleAsyncResult(this.#result, true, this.#results);
  }

  #abort(reason: Error): void {
    if (this.finished) return;
    this.fail(reason);
    this.#scheduler.abortJobs(this.#scheduler.dispatchedJobsOf(this), reason);
  }

  fail(error: Error): void {
    if (this.finished) return;
    this.finished = true;
    this.#unsubscribe();
    this.#release(this.#held);
    settleAsyncResult(this.#result, false, error);
  }
}
