/**
 * The options of `connectCluster()` and `serveCluster()`.
 */
import type { RedisOptions } from 'ioredis';

/** What `connectCluster(url, options)` takes. */
export interface ConnectClusterOptions {
  /**
   * The cluster's name: the BullMQ queue its tasks go through. Hosts serve
   * one name; callers and hosts with the same name and prefix on one Redis
   * form one cluster.
   * @default 'default'
   */
  name?: string;
  /** The prefix of every Redis key of the cluster (BullMQ's `prefix`). @default 'mp' */
  prefix?: string;
  /**
   * The project root that module paths are sent relative to; a host
   * resolves them against its own `--root`.
   * @default the folder of the nearest package.json at or above `process.cwd()`
   */
  root?: string | URL;
  /**
   * How many times a job whose host was lost is sent again before its
   * tasks fail with `WorkerLostError`. 0 (the default) is at-most-once, as
   * the local pool; above 0, a task may run more than once: use it for
   * idempotent work only.
   * @default 0
   */
  retries?: number;
  /**
   * Seconds Redis may stay unreachable before every waiting call rejects
   * with `ClusterConnectionError` (and connecting gives up).
   * @default 5
   */
  connectionTimeout?: number;
  /**
   * Seconds after which a host that stopped renewing its job locks counts
   * as lost; must match the hosts' `lockDuration`.
   * @default 2
   */
  lockDuration?: number;
  /** ioredis options over those of the URL: `password`, `username`, `tls`, `db`, … */
  redis?: RedisOptions;
}

/** What `serveCluster(options)` takes. */
export interface ServeClusterOptions {
  /** The Redis URL (`redis://[user:password@]host[:port][/db]`, `rediss://` for TLS). */
  connection: string;
  /** The cluster's name. @default 'default' */
  name?: string;
  /** The prefix of every Redis key of the cluster. @default 'mp' */
  prefix?: string;
  /** Worker threads (or processes) of this host's pool. @default the number of CPUs */
  processes?: number;
  /**
   * The folder module paths are resolved against; a task whose module lies
   * outside it is refused.
   * @default process.cwd()
   */
  root?: string | URL;
  /** Run tasks in worker threads or in child processes. @default 'thread' */
  context?: 'thread' | 'process';
  /** This host's name in errors and in `cluster.hosts()`. @default `<hostname>:<pid>` */
  hostName?: string;
  /**
   * Seconds without a lock renewal after which this host's jobs count as
   * lost; a host renews every half of it.
   * @default 2
   */
  lockDuration?: number;
  /** ioredis options over those of the URL: `password`, `username`, `tls`, `db`, … */
  redis?: RedisOptions;
}
