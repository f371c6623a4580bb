/**
 * A worker host: it serves one cluster name, pulls jobs through BullMQ and
 * runs their tasks on a local Pool of threads (or processes), then pushes
 * the results to the caller that sent them. `serveCluster()` is the API;
 * the `multiprocessing-worker` command runs it.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { CancelledError } from '@multiprocessing/core';
import type { TaskSpec } from '@multiprocessing/core/internal';
import { Pool } from '@multiprocessing/pool';
import { kKindMask, kMap, kStarmap, submitRawTask, type RawTaskHandle } from '@multiprocessing/pool/internal';
import { getContext } from '@multiprocessing/process';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { bullConnection, closeRedis, openRedis, redisOptions } from './internal/connection.js';
import { bounded } from './internal/cluster-queue.js';
import { ClusterKeys } from './internal/keys.js';
import { fromWireSpec } from './internal/module-paths.js';
import { ResultOutbox } from './internal/result-outbox.js';
import {
  countOption,
  folderOption,
  keyPartOption,
  optionsObject,
  redisOption,
  secondsOption,
  urlOption,
} from './internal/validate.js';
import {
  decodeBundle,
  hostError,
  kBundleStride,
  kResultEvent,
  kResultFailed,
  kResultOk,
  kResultStart,
  type BundleData,
} from './internal/wire.js';
import type { ServeClusterOptions } from './options.js';

/** How long a host's heartbeat lives unless renewed (ms), and how often it is renewed. */
const kHeartbeatTtlMs = 3000;
const kHeartbeatMs = 1000;
/** Jobs a host holds per worker of its pool. */
const kJobsPerWorker = 2;

/** Items in a payload, for the local pool's counts. */
function sizeOf(mode: number, payload: unknown): number {
  const kind = mode & kKindMask;
  if (kind !== kMap && kind !== kStarmap) return 1;
  return ArrayBuffer.isView(payload) || Array.isArray(payload) ? (payload as ArrayLike<unknown>).length : 1;
}

/** A running host: see {@link serveCluster}. */
export class ClusterHost {
  /** Unique per serveCluster() call. */
  readonly id = randomBytes(6).toString('hex');
  /** This host's name, as errors and `cluster.hosts()` show it: `hostName`, or `<hostname>:<pid>`. */
  readonly name: string;
  /** The worker threads (or processes) of this host's pool. */
  readonly processes: number;
  /** Resolves once the host has stopped (after close() or terminate()). */
  readonly closed: Promise<void>;
  readonly #root: string;
  readonly #keys: ClusterKeys;
  readonly #pool: Pool;
  readonly #main: Redis;
  readonly #subscriber: Redis;
  readonly #worker: Worker;
  readonly #outbox: ResultOutbox;
  readonly #running = new Map<string, RawTaskHandle>();
  readonly #specs = new Map<string, TaskSpec | Error>();
  #heartbeat: NodeJS.Timeout | undefined;
  #closing: Promise<void> | undefined;
  /** Makes a stop in progress stop waiting for BullMQ's close (terminate(), or Redis gone). */
  #forceNow: (() => void) | undefined;
  #resolveClosed!: () => void;

  /** @internal Use {@link serveCluster}. */
  constructor(options: ServeClusterOptions) {
    const opts = optionsObject<ServeClusterOptions>(options);
    const redis = redisOptions(urlOption(opts.connection, 'connection'), redisOption(opts.redis));
    const name = keyPartOption(opts.name, 'name', 'default');
    const prefix = keyPartOption(opts.prefix, 'prefix', 'mp');
    this.#root = folderOption(opts.root, 'root', () => process.cwd());
    const method = opts.context ?? 'thread';
    if (method !== 'thread' && method !== 'process') {
      throw new TypeError(`context must be 'thread' or 'process', got ${JSON.stringify(method)}`);
    }
    if (opts.hostName !== undefined && (typeof opts.hostName !== 'string' || opts.hostName === '')) {
      throw new TypeError('hostName must be a non-empty string');
    }
    const lockMs = secondsOption(opts.lockDuration, 'lockDuration', 2000);
    this.name = opts.hostName ?? `${hostname()}:${String(process.pid)}`;
    this.#keys = new ClusterKeys(prefix, name);
    this.#pool = new Pool({
      context: getContext(method),
      ...(opts.processes === undefined
        ? {}
        : { processes: countOption(opts.processes, 'processes', 1, 1, 4096) }),
    });
    this.processes = this.#pool.processes;
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    this.#main = openRedis(redis, false);
    this.#main.on('error', () => undefined);
    this.#subscriber = openRedis(redis, true);
    this.#subscriber.on('error', () => undefined);
    this.#outbox = new ResultOutbox(this.#main, this.#keys, this.name);
    this.#worker = new Worker(name, (job: Job) => this.#process(job), {
      connection: bullConnection(redis),
      prefix,
      name: this.name,
      concurrency: this.processes * kJobsPerWorker,
      lockDuration: lockMs,
      stalledInterval: Math.max(100, Math.round(lockMs / 2)),
      maxStalledCount: 0,
      autorun: false,
    });
    this.#worker.on('error', () => undefined);
  }

  /** Connects, announces the host and starts taking jobs. */
  async start(): Promise<void> {
    await this.#main.ping();
    await this.#beat();
    this.#heartbeat = setInterval(() => {
      void this.#beat().catch(() => undefined);
    }, kHeartbeatMs);
    await this.#subscriber.subscribe(this.#keys.cancels());
    this.#subscriber.on('message', (_channel: string, message: string) => {
      this.#cancel(message);
    });
    void this.#worker.run().catch(() => undefined);
    await this.#worker.waitUntilReady();
  }

  async #beat(): Promise<void> {
    await this.#main
      .multi()
      .sadd(this.#keys.hosts(), this.id)
      .set(this.#keys.host(this.id), JSON.stringify([this.processes, this.name]), 'PX', kHeartbeatTtlMs)
      .exec();
  }

  #spec(wire: Parameters<typeof fromWireSpec>[0]): TaskSpec | Error {
    const key = JSON.stringify(wire);
    let spec = this.#specs.get(key);
    if (spec === undefined) {
      try {
        spec = fromWireSpec(wire, this.#root, this.name);
      } catch (err) {
        spec = err as Error;
      }
      this.#specs.set(key, spec);
    }
    return spec;
  }

  async #process(job: Job): Promise<void> {
    const data = job.data as BundleData;
    const { specs, tasks } = decodeBundle(data.d);
    const byId = new Map<number, TaskSpec | Error>();
    for (const [fnId, wire] of specs) byId.set(fnId, this.#spec(wire));
    const runs: Promise<void>[] = [];
    const out = this.#outbox;
    for (let i = 0; i < tasks.length; i += kBundleStride) {
      const jobId = tasks[i] as number;
      const mode = tasks[i + 2] as number;
      const payload = tasks[i + 3];
      const spec = byId.get(tasks[i + 1] as number);
      if (spec === undefined || spec instanceof Error) {
        out.push(
          data.c,
          data.l,
          jobId,
          kResultFailed,
          hostError(spec ?? new Error('no task function'), this.name),
        );
        continue;
      }
      const key = `${data.c} ${String(data.l)} ${String(jobId)}`;
      const handle = submitRawTask(this.#pool, {
        spec,
        mode,
        payload,
        size: sizeOf(mode, payload),
        timeoutMs: undefined,
        onStart: (index) => {
          out.push(data.c, data.l, jobId, kResultStart, index);
        },
        onEvent: (value) => {
          out.push(data.c, data.l, jobId, kResultEvent, value);
        },
      });
      this.#running.set(key, handle);
      runs.push(
        handle.done.then(([ok, value]) => {
          this.#running.delete(key);
          if (ok) out.push(data.c, data.l, jobId, kResultOk, value);
          else out.push(data.c, data.l, jobId, kResultFailed, hostError(value, this.name));
        }),
      );
    }
    await Promise.all(runs);
    await out.flushed();
  }

  /** A caller gave up on tasks (`<client> <lane> <id,id,…>`): they are aborted here. */
  #cancel(message: string): void {
    const [client, lane, ids] = message.split(' ');
    if (client === undefined || lane === undefined || ids === undefined) return;
    for (const id of ids.split(',')) {
      this.#running.get(`${client} ${lane} ${id}`)?.abort(new CancelledError('Task aborted by its caller'));
    }
  }

  /**
   * Stops taking jobs, finishes those it holds, then stops its pool and
   * leaves the cluster (SIGTERM does this under `multiprocessing-worker`).
   */
  close(): Promise<void> {
    this.#closing ??= this.#stop(false);
    return this.#closing;
  }

  /**
   * Stops now: its running tasks are ended (their callers see the host as
   * lost). Also ends a close() that is still waiting.
   */
  terminate(): Promise<void> {
    if (this.#closing === undefined) {
      this.#closing = this.#stop(true);
    } else {
      void this.#pool.terminate();
      this.#forceNow?.();
    }
    return this.#closing;
  }

  async #stop(force: boolean): Promise<void> {
    const forced = new Promise<void>((resolve) => {
      this.#forceNow = resolve;
    });
    // Without Redis, BullMQ's close would wait for a reconnection: the stop is forced then.
    if (force || this.#main.status !== 'ready') this.#forceNow?.();
    if (force) void this.#pool.terminate();
    const closed = this.#worker.close(force).catch(() => undefined);
    await Promise.race([closed, forced.then(() => bounded(closed, 1000))]);
    await this.#outbox.flushed();
    if (!force) {
      this.#pool.close();
      await this.#pool.join();
    } else {
      await this.#pool.terminate();
    }
    clearInterval(this.#heartbeat);
    if (this.#main.status === 'ready') {
      await this.#main
        .multi()
        .srem(this.#keys.hosts(), this.id)
        .del(this.#keys.host(this.id))
        .exec()
        .catch(() => undefined);
    }
    this.#subscriber.disconnect();
    await closeRedis(this.#main);
    this.#resolveClosed();
  }

  /** `await using host = await serveCluster(…)` closes it. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * Serves the cluster `options.name`: pulls its jobs from the Redis at
 * `options.connection` and runs them on a local pool of `processes`
 * workers, until close().
 *
 * @example
 * const host = await serveCluster({ connection: 'redis://localhost:6379', name: 'jobs', root: '.' });
 * process.on('SIGTERM', () => void host.close());
 *
 * @throws {TypeError} a missing or malformed `connection`; a malformed option.
 * @throws {RangeError} `processes` outside 1 to 4096; a lockDuration not above 0.
 */
export async function serveCluster(options: ServeClusterOptions): Promise<ClusterHost> {
  const host = new ClusterHost(options);
  try {
    await host.start();
  } catch (err) {
    await host.terminate();
    throw err;
  }
  return host;
}
