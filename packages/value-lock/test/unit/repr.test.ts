import { inspect } from 'node:util';
import { Barrier } from '../../src/barrier.js';
import { Condition } from '../../src/condition.js';
import { Event } from '../../src/event.js';
import { Lock } from '../../src/lock.js';
import { RLock } from '../../src/rlock.js';
import { BoundedSemaphore, Semaphore } from '../../src/semaphore.js';
import { RawArray, SharedArray } from '../../src/shared-array.js';
import { RawValue, Value } from '../../src/value.js';

/** util.inspect and String() give the same one-line text. */
function shows(x: { toString(): string }, text: string): void {
  expect(inspect(x)).toBe(text);
  expect(String(x)).toBe(text);
}

describe('repr: value-lock classes', () => {
  it('Lock: owner None when free, this process when held here', () => {
    const lock = new Lock();
    shows(lock, '<Lock(owner=None)>');
    lock.acquireSync();
    shows(lock, '<Lock(owner=MainProcess)>');
    lock.release();
    shows(lock, '<Lock(owner=None)>');
  });

  it('RLock: owner and recursion count', () => {
    const rlock = new RLock();
    shows(rlock, '<RLock(None, 0)>');
    rlock.acquireSync();
    rlock.acquireSync();
    shows(rlock, '<RLock(MainProcess, 2)>');
    rlock.release();
    rlock.release();
    shows(rlock, '<RLock(None, 0)>');
  });

  it('Semaphore and BoundedSemaphore: value, and maxvalue for the bounded one', () => {
    const sem = new Semaphore(3);
    shows(sem, '<Semaphore(value=3)>');
    sem.acquireSync();
    shows(sem, '<Semaphore(value=2)>');
    const bounded = new BoundedSemaphore(3);
    bounded.acquireSync();
    shows(bounded, '<BoundedSemaphore(value=2, maxvalue=3)>');
  });

  it('Condition: its lock and the number of waiters', () => {
    shows(new Condition(), '<Condition(<RLock(None, 0)>, 0)>');
    const cond = new Condition(new Lock());
    cond.acquireSync();
    shows(cond, '<Condition(<Lock(owner=MainProcess)>, 0)>');
    cond.release();
  });

  it('Event: set or unset', () => {
    const event = new Event();
    shows(event, '<Event unset>');
    event.set();
    shows(event, '<Event set>');
  });

  it('Barrier: parties, waiting parties and broken', async () => {
    const barrier = new Barrier(3);
    shows(barrier, '<Barrier parties=3 n_waiting=0 broken=false>');
    const waiting = barrier.wait(5);
    shows(barrier, '<Barrier parties=3 n_waiting=1 broken=false>');
    barrier.abort();
    await expect(waiting).rejects.toThrow();
    shows(barrier, '<Barrier parties=3 n_waiting=0 broken=true>');
  });

  it('Value and RawValue: typecode and value, floats with a decimal point', () => {
    const v = new Value('i', 42);
    shows(v, "<Value('i', 42)>");
    v.value = -7;
    shows(v, "<Value('i', -7)>");
    shows(new Value('d', 1), "<Value('d', 1.0)>");
    shows(new RawValue('d', 2.5), "<RawValue('d', 2.5)>");
    shows(new RawValue('q', 2n ** 40n), "<RawValue('q', 1099511627776)>");
    shows(new Value('i', 1, { lock: false }), "<RawValue('i', 1)>");
  });

  it('SharedArray and RawArray: at most ten elements, then ...', () => {
    shows(new SharedArray('d', [1, 2]), "<SharedArray('d', [1.0, 2.0])>");
    shows(new RawArray('i', []), "<RawArray('i', [])>");
    const long = new SharedArray(
      'i',
      Array.from({ length: 12 }, (_, i) => i),
    );
    shows(long, "<SharedArray('i', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ...])>");
    shows(new RawArray('d', [Number.NaN, -Infinity, 0.5]), "<RawArray('d', [nan, -inf, 0.5])>");
  });
});
