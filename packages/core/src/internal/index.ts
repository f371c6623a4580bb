/**
 * The `@multiprocessing/core/internal` subpath: the plumbing the sibling
 * packages share (error and value wires, shared-buffer ids, task specs).
 * Not public API; no semver promise: it changes with the packages that use it.
 */

// consumers: process (the exit wire of a target), pool (results and
// initializer failures), manager (replies and launch errors). An error as
// plain data that keeps its class, and back.
export { serializeError, deserializeError, isError, keepsClass } from '../error-serialization.js';
export type { SerializedError } from '../error-serialization.js';

// consumers: core's own tests and value-lock tests (the descriptor a
// shareable becomes on the wire, and its revival).
export { describeShareable, reviveShareable } from '../shareable.js';
export type { ShareableDescriptor } from '../shareable.js';

// consumers: process (the hand-off of buffers to a thread it starts), tools/bench
// and queue/value-lock tests. Shared-buffer ids of the byte codec.
export {
  exportSharedBuffer,
  importSharedBuffer,
  sharedBufferSnapshot,
  sharedBufferHandoff,
  adoptSharedBuffers,
  kSharedBuffers,
  processSharedMemory,
} from '../sab-registry.js';
export type { SharedBufferHandoff } from '../sab-registry.js';

// consumers: process and pool (postMessage to and from workers), tools/bench.
export { toPostable, fromPostable, loadRevivers } from '../post-wire.js';
export type { Postable, ToPostableOptions } from '../post-wire.js';

// consumers: process (targets), pool (tasks and initializers), manager
// (registered callables), value-lock (Condition.waitFor predicates). A task as
// data a worker can load, its cache key, and loading it there.
export { toTaskSpec, toModuleUrl, loadTask, taskKey } from '../task-ref.js';
export type { TaskSpec } from '../task-ref.js';

// consumers: queue (Queue and SimpleQueue puts, which copy the bytes into their
// ring at once). Encoding into a buffer that is reused once the bytes are copied.
export { withEncoded } from '../codec.js';

// consumer: core's tests (the closure check behind toTaskSpec).
export { freeVariables } from './free-variables.js';

// consumers: queue (a Pipe's Connection) and manager (a socket's Connection).
// One check of send_bytes/recv_bytes/recv_bytes_into arguments for both.
export { bytesOf, sendBytesRange, checkMaxlength, recvIntoTarget, copyMessageInto } from './byte-args.js';

// consumers: value-lock, queue, process, pool and manager (every public
// timeout). Seconds to ms with one set of errors, deadlines, and a timer that
// re-arms past setTimeout's 2^31-1 ms limit.
export {
  kMaxTimerMs,
  timeoutMs,
  deadlineAfter,
  remainingMs,
  atomicsTimeout,
  startTimer,
  raceTimeout,
  sleep,
  secondsText,
} from './timeout.js';
export type { Timer, TimerOptions } from './timeout.js';

// consumers: the worker-side modules of process (parent-channel) and pool
// (task-slot, stream-producer). The same classes as the root entry's (both
// entries import them from one shared chunk); taken from here, a worker
// that needs nothing else of the root entry does not load it.
export { PicklingError, StateError } from '../errors.js';

// consumers: value-lock (every owner check and owner write) and process (its
// broker, which runs the lock calls of other processes). Who a call acts for.
export { actAs, actingOwnerId, actingOwnerName } from './acting-owner.js';

// consumers: process (its broker and the objects it serves to other
// processes). A registered class, its reviver and remote methods; the hook
// that makes a thread-only shareable reachable from another process.
export { loadShareable, setCrossProcessExporter, exportForProcess } from '../shareable.js';
export type { CrossProcessExporter, Registration } from '../shareable.js';

// consumers: process (its broker and clients). The byte codec for values that
// cross into another OS process: thread-only shareables become remote handles.
export { encodeForProcess } from '../codec.js';

// consumers: queue (Connection, the queues), manager (socket Connection, connection.wait).
export { kReadyNow, kWhenReady, hasReadiness } from './readiness.js';
export type { Readiness } from './readiness.js';

// consumers: process (a child inherits its parent's logging), pool and manager (lifecycle events).
export { logSettings, applyLogSettings, runtimeLogger } from '../logging.js';
export type { LogSettings } from '../logging.js';
