/**
 * Beyond Python: a call's `timeout` limits each task's own run time, and
 * `signal` aborts the call. A timed-out or aborted task's worker is
 * terminated and replaced; the pool stays usable.
 */
import { getContext } from '@multiprocessing/process';
import { Pool, TimeoutError } from '@multiprocessing/pool';
import { range, startMethods, tasks, within } from '../helpers.js';

describe.each(startMethods)('Pool timeout and signal [%s]', (method) => {
  let pool: Pool | undefined;
  afterEach(async () => {
    if (pool) await within(pool.terminate(), 30_000, 'pool.terminate()');
    pool = undefined;
  });

  it('a task that overruns its timeout rejects with TimeoutError and its worker is replaced', async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    const before = Date.now();
    await expect(
      within(pool.apply(tasks.forever, [], { timeout: 0.2 }), 30_000, 'pool.apply(tasks.forever, …)'),
    ).rejects.toBeInstanceOf(TimeoutError);
    expect(Date.now() - before).toBeGreaterThanOrEqual(150);
    await expect(
      within(pool.apply(tasks.spin, [60_000], { timeout: 0.1 }), 30_000, 'pool.apply(tasks.spin, …)'),
    ).rejects.toThrow(/timed out after 0.1 s/);
    expect(
      await within(pool.apply(tasks.square, [9], { timeout: 5 }), 30_000, 'pool.apply(tasks.square, …)'),
    ).toBe(81);
    expect(pool.stats().workersStarted).toBe(3);
  });

  it('the timeout counts from the start of each task, not from the call', async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    // Four 100 ms tasks in a row, each well under its 2 s limit.
    expect(
      await within(
        pool.map(tasks.spin, [100, 100, 100, 100], { chunksize: 2, timeout: 2 }),
        30_000,
        'pool.map(tasks.spin, …)',
      ),
    ).toEqual([100, 100, 100, 100]);
    await expect(
      within(
        pool.map(tasks.spin, [1, 1, 60_000, 1], { chunksize: 1, timeout: 0.2 }),
        30_000,
        'pool.map(tasks.spin, …)',
      ),
    ).rejects.toBeInstanceOf(TimeoutError);
    expect(await within(pool.map(tasks.square, [1, 2]), 30_000, 'pool.map(tasks.square, …)')).toEqual([1, 4]);
  });

  it('an abort rejects with an AbortError and replaces the worker running the task', async () => {
    // abortGracePeriod 0: the worker is terminated at once, as it was before
    // grace periods existed. (With one, a task aborted before it started, its
    // module still loading, is skipped by a worker that is then kept.)
    pool = new Pool({ processes: 1, context: getContext(method), abortGracePeriod: 0 });
    await within(pool.apply(tasks.square, [1]), 30_000, 'pool.apply(tasks.square, …)');
    const controller = new AbortController();
    const running = pool.apply(tasks.forever, [], { signal: controller.signal });
    // Dispatched at once (one worker, idle): aborting must end its worker.
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    const err = (await within(
      running.catch((e: unknown) => e),
      30_000,
      'running',
    )) as Error;
    expect(err.name).toBe('AbortError');
    expect(await within(pool.apply(tasks.square, [5]), 30_000, 'pool.apply(tasks.square, …)')).toBe(25);
    expect(pool.stats().workersStarted).toBe(2);
  });

  it('an abort with a reason rejects with that reason; an aborted signal rejects at once', async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    const controller = new AbortController();
    const reason = new RangeError('stop now');
    const call = pool.map(tasks.forever, [1, 2, 3], { signal: controller.signal });
    controller.abort(reason);
    await expect(within(call, 30_000, 'awaiting call')).rejects.toBe(reason);
    await expect(
      within(
        pool.apply(tasks.square, [2], { signal: AbortSignal.abort() }),
        30_000,
        'pool.apply(tasks.square, …)',
      ),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(() => pool?.applyAsync(tasks.square, [2], { signal: AbortSignal.abort() })).not.toThrow();
    expect(await within(pool.apply(tasks.square, [3]), 30_000, 'pool.apply(tasks.square, …)')).toBe(9);
  });

  it('aborting a task still queued in the pool does not touch any worker', async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    const flagless = pool.map(tasks.square, range(20), { chunksize: 1 });
    const controller = new AbortController();
    const queued = pool.apply(tasks.square, [4], { signal: controller.signal });
    controller.abort();
    await expect(within(queued, 30_000, 'awaiting queued')).rejects.toMatchObject({ name: 'AbortError' });
    expect(await within(flagless, 30_000, 'awaiting flagless')).toEqual(range(20).map((x) => x * x));
    expect(pool.stats().workersStarted).toBe(1);
  });
});
