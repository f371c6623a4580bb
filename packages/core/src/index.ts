/**
 * @multiprocessing/core: the small shared base of every @multiprocessing
 * package. Adding a name here is a semver commitment.
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
  EOFError,
  BrokenPoolError,
  BrokenBarrierError,
  CancelledError,
  WorkerLostError,
  StateError,
  errorClasses,
} from './errors.js';
export type { ProcessErrorOptions } from './errors.js';

export {
  serializeError,
  deserializeError,
  isSerializedError,
  isError,
  keepsClass,
} from './error-serialization.js';
export type { SerializedError } from './error-serialization.js';

export {
  kShareable,
  registerShareable,
  isShareable,
  isShareableDescriptor,
  describeShareable,
  reviveShareable,
} from './shareable.js';
export type {
  Shareable,
  ShareableState,
  ShareableDescriptor,
} from './shareable.js';

export {
  exportSharedBuffer,
  importSharedBuffer,
  sharedBufferSnapshot,
  adoptSharedBuffers,
} from './sab-registry.js';

export { encode, decode } from './codec.js';

export { kInspect } from './inspect.js';

export { toPostable, fromPostable, loadRevivers } from './post-wire.js';
export type { Postable, ToPostableOptions } from './post-wire.js';

export {
  moduleRef,
  taskRef,
  isTaskRef,
  toTaskSpec,
  toModuleUrl,
  loadTask,
  taskKey,
} from './task-ref.js';
export type {
  AnyFunction,
  TaskRef,
  ModuleRef,
  Task,
  TaskFn,
  TaskArgs,
  TaskResult,
  TaskSpec,
} from './task-ref.js';

export { freeVariables } from './internal/free-variables.js';
