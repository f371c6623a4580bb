/**
 * @multiprocessing/queue: Queue, SimpleQueue, JoinableQueue and Pipe between threads.
 * Adding a name here is a semver commitment.
 */
export { Pipe } from './pipe.js';
export { Connection } from './connection.js';

export {
  StateError,
  EmptyError,
  FullError,
  EOFError,
  BufferTooShortError,
  PicklingError,
} from '@multiprocessing/core';
