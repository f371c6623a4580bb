/**
 * The worker's side of its lifecycle: the initializer it runs first, the
 * finalizer it runs before a clean exit, and the heap check after each task
 * (maxMemoryPerChild).
 */
import type { AnyFunction } from '@multiprocessing/core';
import { fromPostable, loadRevivers, loadTask, serializeError } from '@multiprocessing/core/internal';
import {
  kPoolMessage,
  type FinalizerErrorMessage,
  type FinalizingMessage,
  type WorkerData,
} from './protocol.js';

type Post = (message: FinalizingMessage | FinalizerErrorMessage) => void;

/** The finalizer of `data`, loaded while the worker starts (undefined: none). */
export function loadFinalizer(data: WorkerData): Promise<AnyFunction> | undefined {
  if (data.finalizer === null) return undefined;
  const loading = loadTask(data.finalizer);
  // A load failure is the finalizer's failure, reported when it would run.
  loading.catch(() => undefined);
  return loading;
}

/**
 * Runs the finalizer (if any) and resolves when it is done; a failure is
 * posted to the parent, never thrown. The parent times it from `finalizing`.
 */
export async function runFinalizer(
  data: WorkerData,
  loading: Promise<AnyFunction> | undefined,
  post: Post,
): Promise<void> {
  if (loading === undefined) return;
  post([kPoolMessage, 'finalizing']);
  try {
    const fn = await loading;
    if (data.finalizerArgsPostable) await loadRevivers(data.finalizerArgs);
    const args = (
      data.finalizerArgsPostable ? fromPostable(data.finalizerArgs) : data.finalizerArgs
    ) as unknown[];
    await fn(...args);
  } catch (err) {
    post([kPoolMessage, 'finalizer-error', serializeError(err)]);
  }
}

/**
 * True when the heap in use exceeds `maxBytes`. `node:v8` is loaded on first
 * use: a worker without maxMemoryPerChild never needs it at start-up.
 */
export function overMemory(maxBytes: number): boolean {
  return process.getBuiltinModule('node:v8').getHeapStatistics().used_heap_size > maxBytes;
}

/** Runs the initializer of `data` (after loading the shareables its worker data and arguments use). */
export async function initialize(data: WorkerData): Promise<void> {
  // So getWorkerData() can revive the shareables in it synchronously.
  if (data.workerDataPostable) await loadRevivers(data.workerData);
  if (data.initializer === null) return;
  const init = await loadTask(data.initializer);
  if (data.initArgsPostable) await loadRevivers(data.initArgs);
  const args = (data.initArgsPostable ? fromPostable(data.initArgs) : data.initArgs) as unknown[];
  await init(...args);
}
