import { StateError } from '@multiprocessing/core';
import {
  futexWait,
  futexWaitSync,
  futexWake,
  mutexLock,
  mutexLockSync,
  mutexTryLock,
  mutexUnlock,
} from '../../src/internal/futex.js';
import { keepAliveCount } from '../../src/internal/keep-alive.js';

function word(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(16));
}

describe('mutex', () => {
  it('walks the 0/1/2 state table from one thread', () => {
    const w = word();
    expect(mutexTryLock(w, 1)).toBe(true);
    expect(w[1]).toBe(1);
    expect(mutexTryLock(w, 1)).toBe(false);
    // A timed-out locker marks the word contended.
    expect(mutexLockSync(w, 1, 0)).toBe(false);
    expect(w[1]).toBe(2);
    mutexUnlock(w, 1);
    expect(w[1]).toBe(0);
    expect(mutexLockSync(w, 1)).toBe(true);
    expect(w[1]).toBe(1);
    mutexUnlock(w, 1);
    expect(w[1]).toBe(0);
  });

  it('throws StateError when unlocking an unlocked mutex', () => {
    const w = word();
    expect(() => {
      mutexUnlock(w, 0);
    }).toThrow(new StateError('semaphore or lock released too many times'));
  });

  it('times out within loose bounds (sync and async)', async () => {
    const w = word();
    mutexTryLock(w, 0);
    let t0 = performance.now();
    expect(mutexLockSync(w, 0, 50)).toBe(false);
    let elapsed = performance.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(45);
    expect(elapsed).toBeLessThan(2000);
    t0 = performance.now();
    await expect(mutexLock(w, 0, 50)).resolves.toBe(false);
    elapsed = performance.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(45);
    expect(elapsed).toBeLessThan(2000);
    expect(keepAliveCount()).toBe(0);
  });

  it('hands the mutex to an async waiter on unlock', async () => {
    const w = word();
    mutexTryLock(w, 0);
    const p = mutexLock(w, 0);
    expect(keepAliveCount()).toBe(1);
    mutexUnlock(w, 0);
    await expect(p).resolves.toBe(true);
    expect(keepAliveCount()).toBe(0);
    expect(w[0]).not.toBe(0);
    mutexUnlock(w, 0);
    expect(w[0]).toBe(0);
  });

  it('resolves at once when free or when the timeout is 0', async () => {
    const w = word();
    await expect(mutexLock(w, 0, 0)).resolves.toBe(true);
    await expect(mutexLock(w, 0, 0)).resolves.toBe(false);
  });
});

describe('futex wait and wake', () => {
  it('returns not-equal when the word differs', async () => {
    const w = word();
    expect(futexWaitSync(w, 0, 1, 10)).toBe('not-equal');
    await expect(futexWait(w, 0, 1, 10)).resolves.toBe('not-equal');
  });

  it('times out', async () => {
    const w = word();
    expect(futexWaitSync(w, 0, 0, 5)).toBe('timed-out');
    await expect(futexWait(w, 0, 0, 5)).resolves.toBe('timed-out');
    expect(keepAliveCount()).toBe(0);
  });

  it('wakes a pending async waiter and reports the count', async () => {
    const w = word();
    const p = futexWait(w, 0, 0);
    expect(futexWake(w, 0, 1)).toBe(1);
    await expect(p).resolves.toBe('ok');
    expect(futexWake(w, 0)).toBe(0);
  });
});
