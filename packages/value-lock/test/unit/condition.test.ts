import { StateError } from '@multiprocessing/core';
import { Condition } from '../../src/condition.js';
import { Lock } from '../../src/lock.js';
import { RLock } from '../../src/rlock.js';

function grace(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('parity: multiprocessing.Condition', () => {
  it('uses an RLock by default, or the lock it is given', () => {
    expect(new Condition().getLock()).toBeInstanceOf(RLock);
    const lock = new Lock();
    expect(new Condition(lock).getLock()).toBe(lock);
    expect(() => new Condition({} as never)).toThrow(/lock/);
  });

  it("throws Python's messages when used without the lock", async () => {
    const cond = new Condition();
    expect(() => cond.waitSync(0)).toThrow(new StateError('must acquire() condition before using wait()'));
    await expect(cond.wait(0)).rejects.toThrow('must acquire() condition before using wait()');
    expect(() => {
      cond.notify();
    }).toThrow(new StateError('lock is not owned'));
    expect(() => {
      cond.notifyAll();
    }).toThrow(new StateError('lock is not owned'));
    const plain = new Condition(new Lock());
    expect(() => plain.waitSync(0)).toThrow(StateError);
  });

  it('times out with false and keeps the lock, with its recursion level', async () => {
    const cond = new Condition();
    cond.acquireSync();
    cond.acquireSync();
    const t0 = performance.now();
    expect(cond.waitSync(0.05)).toBe(false);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    await expect(cond.wait(0.05)).resolves.toBe(false);
    expect(cond.getLock().toString()).toBe('<RLock(MainProcess, 2)>');
    cond.release();
    cond.release();
    expect((cond.getLock() as RLock).locked()).toBe(false);
  });

  it('notify(n) wakes exactly n async waiters, notifyAll the rest', async () => {
    const cond = new Condition(new Lock());
    let woken = 0;
    const waiter = async (): Promise<boolean> => {
      await cond.acquire();
      try {
        const ok = await cond.wait(10);
        woken += 1;
        return ok;
      } finally {
        cond.release();
      }
    };
    const waits = [waiter(), waiter(), waiter()];
    // Each waiter registered and gave the lock up inside wait() before we get it.
    await cond.acquire();
    await cond.acquire({ block: false }); // not re-entrant: still false, no throw
    expect(cond.toString()).toMatch(/, 3\)>$/);
    cond.notify(1);
    cond.release();
    await grace(50);
    expect(woken).toBe(1);
    await cond.withLock(() => {
      cond.notifyAll();
    });
    await expect(Promise.all(waits)).resolves.toEqual([true, true, true]);
    expect(woken).toBe(3);
  });

  it('notify with nobody waiting is a no-op', () => {
    const cond = new Condition();
    cond.withLockSync(() => {
      cond.notify(5);
      cond.notifyAll();
    });
    expect(cond.toString()).toBe('<Condition(<RLock(None, 0)>, 0)>');
    expect(() => {
      cond.withLockSync(() => {
        cond.notify(-1);
      });
    }).toThrow(RangeError);
  });

  it("waitFor returns the predicate's value, at once or after a timeout", async () => {
    const cond = new Condition();
    let ready = 0;
    await cond.acquire();
    await expect(cond.waitFor(() => 'now')).resolves.toBe('now');
    await expect(cond.waitFor(() => ready, 0.05)).resolves.toBe(0);
    expect(cond.waitForSync(() => ready > 0, 0.02)).toBe(false);
    const pending = cond.waitFor(() => ready, 10);
    await cond.acquire();
    ready = 7;
    cond.notifyAll();
    cond.release();
    await expect(pending).resolves.toBe(7);
    cond.release();
  });
});
