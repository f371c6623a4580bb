/**
 * One lane: a worker as a Pool's scheduler sees it, whose tasks run on the
 * cluster's hosts. It takes the pool's worker messages (`run`, `abort`,
 * `stop`), hands each batch of tasks to its client as one bundle (one
 * BullMQ job), and answers with the results, starts and progress events
 * the hosts send back, as a worker would. It never dies on its own: a lost
 * host or a lost Redis fails the tasks it held, one by one.
 */
import { CancelledError } from '@multiprocessing/core';
import { serializeError, type SerializedError, type TaskSpec } from '@multiprocessing/core/internal';
import {
  kFailed,
  kKindMask,
  kMap,
  kOk,
  kPoolMessage,
  kStarmap,
  kStream,
  kTaskStride,
  type Launched,
} from '@multiprocessing/pool/internal';
import { Bundles } from './bundles.js';
import { toWireSpec, type WireSpec } from './module-paths.js';
import { kEntryStride, kResultEvent, kResultOk, kResultStart, type Bundle } from './wire.js';

/** What a lane needs from the client it belongs to. */
export interface LaneClient {
  /** The caller's project root, against which module paths are sent. */
  readonly root: string;
  /** How many jobs the single calls of one tick are spread over (the cluster's worker processes). */
  readonly spread: number;
  /** The error every task fails with once the client has broken (Redis lost). */
  readonly broken: Error | undefined;
  /** Sends `bundle` as one job; `singleCalls`: tell `lane.applyJobEnded()` when it has ended. */
  submit(lane: Lane, bundle: Bundle, singleCalls: boolean): void;
  /** Tells the hosts that `jobIds` of `lane` are no longer wanted. */
  cancel(lane: Lane, jobIds: readonly number[]): void;
  /** `lane` ended: it holds no task. */
  laneEnded(lane: Lane): void;
}

/**
 * Jobs of single calls each lane may have out, per worker process of the
 * cluster. Past them, calls wait in the lane and go together in the next
 * job: one job per call when calls are few (no wait), many per job under
 * load (Redis works per job, not per call).
 */
const kApplyJobsOut = 2;

let laneCounter = 0;

/** See the module header. */
export class Lane implements Launched {
  readonly id = ++laneCounter;
  readonly startMethod = 'process' as const;
  readonly pid = process.pid;
  exitcode: number | null = null;
  readonly exited: Promise<number>;
  readonly error: Error | undefined = undefined;
  readonly #listeners: ((message: unknown) => void)[] = [];
  /** fnId → its wire form, or the error that keeps it from travelling. */
  readonly #specs = new Map<number, WireSpec | Error>();
  /** Tasks sent and not answered. */
  readonly #pending = new Set<number>();
  /** Single calls not sent yet: enough of this lane's jobs of them are out. */
  readonly #held = new Bundles();
  /** This lane's jobs of single calls that are out (sent, not ended). */
  #applyJobsOut = 0;
  #stopping = false;
  #resolveExit!: (code: number) => void;

  constructor(
    readonly name: string,
    private readonly client: LaneClient,
  ) {
    this.exited = new Promise((resolve) => {
      this.#resolveExit = resolve;
    });
    setImmediate(() => {
      if (this.exitcode === null) this.#emit([kPoolMessage, 'ready']);
    });
  }

  get ident(): number {
    return this.id;
  }

  /** Tasks sent and not answered. */
  get pending(): number {
    return this.#pending.size;
  }

  onMessage(listener: (message: unknown) => void): void {
    this.#listeners.push(listener);
  }

  postMessage(message: unknown): void {
    if (this.exitcode !== null || !Array.isArray(message) || message[0] !== kPoolMessage) return;
    switch (message[1]) {
      case 'run':
        this.#run(message[2] as [number, TaskSpec][] | null, message[3] as unknown[]);
        break;
      case 'abort':
        this.#abort(message[2] as number);
        break;
      case 'stop':
        this.#stopping = true;
        this.#maybeExit();
        break;
    }
  }

  #run(defs: [number, TaskSpec][] | null, tasks: unknown[]): void {
    if (defs !== null) {
      for (const [fnId, spec] of defs) {
        try {
          this.#specs.set(fnId, toWireSpec(spec, this.client.root));
        } catch (err) {
          this.#specs.set(fnId, err as Error);
        }
      }
    }
    const broken = this.client.broken;
    const failed: unknown[] = [];
    const chunks = new Bundles();
    for (let i = 0; i < tasks.length; i += kTaskStride) {
      const jobId = tasks[i] as number;
      const fnId = tasks[i + 1] as number;
      const mode = tasks[i + 2] as number;
      const spec = this.#specs.get(fnId);
      let error: Error | undefined = broken;
      if (error === undefined && spec instanceof Error) error = spec;
      else if (error === undefined && (mode & kKindMask) === kStream) {
        error = new TypeError('Pool.stream() does not run on a cluster; use imap() or imapUnordered()');
      }
      if (error !== undefined || spec === undefined || spec instanceof Error) {
        failed.push(jobId, kFailed, serializeError(error ?? new Error(`no function ${String(fnId)}`)));
        continue;
      }
      const kind = mode & kKindMask;
      if (kind === kMap || kind === kStarmap) chunks.add(spec, jobId, fnId, mode, tasks[i + 3]);
      else this.#held.add(spec, jobId, fnId, mode, tasks[i + 3]);
      this.#pending.add(jobId);
    }
    // One job per map chunk. The single calls wait in #held while enough of this lane's jobs
    // of single calls are out; else they go, spread over as many jobs as the cluster has
    // worker processes, so each host takes its share.
    for (const bundle of chunks.split(Infinity)) this.client.submit(this, bundle, false);
    this.#sendHeld();
    if (failed.length > 0)
      queueMicrotask(() => {
        this.#emit([kPoolMessage, 'done', failed]);
      });
  }

  /** Sends the held single calls, if fewer than {@link kApplyJobsOut} of this lane's jobs of them are out. */
  #sendHeld(): void {
    if (this.#held.size === 0 || this.exitcode !== null) return;
    const room = this.client.spread * kApplyJobsOut - this.#applyJobsOut;
    if (room <= 0) return;
    for (const bundle of this.#held.take(Math.min(room, this.client.spread))) {
      this.#applyJobsOut++;
      this.client.submit(this, bundle, true);
    }
  }

  /** A job of single calls this lane sent has ended (answered, lost or refused): held calls may go. */
  applyJobEnded(): void {
    this.#applyJobsOut--;
    this.#sendHeld();
  }

  #abort(jobId: number): void {
    if (!this.#pending.delete(jobId)) return;
    this.#held.remove(jobId);
    this.client.cancel(this, [jobId]);
    // The caller has settled the task already: this answer only frees its place.
    const reason = serializeError(new CancelledError('Task aborted'));
    queueMicrotask(() => {
      this.#emit([kPoolMessage, 'done', [jobId, kFailed, reason]]);
      this.#maybeExit();
    });
  }

  /** Applies the entries of a host's result batch that are this lane's (`[laneId, jobId, kind, value]`). */
  receive(entries: readonly unknown[], from: number, to: number): void {
    let events: unknown[] | undefined;
    let done: unknown[] | undefined;
    for (let i = from; i < to; i += kEntryStride) {
      if (entries[i] !== this.id) continue;
      const jobId = entries[i + 1] as number;
      if (!this.#pending.has(jobId)) continue;
      const kind = entries[i + 2];
      const value = entries[i + 3];
      if (kind === kResultStart) {
        this.#emit([kPoolMessage, 'start', jobId, value]);
      } else if (kind === kResultEvent) {
        (events ??= []).push(jobId, kOk, value);
      } else {
        this.#pending.delete(jobId);
        (done ??= []).push(jobId, kind === kResultOk ? kOk : kFailed, value);
      }
    }
    if (events !== undefined) this.#emit([kPoolMessage, 'event', events]);
    if (done !== undefined) this.#emit([kPoolMessage, 'done', done]);
    this.#maybeExit();
  }

  /** Fails `jobIds` (those still pending) with `error`: their host was lost, or Redis was. */
  fail(jobIds: Iterable<number>, error: Error | SerializedError): void {
    const value = error instanceof Error ? serializeError(error) : error;
    const done: unknown[] = [];
    for (const jobId of jobIds) {
      if (!this.#pending.delete(jobId)) continue;
      this.#held.remove(jobId);
      done.push(jobId, kFailed, value);
    }
    if (done.length > 0) this.#emit([kPoolMessage, 'done', done]);
    this.#maybeExit();
  }

  /** Fails every pending task with `error`. */
  failAll(error: Error): void {
    this.#held.take(Infinity);
    this.fail([...this.#pending], error);
  }

  terminate(): void {
    this.#end(-15);
  }

  kill(): void {
    this.#end(-9);
  }

  ref(): void {
    // The client's Redis connections hold the event loop, not the lanes.
  }

  unref(): void {
    // See ref().
  }

  #end(code: number): void {
    if (this.exitcode !== null) return;
    this.#held.take(Infinity);
    if (this.#pending.size > 0) this.client.cancel(this, [...this.#pending]);
    this.#pending.clear();
    this.#exit(code);
  }

  #maybeExit(): void {
    if (this.#stopping && this.#pending.size === 0 && this.exitcode === null) this.#exit(0);
  }

  #exit(code: number): void {
    this.exitcode = code;
    this.client.laneEnded(this);
    this.#resolveExit(code);
  }

  #emit(message: unknown): void {
    if (this.exitcode !== null) return;
    for (const listener of this.#listeners) listener(message);
  }
}
