// Barrier, Event and Condition owned by the test process, waited on and
// signalled from child processes (and the other way round), and waits from
// a child that time out.
import { Barrier, Condition, EmptyError, Event, Lock, Queue, Value } from '@multiprocessing/all';
import type * as Fx from '../../fixtures/cross-process/sync.mjs';
import { endChildren, exitOf, exitsOf, fixture, spawn, WAIT_S } from './helpers.js';

const fx = fixture<typeof Fx>('sync.mjs');

afterEach(endChildren);

describe('a Barrier of 3 processes', () => {
  it('holds the first two children until the third arrives, then gives them indexes 0, 1 and 2', async () => {
    const barrier = new Barrier(3);
    const results = new Queue<[string, number]>();
    const first = [
      spawn(fx('barrierWait'), [barrier, results]),
      spawn(fx('barrierWait'), [barrier, results]),
    ];
    const arrived = [await results.get({ timeout: WAIT_S }), await results.get({ timeout: WAIT_S })];
    expect(arrived.map(([what]) => what)).toEqual(['arrived', 'arrived']);
    // Two parties of three: nobody passes.
    await expect(results.get({ timeout: 0.5 })).rejects.toBeInstanceOf(EmptyError);
    const third = spawn(fx('barrierWait'), [barrier, results]);
    const rest: [string, number][] = [];
    for (let k = 0; k < 4; k++) rest.push(await results.get({ timeout: WAIT_S }));
    expect(rest.filter(([what]) => what === 'arrived')).toHaveLength(1);
    const indexes = rest.filter(([what]) => what === 'passed').map(([, index]) => index);
    expect(indexes.sort((x, y) => x - y)).toEqual([0, 1, 2]);
    expect(await exitsOf([...first, third])).toEqual([0, 0, 0]);
    expect(barrier.nWaiting).toBe(0);
    expect(barrier.broken).toBe(false);
  });
});

describe('an Event', () => {
  it("wakes a child's wait when the test process sets it, and the test process's when the child sets one", async () => {
    const event = new Event();
    const done = new Event();
    const results = new Queue<[string, boolean]>();
    const child = spawn(fx('eventWaiter'), [event, done, results]);
    await expect(results.get({ timeout: WAIT_S })).resolves.toEqual(['timed out', false]);
    expect(done.isSet()).toBe(false);
    event.set();
    await expect(results.get({ timeout: WAIT_S })).resolves.toEqual(['woken', true]);
    await expect(done.wait(WAIT_S)).resolves.toBe(true);
    expect(await exitOf(child)).toBe(0);
  });
});

describe('a Condition', () => {
  it("wakes a child's wait on notify from the test process", async () => {
    const cond = new Condition();
    const flag = new Value('i', 0);
    const results = new Queue<unknown>();
    const child = spawn(fx('conditionWaiter'), [cond, flag, results]);
    await expect(results.get({ timeout: WAIT_S })).resolves.toBe('holding');
    // The child holds the lock until its wait gives it up.
    await expect(cond.acquire({ timeout: WAIT_S })).resolves.toBe(true);
    flag.value = 1;
    cond.notify();
    cond.release();
    await expect(results.get({ timeout: WAIT_S })).resolves.toEqual([true, 1]);
    expect(await exitOf(child)).toBe(0);
  });

  it("wakes the test process's wait on notifyAll from a child", async () => {
    const cond = new Condition();
    const flag = new Value('i', 0);
    await cond.acquire();
    const child = spawn(fx('conditionNotifier'), [cond, flag]);
    // The child can take the lock only once this wait has released it.
    await expect(cond.wait(WAIT_S)).resolves.toBe(true);
    expect(flag.value).toBe(2);
    cond.release();
    expect(await exitOf(child)).toBe(0);
  });
});

describe('timeouts in a child', () => {
  it('end a get on an empty queue with EmptyError and an acquire of a held lock with false', async () => {
    const q = new Queue<unknown>();
    const lock = new Lock();
    const results = new Queue<Fx.Timeouts>();
    await lock.acquire();
    const child = spawn(fx('timeouts'), [q, lock, results]);
    await expect(results.get({ timeout: WAIT_S })).resolves.toEqual({
      getSync: ['EmptyError', true],
      get: ['EmptyError', true],
      getNowait: ['EmptyError', true],
      acquire: false,
      acquireSync: false,
      acquireNoBlock: false,
    });
    expect(await exitOf(child)).toBe(0);
    expect(lock.locked()).toBe(true);
    lock.release();
  });
});
