/**
 * parity: multiprocessing.pool.AsyncResult (get with a timeout, wait, ready,
 * successful, callback and error_callback).
 * https://docs.python.org/3/library/multiprocessing.html#multiprocessing.pool.AsyncResult
 */
import { Pool, StateError, TimeoutError } from '@multiprocessing/pool';
import { tasks, within } from '../helpers.js';

describe('parity: multiprocessing.pool.AsyncResult', () => {
  let pool: Pool;
  beforeAll(() => {
    pool = new Pool({ processes: 2 });
  });
  afterAll(async () => {
    await within(pool.terminate(), 30_000, 'pool.terminate()');
  });

  it('get(timeout) rejects with TimeoutError and only limits the wait', async () => {
    const flag = new Int32Array(new SharedArrayBuffer(8));
    const r = pool.applyAsync(tasks.waitForGo, [flag]);
    const started = Atomics.waitAsync(flag, 1, 0, 10_000);
    if (started.async) await started.value;
    await expect(r.get(0.05)).rejects.toBeInstanceOf(TimeoutError);
    expect(r.ready()).toBe(false);
    expect(() => r.successful()).toThrow(StateError);
    expect(() => r.successful()).toThrow(/not ready$/);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    expect(await r.get(10)).toBe('went');
    expect(r.ready()).toBe(true);
    expect(r.successful()).toBe(true);
  });

  it('wait(timeout) resolves after the timeout without the result, and at once when ready', async () => {
    const r = pool.applyAsync(tasks.forever);
    await expect(r.wait(0.02)).resolves.toBeUndefined();
    expect(r.ready()).toBe(false);
    const ok = pool.applyAsync(tasks.square, [4]);
    await within(ok.wait(), 30_000, 'ok.wait()');
    expect(ok.ready()).toBe(true);
  });

  it('calls callback with the result and errorCallback with the error', async () => {
    const got: unknown[] = [];
    const ok = pool.applyAsync(tasks.square, [5], { callback: (v) => got.push(['ok', v]) });
    const bad = pool.applyAsync(tasks.failOn, [1, 1], {
      errorCallback: (e) => got.push(['err', e.constructor.name]),
    });
    await within(ok, 30_000, 'awaiting ok');
    await within(bad.wait(), 30_000, 'bad.wait()');
    expect(bad.successful()).toBe(false);
    await expect(within(bad.get(), 30_000, 'bad.get()')).rejects.toThrow(TypeError);
    const mapped = pool.mapAsync(tasks.square, [1, 2], { callback: (v) => got.push(['map', v]) });
    await within(mapped, 30_000, 'awaiting mapped');
    expect(got).toEqual([
      ['ok', 25],
      ['err', 'TypeError'],
      ['map', [1, 4]],
    ]);
  });

  it('is thenable, and an unobserved failure is not an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      const r = pool.applyAsync(tasks.failOn, [2, 2]);
      await within(r.wait(), 30_000, 'r.wait()');
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
      expect(await within(pool.applyAsync(tasks.add, [2, 2]), 30_000, 'pool.applyAsync(tasks.add, …)')).toBe(
        4,
      );
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('cannot be constructed by users', async () => {
    const { AsyncResult } = await import('@multiprocessing/pool');
    expect(() => new (AsyncResult as unknown as new () => unknown)()).toThrow(TypeError);
  });
});
