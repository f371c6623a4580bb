/**
 * What the cluster suite runs on: a throwaway redis-server (kept by a child
 * process, fixtures/cluster-redis.mjs), worker hosts in processes of their
 * own (fixtures/cluster-host.mjs, each `serveCluster()`), a Pool on
 * `connectCluster()`, the raw BullMQ peer on the same Redis, and one more
 * Redis connection to read the server's counters. Every child ends with
 * `close()`, or with this process (their stdin is their lifeline).
 */
import { fileURLToPath } from 'node:url';
import { connectCluster, type Cluster } from '@multiprocessing/cluster';
import { Pool } from '@multiprocessing/pool';
import { Redis } from 'ioredis';
import { startBullmqPeer, type BullmqPeer } from './bullmq-peer.js';
import { startChild, type Child } from './children.js';

const fixtures = new URL('../../fixtures/', import.meta.url);

/** Options of {@link startClusterRig}. */
export interface ClusterRigOptions {
  /** Worker hosts, each a process of its own. */
  readonly hosts: number;
  /** Workers of each host's pool (threads). */
  readonly processes: number;
  /** The `concurrency` of each BullMQ Worker of the peer, which gets one process per worker of ours. */
  readonly peerConcurrency: number;
}

/** A running rig: see {@link startClusterRig}. */
export interface ClusterRig {
  /** The Redis URL. */
  readonly url: string;
  /** The redis-server's pid. */
  readonly redisPid: number;
  /** The pids of the worker hosts. */
  readonly hostPids: readonly number[];
  /** A connection for INFO and the like, apart from ours and the peer's. */
  readonly admin: Redis;
  readonly cluster: Cluster;
  readonly pool: Pool;
  readonly peer: BullmqPeer;
  /** Worker processes of ours in all (hosts × processes), and of the peer. */
  readonly processes: number;
  /** Ends the peer (its queue, event reader and processes) ahead of the rest. Idempotent. */
  closePeer(): Promise<void>;
  /** Ends everything: pool, cluster, hosts, peer, the admin connection and the redis-server. */
  close(): Promise<void>;
}

/** Resolves once `cluster` sees `n` worker processes (it reads the hosts once a second), or throws after `ms`. */
async function waitForProcesses(cluster: Cluster, n: number, ms: number): Promise<void> {
  const deadline = performance.now() + ms;
  while (cluster.processes !== n) {
    if (performance.now() > deadline) {
      throw new Error(`the cluster saw ${String(cluster.processes)} worker processes, not ${String(n)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts the rig. On failure, whatever had started is ended before the
 * error is thrown.
 *
 * @throws {RangeError} `hosts` or `processes` not a positive integer.
 */
export async function startClusterRig(options: ClusterRigOptions): Promise<ClusterRig> {
  for (const key of ['hosts', 'processes'] as const) {
    const n = options[key];
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`${key} must be a positive integer, got ${n}`);
  }
  const children: Child[] = [];
  let admin: Redis | undefined;
  let cluster: Cluster | undefined;
  let pool: Pool | undefined;
  let peer: BullmqPeer | undefined;
  let peerClosed: Promise<void> | undefined;
  const closePeer = (): Promise<void> => (peerClosed ??= peer?.close() ?? Promise.resolve());
  const close = async (): Promise<void> => {
    await pool?.terminate();
    await cluster?.close();
    await closePeer();
    admin?.disconnect();
    // Hosts first, the redis-server (the first child) last.
    for (const child of children.slice(1)) await child.stop();
    await children[0]?.stop();
  };
  try {
    const keeper = await startChild(new URL('cluster-redis.mjs', fixtures), [], { what: 'the redis-server' });
    children.push(keeper);
    const { url, pid: redisPid } = keeper.ready as { url: string; pid: number };
    admin = new Redis(url, { maxRetriesPerRequest: 1 });
    const name = 'bench';
    const processes = options.hosts * options.processes;
    // The hosts and the peer's processes start side by side.
    const [[startedPeer], hosts] = await Promise.all([
      Promise.allSettled([
        startBullmqPeer({
          url,
          name: `${name}-bullmq`,
          workers: processes,
          concurrency: options.peerConcurrency,
        }),
      ]),
      Promise.allSettled(
        Array.from({ length: options.hosts }, () =>
          startChild(new URL('cluster-host.mjs', fixtures), [url, name, String(options.processes)], {
            what: 'a worker host',
          }),
        ),
      ),
    ]);
    if (startedPeer?.status === 'fulfilled') peer = startedPeer.value;
    for (const host of hosts) if (host.status === 'fulfilled') children.push(host.value);
    for (const started of [startedPeer, ...hosts]) if (started?.status === 'rejected') throw started.reason;
    cluster = await connectCluster(url, { name, root: fileURLToPath(fixtures) });
    await waitForProcesses(cluster, processes, 10_000);
    pool = new Pool({ context: cluster });
    if (peer === undefined) throw new Error('the BullMQ peer did not start');
    const hostPids = children.slice(1).map((c) => c.pid);
    return { url, redisPid, hostPids, admin, cluster, pool, peer, processes, closePeer, close };
  } catch (err) {
    await close();
    throw err;
  }
}
