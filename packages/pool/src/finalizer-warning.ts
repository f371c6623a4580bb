/**
 * The process warning a pool emits when a worker's finalizer fails.
 */
import { ProcessError, type ProcessErrorOptions } from '@multiprocessing/core';

/**
 * A worker's finalizer threw, rejected or overran `finalizerTimeout`. The
 * pool emits it as a process warning: the `'warning'` event of `process`
 * (Node prints it to stderr unless `--no-warnings`). The worker exits all
 * the same and `join()` resolves. `cause` is the finalizer's error (a `TimeoutError` when it
 * overran; its worker was then terminated).
 *
 * @example
 * process.on('warning', (w) => {
 *   if (w instanceof FinalizerWarning) console.error(w.worker, w.cause);
 * });
 */
export class FinalizerWarning extends ProcessError {
  static override readonly code: string = 'ERR_MP_FINALIZER';
  /** The name of the worker whose finalizer failed, e.g. `PoolWorker-3`. */
  readonly worker: string;

  constructor(worker: string, message: string, options?: ProcessErrorOptions) {
    super(message, options);
    this.worker = worker;
  }
}
