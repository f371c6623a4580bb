import { StateError } from '@multiprocessing/core';
import { BoundedSemaphore, Semaphore } from '../../src/semaphore.js';

describe('parity: multiprocessing.Semaphore', () => {
  it('counts down on acquire and up on release, with no upper bound', async () => {
    const sem = new Semaphore(2);
    expect(sem.acquireSync()).toBe(true);
    await expect(sem.acquire()).resolves.toBe(true);
    expect(sem.getValue()).toBe(0);
    expect(sem.acquireSync({ block: false })).toBe(false);
    sem.release();
    sem.release();
    sem.release();
    expect(sem.getValue()).toBe(3);
    expect(sem.toString()).toBe('<Semaphore(value=3)>');
  });

  it('defaults to 1 and rejects bad initial values', () => {
    expect(new Semaphore().getValue()).toBe(1);
    expect(() => new Semaphore(-1)).toThrow(RangeError);
    expect(() => new Semaphore(1.5)).toThrow(TypeError);
    expect(() => new Semaphore('2' as never)).toThrow(/value/);
  });

  it('times out within loose bounds', async () => {
    const sem = new Semaphore(0);
    let t0 = performance.now();
    expect(sem.acquireSync({ timeout: 0.05 })).toBe(false);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    t0 = performance.now();
    await expect(sem.acquire({ timeout: 0.05 })).resolves.toBe(false);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('wakes one pending async acquire per release', async () => {
    const sem = new Semaphore(0);
    const results: boolean[] = [];
    const a = sem.acquire({ timeout: 10 }).then((ok) => results.push(ok));
    const b = sem.acquire({ timeout: 10 }).then((ok) => results.push(ok));
    sem.release();
    await Promise.race([a, b]);
    expect(results).toEqual([true]);
    sem.release();
    await Promise.all([a, b]);
    expect(results).toEqual([true, true]);
    expect(sem.getValue()).toBe(0);
  });
});

describe('parity: multiprocessing.BoundedSemaphore', () => {
  it('refuses to be released above its initial value', async () => {
    const sem = new BoundedSemaphore(2);
    expect(() => {
      sem.release();
    }).toThrow(new StateError('semaphore or lock released too many times'));
    sem.acquireSync();
    sem.release();
    await sem.withLock(() => {
      expect(sem.getValue()).toBe(1);
    });
    expect(sem.getValue()).toBe(2);
    expect(sem.toString()).toBe('<BoundedSemaphore(value=2, maxvalue=2)>');
    expect(sem).toBeInstanceOf(Semaphore);
  });
});
