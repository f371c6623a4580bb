import { StateError, TimeoutError } from '@multiprocessing/core';
import { Lock } from '../../src/lock.js';
import { RLock } from '../../src/rlock.js';

describe('parity: multiprocessing.Lock', () => {
  it('walks unlocked → locked → unlocked', async () => {
    const lock = new Lock();
    expect(lock.locked()).toBe(false);
    expect(lock.toString()).toBe('<Lock(owner=None)>');
    expect(lock.acquireSync()).toBe(true);
    expect(lock.locked()).toBe(true);
    expect(lock.toString()).toBe('<Lock(owner=MainProcess)>');
    expect(lock.acquireSync({ block: false })).toBe(false);
    await expect(lock.acquire({ block: false })).resolves.toBe(false);
    lock.release();
    await expect(lock.acquire()).resolves.toBe(true);
    lock.release();
    expect(lock.locked()).toBe(false);
  });

  it("throws Python's message when released unlocked", () => {
    const lock = new Lock();
    expect(() => {
      lock.release();
    }).toThrow(new StateError('semaphore or lock released too many times'));
    try {
      lock.release();
    } catch (err) {
      expect((err as StateError).code).toBe('ERR_MP_STATE');
    }
  });

  it('times out within loose bounds; a negative timeout means 0', async () => {
    const lock = new Lock();
    lock.acquireSync();
    let t0 = performance.now();
    expect(lock.acquireSync({ timeout: 0.1 })).toBe(false);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(95);
    t0 = performance.now();
    await expect(lock.acquire({ timeout: 0.1 })).resolves.toBe(false);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(95);
    expect(performance.now() - t0).toBeLessThan(3000);
    t0 = performance.now();
    expect(lock.acquireSync({ timeout: -1 })).toBe(false);
    expect(performance.now() - t0).toBeLessThan(50);
    lock.release();
  });

  it('hands itself to a pending async acquire on release', async () => {
    const lock = new Lock();
    await lock.acquire();
    const order: string[] = [];
    const second = lock.acquire().then((ok) => {
      order.push('second');
      return ok;
    });
    order.push('release');
    lock.release();
    await expect(second).resolves.toBe(true);
    expect(order).toEqual(['release', 'second']);
    lock.release();
  });

  it('rejects bad options naming them', async () => {
    const lock = new Lock();
    expect(() => lock.acquireSync({ timeout: 'x' as never })).toThrow(/timeout/);
    expect(() => lock.acquireSync({ block: 1 as never })).toThrow(TypeError);
    await expect(lock.acquire({ timeout: 'x' as never })).rejects.toThrow(TypeError);
    expect(() => lock.acquireSync(null as never)).toThrow(/options/);
  });

  it('supports using, await using and withLock', async () => {
    const lock = new Lock();
    {
      using held = lock.holdSync();
      expect(held).toBeDefined();
      expect(lock.locked()).toBe(true);
    }
    expect(lock.locked()).toBe(false);
    {
      await using held = await lock.hold();
      expect(held).toBeDefined();
      expect(lock.locked()).toBe(true);
    }
    expect(lock.locked()).toBe(false);
    await expect(lock.withLock(() => (lock.locked() ? 'in' : 'out'))).resolves.toBe('in');
    await expect(
      lock.withLock(async () => {
        await Promise.resolve();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(lock.locked()).toBe(false);
    expect(lock.withLockSync(() => 7)).toBe(7);
    lock.acquireSync();
    expect(() => lock.holdSync({ timeout: 0 })).toThrow(TimeoutError);
    await expect(lock.hold({ timeout: 0.01 })).rejects.toThrow(TimeoutError);
    lock.release();
  });

  it('releases a held handle only once', () => {
    const lock = new Lock();
    const held = lock.holdSync();
    held.release();
    held[Symbol.dispose]();
    expect(lock.locked()).toBe(false);
  });
});

describe('parity: multiprocessing.RLock', () => {
  it('is re-entrant for the owning thread and counts levels', async () => {
    const rlock = new RLock();
    expect(rlock.toString()).toBe('<RLock(None, 0)>');
    expect(rlock.acquireSync()).toBe(true);
    expect(rlock.acquireSync({ block: false })).toBe(true);
    await expect(rlock.acquire()).resolves.toBe(true);
    expect(rlock.toString()).toBe('<RLock(MainProcess, 3)>');
    rlock.release();
    rlock.release();
    expect(rlock.locked()).toBe(true);
    rlock.release();
    expect(rlock.locked()).toBe(false);
    expect(rlock.toString()).toBe('<RLock(None, 0)>');
  });

  it("throws Python's message when released while not owned", () => {
    const rlock = new RLock();
    expect(() => {
      rlock.release();
    }).toThrow(new StateError('attempt to release recursive lock not owned by thread'));
  });

  it('scoped forms nest', async () => {
    const rlock = new RLock();
    await rlock.withLock(() =>
      rlock.withLock(() => {
        using inner = rlock.holdSync();
        expect(inner).toBeDefined();
        expect(rlock.toString()).toBe('<RLock(MainProcess, 3)>');
      }),
    );
    expect(rlock.locked()).toBe(false);
  });
});
