/**
 * A queue owned by another process, as one thread of a consumer uses it:
 * items are taken ahead of the thread's gets, in batches, so a consumer
 * does not pay a round trip to the owner for every item.
 *
 * - A get takes from the items this thread holds. When it holds none, the
 *   owner's `.take(max, options)` waits for one item as the get would, and
 *   sends up to `max - 1` more that are waiting (at most half of them, so
 *   other consumers find the rest).
 * - `max` doubles while the thread uses a batch up faster than the batch
 *   took to come, and halves when the thread is more than four times slower:
 *   a consumer doing real work per item takes few items ahead.
 * - Items the thread stops using (no get for a whole turn of its event loop)
 *   go back to the front of the queue, in order, as they do when the process
 *   exits. A process killed while it holds items loses them.
 * - One take at a time per thread: awaited gets made meanwhile wait for it in
 *   their order, so the items keep theirs.
 */
import { performance } from 'node:perf_hooks';
import { EmptyError, type RemotePrefetch } from '@multiprocessing/core';

/** The most items asked for at once (the owner's own bound may be lower). */
const MAX_BATCH = 1024;

/** The calls to the owner that a prefetching queue makes. */
export interface Taker {
  take(max: number, options: unknown): Promise<unknown>;
  takeSync(max: number, options: unknown): unknown;
  /** Streamed, in order with the thread's other calls. */
  giveBack(items: unknown[]): void;
  /** Whether `p` holds items, which go back when the process exits. */
  holding(p: Prefetch, yes: boolean): void;
}

interface Waiter {
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  /** `performance.now()` by which it fails with EmptyError; undefined for ever. */
  deadline: number | undefined;
  timer: NodeJS.Timeout | undefined;
}

function items(reply: unknown): unknown[] {
  if (!Array.isArray(reply) || reply.length === 0) throw new TypeError('the owner sent no item for a take');
  return reply;
}

/** The items one thread holds of one remote queue (see the file's header). */
export class Prefetch {
  readonly #spec: RemotePrefetch;
  readonly #taker: Taker;
  #held: unknown[] = [];
  #head = 0;
  #max = 1;
  /** The last batch: when it came, how long it took to come, and its size. */
  #batchAt = 0;
  #fetchMs = 0;
  #batchLen = 0;
  #gets = 0;
  #inFlight = false;
  readonly #waiters: Waiter[] = [];
  #idle: NodeJS.Immediate | undefined;

  constructor(spec: RemotePrefetch, taker: Taker) {
    this.#spec = spec;
    this.#taker = taker;
  }

  /** Items held, not yet got. */
  get held(): number {
    return this.#held.length - this.#head;
  }

  get(options: unknown): Promise<unknown> {
    let ms: number | undefined;
    try {
      ms = this.#spec.budget(options);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    this.#gets++;
    if (this.held > 0) return Promise.resolve(this.#next());
    if (!this.#inFlight) return this.#fetch(options);
    if (ms === 0) return Promise.reject(new EmptyError());
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        resolve,
        reject,
        deadline: ms === undefined ? undefined : performance.now() + ms,
        timer: undefined,
      };
      if (ms !== undefined) {
        w.timer = setTimeout(() => {
          const at = this.#waiters.indexOf(w);
          if (at < 0) return;
          this.#waiters.splice(at, 1);
          reject(new EmptyError());
        }, ms);
      }
      this.#waiters.push(w);
    });
  }

  getSync(options: unknown): unknown {
    this.#spec.budget(options);
    this.#gets++;
    if (this.held > 0) return this.#next();
    // An awaited take in flight holds the batch in order; this one takes a single item.
    const max = this.#inFlight ? 1 : this.#nextMax();
    const sent = performance.now();
    const got = items(this.#taker.takeSync(max, options));
    return this.#inFlight ? got[0] : this.#fill(got, sent);
  }

  /** Gives every held item back to the owner (idle, or the process is exiting). */
  giveBackAll(): void {
    if (this.#idle !== undefined) clearImmediate(this.#idle);
    this.#idle = undefined;
    const back = this.#held.slice(this.#head);
    this.#held = [];
    this.#head = 0;
    this.#max = 1;
    this.#batchLen = 0;
    this.#taker.holding(this, false);
    if (back.length === 0) return;
    try {
      this.#taker.giveBack(back);
    } catch {
      // The owner is gone, and its queue with it.
    }
  }

  #fetch(options: unknown): Promise<unknown> {
    this.#inFlight = true;
    const sent = performance.now();
    return this.#taker.take(this.#nextMax(), options).then(
      (reply) => {
        this.#inFlight = false;
        let first: unknown;
        try {
          first = this.#fill(items(reply), sent);
        } finally {
          this.#serveWaiters();
        }
        return first;
      },
      (err: unknown) => {
        this.#inFlight = false;
        this.#serveWaiters();
        throw err;
      },
    );
  }

  /** The next batch's size, from how fast the thread used the last one. */
  #nextMax(): number {
    if (this.#batchLen > 0) {
      const using = performance.now() - this.#batchAt;
      if (using < this.#fetchMs) this.#max = Math.min(this.#max * 2, MAX_BATCH);
      else if (using > 4 * this.#fetchMs) this.#max = Math.max(1, this.#max >> 1);
    }
    return this.#max;
  }

  /** Holds a batch's items after the first, which it returns. */
  #fill(batch: unknown[], sent: number): unknown {
    const now = performance.now();
    this.#fetchMs = now - sent;
    this.#batchAt = now;
    this.#batchLen = batch.length;
    for (let i = 1; i < batch.length; i++) this.#held.push(batch[i]);
    if (this.held > 0) {
      this.#taker.holding(this, true);
      this.#watch(this.#gets);
    }
    return batch[0];
  }

  #next(): unknown {
    const item = this.#held[this.#head];
    this.#held[this.#head++] = undefined;
    if (this.#head === this.#held.length) {
      this.#held = [];
      this.#head = 0;
      this.#taker.holding(this, false);
    }
    return item;
  }

  /** Hands held items to waiting gets; the first left waiting starts the next take. */
  #serveWaiters(): void {
    for (let w = this.#waiters[0]; w !== undefined && this.held > 0; w = this.#waiters[0]) {
      this.#waiters.shift();
      clearTimeout(w.timer);
      w.resolve(this.#next());
    }
    const w = this.#waiters.shift();
    if (w === undefined) return;
    clearTimeout(w.timer);
    const left = w.deadline === undefined ? undefined : Math.max(0, w.deadline - performance.now());
    if (left === 0) {
      w.reject(new EmptyError());
      this.#serveWaiters();
      return;
    }
    this.#fetch(left === undefined ? undefined : { timeout: left / 1000 }).then(w.resolve, w.reject);
  }

  /** Gives the held items back once a whole turn passes with no get. */
  #watch(seen: number): void {
    if (this.#idle !== undefined) return;
    this.#idle = setImmediate(() => {
      this.#idle = undefined;
      if (this.held === 0) return;
      if (this.#gets !== seen) this.#watch(this.#gets);
      else this.giveBackAll();
    });
    this.#idle.unref();
  }
}
