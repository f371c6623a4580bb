import { Barrier, Condition, Event, Lock, RLock, Semaphore } from '@multiprocessing/value-lock';
import { start, terminateAll, within } from '../helpers.js';

afterEach(terminateAll);

describe('async forms never block the event loop', () => {
  it.each([
    ['Lock', () => new Lock()],
    ['RLock', () => new RLock()],
    ['Semaphore', () => new Semaphore(1)],
  ])(
    'acquire() on the main thread while a worker holds the %s lets a setInterval tick',
    async (_name, make) => {
      const lock = make();
      const held = new Event();
      const release = new Event();
      const w = start('hold', { lock, held, release });
      expect(await held.wait(20)).toBe(true);
      let ticks = 0;
      const interval = setInterval(() => {
        ticks += 1;
        if (ticks === 5) release.set();
      }, 5);
      try {
        const acquired = lock.acquire({ timeout: 30 });
        expect(await acquired).toBe(true);
        expect(ticks).toBeGreaterThanOrEqual(5);
        lock.release();
      } finally {
        clearInterval(interval);
      }
      expect(await w.next()).toEqual({ done: true });
    },
  );

  it('Event.wait and Barrier.wait on the main thread let timers run', async () => {
    const event = new Event();
    const barrier = new Barrier(2);
    let ticks = 0;
    const interval = setInterval(() => {
      ticks += 1;
      if (ticks === 3) event.set();
    }, 5);
    try {
      expect(await event.wait(30)).toBe(true);
      const w = start('barrier', { barrier, timeout: 30 });
      const index = await barrier.wait(30);
      expect([0, 1]).toContain(index);
      expect(await w.next()).toEqual({ index: 1 - index });
    } finally {
      clearInterval(interval);
    }
  });

  it('Condition.wait on the main thread is woken by a worker and timers keep running', async () => {
    const cond = new Condition();
    let ticks = 0;
    const interval = setInterval(() => {
      ticks += 1;
    }, 1);
    try {
      await within(cond.acquire(), 20_000, 'cond.acquire()');
      const waiting = cond.wait(30);
      const w = start('cond-notify', { cond, n: 1 });
      expect(await waiting).toBe(true);
      expect(cond.getLock().toString()).toBe('<RLock(MainProcess, 1)>');
      cond.release();
      expect(await w.next()).toEqual({ done: true });
      expect(ticks).toBeGreaterThan(0);
    } finally {
      clearInterval(interval);
    }
  });
});
