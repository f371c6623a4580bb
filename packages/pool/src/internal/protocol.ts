/**
 * The messages between a pool and its workers (the role of the pipes behind
 * `multiprocessing.pool`'s `_inqueue` / `_outqueue`). Message shapes only.
 *
 * Every message is an array whose first item is {@link kPoolMessage}, so it is
 * never mistaken for a user's message. Tasks and results travel as flat arrays
 * (a fixed stride per entry) because structured clone copies one array of
 * primitives much faster than many small objects; all the tasks a worker is
 * sent in one tick go in one message, and its results come back the same way.
 */
import type { SerializedError, TaskSpec } from '@multiprocessing/core';

/** Marks every pool message. */
export const kPoolMessage = '@mp/pool';

/** `mode` low bits: payload = the argument array, `fn(...args)`. */
export const kApply = 0;
/** `mode` low bits: payload = a chunk of items, `fn(x)` for each. */
export const kMap = 1;
/** `mode` low bits: payload = a chunk of argument arrays, `fn(...a)` for each. */
export const kStarmap = 2;
/** Mask of the kind bits of `mode`. */
export const kKindMask = 3;
/** `mode` flag: the payload holds errors or shareables, run `fromPostable` on it. */
export const kPostableFlag = 4;
/** `mode` flag: report the start of each item (the call has a per-task timeout). */
export const kReportStartFlag = 8;

/** Stride of one task in a `run` message: `[jobId, fnId, mode, payload]`. */
export const kTaskStride = 4;

/** Stride of one result in a `done` message: `[jobId, status, value]`. */
export const kResultStride = 3;

/** Result status: value is the result, plain data. */
export const kOk = 0;
/** Result status: value is the result as `toPostable` made it, run `fromPostable`. */
export const kOkPostable = 1;
/** Result status: value is a `SerializedError`. */
export const kFailed = 2;

/** parent → worker: run these tasks (after defining the functions they name). */
export type RunMessage = [
  typeof kPoolMessage,
  'run',
  /** `[fnId, spec]` pairs this worker has not been sent yet, or null. */
  defs: [number, TaskSpec][] | null,
  /** Flat tasks, {@link kTaskStride} items each. */
  tasks: unknown[],
];

/** parent → worker: finish what is queued, then exit with code 0. */
export type StopMessage = [typeof kPoolMessage, 'stop'];

/** worker → parent: the initializer ran; tasks will run now. */
export type ReadyMessage = [typeof kPoolMessage, 'ready'];

/** worker → parent: the initializer failed; the worker exits with code 1. */
export type InitErrorMessage = [typeof kPoolMessage, 'init-error', SerializedError];

/** worker → parent: results, {@link kResultStride} items each, in the order the tasks were sent. */
export type DoneMessage = [typeof kPoolMessage, 'done', unknown[]];

/** worker → parent: item `index` of job `jobId` starts now (only for `kReportStartFlag`). */
export type StartMessage = [typeof kPoolMessage, 'start', jobId: number, index: number];

export type ToWorker = RunMessage | StopMessage;
export type FromWorker = ReadyMessage | InitErrorMessage | DoneMessage | StartMessage;

/**
 * The `data` a pool worker is launched with.
 *
 * `progress` (thread start method only) is an Int32Array view of 2 slots over
 * a SharedArrayBuffer the parent made for this worker:
 *   [0] sequence number of the last task the worker started (1-based, in the
 *       order tasks were sent to this worker),
 *   [1] sequence number of the last task the worker finished.
 * The worker stores [0] before it calls the task function and [1] after it
 * returns (or its promise settles). The parent reads them only after the
 * worker has exited, to tell which task it was running (started > finished),
 * which tasks finished (seq <= [1]) and which never started (seq > [0]).
 */
export interface WorkerData {
  readonly progress: SharedArrayBuffer | null;
  readonly initializer: TaskSpec | null;
  readonly initArgs: readonly unknown[];
  /** initArgs holds errors or shareables: run `fromPostable` on it. */
  readonly initArgsPostable: boolean;
  /** The worker is a child process: refuse thread-only shareables in results. */
  readonly crossProcess: boolean;
}

/** Number of Int32 slots in {@link WorkerData.progress}. */
export const kProgressSlots = 2;
/** Slot of the last started sequence number. */
export const kStartedSlot = 0;
/** Slot of the last finished sequence number. */
export const kFinishedSlot = 1;

/** True when `message` is one of ours. */
export function isPoolMessage(message: unknown): message is FromWorker | ToWorker {
  return Array.isArray(message) && message[0] === kPoolMessage;
}
