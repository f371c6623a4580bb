/**
 * An elastic pool (`minProcesses` below `processes`): it starts workers as
 * work needs them, up to `processes`, and those above `minProcesses` exit
 * after `idleTimeout` without a task. A worker that exits so is not a
 * failure, and a task that arrives while one exits goes to another worker.
 * The default pool starts every worker at construction, as Python's does.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getContext } from '@multiprocessing/process';
import { moduleRef, Pool, ProcessPoolExecutor, type PoolStats } from '@multiprocessing/pool';
import type * as SizingTasks from '../fixtures/sizing-tasks.mjs';
import { runNode } from '@multiprocessing/test-utils';
import { startMethods, tasks, within } from '../helpers.js';

const sizing = moduleRef<typeof SizingTasks>(new URL('../fixtures/sizing-tasks.mjs', import.meta.url));

/** Polls `condition` every 10 ms until it holds; rejects after `ms` naming `what`. */
async function waitFor(condition: () => boolean, ms: number, what: string): Promise<void> {
  const end = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > end) throw new Error(`timed out after ${String(ms)} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * A Unix-socket gate for `count` tasks of sizing.rendezvous: once all of
 * them are connected at the same time, `onAll` runs (the tasks are provably
 * running at once) and every task is released.
 */
async function gate(count: number, onAll: () => void): Promise<{ path: string; server: Server }> {
  const path = join(tmpdir(), `pool-sizing-${String(process.pid)}-${String(Math.random()).slice(2)}.sock`);
  const waiting: Socket[] = [];
  const server = createServer((socket) => {
    socket.once('data', () => {
      waiting.push(socket);
      if (waiting.length < count) return;
      onAll();
      for (const s of waiting.splice(0)) s.end('go');
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return { path, server };
}

describe.each(startMethods)('Pool sizing [%s]', (method) => {
  let pool: Pool | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    if (pool) await within(pool.terminate(), 30_000, 'pool.terminate()');
    pool = undefined;
    server?.close();
    server = undefined;
  });

  it('by default every worker starts at construction and the bounds are processes', async () => {
    pool = new Pool({ processes: 2, context: getContext(method) });
    expect(pool.stats()).toMatchObject({ workers: 2, workersStarted: 2, minProcesses: 2, maxProcesses: 2 });
    expect(await within(pool.apply(tasks.square, [3]), 30_000, 'pool.apply(tasks.square, [3])')).toBe(9);
    expect(pool.stats()).toMatchObject({ workers: 2, workersStarted: 2 });
  });

  it('minProcesses 0 grows from 0 to processes under load and shrinks back to 0 after idleTimeout', async () => {
    const p = new Pool({ processes: 2, minProcesses: 0, idleTimeout: 0.1, context: getContext(method) });
    pool = p;
    expect(p.stats()).toMatchObject({ workers: 0, workersStarted: 0, minProcesses: 0, maxProcesses: 2 });
    let during: PoolStats | undefined;
    const g = await gate(2, () => (during = p.stats()));
    server = g.server;
    const names = await within(
      Promise.all([p.apply(sizing.rendezvous, [g.path]), p.apply(sizing.rendezvous, [g.path])]),
      30_000,
      'two tasks meeting at the gate',
    );
    // Both tasks were connected at once: two workers ran them together.
    expect(new Set(names).size).toBe(2);
    expect(during).toMatchObject({ workers: 2, busy: 2 });
    await waitFor(() => p.stats().workers === 0, 30_000, 'the pool to shrink to 0 workers');
    expect(p.stats()).toMatchObject({ workers: 0, workersStarted: 2, completed: 2, failed: 0 });
    // It grows again on demand.
    expect(await within(p.apply(tasks.square, [4]), 30_000, 'pool.apply after shrinking')).toBe(16);
    expect(p.stats().workersStarted).toBe(3);
  });

  it('minProcesses 1 shrinks to 1, not 0; the worker kept is never replaced', async () => {
    const p = new Pool({ processes: 2, minProcesses: 1, idleTimeout: 0.05, context: getContext(method) });
    pool = p;
    expect(p.stats()).toMatchObject({ workers: 1, workersStarted: 1, minProcesses: 1 });
    const g = await gate(2, () => undefined);
    server = g.server;
    const names = await within(
      Promise.all([p.apply(sizing.rendezvous, [g.path]), p.apply(sizing.rendezvous, [g.path])]),
      30_000,
      'two tasks meeting at the gate',
    );
    expect(new Set(names).size).toBe(2);
    await waitFor(() => p.stats().workers === 1, 30_000, 'the pool to shrink to 1 worker');
    // (On a slow machine a worker may time out before the second task reaches it; one more then starts.)
    const started = p.stats().workersStarted;
    // Several idle timeouts later (not an assertion on time: the count can only go down).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(p.stats()).toMatchObject({ workers: 1, workersStarted: started, failed: 0 });
    const kept = await within(p.apply(sizing.workerName), 30_000, 'pool.apply(sizing.workerName)');
    expect(names).toContain(kept);
    expect(p.stats().workersStarted).toBe(started);
  });

  it('a task submitted while a worker is retiring goes to another worker and is not lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pool-sizing-'));
    try {
      const p = new Pool({ processes: 1, minProcesses: 0, idleTimeout: 0.05, context: getContext(method) });
      pool = p;
      const first = await within(p.apply(sizing.holdExit, [dir]), 30_000, 'pool.apply(sizing.holdExit)');
      // The idle worker was retired and is now held inside its exit.
      await waitFor(() => existsSync(join(dir, 'exiting')), 30_000, 'the idle worker to exit');
      expect(readFileSync(join(dir, 'exiting'), 'utf8')).toBe(first);
      expect(p.stats().workers).toBe(1);
      const second = await within(p.apply(sizing.workerName), 30_000, 'a task submitted during the exit');
      expect(second).not.toBe(first);
      writeFileSync(join(dir, 'go'), '');
      await waitFor(() => p.stats().workers === 0, 30_000, 'both workers to exit');
      expect(p.stats()).toMatchObject({ completed: 2, failed: 0, workersStarted: 2 });
    } finally {
      writeFileSync(join(dir, 'go'), '');
      if (pool) await within(pool.terminate(), 30_000, 'pool.terminate()');
      pool = undefined;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('close() and join() end an elastic pool whose extra workers have not timed out yet', async () => {
    const p = new Pool({ processes: 2, minProcesses: 1, idleTimeout: 3600, context: getContext(method) });
    pool = p;
    const g = await gate(2, () => undefined);
    server = g.server;
    await within(
      Promise.all([p.apply(sizing.rendezvous, [g.path]), p.apply(sizing.rendezvous, [g.path])]),
      30_000,
      'two tasks meeting at the gate',
    );
    expect(p.stats().workers).toBe(2);
    p.close();
    await within(p.join(), 30_000, 'pool.join()');
    expect(p.stats()).toMatchObject({ workers: 0, failed: 0 });
  });

  it("a program with an elastic pool it never closes exits on its own (the idle timer is unref'd)", async () => {
    const script = fileURLToPath(new URL('../fixtures/child-elastic-pool.mjs', import.meta.url));
    const { code, stdout } = await runNode([script, method], { timeoutMs: 30_000 });
    expect(stdout.trim()).toMatch(/^\[1,4,9,16\] 2$/);
    expect(code).toBe(0);
  });
});

describe.each(startMethods)('ProcessPoolExecutor idleTimeout [%s]', (method) => {
  it('an idle worker exits without breaking the executor; a call during its exit goes to a new worker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pool-sizing-'));
    const executor = new ProcessPoolExecutor({
      maxWorkers: 1,
      idleTimeout: 0.05,
      context: getContext(method),
    });
    try {
      const first = await within(executor.submit(sizing.holdExit, dir).result(), 30_000, 'submit(holdExit)');
      await waitFor(() => existsSync(join(dir, 'exiting')), 30_000, 'the idle worker to exit');
      const second = await within(executor.submit(sizing.workerName).result(), 30_000, 'submit(workerName)');
      expect(second).not.toBe(first);
      writeFileSync(join(dir, 'go'), '');
      expect(await within(executor.submit(tasks.square, 6).result(), 30_000, 'submit(square)')).toBe(36);
    } finally {
      writeFileSync(join(dir, 'go'), '');
      await within(executor.shutdown({ wait: true }), 30_000, 'executor.shutdown()');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
