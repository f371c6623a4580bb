/**
 * parity: multiprocessing.Pool close / terminate / join and the context
 * manager, plus the pool's reach for Node: an idle pool never keeps the
 * program alive, and CommonJS consumers work.
 */
import { fileURLToPath } from 'node:url';
import { getContext } from '@multiprocessing/process';
import { CancelledError, Pool, StateError } from '@multiprocessing/pool';
import { runNode } from '@multiprocessing/test-utils';
import { range, startMethods, tasks, within } from '../helpers.js';

describe.each(startMethods)('parity: multiprocessing.Pool lifecycle [%s]', (method) => {
  let pool: Pool | undefined;
  afterEach(async () => {
    if (pool) await within(pool.terminate(), 30_000, 'pool.terminate()');
    pool = undefined;
  });

  it('close() lets queued work finish; join() resolves once the workers exit', async () => {
    pool = new Pool({ processes: 2, context: getContext(method) });
    const results = pool.map(tasks.asyncSquare, range(50), { chunksize: 1 });
    pool.close();
    await within(pool.join(), 30_000, 'pool.join()');
    expect(await within(results, 30_000, 'awaiting results')).toEqual(range(50).map((x) => x * x));
    expect(pool.stats().workers).toBe(0);
  });

  it('submissions after close() fail with `Pool not running`', async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    pool.close();
    await expect(within(pool.map(tasks.square, [1]), 30_000, 'pool.map(tasks.square, …)')).rejects.toThrow(
      new StateError('Pool not running'),
    );
    await expect(
      within(pool.apply(tasks.square, [1]), 30_000, 'pool.apply(tasks.square, …)'),
    ).rejects.toThrow(StateError);
    expect(() => pool?.applyAsync(tasks.square, [1])).toThrow('Pool not running');
    expect(() => pool?.imap(tasks.square, [1])).toThrow('Pool not running');
    await within(pool.join(), 30_000, 'pool.join()');
  });

  it('join() before close() or terminate() rejects with `Pool is still running`', async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    await expect(within(pool.join(), 30_000, 'pool.join()')).rejects.toThrow(
      new StateError('Pool is still running'),
    );
  });

  it('terminate() rejects everything in flight or queued, and never hangs', async () => {
    pool = new Pool({ processes: 2, context: getContext(method) });
    const stuck = [pool.apply(tasks.forever), pool.apply(tasks.forever)];
    const queued = pool.map(tasks.square, range(10));
    const it = pool.imap(tasks.forever, [1, 2]);
    const next = it.next();
    const settled = Promise.allSettled([...stuck, queued, next]);
    await within(pool.terminate(), 30_000, 'pool.terminate()');
    for (const o of await within(settled, 30_000, 'awaiting settled')) {
      expect(o.status).toBe('rejected');
      expect((o as PromiseRejectedResult).reason).toBeInstanceOf(CancelledError);
    }
    expect(pool.stats().workers).toBe(0);
    await expect(
      within(pool.apply(tasks.square, [1]), 30_000, 'pool.apply(tasks.square, …)'),
    ).rejects.toThrow('Pool not running');
    await within(pool.join(), 30_000, 'pool.join()');
  });

  it('await using terminates the pool at the end of the block', async () => {
    let outer: Pool | undefined;
    {
      await using p = new Pool({ processes: 1, context: getContext(method) });
      outer = p;
      expect(await within(p.apply(tasks.square, [3]), 30_000, 'p.apply(tasks.square, …)')).toBe(9);
    }
    await expect(
      within(outer.apply(tasks.square, [1]), 30_000, 'outer.apply(tasks.square, …)'),
    ).rejects.toThrow('Pool not running');
    expect(outer.stats().workers).toBe(0);
  });

  it('stats() counts workers and tasks', async () => {
    pool = new Pool({ processes: 2, context: getContext(method) });
    await within(pool.map(tasks.square, range(8), { chunksize: 2 }), 30_000, 'pool.map(tasks.square, …)');
    await within(
      pool.apply(tasks.failOn, [1, 1]).catch(() => undefined),
      30_000,
      'pool.apply(tasks.failOn, …)',
    );
    const stats = pool.stats();
    expect(stats).toMatchObject({ workers: 2, busy: 0, idle: 2, queued: 0, completed: 4, failed: 1 });
    expect(stats.meanRunTimeMs).toBeGreaterThan(0);
  });

  it('runs a .ts task module under tsx, the loader carried into the workers', async () => {
    const script = fileURLToPath(new URL('../fixtures/child-pool-tsx.mts', import.meta.url));
    const { code, stdout, stderr } = await runNode(['--import', 'tsx', script, method], {
      timeoutMs: 30_000,
    });
    expect(stderr).toBe('');
    expect(stdout.trim()).toBe('[1,8,27]');
    expect(code).toBe(0);
  });

  it('a program that never closes its pool still exits on its own', async () => {
    const script = fileURLToPath(new URL('../fixtures/child-pool.mjs', import.meta.url));
    const { code, stdout } = await runNode([script, method], { timeoutMs: 30_000 });
    expect(stdout.trim()).toBe('[1,4,9,16]');
    expect(code).toBe(0);
  });
});

describe('Shareables under tsx', () => {
  it('a Value and a Lock reach .ts task modules as instances of the classes those modules import', async () => {
    const script = fileURLToPath(new URL('../fixtures/child-pool-tsx-shareables.mts', import.meta.url));
    const { code, stdout, stderr } = await runNode(['--import', 'tsx', script], { timeoutMs: 30_000 });
    expect(stderr).toBe('');
    expect(stdout.trim().split('\n')).toEqual(['process 0 100', 'pool 300 300', 'classes true true']);
    expect(code).toBe(0);
  });
});

describe('Pool from CommonJS', () => {
  it('require() of the package works and the program exits on its own', async () => {
    const script = fileURLToPath(new URL('../fixtures/child-pool.cjs', import.meta.url));
    const { code, stdout } = await runNode([script], { timeoutMs: 30_000 });
    expect(stdout.trim()).toBe('[25,36]');
    expect(code).toBe(0);
  });
});
