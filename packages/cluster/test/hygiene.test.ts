// Isolation and hygiene: two pools, and two programs, on one Redis never
// see each other's work; a pool's keys are gone once it is closed and
// joined, or terminated; AUTH passes through to the connection.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { CancelledError, StateError } from '@multiprocessing/core';
import { moduleRef, Pool } from '@multiprocessing/pool';
import { describeWithRedis, startRedis, withinSeconds, type RedisServer } from '@multiprocessing/test-utils';
import { Redis } from 'ioredis';
import { connectCluster, serveCluster } from '../src/index.js';
import { fixturesRoot, startHost, stopAllHosts, waitForProcesses } from './hosts.js';

import type * as TasksModule from './fixtures/tasks.mjs';

type Tasks = typeof TasksModule;
const tasks = moduleRef<Tasks>(new URL('./fixtures/tasks.mjs', import.meta.url));

afterEach(async () => {
  await stopAllHosts();
});

/** Every key of the server under `prefix`, by SCAN. */
async function allKeys(url: string, prefix = 'mp:keys:'): Promise<string[]> {
  const redis = new Redis(url);
  try {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'COUNT', 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    // BullMQ's own bookkeeping of the queue (the stall check's lock and set) comes and goes.
    // Other tests' hosts, SIGKILLed, leave heartbeats that expire on their own: only this cluster counts.
    return keys.filter((k) => k.startsWith(prefix) && !/:stalled(-check)?$/.test(k)).sort();
  } finally {
    redis.disconnect();
  }
}

describeWithRedis('isolation and hygiene', (redis) => {
  it('keeps two pools, and two programs, apart on one Redis', async () => {
    const hostA = await startHost(redis().url, 'iso-a');
    const hostB = await startHost(redis().url, 'iso-b');
    await using a = await connectCluster(redis().url, { name: 'iso-a', root: fixturesRoot });
    await using b = await connectCluster(redis().url, { name: 'iso-b', root: fixturesRoot });
    await using sameA = await connectCluster(redis().url, { name: 'iso-a', root: fixturesRoot });
    await Promise.all([waitForProcesses(a, 1), waitForProcesses(b, 1)]);
    await using poolA = a.Pool();
    await using poolB = b.Pool();
    await using poolA2 = sameA.Pool();
    await using poolA3 = a.Pool();
    const items = Array.from({ length: 300 }, (_, i) => i);
    const [ra, rb, ra2, ra3] = await Promise.all([
      poolA.map(tasks.pid, items, { chunksize: 1 }),
      poolB.map(tasks.pid, items, { chunksize: 1 }),
      poolA2.map(tasks.square, items, { chunksize: 7 }),
      poolA3
        .map(
          tasks.add,
          items.map(() => 1),
          { chunksize: 3 },
        )
        .catch((e: unknown) => e),
    ]);
    // Each name's work ran on its own host only.
    expect(new Set(ra)).toEqual(new Set([hostA.pid]));
    expect(new Set(rb)).toEqual(new Set([hostB.pid]));
    expect(ra2).toEqual(items.map((x) => x * x));
    // add(1) is 1 + undefined: NaN, as locally (and not anyone else's results).
    expect(ra3).toEqual(items.map(() => NaN));
  });

  it("removes the pool's keys after close() and join(), and after terminate()", async () => {
    await startHost(redis().url, 'keys');
    await using cluster = await connectCluster(redis().url, { name: 'keys', root: fixturesRoot });
    await waitForProcesses(cluster, 1);
    {
      // The queue's own keys exist once it has been used: take them as the baseline.
      await using warm = cluster.Pool();
      await warm.map(tasks.square, [1, 2, 3], { chunksize: 1 });
    }
    const before = await allKeys(redis().url);
    expect(before.some((k) => k.includes('_client'))).toBe(false);

    const pool = cluster.Pool();
    const squares = pool.map(
      tasks.square,
      Array.from({ length: 2000 }, (_, i) => i),
      { chunksize: 10 },
    );
    const during = await allKeys(redis().url);
    expect(during.some((k) => k.includes('_client'))).toBe(true);
    await squares;
    pool.close();
    await withinSeconds(pool.join(), 10, 'join');
    expect(await allKeys(redis().url)).toEqual(before);

    const doomed = cluster.Pool();
    const pending = doomed.map(
      tasks.sleep,
      Array.from({ length: 20 }, () => 200),
      { chunksize: 1 },
    );
    await withinSeconds(doomed.terminate(), 10, 'terminate');
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    // Tasks a host still runs end there; their results are not pushed for a caller that has gone.
    await withinSeconds(
      (async () => {
        for (;;) {
          const keys = await allKeys(redis().url);
          if (JSON.stringify(keys) === JSON.stringify(before)) return;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })(),
      10,
      'the keys to return to the baseline',
    );
    await cluster.close();
    expect(() => cluster.Pool()).toThrow(StateError);
    expect(() => new Pool({ context: cluster })).toThrow('the cluster connection is closed');
  });
});

describeWithRedis('AUTH', (_redis) => {
  let secured: RedisServer | undefined;
  afterAll(async () => {
    await secured?.stop();
  });

  it('passes a password in the URL, or in the redis options, through to the connection', async () => {
    secured = await startRedis({ password: 's3cret' });
    const url = `redis://:s3cret@127.0.0.1:${String(secured.port)}`;
    await startHost(url, 'auth');
    await using viaUrl = await connectCluster(url, { name: 'auth', root: fixturesRoot });
    await waitForProcesses(viaUrl, 1);
    await using pool = viaUrl.Pool();
    expect(await pool.apply(tasks.square, [9])).toBe(81);
    await using viaOptions = await connectCluster(`redis://127.0.0.1:${String(secured.port)}`, {
      name: 'auth',
      root: fixturesRoot,
      redis: { password: 's3cret' },
    });
    expect(viaOptions.name).toBe('auth');
    await expect(
      connectCluster(`redis://127.0.0.1:${String(secured.port)}`, { name: 'auth', connectionTimeout: 1 }),
    ).rejects.toThrow(/NOAUTH|connection to Redis/);
  });
});

describe('TLS', () => {
  const tlsDir = fileURLToPath(new URL('./fixtures/tls/', import.meta.url));
  let server: RedisServer | undefined;
  afterAll(async () => {
    await server?.stop();
  });

  it('passes TLS options through to the connections of callers and hosts', async () => {
    server = await startRedis({ tls: { cert: join(tlsDir, 'cert.pem'), key: join(tlsDir, 'key.pem') } });
    const url = server.tlsUrl ?? '';
    expect(url).toMatch(/^rediss:/);
    const ca = readFileSync(join(tlsDir, 'cert.pem'));
    await using host = await serveCluster({
      connection: url,
      name: 'tls',
      processes: 1,
      root: fixturesRoot,
      redis: { tls: { ca } },
    });
    await using cluster = await connectCluster(url, {
      name: 'tls',
      root: fixturesRoot,
      redis: { tls: { ca } },
    });
    await waitForProcesses(cluster, 1);
    await using pool = cluster.Pool();
    expect(await pool.apply(tasks.square, [12])).toBe(144);
    expect(host.name).toMatch(/:\d+$/);
    // Without the CA, the server's certificate is refused: the options did reach the connection.
    await expect(connectCluster(url, { name: 'tls', connectionTimeout: 1 })).rejects.toThrow(
      /self-signed certificate/,
    );
  });
});
