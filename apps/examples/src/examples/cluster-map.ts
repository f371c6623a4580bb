/**
 * From a local Pool to a cluster: the same `pool.map(tasks.square, range(10))`,
 * first on this machine's worker threads, then on a worker host that takes
 * its tasks through Redis. Only the pool's context changes. The host runs in
 * this process here; on other machines it is
 * `npx multiprocessing-worker --connection <url> --name examples --processes 2 --root <tasks folder>`.
 * Redis is REDIS_URL when set, else a throwaway redis-server; without either,
 * the example says how to get one.
 */
import { inspect } from 'node:util';
import { connectCluster, serveCluster } from '@multiprocessing/cluster';
import { Pool, moduleRef } from '@multiprocessing/pool';
import {
  REDIS_SERVER_INSTALL,
  redisServerPath,
  startRedisServer,
} from '../../../../tools/scripts/redis-server.mjs';
import { print } from '../repr.js';
import type * as poolTasks from '../tasks/pool.js';

/** The folder the host finds task modules in, and the one the caller sends their paths relative to. */
const root = new URL('../tasks/', import.meta.url);
const tasks = moduleRef<typeof poolTasks>(new URL('pool.js', root));
const name = 'examples';

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** The Redis to use and how to let it go: REDIS_URL, else a throwaway redis-server, else undefined. */
async function findRedis(): Promise<{ url: string; what: string; stop(): Promise<void> } | undefined> {
  const url = process.env.REDIS_URL ?? '';
  if (url !== '') return { url, what: 'REDIS_URL', stop: () => Promise.resolve() };
  if (redisServerPath() === undefined) return undefined;
  const server = await startRedisServer();
  return {
    url: server.url,
    what: 'a throwaway redis-server (REDIS_URL is not set)',
    stop: () => server.stop(),
  };
}

async function onCluster(url: string): Promise<void> {
  // One worker host; any number may serve the same name, on any machine that reaches the Redis.
  await using host = await serveCluster({ connection: url, name, processes: 2, root });
  print(`Host: serves '${name}' with ${String(host.processes)} workers`);
  await using cluster = await connectCluster(url, { name, root });
  print(inspect(cluster));
  await using pool = new Pool({ context: cluster });
  print('Cluster pool:', await pool.map(tasks.square, range(10)));
  pool.close();
  await pool.join();
}

/** Maps on a local pool, then on a cluster of one in-process host. */
export async function main(): Promise<void> {
  {
    await using pool = new Pool({ processes: 2 });
    print('Local pool:', await pool.map(tasks.square, range(10)));
  }
  const redis = await findRedis();
  if (redis === undefined) {
    print(
      'The cluster part needs Redis: set REDIS_URL=redis://<host>:<port>, or install redis-server ' +
        `(\`${REDIS_SERVER_INSTALL}\`) and run it again.`,
    );
    return;
  }
  print(`Redis: ${redis.what}`);
  try {
    await onCluster(redis.url);
  } finally {
    await redis.stop();
  }
}
