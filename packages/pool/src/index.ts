/**
 * `@multiprocessing/pool`: Pool, AsyncResult, ProcessPoolExecutor and Future.
 * Mirrors `multiprocessing.pool` and `concurrent.futures.process`.
 *
 * @privateRemarks
 * Adding a name here is a semver commitment.
 *
 * @packageDocumentation
 */
export { Pool } from './pool.js';
export { ThreadPool } from './thread-pool.js';
export * as dummy from './dummy.js';
export type {
  ThreadPoolOptions,
  ThreadPoolMapOptions,
  ThreadPoolIMapOptions,
  ThreadPoolApplyOptions,
} from './thread-pool.js';
export { AsyncResult } from './async-result.js';
export { IMapIterator } from './imap-iterator.js';
export { StreamIterator } from './stream-iterator.js';
export type { StreamItem } from './stream-iterator.js';
export { ProcessPoolExecutor } from './executor.js';
export { Future } from './future.js';
export { wait, FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED } from './wait.js';
export type { WaitOptions, ReturnWhen, DoneAndNotDoneFutures } from './wait.js';
export { asCompleted } from './as-completed.js';
export type { AsCompletedOptions, AsCompletedItem } from './as-completed.js';
export { FinalizerWarning } from './finalizer-warning.js';
export { getWorkerData } from './worker-data.js';
export type { PoolStats, LatencyPercentiles } from './pool-stats.js';

// Called inside a task (in a worker).
export { move } from './move.js';
export { currentTask } from './current-task.js';
export type { CurrentTask } from './current-task.js';
export type {
  PoolOptions,
  PoolWorkerOptions,
  PoolContext,
  PoolStartMethod,
  CallOptions,
  MapOptions,
  MapArg,
  IMapOptions,
  StreamOptions,
  AsyncCallbacks,
  ApplyAsyncOptions,
  MapAsyncOptions,
  ExecutorOptions,
  ExecutorMapOptions,
  ShutdownOptions,
  CaptureOutputFunction,
  OutputLineInfo,
} from './options.js';

// Task references, so a user needs only this package to use a pool.
export { moduleRef, taskRef } from '@multiprocessing/core';
export type { Task, TaskRef, ModuleRef, TaskArgs, TaskResult } from '@multiprocessing/core';

// The errors this package raises.
export {
  BrokenPoolError,
  CancelledError,
  InvalidStateError,
  PicklingError,
  QueueFullError,
  StateError,
  TimeoutError,
  WorkerLostError,
} from '@multiprocessing/core';
