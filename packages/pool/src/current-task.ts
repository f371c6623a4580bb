/**
 * `currentTask()`: what a running pool task can ask of its pool (no Python
 * counterpart; Python's pool tasks cannot be told to stop or report
 * progress). Called inside a task, in the worker.
 */
import { runningTask } from './internal/task-slot.js';

/** The running task's side of its call, as {@link currentTask} returns it. */
export interface CurrentTask {
  /**
   * Fires when the caller gives up on this task: its `signal` aborted, or
   * its `timeout` expired. `reason` is the caller's abort reason (an
   * `AbortError` by default) or the `TimeoutError`. A task that stops in
   * response (returns or throws) within the pool's `abortGracePeriod` keeps
   * its worker; one that does not is terminated with its worker.
   */
  readonly signal: AbortSignal;
  /**
   * Sends `value` to the caller's `onEvent` callback, before the call's
   * result and in the order sent. The value travels as a result does
   * (structured clone, errors and shareables kept). A no-op when the caller
   * gave no `onEvent`, and once the task has settled. A property, so
   * `const { progress } = currentTask()` works.
   *
   * @throws {PicklingError} a value that cannot be sent (a function).
   */
  readonly progress: (value: unknown) => void;
}

/**
 * The task this worker is running: its abort signal and its progress
 * channel to the caller.
 *
 * @example
 * // tasks.mjs, run by pool.apply(tasks.count, [1e9], { signal, onEvent })
 * import { currentTask } from '@multiprocessing/pool';
 * export async function count(n) {
 *   const task = currentTask();
 *   for (let i = 0; i < n; i++) {
 *     if (i % 1e6 === 0) {
 *       task.progress(i);
 *       await new Promise((resolve) => setImmediate(resolve)); // let the abort in
 *       task.signal.throwIfAborted();
 *     }
 *   }
 *   return n;
 * }
 *
 * @throws {StateError} called outside a pool task (in the parent, in an
 *   initializer, or after the task settled).
 */
export function currentTask(): CurrentTask {
  return runningTask();
}
