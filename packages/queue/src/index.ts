/**
 * `@multiprocessing/queue`: Queue, SimpleQueue, JoinableQueue and Pipe between
 * threads.
 *
 * @privateRemarks
 * Adding a name here is a semver commitment.
 *
 * @packageDocumentation
 */
export { Queue } from './queue.js';
export type { QueueOptions, BlockOptions, QueueShutdownOptions } from './queue.js';
export { JoinableQueue } from './joinable-queue.js';
export { SimpleQueue } from './simple-queue.js';
export { Pipe } from './pipe.js';
export { Connection } from './connection.js';

export {
  StateError,
  EmptyError,
  FullError,
  ShutDownError,
  EOFError,
  BufferTooShortError,
  PicklingError,
} from '@multiprocessing/core';
