/**
 * The parent's side of worker finalizers: a worker that was told to stop
 * reports that its finalizer runs; if it has not exited `finalizerTimeout`
 * later, it is terminated. A finalizer that failed or overran is reported
 * as a {@link FinalizerWarning} process warning, never as a rejection.
 */
import { TimeoutError } from '@multiprocessing/core';
import {
  deserializeError,
  startTimer,
  type SerializedError,
  type Timer,
} from '@multiprocessing/core/internal';
import { FinalizerWarning } from '../finalizer-warning.js';
import type { WorkerSlot } from './worker-slot.js';

/** See the module header. */
export class FinalizerWatch {
  // Invariant: a timer for every worker whose finalizer runs, until it exits.
  readonly #timers = new Map<WorkerSlot, Timer>();

  constructor(private readonly timeoutMs: number | undefined) {}

  /** `w` started its finalizer. */
  started(w: WorkerSlot): void {
    if (this.#timers.has(w) || this.timeoutMs === undefined) return;
    const ms = this.timeoutMs;
    const timer = startTimer(
      ms,
      () => {
        this.#timers.delete(w);
        if (w.dead || w.launched.exitcode !== null) return;
        const cause = new TimeoutError(`the finalizer ran for more than ${String(ms / 1000)} s`);
        emit(w, `The finalizer of worker ${w.name} timed out; the worker was terminated`, cause);
        w.launched.terminate();
      },
      { unref: true },
    );
    this.#timers.set(w, timer);
  }

  /** `w` reports that its finalizer failed with `error`. */
  failed(w: WorkerSlot, error: SerializedError): void {
    const cause = deserializeError(error);
    const message = cause instanceof Error ? cause.message : String(cause);
    emit(w, `The finalizer of worker ${w.name} failed: ${message}`, cause);
  }

  /** `w` exited. */
  exited(w: WorkerSlot): void {
    const timer = this.#timers.get(w);
    if (timer === undefined) return;
    timer.clear();
    this.#timers.delete(w);
  }
}

/**
 * Emits the warning on the next tick, as `process.emitWarning(error)` does.
 * Not through it: it refuses an Error made in another realm (a vm context,
 * such as a test runner's sandbox), which would throw here instead.
 */
function emit(w: WorkerSlot, message: string, cause: unknown): void {
  const warning = new FinalizerWarning(w.name, message, { cause });
  process.nextTick(() => {
    process.emit('warning', warning);
  });
}
