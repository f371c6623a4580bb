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
import type { SerializedError, TaskSpec } from '@multiprocessing/core/internal';

/** Marks every pool message. */
export const kPoolMessage = '@mp/pool';

/** `mode` low bits: payload = the argument array, `fn(...args)`. */
export const kApply = 0;
/** `mode` low bits: payload = a chunk of items, `fn(x)` for each. */
export const kMap = 1;
/** `mode` low bits: payload = a chunk of argument arrays, `fn(...a)` for each. */
export const kStarmap = 2;
/**
 * `mode` low bits: payload = `[highWaterMark, args]`; `fn(...args)` returns
 * an (async) iterable whose values go back in `items` messages, at most as
 * many ahead of the caller as it has granted credit (stream.ts).
 */
export const kStream = 3;
/** Mask of the kind bits of `mode`. */
export const kKindMask = 3;
/** `mode` flag: the payload holds errors or shareables, run `fromPostable` on it. */
export const kPostableFlag = 4;
/** `mode` flag: report the start of each item (the call has a per-task timeout). */
export const kReportStartFlag = 8;
/**
 * `mode` flag: a map chunk of numbers only, packed in a Float64Array (exact
 * for every JS number, -0 and NaN included). Structured clone copies it as
 * one block, and under threads its buffer is moved, not copied.
 */
export const kPackedFlag = 16;
/**
 * `mode` flag of an apply: the payload is the one argument itself, a
 * primitive, not an argument array (one object less to clone per task).
 */
export const kOneArgFlag = 32;
/**
 * `mode` flag: the caller listens to the task's events (an `onEvent`
 * option), so `currentTask().progress(value)` sends them; without it,
 * progress is a no-op and costs no message.
 */
export const kEventsFlag = 64;

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
/** Result status: value is a map chunk's results, all numbers, packed in a Float64Array. */
export const kOkPacked = 3;

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

/**
 * parent → worker: the caller gave up on job `jobId` (an abort, a timeout).
 * If it runs, its `currentTask().signal` fires with `reason`; if it is queued
 * in the worker, it is skipped (fails with `reason`); if it has finished,
 * nothing happens. The parent has already settled the call.
 */
export type AbortMessage = [typeof kPoolMessage, 'abort', jobId: number, reason: AbortReason];

/**
 * An abort reason on the wire: a serialized error, or a DOMException (an
 * `AbortError`, say) as `[message, name]`, rebuilt as a DOMException.
 */
export type AbortReason = SerializedError | [message: string, name: string];

/** worker → parent: the initializer ran; tasks will run now. */
export type ReadyMessage = [typeof kPoolMessage, 'ready'];

/** worker → parent: the initializer failed; the worker exits with code 1. */
export type InitErrorMessage = [typeof kPoolMessage, 'init-error', SerializedError];

/**
 * worker → parent: results, {@link kResultStride} items each, in the order
 * the tasks were sent (in the order they finished when
 * {@link WorkerData.concurrency} is above 1).
 */
export type DoneMessage = [typeof kPoolMessage, 'done', unknown[]];

/**
 * worker → parent: events of running tasks (`currentTask().progress`),
 * {@link kResultStride} items each, `[jobId, status, value]`, status
 * {@link kOk}, {@link kOkPostable} or {@link kFailed} (the value could not be
 * sent: the task fails with that error). A batch of events is posted before
 * the `done` batch that holds results of the same tasks.
 */
export type EventMessage = [typeof kPoolMessage, 'event', unknown[]];

/** Chunks with fewer results than this are sent as plain arrays. */
export const kPackMin = 32;

/** worker → parent: item `index` of job `jobId` starts now (only for `kReportStartFlag`). */
export type StartMessage = [typeof kPoolMessage, 'start', jobId: number, index: number];

/**
 * worker → parent: values a stream task yielded, in order, before its result
 * (`done`, empty, or its error) ends it. Empty `items` only tells the parent
 * the stream started (a stream with a timeout).
 */
export type ItemsMessage = [typeof kPoolMessage, 'items', jobId: number, postable: boolean, items: unknown[]];

/** parent → worker: stream `jobId` may yield `credit` more values. */
export type CreditMessage = [typeof kPoolMessage, 'credit', jobId: number, credit: number];

/** parent → worker: stop stream `jobId` (its iterator's `return()`), then report it done. */
export type CloseStreamMessage = [typeof kPoolMessage, 'close-stream', jobId: number];

/** Initial credit that tells a worker the stream was closed before it started: skip it. */
export const kStreamClosed = -1;
/**
 * worker → parent: its heap passed `maxMemoryPerChild` after a task; it
 * gets no more tasks and is replaced. Sent before that task's result.
 */
export type RecycleMessage = [typeof kPoolMessage, 'recycle'];

/** worker → parent: it was told to stop and runs the finalizer now (the parent times it). */
export type FinalizingMessage = [typeof kPoolMessage, 'finalizing'];

/** worker → parent: the finalizer failed; the worker exits with code 0 all the same. */
export type FinalizerErrorMessage = [typeof kPoolMessage, 'finalizer-error', SerializedError];

export type ToWorker = RunMessage | StopMessage | AbortMessage | CreditMessage | CloseStreamMessage;
export type FromWorker =
  | ReadyMessage
  | InitErrorMessage
  | DoneMessage
  | StartMessage
  | RecycleMessage
  | FinalizingMessage
  | FinalizerErrorMessage
  | EventMessage
  | ItemsMessage;

/**
 * The `data` a pool worker is launched with.
 *
 * `progress` (thread start method only) is an Int32Array view of 2 slots over
 * a SharedArrayBuffer the parent made for this worker:
 *   [0] claim: the sequence number (1-based, in the order tasks were posted
 *       to this worker) of the last task the worker claimed;
 *   [1] running: the sequence number of the task running now, 0 if none.
 * Before it runs task `s`, the worker claims it with
 * `compareExchange(claim, s - 1, s)`; if that fails, the parent has taken the
 * task back (work stealing) and the worker skips it. The parent takes back
 * every unclaimed task at once with `compareExchange(claim, c, last)`, where
 * `c` is the claim it read and `last` the last sequence number it posted: the
 * worker then fails to claim c+1 … last and claims last+1 normally. After a
 * worker dies, the parent reads both slots: the task `running` failed with
 * it, tasks up to `claim` finished, the others never started.
 */
export interface WorkerData {
  readonly progress: SharedArrayBuffer | null;
  readonly initializer: TaskSpec | null;
  readonly initArgs: readonly unknown[];
  /** initArgs holds errors or shareables: run `fromPostable` on it. */
  readonly initArgsPostable: boolean;
  /** The worker is a child process: refuse thread-only shareables in results. */
  readonly crossProcess: boolean;
  /** Marks the launch data of a pool worker (`getWorkerData()` checks it). */
  readonly kind: typeof kPoolMessage;
  /** A task run before the worker exits cleanly (after `stop`), or null. */
  readonly finalizer: TaskSpec | null;
  readonly finalizerArgs: readonly unknown[];
  /** finalizerArgs holds errors or shareables: run `fromPostable` on it. */
  readonly finalizerArgsPostable: boolean;
  /** Recycle the worker once its heap in use exceeds this many bytes after a task; 0: never. */
  readonly maxMemoryBytes: number;
  /** The pool's `workerData` option, as `toPostable` made it. */
  readonly workerData: unknown;
  /** workerData holds errors or shareables: run `fromPostable` on it. */
  readonly workerDataPostable: boolean;
  /**
   * Tasks it runs at once (`concurrentTasksPerWorker`). Above 1, results
   * come back in the order tasks finish, and the `running` progress slot is
   * not used: every claimed task without a result is running.
   */
  readonly concurrency: number;
}

/** Number of Int32 slots in {@link WorkerData.progress}. */
export const kProgressSlots = 2;
/** Slot of the last claimed sequence number. */
export const kClaimSlot = 0;
/** Slot of the running task's sequence number (0: none). */
export const kRunningSlot = 1;

/** True when `message` is one of ours. */
export function isPoolMessage(message: unknown): message is FromWorker | ToWorker {
  return Array.isArray(message) && message[0] === kPoolMessage;
}
