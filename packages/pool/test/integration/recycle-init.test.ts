/**
 * parity: multiprocessing.Pool maxtasksperchild and initializer/initargs.
 * The initializer runs once in every worker, replacements included.
 */
import { getContext } from '@multiprocessing/process';
import { Lock, Value } from '@multiprocessing/value-lock';
import { Pool } from '@multiprocessing/pool';
import { range, startMethods, tasks, within } from '../helpers.js';

interface Who {
  name: string;
  ident: number;
  pid: number;
}

describe.each(startMethods)(
  'parity: multiprocessing.Pool maxtasksperchild and initializer [%s]',
  (method) => {
    let pool: Pool | undefined;
    afterEach(async () => {
      if (pool) await within(pool.terminate(), 30_000, 'pool.terminate()');
      pool = undefined;
    });

    it('maxTasksPerChild replaces a worker after that many tasks (a chunk is one task)', async () => {
      pool = new Pool({ processes: 1, maxTasksPerChild: 2, context: getContext(method) });
      const who = (await within(
        pool.map(tasks.whoami, range(6), { chunksize: 1 }),
        30_000,
        'pool.map(tasks.whoami, …)',
      )) as Who[];
      const idents = who.map((w) => w.ident);
      expect(new Set(idents).size).toBe(3);
      expect(idents[0]).toBe(idents[1]);
      expect(idents[2]).toBe(idents[3]);
      expect(idents[4]).toBe(idents[5]);
      expect(idents[1]).not.toBe(idents[2]);
      // 10 items in chunks of 5: two tasks, one worker.
      const chunked = (await within(
        pool.map(tasks.whoami, range(10), { chunksize: 5 }),
        30_000,
        'pool.map(tasks.whoami, …)',
      )) as Who[];
      expect(new Set(chunked.map((w) => w.ident)).size).toBe(1);
    });

    it('runs the initializer in every worker, replacements included', async () => {
      pool = new Pool({ processes: 2, initializer: tasks.init, initArgs: [42], context: getContext(method) });
      const states = (await within(
        pool.map(tasks.readInit, range(20), { chunksize: 1 }),
        30_000,
        'pool.map(tasks.readInit, …)',
      )) as { value: number }[];
      expect(states.every((s) => s.value === 42)).toBe(true);
      await expect(
        within(pool.apply(tasks.exitWith, [2]), 30_000, 'pool.apply(tasks.exitWith, …)'),
      ).rejects.toThrow(/exited with code 2/);
      await within(
        pool.apply(tasks.exitWith, [2]).catch(() => undefined),
        30_000,
        'pool.apply(tasks.exitWith, …)',
      );
      const after = (await within(
        pool.map(tasks.readInit, range(10), { chunksize: 1 }),
        30_000,
        'pool.map(tasks.readInit, …)',
      )) as { value: number }[];
      expect(after.every((s) => s.value === 42)).toBe(true);
    });

    it('a failing initializer fails the waiting calls with its error', async () => {
      pool = new Pool({ processes: 1, initializer: tasks.failingInit, context: getContext(method) });
      await expect(
        within(pool.apply(tasks.square, [2]), 30_000, 'pool.apply(tasks.square, …)'),
      ).rejects.toThrow(new RangeError('initializer failed on purpose'));
    });
  },
);

describe('Pool initializer with shared memory [thread]', () => {
  let pool: Pool | undefined;
  afterEach(async () => {
    if (pool) await within(pool.terminate(), 30_000, 'pool.terminate()');
  });

  it('a Value and a Lock passed in initArgs arrive live', async () => {
    const counter = new Value('i', 0);
    const lock = new Lock();
    pool = new Pool({ processes: 2, initializer: tasks.initShared, initArgs: [counter, lock] });
    await within(
      pool.map(tasks.incrementShared, [1000, 1000, 1000, 1000], { chunksize: 1 }),
      30_000,
      'pool.map(tasks.incrementShared, …)',
    );
    expect(counter.value).toBe(4000);
  });

  it('a Value and a Lock in initArgs reach worker processes too, served by this process', async () => {
    const counter = new Value('i', 0);
    const lock = new Lock();
    pool = new Pool({
      processes: 2,
      initializer: tasks.initShared,
      initArgs: [counter, lock],
      context: getContext('process'),
    });
    await within(
      pool.map(tasks.incrementShared, [100, 100, 100, 100], { chunksize: 1 }),
      60_000,
      'pool.map(tasks.incrementShared, …) under process',
    );
    expect(counter.value).toBe(400);
  });
});
