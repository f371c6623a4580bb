/**
 * The error hierarchy of every @multiprocessing package. Mirrors the
 * exceptions of `multiprocessing`, `queue`, `threading` and
 * `concurrent.futures`. Each class has a stable
 * `code` that survives a trip across a thread or process boundary through
 * {@link serializeError} / {@link deserializeError}.
 */

/** Options accepted by every error constructor. */
export interface ProcessErrorOptions {
  /** The error that caused this one (the standard `cause`). */
  cause?: unknown;
}

/**
 * Base class of every error this project raises. Raised where Python raises
 * `multiprocessing.ProcessError`.
 */
export class ProcessError extends Error {
  /** Stable identifier of the error kind; survives serialization. */
  static readonly code: string = 'ERR_MP_PROCESS';
  /** The stable identifier of this error's class (`ERR_MP_TIMEOUT`, …); survives serialization. */
  readonly code: string;

  constructor(message = '', options?: ProcessErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = new.target.code;
  }
}

/**
 * A wait or a task ran out of time. Raised where Python raises
 * `multiprocessing.TimeoutError` or `concurrent.futures.TimeoutError`.
 */
export class TimeoutError extends ProcessError {
  static override readonly code: string = 'ERR_MP_TIMEOUT';
}

/**
 * The HMAC challenge failed. Raised where Python raises
 * `multiprocessing.AuthenticationError`; the messages are Python's
 * (`digest received was wrong`, `digest sent was rejected`).
 */
export class AuthenticationError extends ProcessError {
  static override readonly code: string = 'ERR_MP_AUTH';
}

/**
 * A received message does not fit the buffer given to `recvBytesInto`.
 * Raised where Python raises `multiprocessing.BufferTooShort`. `message` is
 * the whole message that did not fit.
 */
export class BufferTooShortError extends ProcessError {
  static override readonly code: string = 'ERR_MP_BUFFER_TOO_SHORT';
  /** The whole message that did not fit. */
  readonly data: Uint8Array | undefined;

  constructor(message = 'buffer too short', options?: ProcessErrorOptions & { data?: Uint8Array }) {
    super(message, options);
    this.data = options?.data;
  }
}

/**
 * A failure in a manager's server that is not one of the referent's own
 * errors. Raised where Python raises `multiprocessing.managers.RemoteError`.
 * The server's stack is part of the message and of `stack`.
 */
export class RemoteError extends ProcessError {
  static override readonly code: string = 'ERR_MP_REMOTE';
}

/**
 * A value cannot be sent to another thread or process: a function that
 * closes over a variable, a function inside data, a shareable that cannot
 * cross a process boundary. Raised where Python raises `pickle.PicklingError`.
 * The message names the value and the fix.
 */
export class PicklingError extends ProcessError {
  static override readonly code: string = 'ERR_MP_PICKLING';
}

/** The queue is empty. Raised where Python raises `queue.Empty`. */
export class EmptyError extends ProcessError {
  static override readonly code: string = 'ERR_MP_EMPTY';
}

/** The queue is full. Raised where Python raises `queue.Full`. */
export class FullError extends ProcessError {
  static override readonly code: string = 'ERR_MP_FULL';
}

/**
 * The queue was shut down (`Queue#shutdown()`): a put always fails, and a
 * get fails once nothing is left to take (at once after an immediate
 * shutdown). Raised where Python raises `queue.ShutDown`.
 */
export class ShutDownError extends ProcessError {
  static override readonly code: string = 'ERR_MP_SHUT_DOWN';
}

/**
 * The other end of a connection is closed and nothing is left to read.
 * Raised where Python raises `EOFError`.
 */
export class EOFError extends ProcessError {
  static override readonly code: string = 'ERR_MP_EOF';
}

/**
 * A worker of a `ProcessPoolExecutor` died; the executor is unusable.
 * Raised where Python raises `concurrent.futures.process.BrokenProcessPool`.
 */
export class BrokenPoolError extends ProcessError {
  static override readonly code: string = 'ERR_MP_BROKEN_POOL';
}

/**
 * A pool's queue of waiting tasks is full: a call would put more tasks in
 * it than the pool's `maxQueue` allows. Python has no counterpart (its
 * `Pool` queues without limit). The message names the limit.
 */
export class QueueFullError extends ProcessError {
  static override readonly code: string = 'ERR_MP_QUEUE_FULL';
}

/**
 * A barrier was broken by a timeout, `abort()` or `reset()`. Raised where
 * Python raises `threading.BrokenBarrierError`.
 */
export class BrokenBarrierError extends ProcessError {
  static override readonly code: string = 'ERR_MP_BROKEN_BARRIER';
}

/**
 * A future was cancelled. Raised where Python raises
 * `concurrent.futures.CancelledError`.
 */
export class CancelledError extends ProcessError {
  static override readonly code: string = 'ERR_MP_CANCELLED';
}

/**
 * A pool worker died while it ran a task. Python has no counterpart: its
 * `Pool` hangs in this case. The message reads
 * `Worker PoolWorker-2 exited with code 3 while running a task`.
 */
export class WorkerLostError extends ProcessError {
  static override readonly code: string = 'ERR_MP_WORKER_LOST';
  /** The worker's exit code (negative for a signal, as in Python). */
  readonly exitcode: number | null;
  /** The worker's name, such as `PoolWorker-2`. */
  readonly workerName: string;

  constructor(
    workerName: string,
    exitcode: number | null,
    options?: ProcessErrorOptions & { message?: string },
  ) {
    super(
      options?.message ?? `Worker ${workerName} exited with code ${String(exitcode)} while running a task`,
      options,
    );
    this.workerName = workerName;
    this.exitcode = exitcode;
  }
}

/**
 * An object was used in a state that does not allow the call. Raised where
 * Python raises `ValueError`, `AssertionError` or `RuntimeError` for misuse;
 * the message is exactly Python's (`Pool not running`,
 * `cannot start a process twice`, …).
 */
export class StateError extends ProcessError {
  static override readonly code: string = 'ERR_MP_STATE';
}

/**
 * A `Future` completed twice, or completed after it was cancelled
 * (`setResult`, `setException`). Mirrors `concurrent.futures.InvalidStateError`.
 */
export class InvalidStateError extends StateError {
  static override readonly code: string = 'ERR_MP_INVALID_STATE';
}

/**
 * The connection to the server that carries a cluster's tasks (Redis, for
 * `@multiprocessing/cluster`) was lost, or could not be made, for longer
 * than its bound: every call that waited on it rejects with this error.
 * Python has no counterpart.
 */
export class ClusterConnectionError extends ProcessError {
  static override readonly code: string = 'ERR_MP_CLUSTER_CONNECTION';
}

/**
 * A `SharedMemory` (or `ShareableList`) was created with a name that is
 * already in use. Mirrors Python's `FileExistsError` from
 * `shared_memory.SharedMemory(name, create=True)`; the message is Python's
 * (`[Errno 17] File exists: 'name'`).
 */
export class FileExistsError extends ProcessError {
  static override readonly code: string = 'ERR_MP_FILE_EXISTS';
}

/**
 * No `SharedMemory` has the name asked for, or it was unlinked. Mirrors
 * Python's `FileNotFoundError` from attaching to, or unlinking, a missing
 * segment; the message starts as Python's
 * (`[Errno 2] No such file or directory: 'name'`).
 */
export class FileNotFoundError extends ProcessError {
  static override readonly code: string = 'ERR_MP_FILE_NOT_FOUND';
}

/** Every error class of this project, by code. */
export const errorClasses: ReadonlyMap<string, typeof ProcessError> = new Map(
  (
    [
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
    ] as (typeof ProcessError)[]
  ).map((cls) => [cls.code, cls]),
);
