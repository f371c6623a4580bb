// A child process consuming a queue owned by the test process takes items
// ahead of its gets, in batches. Whatever it holds and does not use goes
// back to the front of the queue, in order, once it stops getting or exits,
// so no item is lost or reordered, and another consumer finds them.
import { Event, Queue } from '@multiprocessing/all';
import type * as Fx from '../../fixtures/cross-process/prefetch.mjs';
import { endChildren, exitOf, fixture, spawn, WAIT_S } from './helpers.js';

const fx = fixture<typeof Fx>('prefetch.mjs');

afterEach(endChildren);

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

async function filled(n: number): Promise<Queue<number>> {
  const q = new Queue<number>();
  for (let i = 0; i < n; i++) await q.put(i);
  return q;
}

/** Every item left in `q`, taken here. */
function drain<T>(q: Queue<T>): T[] {
  const out: T[] = [];
  while (!q.empty()) out.push(q.getNowait());
  return out;
}

describe('a consumer that stops getting', () => {
  it('gives the items it took ahead back to the front of the queue, in order', async () => {
    const q = await filled(200);
    const status = new Queue<unknown[]>();
    const go = new Event();
    const child = spawn(fx('takeThenIdle'), [q, 20, status, go]);
    // Its qsize() counts what it holds.
    await expect(status.get({ timeout: WAIT_S })).resolves.toEqual(['took', range(0, 20), 180]);
    await expect(status.get({ timeout: WAIT_S })).resolves.toEqual(['idle', 180]);
    // Back here, while the child still runs.
    expect(q.qsize()).toBe(180);
    expect(drain(q)).toEqual(range(20, 200));
    go.set();
    expect(await exitOf(child)).toBe(0);
  });

  it('lets another consumer find the items it took past its own stop', async () => {
    const n = 100;
    const stops = 10;
    const q = new Queue<number | null>();
    for (let i = 0; i < n; i++) await q.put(i);
    for (let i = 0; i < stops; i++) await q.put(null);
    const status = new Queue<[string, number[], number]>();
    const go = new Event();
    const first = spawn(fx('untilNull'), [q, 'first', status, go]);
    await expect(status.get({ timeout: WAIT_S })).resolves.toEqual(['first', range(0, n), stops - 1]);
    expect(q.qsize()).toBe(stops - 1);
    const second = spawn(fx('untilNull'), [q, 'second', status, go]);
    await expect(status.get({ timeout: WAIT_S })).resolves.toEqual(['second', [], stops - 2]);
    expect(drain(q)).toEqual(Array.from({ length: stops - 2 }, () => null));
    go.set();
    expect(await Promise.all([exitOf(first), exitOf(second)])).toEqual([0, 0]);
  });
});

describe('a consumer that exits with process.exit() right after its gets', () => {
  it('has given back every item it held by the time it has exited', async () => {
    const q = await filled(200);
    const child = spawn(fx('takeThenExit'), [q, 20]);
    expect(await exitOf(child)).toBe(0);
    expect(q.qsize()).toBe(180);
    expect(drain(q)).toEqual(range(20, 200));
  });
});

describe('gets made all at once in a consumer', () => {
  it('resolve with the items in order; on an empty queue they time out, and a non-blocking get fails at once', async () => {
    const q = await filled(60);
    const status = new Queue<[number[], number[], string, string[]]>();
    const child = spawn(fx('concurrentGets'), [q, 10, 50, status]);
    const [first, rest, nowait, timedOut] = await status.get({ timeout: WAIT_S });
    expect(first).toEqual(range(0, 10));
    expect(rest).toEqual(range(10, 60));
    expect(nowait).toBe('EmptyError');
    expect(timedOut).toEqual(['EmptyError', 'EmptyError']);
    expect(await exitOf(child)).toBe(0);
    expect(q.empty()).toBe(true);
  });
});
