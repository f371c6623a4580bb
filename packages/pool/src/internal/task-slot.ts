/**
 * The task a pool worker runs now, as `currentTask()` sees it (worker side).
 * A worker runs one task at a time, so one module-level slot is enough: the
 * worker fills it before a task runs ({@link enterTask}) and empties it when
 * the task settles ({@link leaveTask}); {@link runningTask} reads it. A task
 * that never calls `currentTask()` costs a few assignments: its handle and
 * its AbortController are made only when asked for.
 *
 * A worker that runs several tasks at once must keep this state per task
 * (AsyncLocalStorage) behind the same three functions.
 */
import { StateError } from '@multiprocessing/core';
import type { CurrentTask } from '../current-task.js';

/** Sends a progress value of job `jobId` to the parent (set by the worker entry). */
export type EventSink = (jobId: number, value: unknown) => void;

let sink: EventSink = () => undefined;

// Invariant: `slotJob` is the id of the running task's job, 0 when no task
// runs (job ids start at 1). `slotListening`: its caller gave `onEvent`.
// `slotHandle` is the handle made for it, if it asked. `slotAborted` is set
// once the parent asked it to stop, with `slotReason`. The worker entry is
// the only writer (through these functions).
let slotJob = 0;
let slotListening = false;
let slotHandle: TaskHandle | undefined;
let slotAborted = false;
let slotReason: unknown = undefined;

/** The handle of one running task. */
class TaskHandle implements CurrentTask {
  #controller: AbortController | undefined = undefined;

  constructor(
    private readonly jobId: number,
    private readonly listening: boolean,
  ) {}

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (slotAborted && slotJob === this.jobId) this.#controller.abort(slotReason);
    }
    return this.#controller.signal;
  }

  // A property, not a method: `const { progress } = currentTask()` works.
  readonly progress = (value: unknown): void => {
    if (this.listening && slotJob === this.jobId) sink(this.jobId, value);
  };

  /** The parent asked the task to stop. */
  abort(reason: unknown): void {
    this.#controller?.abort(reason);
  }
}

/** Where progress values go (the worker entry's outbox). */
export function setEventSink(fn: EventSink): void {
  sink = fn;
}

/** Job `jobId` starts running; `listening`: its caller gave `onEvent`. */
export function enterTask(jobId: number, listening: boolean): void {
  slotJob = jobId;
  slotListening = listening;
  slotHandle = undefined;
  slotAborted = false;
  slotReason = undefined;
}

/** The running task settled. */
export function leaveTask(): void {
  slotJob = 0;
  slotHandle = undefined;
  slotAborted = false;
  slotReason = undefined;
}

/**
 * The running task's handle, made on first use.
 *
 * @throws {StateError} no task runs.
 */
export function runningTask(): CurrentTask {
  if (slotJob === 0) {
    throw new StateError('currentTask() must be called while a pool task runs, in its worker');
  }
  slotHandle ??= new TaskHandle(slotJob, slotListening);
  return slotHandle;
}

/** Aborts the running task if it is job `jobId`; false if another task (or none) runs. */
export function abortRunning(jobId: number, reason: unknown): boolean {
  if (slotJob !== jobId || jobId === 0) return false;
  if (slotAborted) return true;
  slotAborted = true;
  slotReason = reason;
  slotHandle?.abort(reason);
  return true;
}

/** The running task was asked to stop: `{reason}`, else undefined. */
export function runningAbort(): { reason: unknown } | undefined {
  return slotAborted ? { reason: slotReason } : undefined;
}
