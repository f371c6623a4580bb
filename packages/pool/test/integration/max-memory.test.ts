/**
 * `maxMemoryPerChild`: a worker whose heap in use passes the limit after a
 * task is replaced (its result is delivered; the next task runs in a new
 * worker), as maxTasksPerChild replaces one.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getContext } from '@multiprocessing/process';
import { moduleRef, Pool, ProcessPoolExecutor } from '@multiprocessing/pool';
import type * as LifecycleTasks from '../fixtures/lifecycle-tasks.mjs';
import { startMethods, within } from '../helpers.js';

const life = moduleRef<typeof LifecycleTasks>(new URL('../fixtures/lifecycle-tasks.mjs', import.meta.url));

const kLimitMiB = 24;
const kMiB = 1024 * 1024;

describe.each(startMethods)('Pool maxMemoryPerChild [%s]', (method) => {
  let pool: Pool | undefined;
  afterEach(async () => {
    if (pool) await within(pool.terminate(), 30_000, 'pool.terminate()');
    pool = undefined;
  });

  it('replaces a worker whose heap passed the limit after its task; the next task runs in a new worker', async () => {
    pool = new Pool({ processes: 1, maxMemoryPerChild: kLimitMiB, context: getContext(method) });
    const first = await within(pool.apply(life.whoami), 30_000, 'pool.apply(whoami)');
    // Below the limit the worker stays.
    expect(await within(pool.apply(life.heapUsed), 30_000, 'pool.apply(heapUsed)')).toBeLessThan(
      kLimitMiB * kMiB,
    );
    expect((await within(pool.apply(life.whoami), 30_000, 'pool.apply(whoami)')).ident).toBe(first.ident);
    // The task that passes it completes in the same worker, with its result.
    const grown = await within(pool.apply(life.retain, [kLimitMiB + 8]), 30_000, 'pool.apply(retain)');
    expect(grown.ident).toBe(first.ident);
    expect(grown.used).toBeGreaterThan(kLimitMiB * kMiB);
    const next = await within(pool.apply(life.whoami), 30_000, 'pool.apply(whoami)');
    expect(next.ident).not.toBe(first.ident);
    expect(next.name).not.toBe(first.name);
    // The new worker starts small and stays.
    expect((await within(pool.apply(life.whoami), 30_000, 'pool.apply(whoami)')).ident).toBe(next.ident);
    expect(pool.stats().workers).toBe(1);
  });

  it('without the option a worker keeps its heap and stays', async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    const grown = await within(pool.apply(life.retain, [kLimitMiB + 8]), 30_000, 'pool.apply(retain)');
    expect((await within(pool.apply(life.whoami), 30_000, 'pool.apply(whoami)')).ident).toBe(grown.ident);
  });

  it('runs the finalizer in the worker it replaces', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mp-memory-'));
    const file = join(dir, 'log');
    try {
      pool = new Pool({
        processes: 1,
        maxMemoryPerChild: kLimitMiB,
        finalizer: life.appendName,
        finalizerArgs: [file, 'recycled'],
        context: getContext(method),
      });
      const grown = await within(pool.apply(life.retain, [kLimitMiB + 8]), 30_000, 'pool.apply(retain)');
      const next = await within(pool.apply(life.whoami), 30_000, 'pool.apply(whoami)');
      pool.close();
      await within(pool.join(), 30_000, 'pool.join()');
      const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).sort() : [];
      expect(lines).toEqual([`recycled ${grown.name}`, `recycled ${next.name}`].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ProcessPoolExecutor replaces the worker too', async () => {
    const executor = new ProcessPoolExecutor({
      maxWorkers: 1,
      maxMemoryPerChild: kLimitMiB,
      context: getContext(method),
    });
    try {
      const grown = await within(executor.submit(life.retain, kLimitMiB + 8).result(), 30_000, 'retain');
      const next = await within(executor.submit(life.whoami).result(), 30_000, 'whoami');
      expect(next.ident).not.toBe(grown.ident);
    } finally {
      await within(executor.shutdown({ cancelFutures: true }), 30_000, 'executor.shutdown()');
    }
  });
});
