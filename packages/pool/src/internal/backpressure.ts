/**
 * A Pool's back-pressure state: its maxQueue limit (admission.ts), if it has
 * one, `needsDrain` and the `drained()` waiters. No Python counterpart.
 */
import { CancelledError } from '@multiprocessing/core';
import { Admission, type QueueFullPolicy } from './admission.js';
import { defaultChunksize } from './call-wire.js';
import type { IMapCall } from './imap-call.js';
import type { Scheduler } from './scheduler.js';

/** What calls outstanding at terminate() get. */
export function terminatedError(): Error {
  return new CancelledError('Pool was terminated before the task completed');
}

/** See the module header. */
export class Backpressure {
  /** The maxQueue limit; undefined when maxQueue is Infinity (no cost per task then). */
  readonly gate: Admission | undefined;
  /** The imaps with a buffersize still reading input (close() stops them). */
  readonly buffered = new Set<IMapCall>();
  /** The resolvers of pending `drained()` promises. */
  #drainWaiters: (() => void)[] = [];
  readonly #checkHook = (): void => {
    this.check();
  };

  constructor(
    private readonly scheduler: Scheduler,
    private readonly processes: number,
    private readonly maxQueue: number,
    policy: QueueFullPolicy,
    /** The worker processes `map`'s default chunksize is made for, now (the pool's size, or a cluster's). */
    private readonly liveProcesses: () => number = () => processes,
  ) {
    this.gate =
      maxQueue === Infinity
        ? undefined
        : new Admission(
            processes,
            maxQueue,
            policy,
            () => (scheduler.terminated ? terminatedError() : scheduler.broken),
            this.#checkHook,
          );
  }

  /** See `Pool#needsDrain`. */
  get needsDrain(): boolean {
    const scheduler = this.scheduler;
    if (scheduler.terminated || scheduler.broken !== undefined) return false;
    if (this.gate !== undefined) return this.gate.waiting >= Math.max(1, this.maxQueue);
    return scheduler.outstanding() - this.processes >= this.processes;
  }

  /** See `Pool#drained`. */
  drained(): Promise<void> {
    if (!this.needsDrain) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.#drainWaiters.push(resolve);
      // Checked after each pump only while someone waits.
      this.scheduler.afterPump = this.#checkHook;
    });
  }

  /** Resolves the `drained()` waiters once `needsDrain` is false. */
  check(): void {
    if (this.#drainWaiters.length === 0 || this.needsDrain) return;
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    this.scheduler.afterPump = undefined;
    for (const resolve of waiters) resolve();
  }

  /** Python's map chunksize; with a maxQueue, larger chunks if needed so that the map fits under it. */
  defaultChunksize(items: number): number {
    const chunksize = defaultChunksize(items, this.liveProcesses());
    if (this.gate === undefined || chunksize === 0) return chunksize;
    const fits = this.processes + this.maxQueue;
    return Math.ceil(items / chunksize) > fits ? Math.ceil(items / fits) : chunksize;
  }

  /** close(): buffered imaps read no more input. */
  close(): void {
    for (const call of [...this.buffered]) call.stopInput();
  }

  /** terminate(): waiting calls fail with CancelledError; `drained()` resolves. */
  terminate(): void {
    this.gate?.failWaiters(terminatedError);
    this.check();
  }
}
