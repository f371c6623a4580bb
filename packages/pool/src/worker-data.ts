/**
 * `getWorkerData()`: the pool's `workerData` option, read inside a worker.
 */
import { StateError } from '@multiprocessing/core';
import { fromPostable } from '@multiprocessing/core/internal';
import { getLaunchData } from '@multiprocessing/process/internal';
import { kPoolMessage, type WorkerData } from './internal/protocol.js';

// Invariant: undefined until the first call in a pool worker, then the
// decoded value (so every call returns the same object).
let cached: { readonly value: unknown } | undefined;

function poolWorkerData(): WorkerData | undefined {
  let data: unknown;
  try {
    data = getLaunchData();
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  return (data as Partial<WorkerData>).kind === kPoolMessage ? (data as WorkerData) : undefined;
}

/**
 * The `workerData` option of the pool (or executor) that started this
 * worker: in a task, the initializer or the finalizer. Every call returns
 * the same value (one copy per worker); undefined if the option was not set.
 *
 * @throws {StateError} outside a pool worker.
 * @example
 * // tasks.js, run by `new Pool({ workerData: { region: 'eu' } })`
 * export function where() {
 *   return getWorkerData<{ region: string }>().region; // 'eu'
 * }
 */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the contract: the caller names the type
export function getWorkerData<T = unknown>(): T {
  if (cached === undefined) {
    const data = poolWorkerData();
    if (data === undefined) {
      throw new StateError('getWorkerData() is only available inside a pool worker');
    }
    cached = { value: data.workerDataPostable ? fromPostable(data.workerData) : data.workerData };
  }
  return cached.value as T;
}
