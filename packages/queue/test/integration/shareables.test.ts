import { Lock, Value } from '@multiprocessing/value-lock';
import { Queue } from '@multiprocessing/queue';
import { runScenario, terminateAll, within } from '../helpers.js';

afterEach(terminateAll);

describe('shareables inside queue items', () => {
  it('carries a Lock and a Value through a queue, and they arrive live', async () => {
    const n = 20_000;
    const q = new Queue<{ lock: Lock; value: Value<'i'>; n: number }>();
    const lock = new Lock();
    const value = new Value('i', 0, { lock: false });
    await within(q.put({ lock, value, n }), 30_000, 'q.put({ lock, value, n })');
    await within(q.put({ lock, value, n }), 30_000, 'q.put({ lock, value, n })');
    const workers = [0, 1].map(() => runScenario('incrementFromQueue', { q }, 60_000));
    for (let i = 0; i < n; i++) {
      await within(lock.acquire(), 30_000, 'lock.acquire()');
      value.value += 1;
      lock.release();
    }
    const kinds = await Promise.all(workers.map((w) => w.result));
    expect(kinds).toEqual([
      ['Lock', 'RawValue'],
      ['Lock', 'RawValue'],
    ]);
    expect(value.value).toBe(3 * n);
  });
});
