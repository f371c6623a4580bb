// map, imapUnordered, apply, starmap, errors, timeouts and aborts of a Pool
// whose tasks run on two worker hosts, each its own OS process, through a
// real redis-server.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { PicklingError, TimeoutError } from '@multiprocessing/core';
import { moduleRef, Pool } from '@multiprocessing/pool';
import { describeWithRedis, until, withinSeconds } from '@multiprocessing/test-utils';
import { connectCluster, type Cluster } from '../src/index.js';
import { fixturesRoot, startHost, stopAllHosts, waitForProcesses, type HostProcess } from './hosts.js';

import type * as TasksModule from './fixtures/tasks.mjs';

type Tasks = typeof TasksModule;
const tasks = moduleRef<Tasks>(new URL('./fixtures/tasks.mjs', import.meta.url));

describeWithRedis('a cluster pool on two hosts', (redis) => {
  const name = 'map';
  let cluster: Cluster;
  let hosts: HostProcess[];
  let dir: string;

  beforeAll(async () => {
    hosts = await Promise.all([startHost(redis().url, name), startHost(redis().url, name)]);
    cluster = await connectCluster(redis().url, { name, root: fixturesRoot });
    await waitForProcesses(cluster, 2);
    dir = mkdtempSync(join(tmpdir(), 'mp-cluster-'));
  });

  afterAll(async () => {
    await cluster.close();
    await stopAllHosts();
    rmSync(dir, { recursive: true, force: true });
  });

  it('maps 10 000 items in order, over both hosts', async () => {
    await using pool = new Pool({ context: cluster });
    expect(pool.processes).toBe(2);
    const items = Array.from({ length: 10_000 }, (_, i) => i);
    const squares = await withinSeconds(pool.map(tasks.square, items), 30, 'map');
    expect(squares).toEqual(items.map((x) => x * x));
    // chunksize 1 and a task that names its process: both hosts ran some.
    const pids = await pool.map(tasks.pid, Array.from({ length: 200 }), { chunksize: 1 });
    expect(new Set(pids)).toEqual(new Set(hosts.map((h) => h.pid)));
  });

  it('imapUnordered yields all 10 000 results once each', async () => {
    await using pool = new Pool({ context: cluster });
    const items = Array.from({ length: 10_000 }, (_, i) => i);
    const seen: number[] = [];
    for await (const value of pool.imapUnordered(tasks.square, items, { chunksize: 50 })) seen.push(value);
    expect(seen.sort((a, b) => a - b)).toEqual(items.map((x) => x * x));
  });

  it('runs apply, starmap, imap and self-contained functions', async () => {
    await using pool = cluster.Pool();
    expect(await pool.apply(tasks.add, [2, 3])).toBe(5);
    expect(await pool.apply((x: number) => x * 10, [4])).toBe(40);
    expect(
      await pool.starmap(tasks.add, [
        [1, 2],
        [3, 4],
      ]),
    ).toEqual([3, 7]);
    const out: number[] = [];
    for await (const v of pool.imap(tasks.square, [1, 2, 3])) out.push(v);
    expect(out).toEqual([1, 4, 9]);
    const result = pool.applyAsync(tasks.add, [1, 1]);
    expect(await result.get()).toBe(2);
    expect(result.successful()).toBe(true);
    // stats() counts the tasks as locally: 1 + 1 + 2 + 3 + 1, on the pool's two lanes.
    expect(pool.stats()).toMatchObject({ workers: 2, completed: 8, failed: 0, queued: 0 });
  });

  it('carries rich values both ways', async () => {
    await using pool = cluster.Pool();
    const value = {
      when: new Date(0),
      big: 2n ** 70n,
      map: new Map([[1, 'a']]),
      bytes: new Uint8Array([1, 2]),
    };
    const echo = (v: unknown): unknown => v;
    expect(await pool.apply(echo, [value])).toEqual(value);
  });

  it("rejects with the task's error: its class, message, stack and host", async () => {
    await using pool = cluster.Pool();
    const err = (await pool.apply(tasks.fail, ['boom']).catch((e: unknown) => e)) as RangeError & {
      host: string;
    };
    expect(err).toBeInstanceOf(RangeError);
    expect(err.message).toBe('boom');
    expect(err.stack).toContain('tasks.mjs');
    expect(err.host).toMatch(/:\d+$/);
    // map is not fail-fast: the first failed chunk's error, after all settle.
    await expect(pool.map(tasks.fail, ['a', 'b'], { chunksize: 1 })).rejects.toThrow('a');
    // The pool still works.
    expect(await pool.apply(tasks.square, [3])).toBe(9);
  });

  it('reports progress: onProgress of map and currentTask().progress', async () => {
    await using pool = cluster.Pool();
    const progress: number[] = [];
    await pool.map(tasks.square, [1, 2, 3, 4], { chunksize: 1, onProgress: (done) => progress.push(done) });
    expect(progress).toEqual([1, 2, 3, 4]);
    const events: unknown[] = [];
    expect(await pool.apply(tasks.report, [3], { onEvent: (v) => events.push(v) })).toBe(3);
    expect(events).toEqual([1, 2, 3]);
  });

  it('times a task out, and the host stops it', async () => {
    await using pool = cluster.Pool();
    const path = join(dir, 'timeout');
    const call = pool.apply(tasks.waitFile, [path, 0], { timeout: 0.3 });
    await expect(withinSeconds(call, 10, 'the timed-out call')).rejects.toBeInstanceOf(TimeoutError);
    expect(readdirSync(dir).some((f) => f.startsWith('timeout.'))).toBe(true);
    writeFileSync(path, '');
    expect(await pool.apply(tasks.square, [5])).toBe(25);
  });

  it('takes Infinity and huge timeouts as no limit', async () => {
    await using pool = cluster.Pool();
    expect(await pool.apply(tasks.square, [3], { timeout: Infinity })).toBe(9);
    expect(await pool.map(tasks.square, [1, 2], { timeout: 1e10 })).toEqual([1, 4]);
  });

  it('aborts a running task with its signal', async () => {
    await using pool = cluster.Pool();
    const path = join(dir, 'abort');
    const controller = new AbortController();
    const call = pool.apply(tasks.waitFile, [path, 0], { signal: controller.signal });
    await until(() => readdirSync(dir).some((f) => f.startsWith('abort.')), 'the task to start');
    controller.abort();
    await expect(withinSeconds(call, 10, 'the aborted call')).rejects.toMatchObject({ name: 'AbortError' });
    writeFileSync(path, '');
    expect(await pool.apply(tasks.square, [6])).toBe(36);
  });

  it('runs a ProcessPoolExecutor', async () => {
    await using executor = cluster.ProcessPoolExecutor({ maxWorkers: 2 });
    const future = executor.submit(tasks.add, 20, 22);
    expect(await future.result()).toBe(42);
    const results: number[] = [];
    for await (const v of executor.map(tasks.square, [1, 2, 3])) results.push(v);
    expect(results).toEqual([1, 4, 9]);
    await executor.shutdown();
  });

  it('refuses stream(), closures and thread-only values, as documented', async () => {
    await using pool = cluster.Pool();
    const stream = pool.stream((n: number) => [n], [1]);
    await expect(stream.next()).rejects.toThrow('Pool.stream() does not run on a cluster');
    const outside = 3;
    await expect(pool.apply((x: number) => x * outside, [1])).rejects.toBeInstanceOf(PicklingError);
    const port = new MessageChannel().port1;
    await expect(pool.apply(tasks.square, [port as never])).rejects.toBeInstanceOf(PicklingError);
    port.close();
    expect(await pool.apply(tasks.square, [2])).toBe(4);
  });

  it('refuses worker options that belong to the hosts', () => {
    expect(() => new Pool({ context: cluster, maxTasksPerChild: 1 })).toThrow(
      /maxTasksPerChild cannot be set on a pool of a cluster/,
    );
    expect(() => cluster.Pool({ initializer: tasks.square })).toThrow(TypeError);
  });
});
