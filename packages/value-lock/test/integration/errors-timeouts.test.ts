import { Event, Lock, RLock, Semaphore, StateError } from '@multiprocessing/value-lock';
import { start, terminateAll, within } from '../helpers.js';

afterEach(terminateAll);

describe('parity: multiprocessing.RLock ownership', () => {
  it('a thread that does not own the RLock cannot release it', async () => {
    const lock = new RLock();
    const held = new Event();
    const release = new Event();
    const holder = start('hold', { lock, held, release });
    expect(await held.wait(20)).toBe(true);
    expect(() => {
      lock.release();
    }).toThrow(new StateError('attempt to release recursive lock not owned by thread'));
    const other = start('try-release', { lock });
    expect(await other.next()).toEqual({
      error: 'StateError',
      message: 'attempt to release recursive lock not owned by thread',
    });
    release.set();
    expect(await holder.next()).toEqual({ done: true });
  });

  it('a plain Lock may be released by another thread, as in Python', async () => {
    const lock = new Lock();
    lock.acquireSync();
    const other = start('try-release', { lock });
    expect(await other.next()).toEqual({});
    expect(lock.locked()).toBe(false);
    const again = start('try-release', { lock });
    expect(await again.next()).toEqual({
      error: 'StateError',
      message: 'semaphore or lock released too many times',
    });
  });
});

describe('timeouts across threads', () => {
  it('Lock.acquireSync({timeout}) in a worker gives up while another thread holds it', async () => {
    const lock = new Lock();
    await within(lock.acquire(), 20_000, 'lock.acquire()');
    const w = start('acquire-timeout', { lock, timeout: 0.2 });
    const r = await w.next();
    expect(r.ok).toBe(false);
    expect(r.elapsed).toBeGreaterThanOrEqual(190);
    expect(r.elapsed).toBeLessThan(5000);
    lock.release();
  });

  it('Semaphore.acquireSync({timeout}) in a worker returns false at 0', async () => {
    const sem = new Semaphore(0);
    const w = start('sem-acquire', { sem, timeout: 0.15 });
    const r = await w.next();
    expect(r.ok).toBe(false);
    expect(r.elapsed).toBeGreaterThanOrEqual(140);
    expect(r.elapsed).toBeLessThan(5000);
  });

  it('Event.waitSync(timeout) in a worker returns false when nobody sets it', async () => {
    const event = new Event();
    const w = start('event-wait', { event, timeout: 0.15 });
    const r = await w.next();
    expect(r.ok).toBe(false);
    expect(r.elapsed).toBeGreaterThanOrEqual(140);
    expect(r.elapsed).toBeLessThan(5000);
  });

  it('a worker blocked forever in waitSync is terminated cleanly', async () => {
    const event = new Event();
    const w = start('wait-forever', { event });
    expect(await w.next()).toEqual({ started: true });
    await within(w.worker.terminate(), 20_000, 'terminating a worker blocked in waitSync');
  });
});
