/**
 * A cluster as a context: what `connectCluster()` returns. A Pool or a
 * ProcessPoolExecutor made with it (`new Pool({context: cluster})`,
 * `cluster.Pool()`) runs its tasks on the hosts that serve the cluster's
 * name, through BullMQ on Redis, and behaves as a local one otherwise.
 * Python's counterpart is a context object (`ctx.Pool()`), and, across
 * machines, `ray.util.multiprocessing.Pool`.
 */
import { kInspect, StateError } from '@multiprocessing/core';
import { Pool, ProcessPoolExecutor, type ExecutorOptions, type PoolOptions } from '@multiprocessing/pool';
import { kPoolBackend, type PoolBackend } from '@multiprocessing/pool/internal';
import { ClusterClient } from './internal/client.js';
import { redisOptions } from './internal/connection.js';
import type { HostInfo } from './internal/host-count.js';
import { projectRoot } from './internal/module-paths.js';
import {
  countOption,
  folderOption,
  keyPartOption,
  optionsObject,
  redisOption,
  secondsOption,
  urlOption,
} from './internal/validate.js';
import type { ConnectClusterOptions } from './options.js';

export type { HostInfo } from './internal/host-count.js';

/** Pool and executor options that configure workers, which on a cluster are the hosts' own. */
const kHostOnly = [
  'initializer',
  'initArgs',
  'finalizer',
  'finalizerArgs',
  'finalizerTimeout',
  'maxTasksPerChild',
  'maxMemoryPerChild',
  'resourceLimits',
  'env',
  'argv',
  'execArgv',
  'workerData',
  'captureOutput',
  'concurrentTasksPerWorker',
] as const;

/**
 * Tasks each lane holds at least (its results may come back in any order):
 * enough that a Redis round trip per bundle does not starve the hosts.
 */
const kLaneConcurrency = 256;

/**
 * A cluster as a context, from {@link connectCluster}: a Pool or a
 * ProcessPoolExecutor made with it (`new Pool({context: cluster})`,
 * `cluster.Pool()`) runs its tasks on the hosts that serve the cluster's
 * name, and behaves as a local one otherwise. Options that configure
 * workers (`initializer`, `maxTasksPerChild`, `env`, …) are the hosts' own
 * and are refused here.
 */
export class Cluster implements AsyncDisposable {
  /** Tasks cross process boundaries, as under the `'process'` start method. */
  readonly startMethod = 'process' as const;
  readonly #client: ClusterClient;

  /** @internal Use {@link connectCluster}. */
  constructor(client: ClusterClient) {
    this.#client = client;
    // What pools made with this context run on; read by the pool package, kept off the public type.
    const backend: PoolBackend = {
      launcher: client.launcher,
      concurrency: kLaneConcurrency,
      defaultProcesses: () => Math.max(1, client.hosts.total),
      liveProcesses: () => Math.max(1, client.hosts.total),
      checkOptions(options) {
        if (client.broken !== undefined) throw client.broken;
        if (client.closed) throw new StateError('the cluster connection is closed');
        for (const key of kHostOnly) {
          if (options[key] !== undefined) {
            throw new TypeError(
              `${key} cannot be set on a pool of a cluster: its tasks run in the hosts' own pools, ` +
                'which serveCluster() configures',
            );
          }
        }
      },
    };
    Object.defineProperty(this, kPoolBackend, { value: backend });
  }

  /** The cluster's name (its BullMQ queue). */
  get name(): string {
    return this.#client.settings.name;
  }

  /** The worker processes of the hosts seen in the last second, in all. */
  get processes(): number {
    return this.#client.hosts.total;
  }

  /** The hosts seen in the last second. */
  hosts(): readonly HostInfo[] {
    return this.#client.hosts.hosts;
  }

  /** The error that ended the connection (Redis lost), if it has ended. */
  get broken(): Error | undefined {
    return this.#client.broken;
  }

  /** `new Pool({...options, context: this})`. Mirrors a context's `Pool()`. */
  Pool(options?: Omit<PoolOptions, 'context'>): Pool {
    return new Pool({ ...optionsObject<PoolOptions>(options), context: this });
  }

  /** `new ProcessPoolExecutor({...options, context: this})`. */
  ProcessPoolExecutor(options?: Omit<ExecutorOptions, 'context'>): ProcessPoolExecutor {
    return new ProcessPoolExecutor({ ...optionsObject<ExecutorOptions>(options), context: this });
  }

  /**
   * Closes the connection: tasks still waiting fail with CancelledError,
   * this caller's keys are removed, and its Redis connections end. Close or
   * join the pools first to let their work finish. Works when Redis is gone.
   */
  close(): Promise<void> {
    return this.#client.close();
  }

  /** `await using cluster = await connectCluster(…)` closes it. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** `<Cluster name='jobs' hosts=2 processes=8>`. */
  [kInspect](): string {
    return `<Cluster name='${this.name}' hosts=${String(this.hosts().length)} processes=${String(this.processes)}>`;
  }
}

/**
 * Connects to the cluster `options.name` on the Redis at `url`, and returns
 * it as a context for `Pool` and `ProcessPoolExecutor`.
 *
 * @example
 * await using cluster = await connectCluster('redis://localhost:6379', { name: 'jobs' });
 * await using pool = new Pool({ context: cluster });
 * console.log(await pool.map(tasks.square, [1, 2, 3])); // [1, 4, 9]
 *
 * @throws {TypeError} a `url` that is not a redis:// or rediss:// URL; a malformed option.
 * @throws {RangeError} `retries` outside 0 to 1000; a timeout not above 0.
 * @throws {ClusterConnectionError} Redis did not answer within `connectionTimeout`.
 */
export async function connectCluster(url: string, options?: ConnectClusterOptions): Promise<Cluster> {
  const opts = optionsObject<ConnectClusterOptions>(options);
  const redis = redisOptions(urlOption(url, 'url'), redisOption(opts.redis));
  const client = await ClusterClient.connect({
    redis,
    name: keyPartOption(opts.name, 'name', 'default'),
    prefix: keyPartOption(opts.prefix, 'prefix', 'mp'),
    root: folderOption(opts.root, 'root', () => projectRoot(process.cwd())),
    retries: countOption(opts.retries, 'retries', 0),
    connectionTimeoutMs: secondsOption(opts.connectionTimeout, 'connectionTimeout', 5000),
    lockDurationMs: secondsOption(opts.lockDuration, 'lockDuration', 2000),
    stalledIntervalMs: Math.max(100, Math.round(secondsOption(opts.lockDuration, 'lockDuration', 2000) / 2)),
  });
  return new Cluster(client);
}
