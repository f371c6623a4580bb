/**
 * `@multiprocessing/core`: the small shared base of every `@multiprocessing`
 * package: the error classes, the shareable protocol, the codec and task
 * references.
 *
 * @privateRemarks
 * Adding a name here is a semver commitment. The plumbing the sibling packages
 * share lives in `./internal/index.ts` (the `@multiprocessing/core/internal`
 * subpath).
 *
 * @packageDocumentation
 */
export {
  ProcessError,
  TimeoutError,
  AuthenticationError,
  BufferTooShortError,
  RemoteError,
  PicklingError,
  EmptyError,
  FullError,
  ShutDownError,
  EOFError,
  BrokenPoolError,
  QueueFullError,
  BrokenBarrierError,
  CancelledError,
  WorkerLostError,
  StateError,
  InvalidStateError,
  ClusterConnectionError,
  FileExistsError,
  FileNotFoundError,
  errorClasses,
} from './errors.js';
export type { ProcessErrorOptions } from './errors.js';

export { kShareable, registerShareable, isShareable } from './shareable.js';
export type {
  Shareable,
  ShareableState,
  RemoteSpec,
  RemotePrefetch,
  RegisterShareableOptions,
} from './shareable.js';

export { encode, decode } from './codec.js';

export { kInspect } from './inspect.js';

export { moduleRef, taskRef, isTaskRef } from './task-ref.js';
export type { AnyFunction, TaskRef, ModuleRef, Task, TaskFn, TaskArgs, TaskResult } from './task-ref.js';

export { getLogger, logToStderr, LogLevel } from './logging.js';
export type { Logger, LogRecord, LogHandler, LogLevelName } from './logging.js';
