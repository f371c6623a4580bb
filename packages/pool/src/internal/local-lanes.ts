/**
 * The lanes of a `ThreadPool`: `processes` loops in the calling thread,
 * each running one job at a time, taken in submission order. A job is a
 * function and its arguments, passed by reference (nothing is copied); an
 * async function's awaits let the other lanes run, as Python's threads do
 * around blocking I/O under the GIL.
 */
import { BrokenPoolError, CancelledError, isTaskRef } from '@multiprocessing/core';
import { loadTask, toTaskSpec } from '@multiprocessing/core/internal';
import { Deque } from './deque.js';

/** One call: `fn(...args)`, then `settle`. */
export interface LocalJob {
  readonly fn: LocalFn;
  readonly args: readonly unknown[];
  /** Called once, with the result or the error. */
  settle(ok: boolean, value: unknown): void;
}

/** What a ThreadPool runs: a function, or a task reference it imports. */
export type LocalFn = ((...args: never[]) => unknown) | { readonly url: string; readonly name: string };

/** Checks `fn` for a ThreadPool call. */
export function localFn(fn: unknown, argName = 'fn'): LocalFn {
  if (typeof fn === 'function' || isTaskRef(fn)) return fn as LocalFn;
  throw new TypeError(`${argName} must be a function or a task reference (moduleRef/taskRef)`);
}

/** The function `fn` is, importing a task reference's module. */
export async function resolveFn(fn: LocalFn): Promise<(...args: unknown[]) => unknown> {
  if (typeof fn === 'function') return fn as (...args: unknown[]) => unknown;
  return (await loadTask(toTaskSpec(fn, 'fn'))) as (...args: unknown[]) => unknown;
}

/** The lanes and their queue. */
export class LocalLanes {
  readonly #queue = new Deque<LocalJob>();
  readonly #idle: (() => void)[] = [];
  readonly #lanes: Promise<void>[];
  #closed = false;
  #broken: Error | undefined;

  constructor(count: number, initializer: LocalFn | undefined, initArgs: readonly unknown[]) {
    this.#lanes = Array.from({ length: count }, () => this.#lane(initializer, initArgs));
  }

  /** Queues `job`; it runs when a lane is free. */
  submit(job: LocalJob): void {
    if (this.#broken !== undefined) {
      job.settle(false, this.#brokenError());
      return;
    }
    this.#queue.push(job);
    this.#idle.shift()?.();
  }

  /** No job is taken after the queue empties; the lanes end. */
  close(): void {
    this.#closed = true;
    for (const wake of this.#idle.splice(0)) wake();
  }

  /** Jobs not started reject with CancelledError; running ones finish. Resolves when every lane has ended. */
  terminate(): Promise<void> {
    this.#closed = true;
    for (let job = this.#queue.shift(); job !== undefined; job = this.#queue.shift()) {
      job.settle(false, new CancelledError('the pool was terminated before this task ran'));
    }
    for (const wake of this.#idle.splice(0)) wake();
    return this.ended();
  }

  /** Resolves when every lane has ended (after close() and the queue is empty, or terminate()). */
  async ended(): Promise<void> {
    await Promise.all(this.#lanes);
  }

  #brokenError(): BrokenPoolError {
    return new BrokenPoolError('the initializer failed, so no task can run', { cause: this.#broken });
  }

  async #next(): Promise<LocalJob | undefined> {
    for (;;) {
      const job = this.#queue.shift();
      if (job !== undefined || this.#closed || this.#broken !== undefined) return job;
      await new Promise<void>((resolve) => this.#idle.push(resolve));
    }
  }

  async #lane(initializer: LocalFn | undefined, initArgs: readonly unknown[]): Promise<void> {
    // Let the constructor finish before any user code runs.
    await Promise.resolve();
    if (initializer !== undefined) {
      try {
        await (
          await resolveFn(initializer)
        )(...initArgs);
      } catch (err) {
        this.#break(err instanceof Error ? err : new Error(String(err)));
        return;
      }
    }
    for (let job = await this.#next(); job !== undefined; job = await this.#next()) {
      try {
        const fn = await resolveFn(job.fn);
        job.settle(true, await fn(...job.args));
      } catch (err) {
        job.settle(false, err);
      }
    }
  }

  #break(error: Error): void {
    if (this.#broken !== undefined) return;
    this.#broken = error;
    for (let job = this.#queue.shift(); job !== undefined; job = this.#queue.shift()) {
      job.settle(false, this.#brokenError());
    }
    for (const wake of this.#idle.splice(0)) wake();
  }
}
