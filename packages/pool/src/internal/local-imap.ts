/**
 * `imap` and `imapUnordered` of a `ThreadPool`: the input (an iterable or
 * an async iterable) is read into chunks as fast as it comes, as Python's
 * task handler reads it; each chunk is one job on the lanes; results are
 * handed out in input order (imap) or as chunks finish (imapUnordered). A
 * failed chunk rejects once, at its place, then the stream goes on.
 */
import { startTimer } from '@multiprocessing/core/internal';
import type { IMapSource } from '../imap-iterator.js';
import { Deque } from './deque.js';
import type { LocalLanes } from './local-lanes.js';

type Outcome =
  { readonly ok: true; readonly values: unknown[] } | { readonly ok: false; readonly error: unknown };

interface Waiter {
  resolve(result: IteratorResult<unknown>): void;
  reject(error: unknown): void;
  clear(): void;
}

/** The results of one imap call. */
export class LocalIMap implements IMapSource {
  readonly #ordered: boolean;
  readonly #byIndex = new Map<number, Outcome>();
  readonly #arrived = new Deque<Outcome>();
  readonly #waiters: Waiter[] = [];
  #values: unknown[] = [];
  #nextIndex = 0;
  #made = 0;
  #settled = 0;
  #inputDone = false;
  #closed = false;

  constructor(
    lanes: LocalLanes,
    run: (item: unknown) => unknown,
    input: Iterable<unknown> | AsyncIterable<unknown>,
    chunksize: number,
    ordered: boolean,
  ) {
    this.#ordered = ordered;
    void this.#feed(lanes, run, input, chunksize);
  }

  async #feed(
    lanes: LocalLanes,
    run: (item: unknown) => unknown,
    input: Iterable<unknown> | AsyncIterable<unknown>,
    chunksize: number,
  ): Promise<void> {
    let chunk: unknown[] = [];
    const submit = (items: unknown[]): void => {
      const index = this.#made++;
      lanes.submit({
        fn: async () => {
          const out: unknown[] = [];
          for (const item of items) out.push(await run(item));
          return out;
        },
        args: [],
        settle: (ok, value) => {
          this.#arrive(index, ok ? { ok, values: value as unknown[] } : { ok, error: value });
        },
      });
    };
    try {
      for await (const item of input) {
        if (this.#closed) break;
        chunk.push(item);
        if (chunk.length === chunksize) {
          submit(chunk);
          chunk = [];
        }
      }
      if (chunk.length > 0 && !this.#closed) submit(chunk);
    } catch (err) {
      // The input failed: its error takes the next place, and the input ends.
      if (chunk.length > 0) submit(chunk);
      this.#arrive(this.#made++, { ok: false, error: err });
    }
    this.#inputDone = true;
    this.#pump();
  }

  #arrive(index: number, outcome: Outcome): void {
    this.#settled++;
    if (this.#closed) return;
    if (this.#ordered) this.#byIndex.set(index, outcome);
    else this.#arrived.push(outcome);
    this.#pump();
  }

  /** True once no task of the call is left to run. */
  get finished(): boolean {
    return this.#closed || (this.#inputDone && this.#settled === this.#made);
  }

  /** The next result to hand out, `undefined` if none is ready, or the end. */
  #take(): { ok: boolean; value: unknown; done?: true } | undefined {
    for (;;) {
      if (this.#values.length > 0) return { ok: true, value: this.#values.shift() };
      const outcome = this.#ordered ? this.#byIndex.get(this.#nextIndex) : this.#arrived.shift();
      if (outcome === undefined) {
        return this.finished ? { ok: true, value: undefined, done: true } : undefined;
      }
      if (this.#ordered) this.#byIndex.delete(this.#nextIndex++);
      if (!outcome.ok) return { ok: false, value: outcome.error };
      this.#values = outcome.values;
    }
  }

  #pump(): void {
    while (this.#waiters.length > 0) {
      const next = this.#take();
      if (next === undefined) return;
      const waiter = this.#waiters.shift();
      if (waiter === undefined) return;
      waiter.clear();
      if (!next.ok) waiter.reject(next.value);
      else
        waiter.resolve(
          next.done === true ? { done: true, value: undefined } : { done: false, value: next.value },
        );
    }
  }

  /** The next result, waiting at most `waitMs` (undefined: for ever). */
  next(waitMs: number | undefined, onTimeout: () => Error): Promise<IteratorResult<unknown>> {
    return new Promise((resolve, reject) => {
      let clearTimer = (): void => undefined;
      const waiter: Waiter = {
        resolve,
        reject,
        clear: () => {
          clearTimer();
        },
      };
      this.#waiters.push(waiter);
      this.#pump();
      if (!this.#waiters.includes(waiter)) return;
      const timer = startTimer(waitMs, () => {
        const at = this.#waiters.indexOf(waiter);
        if (at >= 0) this.#waiters.splice(at, 1);
        reject(onTimeout());
      });
      clearTimer = () => {
        timer.clear();
      };
    });
  }

  /** Reads no more input and drops the results still coming; waiting reads end. */
  close(): void {
    this.#closed = true;
    this.#values = [];
    this.#byIndex.clear();
    for (let o = this.#arrived.shift(); o !== undefined; o = this.#arrived.shift()) {
      // Dropped: nobody reads past close().
    }
    this.#pump();
  }
}
