// How task modules cross machines: paths relative to the root, package
// specifiers from node_modules, a module missing on a host, and paths that
// climb out of a root, refused on both sides.
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { moduleRef, taskRef } from '@multiprocessing/pool';
import { describeWithRedis, withinSeconds } from '@multiprocessing/test-utils';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { connectCluster } from '../src/index.js';
import { ClusterKeys } from '../src/internal/keys.js';
import { fromWireSpec, toWireSpec } from '../src/internal/module-paths.js';
import { decodeResults, encodeBundle, kResultFailed } from '../src/internal/wire.js';
import { fixturesRoot, startHost, stopAllHosts, waitForProcesses } from './hosts.js';

import type * as TasksModule from './fixtures/tasks.mjs';

type Tasks = typeof TasksModule;
const tasks = moduleRef<Tasks>(new URL('./fixtures/tasks.mjs', import.meta.url));
const tasksUrl = new URL('./fixtures/tasks.mjs', import.meta.url).href;

afterEach(async () => {
  await stopAllHosts();
});

describe('module paths', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'mp-roots-'));
  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('sends a module under the root as a relative path, and resolves it under the host root', () => {
    const wire = toWireSpec({ kind: 'module', url: tasksUrl, name: 'square' }, fixturesRoot);
    expect(wire).toEqual({ kind: 'module', path: 'tasks.mjs', name: 'square' });
    expect(fromWireSpec(wire, fixturesRoot, 'h1')).toEqual({ kind: 'module', url: tasksUrl, name: 'square' });
  });

  it('sends a module inside node_modules as its package specifier', () => {
    const url = pathToFileURL('/elsewhere/node_modules/@scope/pkg/dist/x.js').href;
    expect(toWireSpec({ kind: 'module', url, name: 'f' }, fixturesRoot)).toEqual({
      kind: 'package',
      specifier: '@scope/pkg/dist/x.js',
      name: 'f',
    });
  });

  it('refuses, on the caller, a module outside the root and outside node_modules', () => {
    expect(() =>
      toWireSpec({ kind: 'module', url: tasksUrl, name: 'square' }, join(fixturesRoot, 'inner')),
    ).toThrow(/lies outside the cluster's root/);
  });

  it('refuses, on a host, a path that climbs out of its root, even through a link', () => {
    const root = join(fixturesRoot, 'inner');
    for (const path of ['../tasks.mjs', '../../fixtures/tasks.mjs', '/etc/passwd']) {
      expect(() => fromWireSpec({ kind: 'module', path, name: 'x' }, root, 'h1')).toThrow(
        /host h1 refused the module .* outside the host's root/,
      );
    }
    expect(() =>
      fromWireSpec({ kind: 'package', specifier: 'pkg/../../x.js', name: 'x' }, root, 'h1'),
    ).toThrow(/refused/);
    symlinkSync(fileURLToPath(tasksUrl), join(scratch, 'link.mjs'));
    expect(() => fromWireSpec({ kind: 'module', path: 'link.mjs', name: 'x' }, scratch, 'h1')).toThrow(
      /links to a file outside/,
    );
  });

  it('names the module, the host and its root when the module is missing', () => {
    expect(() => fromWireSpec({ kind: 'module', path: 'nope.mjs', name: 'x' }, fixturesRoot, 'h9')).toThrow(
      `Cannot find module 'nope.mjs' on host h9 (root ${fixturesRoot})`,
    );
    expect(() =>
      fromWireSpec({ kind: 'package', specifier: 'no-such-pkg/a.js', name: 'x' }, fixturesRoot, 'h9'),
    ).toThrow(/Cannot find module 'no-such-pkg\/a.js' on host h9/);
  });
});

describeWithRedis('modules on real hosts', (redis) => {
  it('runs a function of a package from node_modules by its specifier', async () => {
    // Neither root holds the package: both find it in the node_modules above them.
    const inner = join(fixturesRoot, 'inner');
    await startHost(redis().url, 'pkg', { root: inner });
    await using cluster = await connectCluster(redis().url, { name: 'pkg', root: inner });
    await waitForProcesses(cluster, 1);
    await using pool = cluster.Pool();
    const shout = taskRef<(text: string) => string>(
      new URL('./fixtures/node_modules/mp-fixture-pkg/lib/tools.mjs', import.meta.url),
      'shout',
    );
    expect(await pool.apply(shout, ['hi'])).toBe('HI!');
  });

  it('rejects a call whose module is missing on the host, naming the module and the host', async () => {
    // The host's root has no tasks.mjs: the caller's root is one level up.
    const host = await startHost(redis().url, 'missing', { root: join(fixturesRoot, 'inner') });
    await using cluster = await connectCluster(redis().url, { name: 'missing', root: fixturesRoot });
    await waitForProcesses(cluster, 1);
    await using pool = cluster.Pool();
    const err = (await pool.apply(tasks.square, [2]).catch((e: unknown) => e)) as Error & { host: string };
    expect(err.message).toMatch(/^Cannot find module 'tasks.mjs' on host \S+:\d+ \(root .*inner\)$/);
    expect((err as { code?: string }).code).toBe('ERR_MODULE_NOT_FOUND');
    expect(err.host).toBe(err.message.split(' ')[6]);
    expect(host.output()).toContain('serves cluster');
  });

  it('refuses a job whose module path climbs out of the host root', async () => {
    await startHost(redis().url, 'escape', { root: join(fixturesRoot, 'inner') });
    const keys = new ClusterKeys('mp', 'escape');
    const queue = new Queue('escape', {
      connection: { host: '127.0.0.1', port: redis().port },
      prefix: 'mp',
    });
    const conn = new Redis(redis().url);
    try {
      // A caller that sends '../tasks.mjs' (ours never does): the host must not load it.
      await conn.set(keys.client('forged'), '1', 'PX', 30_000);
      const d = encodeBundle({
        specs: [[0, { kind: 'module', path: '../tasks.mjs', name: 'square' }]],
        tasks: [1, 0, 0, [3]],
      });
      await queue.add('t', { c: 'forged', l: 1, d }, { removeOnComplete: true, removeOnFail: true });
      const popped = await withinSeconds(conn.blpopBuffer(keys.results('forged'), 10), 15, 'the result');
      expect(popped).not.toBeNull();
      const [, entries] = decodeResults(popped![1]);
      expect(entries.slice(0, 3)).toEqual([1, 1, kResultFailed]);
      expect((entries[3] as { message: string }).message).toMatch(
        /^host \S+ refused the module '..\/tasks.mjs': it lies outside the host's root/,
      );
    } finally {
      await conn.del(keys.client('forged'), keys.results('forged'));
      conn.disconnect();
      await queue.close();
    }
  });
});
