/**
 * Large arguments and results, and `transfer` (typed arrays
 * are copied unless a call names them in `transfer`).
 */
import { getContext } from '@multiprocessing/process';
import { Pool } from '@multiprocessing/pool';
import { startMethods, tasks, within } from '../helpers.js';

const kItems = 1024 * 1024; // 8 MB of float64

function filled(seed: number): Float64Array {
  const a = new Float64Array(kItems);
  for (let i = 0; i < kItems; i++) a[i] = (i % 97) + seed;
  return a;
}

function sum(a: Float64Array): number {
  let total = 0;
  for (const x of a) total += x;
  return total;
}

describe.each(startMethods)('Pool payloads [%s]', (method) => {
  let pool: Pool;
  beforeAll(() => {
    pool = new Pool({ processes: 2, context: getContext(method) });
  });
  afterAll(async () => {
    await within(pool.terminate(), 30_000, 'pool.terminate()');
  });

  it('takes 4 × 8 MB Float64Array arguments by copy', async () => {
    const arrays = [filled(1), filled(2), filled(3), filled(4)];
    const expected = arrays.reduce((acc, a) => acc + sum(a), 0);
    expect(await within(pool.apply(tasks.sumAll, arrays), 30_000, 'pool.apply(tasks.sumAll, …)')).toBe(
      expected,
    );
    expect(arrays.every((a) => a.length === kItems)).toBe(true);
    const each = await within(
      pool.map(tasks.sumAll, arrays, { chunksize: 1 }),
      30_000,
      'pool.map(tasks.sumAll, …)',
    );
    expect(each).toEqual(arrays.map(sum));
  });

  it('returns a large typed array', async () => {
    const out = await within(
      pool.apply(tasks.makeFloat64, [kItems]),
      30_000,
      'pool.apply(tasks.makeFloat64, …)',
    );
    // Another realm's Float64Array (jest runs tests in a vm context).
    expect(Object.prototype.toString.call(out)).toBe('[object Float64Array]');
    expect(out.length).toBe(kItems);
    expect(out[kItems - 1]).toBe(kItems - 1);
  });

  it('transfer moves buffers under threads and copies them under processes', async () => {
    const view = filled(0);
    const out = await within(
      pool.apply(tasks.describeBuffer, [view], { transfer: [view.buffer as ArrayBuffer] }),
      30_000,
      'pool.apply(tasks.describeBuffer, …)',
    );
    expect(out).toEqual({ length: kItems, first: 0, last: (kItems - 1) % 97 });
    expect(view.buffer.byteLength).toBe(method === 'thread' ? 0 : kItems * 8);
  });

  it('map transfers each buffer with its own chunk only', async () => {
    const views = [filled(1), filled(2), filled(3)];
    const out = (await within(
      pool.map(tasks.describeBuffer, views, {
        chunksize: 1,
        transfer: views.map((v) => v.buffer as ArrayBuffer),
      }),
      30_000,
      'pool.map(tasks.describeBuffer, …)',
    )) as { first: number }[];
    expect(out.map((o) => o.first)).toEqual([1, 2, 3]);
    for (const v of views) expect(v.buffer.byteLength).toBe(method === 'thread' ? 0 : kItems * 8);
  });
});
