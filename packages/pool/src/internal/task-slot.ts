/**
 * The task a pool worker runs now, as `currentTask()` sees it (worker side).
 * A worker that runs one task at a time keeps it in one module-level slot:
 * the worker fills it before a task runs ({@link enterTask}) and empties it
 * when the task settles ({@link leaveTask}); {@link runningTask} reads it. A
 * task that never calls `currentTask()` costs a few assignments: its handle
 * and its AbortController are made only when asked for.
 *
 * A worker that runs several tasks at once (`concurrentTasksPerWorker` above
 * 1) calls {@link useTaskContexts} once: each task then gets its own state,
 * found through an AsyncLocalStorage while it runs (across its awaits), and
 * by job id when the parent asks it to stop ({@link runInTask}).
 *
 * The worker's entry is one bundled file with its own copy of this module,
 * while `currentTask()` reads the copy the task's own
 * `import '@multiprocessing/pool'` loads: the state both copies use lives on
 * `globalThis` under a `Symbol.for` key ({@link SlotState}), one per thread.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { StateError } from '@multiprocessing/core/internal';
import type { CurrentTask } from '../current-task.js';

/** Sends a progress value of job `jobId` to the parent (set by the worker entry). */
export type EventSink = (jobId: number, value: unknown) => void;

/**
 * One task's state. Invariant: `job` is the id of the task's job while it
 * runs, 0 once it settled (job ids start at 1); `listening`: its caller gave
 * `onEvent`; `handle` is the handle made for it, if it asked; `aborted` is
 * set once the parent asked it to stop, with `reason`. The worker entry is
 * the only writer (through the functions below).
 */
interface TaskState {
  job: number;
  listening: boolean;
  handle: TaskHandle | undefined;
  aborted: boolean;
  reason: unknown;
}

function newState(job: number, listening: boolean): TaskState {
  return { job, listening, handle: undefined, aborted: false, reason: undefined };
}

/** What every copy of this module in one thread shares. */
interface SlotState {
  /** Where progress values go. */
  sink: EventSink;
  /** The one slot of a worker that runs one task at a time. */
  readonly slot: TaskState;
  /** Set by {@link useTaskContexts}: each task's state, while it runs. */
  contexts: AsyncLocalStorage<TaskState> | undefined;
  /** With `contexts`: the state of every running task, by job id. */
  readonly runningStates: Map<number, TaskState>;
}

const key = Symbol.for('@multiprocessing/pool:task-slot@1');

function createShared(): SlotState {
  const state: SlotState = {
    sink: () => undefined,
    slot: newState(0, false),
    contexts: undefined,
    runningStates: new Map(),
  };
  Object.defineProperty(globalThis, key, { value: state, enumerable: false });
  return state;
}

const shared: SlotState =
  (globalThis as unknown as Record<symbol, SlotState | undefined>)[key] ?? createShared();
const slot = shared.slot;
const runningStates = shared.runningStates;

/** The handle of one running task. */
class TaskHandle implements CurrentTask {
  #controller: AbortController | undefined = undefined;

  constructor(
    private readonly state: TaskState,
    private readonly jobId: number,
  ) {}

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.state.aborted && this.state.job === this.jobId) this.#controller.abort(this.state.reason);
    }
    return this.#controller.signal;
  }

  // A property, not a method: `const { progress } = currentTask()` works.
  readonly progress = (value: unknown): void => {
    if (this.state.listening && this.state.job === this.jobId) shared.sink(this.jobId, value);
  };

  /** The parent asked the task to stop. */
  abort(reason: unknown): void {
    this.#controller?.abort(reason);
  }
}

/** Where progress values go (the worker entry's outbox). */
export function setEventSink(fn: EventSink): void {
  shared.sink = fn;
}

/** The worker runs several tasks at once: from now on each keeps its own state (see the module header). */
export function useTaskContexts(): void {
  shared.contexts ??= new AsyncLocalStorage();
}

/** Job `jobId` starts running; `listening`: its caller gave `onEvent` (one task at a time). */
export function enterTask(jobId: number, listening: boolean): void {
  slot.job = jobId;
  slot.listening = listening;
  slot.handle = undefined;
  slot.aborted = false;
  slot.reason = undefined;
}

/**
 * Calls `fn(...args)` as job `jobId`, with its own state for `currentTask()`
 * during the call and the async work it starts (after {@link useTaskContexts}).
 */
export function runInTask<A extends unknown[], R>(
  jobId: number,
  listening: boolean,
  fn: (...args: A) => R,
  ...args: A
): R {
  const contexts = shared.contexts;
  if (contexts === undefined) throw new StateError('runInTask() needs useTaskContexts() first');
  const state = newState(jobId, listening);
  runningStates.set(jobId, state);
  return contexts.run(state, fn, ...args);
}

/** Job `jobId` settled. */
export function leaveTask(jobId: number): void {
  if (shared.contexts !== undefined) {
    const state = runningStates.get(jobId);
    if (state === undefined) return;
    runningStates.delete(jobId);
    state.job = 0;
    state.handle = undefined;
    return;
  }
  slot.job = 0;
  slot.handle = undefined;
  slot.aborted = false;
  slot.reason = undefined;
}

function currentState(): TaskState | undefined {
  const contexts = shared.contexts;
  const state = contexts === undefined ? slot : contexts.getStore();
  return state === undefined || state.job === 0 ? undefined : state;
}

/**
 * The running task's handle, made on first use.
 *
 * @throws {StateError} no task runs.
 */
export function runningTask(): CurrentTask {
  const state = currentState();
  if (state === undefined) {
    throw new StateError('currentTask() must be called while a pool task runs, in its worker');
  }
  state.handle ??= new TaskHandle(state, state.job);
  return state.handle;
}

/** Aborts job `jobId` if it runs; false if it does not (another task, or none, runs). */
export function abortRunning(jobId: number, reason: unknown): boolean {
  if (jobId === 0) return false;
  const state = shared.contexts === undefined ? slot : runningStates.get(jobId);
  if (state?.job !== jobId) return false;
  if (state.aborted) return true;
  state.aborted = true;
  state.reason = reason;
  state.handle?.abort(reason);
  return true;
}

/** The running task was asked to stop: `{reason}`, else undefined. */
export function runningAbort(): { reason: unknown } | undefined {
  const contexts = shared.contexts;
  const state = contexts === undefined ? slot : contexts.getStore();
  return state?.aborted === true ? { reason: state.reason } : undefined;
}
