import { Lock, Value } from '@multiprocessing/value-lock';
import { start, terminateAll, within } from '../helpers.js';

// The full size (4 × 100 000) runs with VL_STRESS_N=100000; CI runs a
// shorter version that still shows any lost update.
const N = Number(process.env.VL_STRESS_N ?? 25_000);

afterEach(terminateAll);

describe('parity: multiprocessing.Value with get_lock()', () => {
  it.each(['sync', 'using', 'async'])(
    '4 threads × N locked increments give the exact total (%s)',
    async (mode) => {
      const value = new Value('i', 0);
      const workers = Array.from({ length: 4 }, () => start('increment', { value, n: N, mode }));
      const results = await Promise.all(workers.map((w) => w.next(120_000)));
      for (const r of results) expect(r).toEqual({ done: true });
      expect(value.value).toBe(4 * N);
    },
  );

  it('4 threads share one plain Lock around a RawValue', async () => {
    const value = new Value('q', 0, { lock: false });
    const lock = new Lock();
    const workers = Array.from({ length: 4 }, () => start('increment', { value, lock, n: N, mode: 'lock' }));
    for (const r of await Promise.all(workers.map((w) => w.next(120_000)))) expect(r).toEqual({ done: true });
    expect(value.value).toBe(BigInt(4 * N));
  });

  it('the main thread competes with workers through the async form', async () => {
    const value = new Value('d', 0);
    const workers = Array.from({ length: 2 }, () => start('increment', { value, n: N, mode: 'sync' }));
    const mainIncrements = async (): Promise<void> => {
      for (let i = 0; i < N; i++) {
        await value.withLock(() => {
          value.value += 1;
        });
      }
    };
    await within(mainIncrements(), 120_000, 'withLock increments on the main thread');
    for (const r of await Promise.all(workers.map((w) => w.next(120_000)))) expect(r).toEqual({ done: true });
    expect(value.value).toBe(3 * N);
  });
});
