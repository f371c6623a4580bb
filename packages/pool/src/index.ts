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
export { AsyncResult } from './async-result.js';
export { IMapIterator } from './imap-iterator.js';
export { ProcessPoolExecutor } from './executor.js';
export { Future } from './future.js';
export type { PoolStats } from './pool-stats.js';
export type {
  PoolOptions,
  PoolContext,
  PoolStartMethod,
  CallOptions,
  MapOptions,
  MapArg,
  IMapOptions,
  AsyncCallbacks,
  ApplyAsyncOptions,
  MapAsyncOptions,
  ExecutorOptions,
  ExecutorMapOptions,
  ShutdownOptions,
} from './options.js';

// Task references, so a user needs only this package to use a pool.
export { moduleRef, taskRef } from '@multiprocessing/core';
export type { Task, TaskRef, ModuleRef, TaskArgs, TaskResult } from '@multiprocessing/core';

// The errors this package raises.
export {
  BrokenPoolError,
  CancelledError,
  PicklingError,
  QueueFullError,
  StateError,
  TimeoutError,
  WorkerLostError,
} from '@multiprocessing/core';
