/**
 * Waiters of the server-side synchronisation objects. Each waiter belongs to
 * a caller (a client connection) and may have a timeout; a waiter whose
 * connection closes is dropped, so a lock is never handed to a client that
 * is gone.
 */
import { startTimer, type Timer } from '@multiprocessing/core/internal';
import type { Caller } from './caller.js';

/** A parked call. */
export interface Waiter<T> {
  readonly caller: Caller;
  /** Extra data the owner keeps with the waiter (e.g. the item a put waits to add). */
  readonly data: unknown;
  resolve(value: T): void;
  reject(err: Error): void;
}

interface Entry<T> extends Waiter<T> {
  settled: boolean;
  timer: Timer | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * A FIFO of waiters. Invariant: an entry is in `#list` exactly while it is
 * not settled; `resolve`/`reject` and the timeout and abort paths all
 * remove it first.
 */
export class WaitList<T> {
  #list: Entry<T>[] = [];

  get size(): number {
    return this.#list.length;
  }

  /**
   * Parks a call until {@link shift} wakes it. On timeout, `onCancel('timeout')`
   * gives the value (or error) to settle with; when the caller's connection
   * closes, `onCancel('abort')` is called and its result dropped.
   * `timeoutMs`: core's `timeoutMs` of the caller's timeout (undefined = for ever).
   */
  add(
    caller: Caller,
    timeoutMs: number | undefined,
    onCancel: (why: 'timeout' | 'abort') => T | Error,
    data?: unknown,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Entry<T> = {
        caller,
        data,
        settled: false,
        timer: undefined,
        onAbort: undefined,
        resolve: (value) => {
          if (this.#settle(entry)) resolve(value);
        },
        reject: (err) => {
          if (this.#settle(entry)) reject(err);
        },
      };
      this.#list.push(entry);
      entry.timer = startTimer(timeoutMs, () => {
        if (!this.#settle(entry)) return;
        const out = onCancel('timeout');
        if (out instanceof Error) reject(out);
        else resolve(out);
      });
      entry.onAbort = () => {
        if (!this.#settle(entry)) return;
        const out = onCancel('abort');
        if (out instanceof Error) reject(out);
        else resolve(out);
      };
      caller.signal.addEventListener('abort', entry.onAbort, { once: true });
    });
  }

  #settle(entry: Entry<T>): boolean {
    if (entry.settled) return false;
    entry.settled = true;
    entry.timer?.clear();
    if (entry.onAbort !== undefined) entry.caller.signal.removeEventListener('abort', entry.onAbort);
    const i = this.#list.indexOf(entry);
    if (i >= 0) this.#list.splice(i, 1);
    return true;
  }

  /** The first waiter whose caller is still connected (not yet removed). */
  peek(): Waiter<T> | undefined {
    return this.#list.find((e) => !e.caller.signal.aborted);
  }

  /** Removes and returns the first waiter whose caller is still connected. */
  shift(): Waiter<T> | undefined {
    for (;;) {
      const entry = this.#list[0];
      if (entry === undefined) return undefined;
      if (!entry.caller.signal.aborted) return entry;
      entry.onAbort?.();
    }
  }

  /** Every waiter, removed from the list (each must then be settled). */
  takeAll(): Waiter<T>[] {
    return [...this.#list];
  }
}
