/**
 * The calls of a pool, each the owner of its jobs: a single call (`apply`),
 * a map over a list cut into chunks (`map`, `starmap`), and a lazy map over
 * an iterator (`imap`, `imapUnordered`). Mirrors `ApplyResult`, `MapResult`
 * and `IMapIterator` of `multiprocessing.pool`, minus their public faces.
 */
import { types } from 'node:util';
import type { Transferable } from 'node:worker_threads';
import { startTimer, toPostable } from '@multiprocessing/core/internal';
import { callUser, settleAsyncResult, type AsyncResult } from '../async-result.js';
import { kMap, kOneArgFlag, kPackedFlag, kPackMin, kPostableFlag, kReportStartFlag, kStarmap } from './protocol.js';
import { rejected } from './rejected.js';
import { Job, type JobOwner, type JobSource } from './job.js';
import type { Scheduler } from './scheduler.js';

/** What every call was given. */
export interface CallSettings {
  readonly timeoutMs: number | undefined;
  readonly signal: AbortSignal | undefined;
  readonly transfer: readonly Transferable[] | undefined;
  readonly crossProcess: boolean;
}

/** Python's default map chunksize: ceil(items / (4 × workers)). */
export function defaultChunksize(items: number, processes: number): number {
  if (items === 0) return 0;
  let chunksize = Math.floor(items / (processes * 4));
  if (items % (processes * 4) !== 0) chunksize++;
  return chunksize;
}

/** Validates a chunksize option; undefined/null gives `fallback`. */
export function chunksizeOption(value: unknown, fallback: () => number): number {
  if (value === undefined || value === null) return fallback();
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`chunksize must be a positive integer, got ${typeof value === 'number' ? String(value) : typeof value}`);
  }
  if (value < 1) throw new RangeError(`Chunksize must be 1+, not ${String(value)}`);
  return value;
}

/** Adds every ArrayBuffer reachable from `value` (a few levels deep) to `out`. */
function collectBuffers(value: unknown, out: Set<unknown>, depth: number): void {
  if (typeof value !== 'object' || value === null || depth > 4) return;
  // Realm-independent checks: values may come from a vm context (jest).
  if (ArrayBuffer.isView(value)) {
    out.add(value.buffer);
    return;
  }
  if (types.isArrayBuffer(value)) {
    out.add(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) collectBuffers(item, out, depth + 1);
    return;
  }
  if (Object.prototype.toString.call(value) === '[object Object]') {
    for (const item of Object.values(value)) collectBuffers(item, out, depth + 1);
  }
}

/** The part of a call's transfer list that `payload` refers to. */
function transferFor(
  payload: unknown,
  transfer: readonly Transferable[] | undefined,
  ports: readonly Transferable[],
): readonly Transferable[] | undefined {
  if ((transfer === undefined || transfer.length === 0) && ports.length === 0) return undefined;
  if (transfer === undefined || transfer.length === 0) return ports;
  const found = new Set<unknown>();
  collectBuffers(payload, found, 0);
  const out: Transferable[] = [...ports];
  for (const t of transfer) if (found.has(t) || !types.isArrayBuffer(t)) out.push(t);
  return out;
}

/** Subscribes to `signal`'s abort; returns the unsubscribe function. */
function onAbort(signal: AbortSignal | undefined, fn: () => void): () => void {
  if (signal === undefined) return () => undefined;
  const listener = (): void => {
    fn();
  };
  signal.addEventListener('abort', listener, { once: true });
  return () => {
    signal.removeEventListener('abort', listener);
  };
}

/** Prepares arguments for the wire: `[payload, postable, ports]`; throws PicklingError. */
export function prepare(
  value: unknown,
  label: string,
  crossProcess: boolean,
): [payload: unknown, postable: boolean, ports: readonly Transferable[]] {
  const out = toPostable(value, label, { crossProcess });
  return [out.value, !out.plain, out.transfer];
}

/** Where a single call's outcome goes: an AsyncResult, or a promise's resolvers. */
export type ApplySink<R> =
  | { readonly result: AsyncResult<R> }
  | { readonly resolve: (value: R) => void; readonly reject: (error: unknown) => void };

/** `apply` / `applyAsync`: one job that is its own owner. */
export class ApplyCall<R> extends Job implements JobOwner {
  finished = false;
  readonly timeoutMs: number | undefined;
  readonly #sink: ApplySink<R>;
  #scheduler: Scheduler | undefined;
  #unsubscribe: (() => void) | undefined = undefined;

  constructor(
    scheduler: Scheduler,
    fnId: number,
    args: readonly unknown[],
    settings: CallSettings,
    sink: ApplySink<R>,
  ) {
    let payload: unknown = args;
    let mode = settings.timeoutMs === undefined ? 0 : kReportStartFlag;
    let transfer = settings.transfer;
    if (args.length === 1 && (typeof args[0] !== 'object' || args[0] === null) && typeof args[0] !== 'function') {
      payload = args[0];
      mode |= kOneArgFlag;
    } else if (!allPrimitive(args)) {
      const [converted, postable, ports] = prepare(args, 'args', settings.crossProcess);
      payload = converted;
      if (postable) mode |= kPostableFlag;
      if (ports.length > 0) transfer = [...ports, ...(transfer ?? [])];
    }
    super(scheduler.newJobId(), null, fnId, mode, payload, transfer !== undefined && transfer.length > 0 ? transfer : undefined, 0, 1);
    this.#sink = sink;
    this.timeoutMs = settings.timeoutMs;
    const signal = settings.signal;
    if (signal !== undefined) {
      if (signal.aborted) {
        this.fail(signal.reason as Error);
        return;
      }
      this.#scheduler = scheduler;
      this.#unsubscribe = onAbort(signal, () => {
        this.#abort(signal.reason as Error);
      });
    }
    scheduler.enqueue(this);
  }

  #abort(reason: Error): void {
    if (this.finished) return;
    this.fail(reason);
    this.#scheduler?.abortJobs([this], reason);
  }

  settle(_job: Job, ok: boolean, value: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.#unsubscribe?.();
    const sink = this.#sink;
    if ('result' in sink) settleAsyncResult(sink.result, ok, value);
    else if (ok) sink.resolve(value as R);
    else sink.reject(value);
  }

  fail(error: Error): void {
    this.settle(this, false, error);
  }
}

/** True when every item is a number (a map chunk can travel packed). */
function allNumbers(items: readonly unknown[]): boolean {
  for (const item of items) if (typeof item !== 'number') return false;
  return true;
}

/** True when every item is a primitive (nothing for toPostable to do). */
function allPrimitive(items: readonly unknown[]): boolean {
  for (const item of items) {
    if (typeof item === 'object' ? item !== null : typeof item === 'function') return false;
  }
  return true;
}

/** `map` / `starmap` (and their `…Async`): a list cut into chunks, made lazily. */
export class MapCall<R> implements JobOwner, JobSource {
  finished = false;
  readonly owner: JobOwner = this;
  readonly timeoutMs: number | undefined;
  readonly #scheduler: Scheduler;
  readonly #fnId: number;
  readonly #kind: number;
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
  readonly #unsubscribe: () => void;

  constructor(
    scheduler: Scheduler,
    fnId: number,
    star: boolean,
    items: readonly unknown[],
    chunksize: number,
    settings: CallSettings,
    onProgress: ((done: number, total: number) => void) | undefined,
    result: AsyncResult<R[]>,
  ) {
    this.#scheduler = scheduler;
    this.#fnId = fnId;
    this.#kind = star ? kStarmap : kMap;
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
    const signal = settings.signal;
    if (signal?.aborted === true) {
      this.#unsubscribe = () => undefined;
      this.fail(signal.reason as Error);
      return;
    }
    this.#unsubscribe = onAbort(signal, () => {
      this.#abort(signal?.reason as Error);
    });
    if (this.#chunks === 0) {
      this.#finish();
      return;
    }
    scheduler.enqueue(this);
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
      const mode = kMap | kPackedFlag | (this.#settings.timeoutMs === undefined ? 0 : kReportStartFlag);
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
    const mode =
      this.#kind |
      (this.#postable ? kPostableFlag : 0) |
      (this.#settings.timeoutMs === undefined ? 0 : kReportStartFlag);
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

  settle(job: Job, ok: boolean, value: unknown): void {
    if (this.finished) return;
    this.#left--;
    this.#done += job.size;
    if (ok) {
      const values = value as ArrayLike<R>;
      const start = job.index * this.#chunksize;
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
    settleAsyncResult(this.#result, false, error);
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** `imap` / `imapUnordered`: pulls its input as workers need it. */
export class IMapCall implements JobOwner, JobSource {
  /** True once the call has ended: consumer returned, aborted, or pool terminated. */
  finished = false;
  readonly owner: JobOwner = this;
  readonly timeoutMs: number | undefined;
  readonly #scheduler: Scheduler;
  readonly #fnId: number;
  readonly #iterator: Iterator<unknown>;
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
  readonly #waiters: { resolve: (r: IteratorResult<unknown>) => void; reject: (e: unknown) => void }[] = [];
  readonly #unsubscribe: () => void;

  constructor(
    scheduler: Scheduler,
    fnId: number,
    iterable: Iterable<unknown>,
    ordered: boolean,
    chunksize: number,
    settings: CallSettings,
  ) {
    this.#scheduler = scheduler;
    this.#fnId = fnId;
    this.#iterator = iterable[Symbol.iterator]();
    this.#ordered = ordered;
    this.#chunksize = chunksize;
    this.#settings = settings;
    this.timeoutMs = settings.timeoutMs;
    const signal = settings.signal;
    if (signal?.aborted === true) {
      this.#unsubscribe = () => undefined;
      this.fail(signal.reason as Error);
      return;
    }
    this.#unsubscribe = onAbort(signal, () => {
      this.#abort(signal?.reason as Error);
    });
    scheduler.enqueue(this);
  }

  get exhausted(): boolean {
    return this.#inputDone || this.finished;
  }

  get remaining(): number {
    return this.exhausted ? 0 : 1;
  }

  take(): Job | undefined {
    if (this.exhausted) return undefined;
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
    const mode = kMap | (postable ? kPostableFlag : 0) | (this.timeoutMs === undefined ? 0 : kReportStartFlag);
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

  settle(job: Job, ok: boolean, value: unknown): void {
    if (this.finished) return;
    this.#chunksSettled++;
    const outcome: Outcome = ok ? { ok: true, value } : { ok: false, error: value };
    if (this.#ordered) this.#byIndex.set(job.index, outcome);
    else this.#push(outcome);
    this.#deliver();
  }

  #push(outcome: Outcome): void {
    if (outcome.ok) for (const value of outcome.value as Iterable<unknown>) this.#ready.push({ ok: true, value });
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
      return outcome.ok ? { done: false, value: outcome.value } : { error: outcome.error };
    }
    if (this.#fatal !== undefined) {
      const error = this.#fatal.error;
      this.#fatal = undefined;
      return { error };
    }
    const allSettled = this.#inputDone && this.#chunksSettled === this.#chunksMade;
    if (this.#inputError !== undefined && (this.#ordered ? this.#nextIndex === this.#inputError.index : allSettled)) {
      const { error } = this.#inputError;
      this.#inputError = undefined;
      this.finished = true;
      this.#unsubscribe();
      return { error };
    }
    if ((allSettled && this.#inputError === undefined) || this.finished) {
      this.finished = true;
      this.#unsubscribe();
      return { done: true, value: undefined };
    }
    return undefined;
  }

  /** The next result; `timeoutMs` only limits this wait. */
  next(waitMs: number | undefined, onTimeout: () => Error): Promise<IteratorResult<unknown>> {
    const now = this.#poll();
    if (now !== undefined) return 'error' in now ? rejected(now.error) : Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const waiter = { resolve, reject };
      this.#waiters.push(waiter);
      if (waitMs !== undefined) {
        const timer = startTimer(waitMs, () => {
          const at = this.#waiters.indexOf(waiter);
          if (at >= 0) {
            this.#waiters.splice(at, 1);
            reject(onTimeout());
          }
        });
        const clear = (): void => {
          timer.clear();
        };
        waiter.resolve = (r) => {
          clear();
          resolve(r);
        };
        waiter.reject = (e) => {
          clear();
          reject(e as Error);
        };
      }
    });
  }

  /** The consumer stopped: pull no more input, ignore results still coming. */
  close(): void {
    if (this.finished) return;
    this.finished = true;
    this.#unsubscribe();
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
    this.finished = true;
    this.#unsubscribe();
    this.#ready.length = 0;
    this.#readyHead = 0;
    this.#fatal = { error };
    this.#deliver();
  }
}
