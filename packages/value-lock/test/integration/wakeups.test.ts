import { Barrier, Condition, Event, Lock, Semaphore, Value } from '@multiprocessing/value-lock';
import { collect, grace, start, terminateAll, within } from '../helpers.js';

afterEach(terminateAll);

describe('parity: multiprocessing.Condition.notify', () => {
  it.each([
    ['an RLock', () => new Condition()],
    ['a Lock', () => new Condition(new Lock())],
  ])(
    'notify(n) wakes exactly n of 4 waiting threads and notifyAll the rest (with %s)',
    async (_name, make) => {
      const cond = make();
      const ready = new Semaphore(0);
      const woken = new Value('i', 0, { lock: false });
      const workers = Array.from({ length: 4 }, () =>
        start('cond-wait', { cond, ready, woken, timeout: 30 }),
      );
      for (let i = 0; i < 4; i++) expect(await ready.acquire({ timeout: 20 })).toBe(true);
      // Each waiter released `ready` while holding the lock and gives it up only
      // inside wait(), so once we hold it, all four are registered.
      await within(cond.acquire(), 20_000, 'cond.acquire()');
      expect(cond.toString()).toMatch(/, 4\)>$/);
      cond.notify(1);
      expect(cond.toString()).toMatch(/, 3\)>$/);
      cond.release();
      const replies = collect(workers);
      expect(await replies.until(1)).toEqual([{ woke: true }]);
      await grace(100);
      expect(woken.value).toBe(1);

      await within(cond.acquire(), 20_000, 'cond.acquire()');
      cond.notify(2);
      cond.release();
      await replies.until(3);
      await grace(100);
      expect(woken.value).toBe(3);

      await within(cond.acquire(), 20_000, 'cond.acquire()');
      cond.notifyAll();
      cond.release();
      const all = await replies.until(4);
      expect(all).toEqual([{ woke: true }, { woke: true }, { woke: true }, { woke: true }]);
      expect(woken.value).toBe(4);
    },
  );

  it('waitFor returns once a worker makes the predicate true', async () => {
    const cond = new Condition();
    const items = new Value('i', 0, { lock: false });
    const waiter = start('cond-wait-for', { cond, items });
    for (let i = 0; i < 3; i++) {
      const w = start('cond-notify', { cond, n: 'all', items });
      expect(await w.next()).toEqual({ done: true });
    }
    expect(await waiter.next()).toEqual({ got: true, seen: 3 });
  });
});

describe('parity: multiprocessing.Barrier', () => {
  it('releases 3 threads together with distinct indexes, after running the action once', async () => {
    const log = new Value('i', 0);
    const barrier = new Barrier(3, {
      action: () => {
        (globalThis as unknown as { barrierLog: { value: number } }).barrierLog.value += 1;
      },
    });
    const workers = Array.from({ length: 3 }, () => start('barrier', { barrier, timeout: 30, log }));
    const results = await Promise.all(workers.map((w) => w.next()));
    expect(results.map((r) => r.index).sort()).toEqual([0, 1, 2]);
    // Every party saw the action's effect: it ran before anyone was released.
    expect(results.map((r) => r.log)).toEqual([1, 1, 1]);
    expect(log.value).toBe(1);
    expect(barrier.broken).toBe(false);
    expect(barrier.nWaiting).toBe(0);
  });

  it('the main thread and a worker pass a barrier together, twice', async () => {
    const barrier = new Barrier(2);
    for (let round = 0; round < 2; round++) {
      const a = start('barrier', { barrier, timeout: 30 });
      const index = await barrier.wait(30);
      expect((await a.next()).index).toBe(1 - index);
    }
  });

  it('abort() wakes every waiting thread with BrokenBarrierError', async () => {
    const barrier = new Barrier(4);
    const workers = Array.from({ length: 3 }, () => start('barrier', { barrier, timeout: 30 }));
    // Poll (bounded) until all three are inside wait().
    for (let i = 0; i < 2000 && barrier.nWaiting < 3; i++) await grace(5);
    expect(barrier.nWaiting).toBe(3);
    barrier.abort();
    const results = await Promise.all(workers.map((w) => w.next()));
    for (const r of results)
      expect(r).toEqual({ error: 'BrokenBarrierError', code: 'ERR_MP_BROKEN_BARRIER' });
    expect(barrier.broken).toBe(true);
    barrier.reset();
    expect(barrier.broken).toBe(false);
  });

  it('a timeout breaks the barrier for every waiter', async () => {
    const barrier = new Barrier(3);
    const a = start('barrier', { barrier, timeout: 30 });
    const b = start('barrier', { barrier, timeout: 0.2 });
    const results = [await a.next(), await b.next()];
    for (const r of results) expect(r.error).toBe('BrokenBarrierError');
    expect(barrier.broken).toBe(true);
  });
});

describe('parity: multiprocessing.Event and Semaphore across threads', () => {
  it('set() wakes every thread waiting on the event', async () => {
    const event = new Event();
    const ready = new Semaphore(0);
    const workers = Array.from({ length: 3 }, () => start('event-wait', { event, timeout: 30, ready }));
    for (let i = 0; i < 3; i++) expect(await ready.acquire({ timeout: 20 })).toBe(true);
    event.set();
    for (const r of await Promise.all(workers.map((w) => w.next()))) expect(r.ok).toBe(true);
  });

  it('each release() lets exactly one waiting thread through', async () => {
    const sem = new Semaphore(0);
    const workers = Array.from({ length: 3 }, () => start('sem-acquire', { sem, timeout: 30 }));
    const replies = collect(workers);
    sem.release();
    expect((await replies.until(1))[0]?.ok).toBe(true);
    await grace(100);
    expect(replies.messages).toHaveLength(1);
    expect(sem.getValue()).toBe(0);
    sem.release();
    sem.release();
    const all = await replies.until(3);
    expect(all.map((r) => r.ok)).toEqual([true, true, true]);
    expect(sem.getValue()).toBe(0);
  });
});
