/**
 * A fake pool worker for the scheduler's unit tests: what `launch()` returns
 * (a message emitter and an exit promise), driven by the test. No thread or
 * process is started.
 */
import type { Launched } from '@multiprocessing/process/internal';
import { Job, type JobOwner } from '../../src/internal/job.js';
import type { WorkerLauncher, WorkerRequest } from '../../src/internal/launcher.js';
import {
  kClaimSlot,
  kOk,
  kPoolMessage,
  kRunningSlot,
  kTaskStride,
  type RunMessage,
} from '../../src/internal/protocol.js';
import type { Scheduler, SchedulerOptions } from '../../src/internal/scheduler.js';

/** One fake worker. */
export class FakeWorker implements Launched {
  readonly name: string;
  readonly startMethod: Launched['startMethod'];
  readonly pid = 0;
  readonly ident = 0;
  exitcode: number | null = null;
  error: Error | undefined = undefined;
  readonly exited: Promise<number>;
  /** Every message the pool posted to it. */
  readonly posted: unknown[] = [];
  /** Its progress slots (thread start method). */
  readonly progress: Int32Array | undefined;
  refed = true;
  readonly #listeners: ((message: unknown) => void)[] = [];
  #resolveExit!: (code: number) => void;

  constructor(readonly request: WorkerRequest) {
    this.name = request.name;
    this.startMethod = request.startMethod;
    this.progress = request.data.progress === null ? undefined : new Int32Array(request.data.progress);
    this.exited = new Promise((resolve) => {
      this.#resolveExit = resolve;
    });
  }

  postMessage(message: unknown): void {
    if (this.exitcode !== null) throw new Error('worker has exited');
    this.posted.push(message);
  }

  onMessage(listener: (message: unknown) => void): void {
    this.#listeners.push(listener);
  }

  terminate(): void {
    this.exit(-15);
  }

  kill(): void {
    this.exit(-9);
  }

  ref(): void {
    this.refed = true;
  }

  unref(): void {
    this.refed = false;
  }

  /** The worker ends with `code` (and `error` as its uncaught error). */
  exit(code: number, error?: Error): void {
    if (this.exitcode !== null) return;
    this.exitcode = code;
    this.error = error;
    this.#resolveExit(code);
  }

  emit(message: unknown): void {
    for (const listener of this.#listeners) listener(message);
  }

  ready(): void {
    this.emit([kPoolMessage, 'ready']);
  }

  /** The job ids it was sent, in order. */
  jobIds(): number[] {
    const ids: number[] = [];
    for (const message of this.posted) {
      const run = message as RunMessage;
      if (run[1] !== 'run') continue;
      for (let i = 0; i < run[3].length; i += kTaskStride) ids.push(run[3][i] as number);
    }
    return ids;
  }

  /** Claims (and runs) its task of sequence number `seq`, as the worker does before it runs it. */
  claim(seq: number): boolean {
    const progress = this.progress;
    if (progress === undefined) throw new Error('no progress slots under process');
    if (Atomics.compareExchange(progress, kClaimSlot, seq - 1, seq) !== seq - 1) return false;
    Atomics.store(progress, kRunningSlot, seq);
    return true;
  }

  /** Posts results: `[jobId, value]` pairs, each a success. */
  done(...results: [jobId: number, value: unknown][]): void {
    if (this.progress !== undefined) Atomics.store(this.progress, kRunningSlot, 0);
    this.emit([kPoolMessage, 'done', results.flatMap(([id, value]) => [id, kOk, value])]);
  }
}

/** A launcher that records the fake workers it starts. */
export function fakeLauncher(): { launcher: WorkerLauncher; workers: FakeWorker[] } {
  const workers: FakeWorker[] = [];
  return {
    workers,
    launcher: (request) => {
      const w = new FakeWorker(request);
      workers.push(w);
      return w;
    },
  };
}

/** A call of one job whose outcome is a promise. */
export interface FakeCall {
  readonly job: Job;
  /** Settles with the job's result; rejects with its error or the call's failure. */
  readonly outcome: Promise<unknown>;
}

/** Queues a call of one job on `scheduler`. */
export function submit(scheduler: Scheduler, payload: unknown = 0): FakeCall {
  let resolve!: (value: unknown) => void;
  let reject!: (error: unknown) => void;
  const outcome = new Promise<unknown>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  outcome.catch(() => undefined);
  const owner: JobOwner & { finished: boolean } = {
    timeoutMs: undefined,
    finished: false,
    settle(_job, ok, value) {
      owner.finished = true;
      if (ok) resolve(value);
      else reject(value);
    },
    fail(error) {
      owner.finished = true;
      reject(error);
    },
  };
  const job = new Job(scheduler.newJobId(), owner, 0, 0, payload, undefined, 0, 1);
  scheduler.enqueue(job);
  return { job, outcome };
}

/** Options of a Pool-like scheduler (heal, all workers at once, prefetch) under threads. */
export const poolOptions: SchedulerOptions = {
  processes: 2,
  startMethod: 'thread',
  initializer: null,
  initArgs: [],
  initArgsPostable: false,
  maxTasksPerChild: undefined,
  resourceLimits: undefined,
  onWorkerLost: 'heal',
  lazy: false,
  prefetch: true,
};

/**
 * One turn of the event loop: the pump runs in a microtask, a worker's exit
 * is handled in a setImmediate after its `exited` promise. Not a sleep: it
 * waits for no clock.
 */
export function turn(): Promise<void> {
  return new Promise((resolve) => {
    setImmediate(resolve);
  });
}

/** The outcome of `promise`: `{ok, value}`, never a rejection. */
export async function outcomeOf(promise: Promise<unknown>): Promise<{ ok: boolean; value: unknown }> {
  try {
    return { ok: true, value: await promise };
  } catch (err) {
    return { ok: false, value: err };
  }
}
