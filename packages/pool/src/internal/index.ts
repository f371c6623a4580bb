/**
 * The `@multiprocessing/pool/internal` subpath: what a package that runs a
 * pool's tasks elsewhere needs (`@multiprocessing/cluster`). Not public API;
 * no semver promise: it changes with the packages that use it.
 */

// consumer: cluster (its context's lanes, and the context key that carries them).
export { kPoolBackend } from './backend.js';
export type { PoolBackend } from './backend.js';
export type { WorkerLauncher, WorkerRequest } from './launcher.js';
export type { Launched } from '@multiprocessing/process/internal';

// consumer: cluster (the messages its lanes take and send, as a worker's).
export {
  kPoolMessage,
  kApply,
  kMap,
  kStarmap,
  kStream,
  kKindMask,
  kPostableFlag,
  kReportStartFlag,
  kPackedFlag,
  kOneArgFlag,
  kEventsFlag,
  kTaskStride,
  kResultStride,
  kOk,
  kOkPostable,
  kFailed,
  kOkPacked,
} from './protocol.js';
export type { RunMessage, DoneMessage, EventMessage, AbortMessage, ReadyMessage } from './protocol.js';

// consumer: cluster hosts (a task that came over a wire, run on a local Pool).
export { submitRawTask } from './raw-task.js';
export type { RawTask, RawTaskHandle } from './raw-task.js';
