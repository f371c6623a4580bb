/**
 * Beyond Python: a worker that runs several tasks at once
 * (`concurrentTasksPerWorker` above 1) still runs its finalizer on a clean
 * exit, after its last running task, and runs `Pool.stream` tasks (a stream
 * holds the worker alone: no other task starts there until it ends). Tasks
 * are gated on a Unix socket (test/gate.ts): no timing involved.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getContext } from '@multiprocessing/process';
import { moduleRef, Pool } from '@multiprocessing/pool';
import type * as ConcurrentTasks from '../fixtures/concurrent-tasks.mjs';
import type * as LifecycleTasks from '../fixtures/lifecycle-tasks.mjs';
import type * as StreamTasks from '../fixtures/stream-tasks.mjs';
import { openGate, type Gate } from '../gate.js';
import { collect, startMethods, within } from '../helpers.js';

const ctasks = moduleRef<typeof ConcurrentTasks>(
  new URL('../fixtures/concurrent-tasks.mjs', import.meta.url),
);
const life = moduleRef<typeof LifecycleTasks>(new URL('../fixtures/lifecycle-tasks.mjs', import.meta.url));
const streams = moduleRef<typeof StreamTasks>(new URL('../fixtures/stream-tasks.mjs', import.meta.url));

describe.each(startMethods)('concurrentTasksPerWorker lifecycle [%s]', (method) => {
  let pool: Pool | undefined;
  let gate: Gate;
  let dir: string;
  beforeEach(async () => {
    gate = await openGate();
    dir = mkdtempSync(join(tmpdir(), 'mp-conc-life-'));
  });
  afterEach(async () => {
    if (pool) await within(pool.terminate(), 30_000, 'pool.terminate()');
    pool = undefined;
    await gate.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the finalizer once, after the tasks running at close() have finished', async () => {
    const file = join(dir, 'log');
    pool = new Pool({
      processes: 1,
      concurrentTasksPerWorker: 3,
      finalizer: life.appendNameLater,
      finalizerArgs: [file, 'bye'],
      context: getContext(method),
    });
    const calls = [0, 1].map((id) => pool!.apply(ctasks.gated, [gate.path, id]));
    await gate.arrived(2);
    pool.close();
    gate.release(1);
    gate.release(0);
    const results = await within(Promise.all(calls), 30_000, 'the gated tasks');
    await within(pool.join(), 30_000, 'pool.join()');
    expect(results.map((r) => r.id)).toEqual([0, 1]);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(`bye ${results[0]!.worker}\n`);
  });

  it('runs a stream beside a running task, and other tasks after the stream', async () => {
    pool = new Pool({ processes: 1, concurrentTasksPerWorker: 3, context: getContext(method) });
    const first = pool.apply(ctasks.gated, [gate.path, 0]);
    await gate.arrived(1);
    expect(await within(collect(pool.stream(streams.count, [5])), 30_000, 'stream(count)')).toEqual([
      0, 1, 2, 3, 4,
    ]);
    const second = pool.apply(ctasks.gated, [gate.path, 1]);
    await gate.arrived(2);
    gate.release(0);
    gate.release(1);
    const results = await within(Promise.all([first, second]), 30_000, 'the gated tasks');
    expect(results.map((r) => r.id)).toEqual([0, 1]);
    expect(results[0].worker).toBe(results[1].worker);
    expect(pool.stats().workersStarted).toBe(1);
  });
});
