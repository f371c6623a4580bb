// Failures at the edges: a host SIGKILLed mid-task (with and without
// retries), a host that joins mid-map, a host stopped with SIGTERM, and
// redis-server killed mid-map.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { WorkerLostError } from '@multiprocessing/core';
import { moduleRef, Pool } from '@multiprocessing/pool';
import { describeWithRedis, startRedis, until, withinSeconds } from '@multiprocessing/test-utils';
import { ClusterConnectionError, connectCluster, serveCluster } from '../src/index.js';
import { fixturesRoot, startHost, stopAllHosts, waitForProcesses } from './hosts.js';

import type * as TasksModule from './fixtures/tasks.mjs';

type Tasks = typeof TasksModule;
const tasks = moduleRef<Tasks>(new URL('./fixtures/tasks.mjs', import.meta.url));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mp-cluster-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await stopAllHosts();
});

/** Files `<path>.<pid>.started` that tasks waiting on `path` wrote: the pids that ran them. */
function startedPids(path: string): number[] {
  const base = path.split('/').pop() ?? '';
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${base}.`) && f.endsWith('.started'))
    .map((f) => Number(f.slice(base.length + 1, -'.started'.length)));
}

describeWithRedis('a lost host', (redis) => {
  it('fails the task it ran with WorkerLostError within the bound (SIGKILL, no retries)', async () => {
    const host = await startHost(redis().url, 'lost');
    await using cluster = await connectCluster(redis().url, { name: 'lost', root: fixturesRoot });
    await waitForProcesses(cluster, 1);
    await using pool = cluster.Pool();
    const path = join(dir, 'lost');
    const call = pool.apply(tasks.waitFile, [path, 0]);
    await until(() => startedPids(path).length > 0, 'the task to start');
    host.child.kill('SIGKILL');
    // The documented bound: lockDuration (2 s) plus two stall checks (1 s each), and some slack.
    const err = await withinSeconds(
      call.catch((e: unknown) => e),
      8,
      'the lost call',
    );
    expect(err).toBeInstanceOf(WorkerLostError);
    expect((err as Error).message).toMatch(/host .* was lost while it ran this task/);
    // At most once: nothing ran it again.
    expect(startedPids(path)).toHaveLength(1);
  });

  it('runs it again on another host with retries', async () => {
    const first = await startHost(redis().url, 'retry');
    await using cluster = await connectCluster(redis().url, {
      name: 'retry',
      root: fixturesRoot,
      retries: 1,
    });
    await waitForProcesses(cluster, 1);
    await using pool = cluster.Pool();
    const path = join(dir, 'retry');
    const call = pool.apply(tasks.waitFile, [path, 0]);
    await until(() => startedPids(path).length > 0, 'the task to start');
    first.child.kill('SIGKILL');
    const second = await startHost(redis().url, 'retry');
    await until(
      () => startedPids(path).includes(second.pid),
      'the retry to start on the second host',
      15_000,
    );
    writeFileSync(path, '');
    expect(await withinSeconds(call, 10, 'the retried call')).toBe(second.pid);
  });

  it('lets a host join while a map runs, and both run its chunks', async () => {
    const first = await startHost(redis().url, 'join');
    await using cluster = await connectCluster(redis().url, { name: 'join', root: fixturesRoot });
    await waitForProcesses(cluster, 1);
    await using pool = cluster.Pool({ processes: 2 });
    const path = join(dir, 'join');
    const map = pool.map(
      tasks.waitFile,
      Array.from({ length: 8 }, () => path),
      { chunksize: 1 },
    );
    await until(() => startedPids(path).includes(first.pid), 'the first host to start a chunk');
    const second = await startHost(redis().url, 'join');
    await until(() => startedPids(path).includes(second.pid), 'the joined host to start a chunk', 15_000);
    writeFileSync(path, '');
    const pids = await withinSeconds(map, 20, 'the map');
    expect(new Set(pids)).toEqual(new Set([first.pid, second.pid]));
  });

  it('finishes its work on SIGTERM, then leaves', async () => {
    const host = await startHost(redis().url, 'term');
    await using cluster = await connectCluster(redis().url, { name: 'term', root: fixturesRoot });
    await waitForProcesses(cluster, 1);
    await using pool = cluster.Pool();
    const path = join(dir, 'term');
    const call = pool.apply(tasks.waitFile, [path, 0]);
    await until(() => startedPids(path).length > 0, 'the task to start');
    host.child.kill('SIGTERM');
    writeFileSync(path, '');
    expect(await withinSeconds(call, 10, 'the call')).toBe(host.pid);
    expect(await withinSeconds(host.exited, 10, 'the host to exit')).toBe(0);
    expect(host.output()).toContain('stopped');
    await waitForProcesses(cluster, 0);
  });
});

describe('redis-server killed mid-map', () => {
  it('rejects every pending call with ClusterConnectionError within the bound; close() works', async () => {
    const server = await startRedis();
    try {
      await startHost(server.url, 'down');
      const cluster = await connectCluster(server.url, {
        name: 'down',
        root: fixturesRoot,
        connectionTimeout: 1,
      });
      await waitForProcesses(cluster, 1);
      const pool = cluster.Pool({ processes: 1 });
      const path = join(dir, 'down');
      const map = pool.map(tasks.waitFile, [path, path, path], { chunksize: 1 });
      const apply = pool.apply(tasks.square, [2]);
      await until(() => startedPids(path).length > 0, 'the map to start');
      server.kill('SIGKILL');
      // connectionTimeout (1 s) plus ioredis noticing the closed socket, and slack.
      await expect(withinSeconds(map, 6, 'the map')).rejects.toBeInstanceOf(ClusterConnectionError);
      await apply.catch(() => undefined);
      expect(cluster.broken).toBeInstanceOf(ClusterConnectionError);
      // Later calls fail at once, with the same error behind them.
      await expect(withinSeconds(pool.apply(tasks.square, [3]), 5, 'a later call')).rejects.toThrow(
        /connection to Redis/,
      );
      pool.close();
      await withinSeconds(pool.join(), 5, 'join');
      await withinSeconds(cluster.close(), 5, 'close');
      // A new pool on the broken cluster is refused with the same error.
      expect(() => cluster.Pool()).toThrow(ClusterConnectionError);
      expect(existsSync(path)).toBe(false);
    } finally {
      await server.stop();
    }
  });

  it('lets a host close, and a host closing be terminated, once Redis is gone', async () => {
    const server = await startRedis();
    try {
      const first = await serveCluster({
        connection: server.url,
        name: 'gone',
        processes: 1,
        root: fixturesRoot,
      });
      const second = await serveCluster({
        connection: server.url,
        name: 'gone',
        processes: 1,
        root: fixturesRoot,
      });
      server.kill('SIGKILL');
      await server.exited;
      await withinSeconds(first.close(), 10, 'close() without Redis');
      const closing = second.close();
      await withinSeconds(second.terminate(), 10, 'terminate() during close()');
      await closing;
      await withinSeconds(Promise.all([first.closed, second.closed]), 1, 'closed');
    } finally {
      await server.stop();
    }
  });

  it('refuses to connect within connectionTimeout when nothing listens', async () => {
    const server = await startRedis();
    const url = server.url;
    await server.stop();
    const err = await withinSeconds(
      connectCluster(url, { name: 'none', connectionTimeout: 0.5 }).catch((e: unknown) => e),
      5,
      'connectCluster',
    );
    expect(err).toBeInstanceOf(ClusterConnectionError);
  });
});

it('keeps Pool unchanged for the thread context', async () => {
  await using pool = new Pool({ processes: 1 });
  expect(await pool.apply(tasks.square, [4])).toBe(16);
});
