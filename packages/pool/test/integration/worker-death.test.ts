/**
 * A worker that dies mid-task (a crash, process.exit, a kill from outside,
 * out of memory) rejects only the task it was running with WorkerLostError;
 * the pool replaces it and stays usable. (Python's Pool hangs here.)
 */
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getContext } from '@multiprocessing/process';
import { Pool, WorkerLostError } from '@multiprocessing/pool';
import { range, startMethods, tasks, within } from '../helpers.js';

describe.each(startMethods)('Pool worker death [%s]', (method) => {
  let pool: Pool | undefined;
  afterEach(async () => {
    if (pool) await within(pool.terminate(), 30_000, 'pool.terminate()');
    pool = undefined;
  });

  it('a crash from an async callback rejects that task only', async () => {
    pool = new Pool({ processes: 2, context: getContext(method) });
    const others = pool.map(tasks.square, range(100), { chunksize: 1 });
    const err = (await within(
      pool.apply(tasks.crashLater).catch((e: unknown) => e),
      30_000,
      'pool.apply(tasks.crashLater)',
    )) as WorkerLostError;
    expect(err).toBeInstanceOf(WorkerLostError);
    expect(err.exitcode).toBe(1);
    expect(err.message).toMatch(/^Worker PoolWorker-\d+ exited with code 1 while running a task$/);
    expect(await within(others, 30_000, 'awaiting others')).toEqual(range(100).map((x) => x * x));
    expect(await within(pool.apply(tasks.add, [1, 2]), 30_000, 'pool.apply(tasks.add, …)')).toBe(3);
  });

  it('process.exit(3) in a task rejects that task only, naming the worker and the code', async () => {
    pool = new Pool({ processes: 2, context: getContext(method) });
    const p = pool;
    const outcomes = await within(
      Promise.allSettled(range(20).map((i) => p.apply(tasks.exitOn, [i, 7, 3]))),
      30_000,
      'Promise.allSettled(…)',
    );
    outcomes.forEach((o, i) => {
      if (i === 7) {
        expect(o.status).toBe('rejected');
        const reason = (o as PromiseRejectedResult).reason as WorkerLostError;
        expect(reason).toBeInstanceOf(WorkerLostError);
        expect(reason.message).toMatch(/^Worker PoolWorker-\d+ exited with code 3 while running a task$/);
        expect(reason.exitcode).toBe(3);
        expect(reason.workerName).toMatch(/^PoolWorker-\d+$/);
      } else {
        expect(o).toEqual({ status: 'fulfilled', value: i * 10 });
      }
    });
    expect(pool.stats().workers).toBe(2);
    expect(pool.stats().workersStarted).toBe(3);
    expect(await within(pool.map(tasks.square, [1, 2, 3]), 30_000, 'pool.map(tasks.square, …)')).toEqual([
      1, 4, 9,
    ]);
  });

  it('in map, a dead worker fails its chunk only; the chunks queued for it go elsewhere', async () => {
    pool = new Pool({ processes: 2, context: getContext(method) });
    let done = 0;
    const err = await within(
      pool.starmap(
        tasks.exitOn,
        range(40).map((i) => [i, 13, 3]),
        { chunksize: 2, onProgress: (d) => (done = d) },
      ),
      30_000,
      'pool.starmap(tasks.exitOn, …)',
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerLostError);
    expect(done).toBe(40);
  });

  it('terminate and terminate again: the pool keeps healing', async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    for (let i = 0; i < 3; i++) {
      await expect(
        within(pool.apply(tasks.exitWith, [5]), 30_000, 'pool.apply(tasks.exitWith, …)'),
      ).rejects.toThrow(WorkerLostError);
    }
    expect(await within(pool.apply(tasks.square, [6]), 30_000, 'pool.apply(tasks.square, …)')).toBe(36);
    expect(pool.stats().workersStarted).toBe(4);
  });
});

describe("Pool worker killed from outside ['process']", () => {
  let pool: Pool | undefined;
  afterEach(async () => {
    if (pool) await within(pool.terminate(), 30_000, 'pool.terminate()');
  });

  it('SIGTERM to the worker process rejects its task with exit code -15', async () => {
    pool = new Pool({ processes: 1, context: getContext('process') });
    const pid = await within(pool.apply(tasks.pid), 30_000, 'pool.apply(tasks.pid)');
    const path = join(tmpdir(), `pool-test-${String(process.pid)}.sock`);
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(path, resolve));
    const started = new Promise((resolve) => server.once('connection', resolve));
    const stuck = pool.apply(tasks.announceThenWait, [path]);
    const after = pool.apply(tasks.square, [7]);
    await within(started, 30_000, 'the task connecting to the socket');
    process.kill(pid, 'SIGTERM');
    const err = (await within(
      stuck.catch((e: unknown) => e),
      30_000,
      'pool.apply(tasks.announceThenWait, …)',
    )) as WorkerLostError;
    expect(err).toBeInstanceOf(WorkerLostError);
    expect(err.exitcode).toBe(-15);
    expect(await within(after, 30_000, 'pool.apply(tasks.square, …) after the kill')).toBe(49);
    server.close();
  });
});

describe("Pool worker out of memory ['thread']", () => {
  let pool: Pool | undefined;
  afterEach(async () => {
    if (pool) await within(pool.terminate(), 30_000, 'pool.terminate()');
  });

  it('a worker that exceeds resourceLimits rejects its task with WorkerLostError', async () => {
    pool = new Pool({ processes: 1, resourceLimits: { maxOldGenerationSizeMb: 32 } });
    const err = (await within(
      pool.apply(tasks.allocateForever).catch((e: unknown) => e),
      30_000,
      'pool.apply(tasks.allocateForever)',
    )) as WorkerLostError;
    expect(err).toBeInstanceOf(WorkerLostError);
    expect(err.message).toMatch(/^Worker PoolWorker-\d+ exited with code -?\d+ while running a task$/);
    expect(await within(pool.apply(tasks.square, [8]), 30_000, 'pool.apply(tasks.square, …)')).toBe(64);
  });
});
