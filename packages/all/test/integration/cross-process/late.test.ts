// Shared objects made after the workers that use them started: a Value and
// a Lock in the arguments of tasks of a Pool of 2 processes, and Values put
// on a queue for a child process that is already running.
import { getContext, Lock, Pool, Queue, Value } from '@multiprocessing/all';
import type * as Fx from '../../fixtures/cross-process/late.mjs';
import { endChildren, exitOf, fixture, spawn, within, WAIT_S } from './helpers.js';

const fx = fixture<typeof Fx>('late.mjs');

afterEach(endChildren);

describe("a Pool of 2 processes ('process' context)", () => {
  let pool: Pool;

  beforeEach(() => {
    pool = new Pool({ processes: 2, context: getContext('process') });
  });

  afterEach(async () => {
    await within(pool.terminate(), WAIT_S * 1000, 'pool.terminate()');
  });

  it('increments a Value made after its workers started, under a Lock, from apply and map arguments', async () => {
    const pids = await within(pool.map(fx('pidOf'), [1, 2, 3, 4]), WAIT_S * 1000, 'the warm-up map');
    expect(pids).not.toContain(process.pid);
    const v = new Value('i', 0);
    const lock = new Lock();
    const n = 100;
    const applied = await within(pool.apply(fx('addUnderLock'), [{ v, lock, n }]), WAIT_S * 1000, 'apply');
    expect(pids).toContain(applied);
    expect(v.value).toBe(n);
    const counters = Array.from({ length: 6 }, () => ({ v, lock, n }));
    const mapped = await within(pool.map(fx('addUnderLock'), counters), WAIT_S * 1000, 'map');
    expect(mapped.every((pid) => pids.includes(pid))).toBe(true);
    expect(v.value).toBe(7 * n);
    expect(lock.locked()).toBe(false);
  });
});

describe('a running child process', () => {
  it('increments Values made after it started and sent to it on a queue', async () => {
    const inbox = new Queue<{ v: Value<'i'>; n: number } | null>();
    const results = new Queue<unknown>();
    const child = spawn(fx('incrementLater'), [inbox, results]);
    await expect(results.get({ timeout: WAIT_S })).resolves.toBe('ready');
    const first = new Value('i', 10);
    await inbox.put({ v: first, n: 25 });
    await expect(results.get({ timeout: WAIT_S })).resolves.toBe(35);
    const second = new Value('i', -5);
    await inbox.put({ v: second, n: 5 });
    await inbox.put({ v: first, n: 1 });
    await expect(results.get({ timeout: WAIT_S })).resolves.toBe(0);
    await expect(results.get({ timeout: WAIT_S })).resolves.toBe(36);
    await inbox.put(null);
    expect(await exitOf(child)).toBe(0);
    expect([first.value, second.value]).toEqual([36, 0]);
  });
});
