// Queues owned by the test process and used from a child process: a
// JoinableQueue's join() waits for the child's taskDone() calls, and a
// bounded Queue holds back a child's put until the test process makes room.
import { EmptyError, JoinableQueue, Queue } from '@multiprocessing/all';
import type * as Fx from '../../fixtures/cross-process/queues.mjs';
import { endChildren, exitOf, fixture, spawn, WAIT_S } from './helpers.js';

const fx = fixture<typeof Fx>('queues.mjs');

afterEach(endChildren);

describe('a JoinableQueue drained by a child', () => {
  it('resolves join() once the child marked every item done, and not before', async () => {
    const n = 50;
    const jq = new JoinableQueue<number>();
    const status = new Queue<[string, number]>();
    const go = new Queue<unknown>();
    for (let i = 0; i < n; i++) await jq.put(i);
    const child = spawn(fx('drainJoinable'), [jq, n, status, go]);
    await expect(status.get({ timeout: WAIT_S })).resolves.toEqual(['almost', (n * (n - 1)) / 2]);
    expect(jq.empty()).toBe(true);
    // One item got but not yet marked done.
    await expect(jq.join(0.3)).resolves.toBe(false);
    await go.put('done');
    await expect(jq.join(WAIT_S)).resolves.toBe(true);
    expect(await exitOf(child)).toBe(0);
  });
});

describe('a bounded Queue (maxsize 2) filled by a child', () => {
  it("blocks the child's put until the test process gets an item", async () => {
    const q = new Queue<number>({ maxsize: 2 });
    const status = new Queue<string[]>();
    const child = spawn(fx('fillBounded'), [q, status]);
    const next = (): Promise<string[]> => status.get({ timeout: WAIT_S });
    await expect(next()).resolves.toEqual(['putNowait', 'FullError']);
    await expect(next()).resolves.toEqual(['put timeout', 'FullError']);
    await expect(next()).resolves.toEqual(['blocking']);
    expect(q.full()).toBe(true);
    // The put of 2 waits for room.
    await expect(status.get({ timeout: 0.5 })).rejects.toBeInstanceOf(EmptyError);
    expect(q.qsize()).toBe(2);
    await expect(q.get({ timeout: WAIT_S })).resolves.toBe(0);
    await expect(next()).resolves.toEqual(['put 2 returned']);
    await expect(status.get({ timeout: 0.5 })).rejects.toBeInstanceOf(EmptyError);
    expect(q.qsize()).toBe(2);
    await expect(q.get({ timeout: WAIT_S })).resolves.toBe(1);
    await expect(next()).resolves.toEqual(['put 3 returned']);
    await expect(q.get({ timeout: WAIT_S })).resolves.toBe(2);
    await expect(q.get({ timeout: WAIT_S })).resolves.toBe(3);
    expect(await exitOf(child)).toBe(0);
    expect(q.empty()).toBe(true);
  });
});

describe('a child that ends with process.exit() right after streaming its puts', () => {
  it('has delivered every item by the time it has exited', async () => {
    const n = 2000;
    const q = new Queue<number>();
    const child = spawn(fx('putThenExit'), [q, n]);
    expect(await exitOf(child)).toBe(0);
    expect(q.qsize()).toBe(n);
    const got: number[] = [];
    for (let i = 0; i < n; i++) got.push(q.getNowait());
    expect(got).toEqual(Array.from({ length: n }, (_, i) => i));
  });
});
