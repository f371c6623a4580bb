/**
 * The pool's policy for workers that die while they start (before they
 * report ready: an initializer that exits or throws, an entry that cannot
 * load, a heap too small to boot). Python's `multiprocessing.pool` respawns
 * such workers for ever and the caller hangs; here the pool gives up after
 * {@link kMaxStartFailures} failed starts in a row and breaks.
 */
import { types } from 'node:util';
import { BrokenPoolError, WorkerLostError } from '@multiprocessing/core';

/**
 * Failed starts in a row after which the pool stops starting workers and
 * breaks. Small, so a pool that cannot start fails fast, yet more than one,
 * so a worker that fails once by chance (a flaky initializer) is retried.
 */
export const kMaxStartFailures = 3;

/** The first line of an error's message, for a one-line summary. */
function firstLine(error: Error): string {
  const message = error.message;
  const end = message.indexOf('\n');
  return end === -1 ? message : message.slice(0, end);
}

/** `value` as an Error (a thrown non-error is wrapped). */
export function asError(value: unknown): Error {
  return value instanceof Error || types.isNativeError(value) ? value : new Error(String(value));
}

/** The pool's broken error when `launch()` itself refused to start a worker: no retry could succeed. */
export function launchFailure(cause: Error): BrokenPoolError {
  return new BrokenPoolError(
    `A pool worker could not be started, the pool is not usable anymore: ${firstLine(cause)}`,
    {
      cause,
    },
  );
}

/**
 * The error of a worker that exited before it reported ready, without an
 * initializer error: its exit code and, as `cause`, the uncaught error that
 * ended it, if it reported one.
 */
export function startExitError(workerName: string, exitcode: number, cause: unknown): WorkerLostError {
  // Not `instanceof`: Node makes some of these errors in another realm (ERR_WORKER_OUT_OF_MEMORY under a vm).
  const why = cause instanceof Error || types.isNativeError(cause) ? `: ${firstLine(cause)}` : '';
  return new WorkerLostError(workerName, exitcode, {
    message: `Worker ${workerName} exited with code ${String(exitcode)} while starting${why}`,
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * Counts failed starts in a row. A worker that reports ready resets the
 * count; the failure that reaches {@link kMaxStartFailures} returns the
 * error that breaks the pool.
 */
export class StartFailures {
  #count = 0;

  /** A worker started (reported ready): the count starts over. */
  started(): void {
    this.#count = 0;
  }

  /**
   * A worker failed to start with `cause`. Returns the pool's broken error
   * (`BrokenPoolError`, cause = `cause`) once the limit is reached, else
   * undefined (start a replacement).
   */
  failed(cause: Error): BrokenPoolError | undefined {
    this.#count++;
    if (this.#count < kMaxStartFailures) return undefined;
    return new BrokenPoolError(
      `${String(this.#count)} pool workers in a row failed to start, the pool is not usable anymore: ${firstLine(cause)}`,
      { cause },
    );
  }
}
