import { inspect } from 'node:util';
import { Pool, ProcessPoolExecutor, moduleRef } from '@multiprocessing/pool';
import { collect, tasks, within } from '../helpers.js';
import type * as ReprTasks from '../fixtures/repr-tasks.mjs';

const reprTasks = moduleRef<typeof ReprTasks>(new URL('../fixtures/repr-tasks.mjs', import.meta.url));

/** util.inspect and String() give the same one-line text. */
function shown(x: { toString(): string }): string {
  const text = inspect(x);
  expect(String(x)).toBe(text);
  return text;
}

/** Releases a worker blocked in tasks.waitForGo. */
function go(flag: Int32Array): void {
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

describe('repr: Pool, AsyncResult and IMapIterator', () => {
  it('Pool: RUN, CLOSE, TERMINATE with its size, as Python', async () => {
    const pool = new Pool({ processes: 2 });
    try {
      expect(shown(pool)).toBe('<Pool state=RUN pool_size=2>');
      pool.close();
      expect(shown(pool)).toBe('<Pool state=CLOSE pool_size=2>');
      await within(pool.join(), 30_000, 'pool.join()');
      expect(shown(pool)).toBe('<Pool state=CLOSE pool_size=2>');
    } finally {
      await within(pool.terminate(), 30_000, 'pool.terminate()');
    }
    expect(shown(pool)).toBe('<Pool state=TERMINATE pool_size=2>');
    const other = new Pool({ processes: 1 });
    await within(other.terminate(), 30_000, 'other.terminate()');
    expect(shown(other)).toBe('<Pool state=TERMINATE pool_size=1>');
    other.close();
    expect(shown(other)).toBe('<Pool state=TERMINATE pool_size=1>');
  });

  it('AsyncResult: not ready, then ready and successful or not', async () => {
    const pool = new Pool({ processes: 1 });
    try {
      const flag = new Int32Array(new SharedArrayBuffer(8));
      const r = pool.applyAsync(tasks.waitForGo, [flag]);
      expect(shown(r)).toMatch(/^<AsyncResult #\d+ ready=false>$/);
      go(flag);
      await within(r, 30_000, 'awaiting r');
      expect(shown(r)).toMatch(/^<AsyncResult #\d+ ready=true successful=true>$/);
      const bad = pool.applyAsync(tasks.failOn, [1, 1]);
      await bad.wait(30);
      expect(shown(bad)).toMatch(/^<AsyncResult #\d+ ready=true successful=false>$/);
    } finally {
      await within(pool.terminate(), 30_000, 'pool.terminate()');
    }
  });

  it('IMapIterator: finished once every result is in', async () => {
    const pool = new Pool({ processes: 1 });
    try {
      const flag = new Int32Array(new SharedArrayBuffer(8));
      const it = pool.imap(tasks.waitForGo, [flag]);
      expect(shown(it)).toBe('<IMapIterator finished=false>');
      go(flag);
      const results = await within(collect(it), 30_000, 'pool.imap(tasks.waitForGo, …)');
      expect(results).toEqual(['went']);
      expect(shown(it)).toBe('<IMapIterator finished=true>');
    } finally {
      await within(pool.terminate(), 30_000, 'pool.terminate()');
    }
  });

  it('a Lock held in a pool worker names that worker, as Python names the process', async () => {
    const pool = new Pool({ processes: 1 });
    try {
      const [lock, rlock] = await within(
        pool.apply(reprTasks.heldLockReprs),
        30_000,
        'pool.apply(reprTasks.heldLockReprs)',
      );
      expect(lock).toMatch(/^<Lock\(owner=PoolWorker-\d+\)>$/);
      expect(rlock).toMatch(/^<RLock\(PoolWorker-\d+, 1\)>$/);
    } finally {
      await within(pool.terminate(), 30_000, 'pool.terminate()');
    }
  });
});

describe('repr: ProcessPoolExecutor and Future', () => {
  it('executor running then shutdown; futures pending, finished, raised, cancelled', async () => {
    const executor = new ProcessPoolExecutor({ maxWorkers: 1 });
    try {
      expect(shown(executor)).toBe('<ProcessPoolExecutor max_workers=1 state=running>');
      const flag = new Int32Array(new SharedArrayBuffer(8));
      const first = executor.submit(tasks.waitForGo, flag);
      const second = executor.submit(tasks.square, 3);
      const third = executor.submit(tasks.failOn, 2, 2);
      expect(shown(second)).toMatch(/^<Future #\d+ state=pending>$/);
      go(flag);
      expect(await within(second, 30_000, 'awaiting second')).toBe(9);
      await within(first, 30_000, 'awaiting first');
      expect(shown(first)).toMatch(/^<Future #\d+ state=finished>$/);
      await expect(third.result(30)).rejects.toThrow(TypeError);
      expect(shown(third)).toMatch(/^<Future #\d+ state=finished raised TypeError>$/);
      const blocked = new Int32Array(new SharedArrayBuffer(8));
      executor.submit(tasks.waitForGo, blocked);
      const queued = executor.submit(tasks.square, 4);
      expect(queued.cancel()).toBe(true);
      expect(shown(queued)).toMatch(/^<Future #\d+ state=cancelled>$/);
      go(blocked);
      await within(executor.shutdown(), 30_000, 'executor.shutdown()');
      expect(shown(executor)).toBe('<ProcessPoolExecutor max_workers=1 state=shutdown>');
    } finally {
      await within(executor.terminateWorkers(), 30_000, 'executor.terminateWorkers()');
    }
  });
});
