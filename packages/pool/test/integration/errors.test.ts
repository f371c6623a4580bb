/**
 * parity: multiprocessing.Pool error propagation. An error in a task rejects
 * the call with the same class where it is known, with the worker's stack;
 * map is not fail-fast. Closures are refused in the caller.
 */
import { getContext } from '@multiprocessing/process';
import { PicklingError, Pool } from '@multiprocessing/pool';
import { range, startMethods, tasks, within } from '../helpers.js';

describe.each(startMethods)('Pool errors [%s]', (method) => {
  let pool: Pool;
  beforeAll(() => {
    pool = new Pool({ processes: 2, context: getContext(method) });
  });
  afterAll(async () => {
    await within(pool.terminate(), 30_000, 'pool.terminate()');
  });

  it('rejects apply with the same built-in class, message and the worker stack', async () => {
    const err: Error = await within(
      pool.apply(tasks.failOn, [3, 3]).then(
        () => {
          throw new Error('expected a rejection');
        },
        (e: unknown) => e as Error,
      ),
      30_000,
      'pool.apply(tasks.failOn, …)',
    );
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toBe('bad item 3');
    expect(err.stack).toContain('failOn');
    expect(err.stack).toContain('tasks.mjs');
  });

  it('keeps name, message, stack and own properties of an unknown class', async () => {
    const err = (await within(
      pool.apply(tasks.throwCustom, ['custom']).catch((e: unknown) => e),
      30_000,
      'pool.apply(tasks.throwCustom, …)',
    )) as Error & { code: string };
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('CustomError');
    expect(err.message).toBe('custom');
    expect(err.code).toBe('E_CUSTOM');
    expect(err.stack).toContain('throwCustom');
  });

  it('map is not fail-fast: it runs every chunk, then rejects with the first failed chunk', async () => {
    let done = 0;
    const failing = (x: number): number => {
      if (x === 3 || x === 7) throw new RangeError(`item ${String(x)}`);
      return x;
    };
    await expect(
      within(
        pool.map(failing, range(10), { chunksize: 1, onProgress: (d) => (done = d) }),
        30_000,
        'pool.map(failing, …)',
      ),
    ).rejects.toThrow('item 3');
    expect(done).toBe(10);
    // The pool is still usable.
    expect(await within(pool.map(tasks.square, [2]), 30_000, 'pool.map(tasks.square, …)')).toEqual([4]);
  });

  it('refuses a function that closes over a variable, in the caller', async () => {
    const factor = 3;
    const closure = (x: number): number => x * factor;
    await expect(within(pool.map(closure, [1]), 30_000, 'pool.map(closure, …)')).rejects.toThrow(
      PicklingError,
    );
    await expect(within(pool.map(closure, [1]), 30_000, 'pool.map(closure, …)')).rejects.toThrow(
      /'factor'.*moduleRef/s,
    );
    expect(() => pool.applyAsync(closure, [1])).toThrow(PicklingError);
    expect(() => pool.imap(closure, [1])).toThrow(PicklingError);
  });

  it('refuses a function inside the arguments with a PicklingError naming where it is', async () => {
    await expect(
      within(pool.map(tasks.identity, [1, { f: () => 1 }]), 30_000, 'pool.map(tasks.identity, …)'),
    ).rejects.toThrow(/iterable\[1\]\.f/);
    await expect(
      within(pool.apply(tasks.identity, [{ g: () => 1 }]), 30_000, 'pool.apply(tasks.identity, …)'),
    ).rejects.toThrow(PicklingError);
  });

  it('a result that cannot be sent back fails only its task', async () => {
    await expect(
      within(pool.apply(tasks.returnsFunction), 30_000, 'pool.apply(tasks.returnsFunction)'),
    ).rejects.toThrow(PicklingError);
    expect(await within(pool.apply(tasks.add, [1, 2]), 30_000, 'pool.apply(tasks.add, …)')).toBe(3);
  });

  it('a module without the export fails the task with a TypeError', async () => {
    const { taskRef } = await import('@multiprocessing/pool');
    const missing = taskRef(new URL('../fixtures/tasks.mjs', import.meta.url), 'noSuchExport');
    await expect(within(pool.apply(missing), 30_000, 'pool.apply(missing)')).rejects.toThrow(/noSuchExport/);
    expect(await within(pool.apply(tasks.square, [3]), 30_000, 'pool.apply(tasks.square, …)')).toBe(9);
  });
});
