import { withCaller, type Caller } from '../../src/internal/caller.js';
import {
  ArrayReferent,
  DictReferent,
  ListReferent,
  NamespaceReferent,
} from '../../src/internal/referents.js';
import {
  BarrierReferent,
  BoundedSemaphoreReferent,
  ConditionReferent,
  EventReferent,
  JoinableQueueReferent,
  LockReferent,
  QueueReferent,
  RLockReferent,
} from '../../src/internal/sync-referents.js';

function caller(id: number): Caller & { close(): void } {
  const ac = new AbortController();
  return {
    id,
    signal: ac.signal,
    close: () => {
      ac.abort();
    },
  };
}

describe('DictReferent', () => {
  it('mirrors dict: get with default, pop, popitem, setdefault, update', () => {
    const d = new DictReferent({ a: 1 });
    expect(d.get('a')).toBe(1);
    expect(d.get('x')).toBeUndefined();
    expect(d.get('x', 7)).toBe(7);
    d.update([['b', 2]]);
    d.update(new Map([[3, 'three']]));
    expect(d.keys()).toEqual(['a', 'b', 3]);
    expect(d.pop('zz', null)).toBeNull();
    expect(() => d.pop('zz')).toThrow("key 'zz' is not in dict");
    expect(() => {
      d.delete('zz');
    }).toThrow(RangeError);
    expect(d.popitem()).toEqual([3, 'three']);
    expect(d.setdefault('c', 5)).toBe(5);
    expect(d.toObject()).toEqual({ a: 1, b: 2, c: 5 });
  });
});

describe('ListReferent', () => {
  it("raises Python's messages", () => {
    const l = new ListReferent([1, 2]);
    expect(() => l.get(5)).toThrow('list index out of range');
    expect(() => {
      l.set(-3, 0);
    }).toThrow('list assignment index out of range');
    expect(() => {
      l.remove(9);
    }).toThrow('list.remove(x): x not in list');
    expect(() => l.index('q')).toThrow("'q' is not in list");
    expect(() => new ListReferent().pop()).toThrow('pop from empty list');
  });

  it('supports negative indices, insert clamping, slices and value equality', () => {
    const l = new ListReferent([{ a: 1 }, 2, 3]);
    expect(l.get(-1)).toBe(3);
    l.insert(100, 4);
    l.insert(-100, 0);
    expect(l.toArray()).toEqual([0, { a: 1 }, 2, 3, 4]);
    expect(l.index({ a: 1 })).toBe(1);
    expect(l.count({ a: 1 })).toBe(1);
    expect(l.slice(-2)).toEqual([3, 4]);
    expect(l.pop(1)).toEqual({ a: 1 });
  });

  it('sorts stably, numbers numerically, with reverse', () => {
    const l = new ListReferent([10, 9, 100, 1]);
    l.sort();
    expect(l.toArray()).toEqual([1, 9, 10, 100]);
    l.sort({ reverse: true });
    expect(l.toArray()).toEqual([100, 10, 9, 1]);
    const pairs = new ListReferent([
      [1, 'b'],
      [0, 'z'],
      [1, 'a'],
    ]);
    pairs.sort();
    expect(pairs.toArray()).toEqual([
      [0, 'z'],
      [1, 'a'],
      [1, 'b'],
    ]);
  });
});

describe('NamespaceReferent and ArrayReferent', () => {
  it('keeps attributes and typed elements', () => {
    const ns = new NamespaceReferent({ x: 1 });
    ns.set('y', 2);
    expect(ns.toObject()).toEqual({ x: 1, y: 2 });
    ns.delete('x');
    expect(ns.has('x')).toBe(false);
    const arr = new ArrayReferent('i', [1, 2, 3]);
    arr.set(0, 2 ** 31);
    expect(arr.toArray()).toEqual([-(2 ** 31), 2, 3]);
    expect(() => {
      arr.set(1, 1.5);
    }).toThrow('integer argument expected, got float');
    expect(() => arr.get(3)).toThrow('array index out of range');
    expect(new ArrayReferent('q', 2).toArray()).toEqual([0n, 0n]);
    expect(() => new ArrayReferent('z', [])).toThrow(/bad typecode/);
  });
});

describe('LockReferent and RLockReferent', () => {
  it('hands a Lock to the next waiter and times out', async () => {
    const lock = new LockReferent();
    const a = caller(1);
    const b = caller(2);
    expect(withCaller(a, () => lock.acquire())).toBe(true);
    expect(withCaller(b, () => lock.acquire({ block: false }))).toBe(false);
    await expect(withCaller(b, () => lock.acquire({ timeout: 0.01 }))).resolves.toBe(false);
    const waiting = withCaller(b, () => lock.acquire());
    lock.release();
    await expect(waiting).resolves.toBe(true);
    lock.release();
    expect(() => {
      lock.release();
    }).toThrow('release unlocked lock');
  });

  it('skips a waiter whose connection closed', async () => {
    const lock = new LockReferent();
    const a = caller(1);
    const gone = caller(2);
    const c = caller(3);
    void withCaller(a, () => lock.acquire());
    const lost = withCaller(gone, () => lock.acquire());
    const next = withCaller(c, () => lock.acquire());
    gone.close();
    await expect(lost).resolves.toBe(false);
    withCaller(a, () => {
      lock.release();
    });
    await expect(next).resolves.toBe(true);
  });

  it('lets only the owning connection release an RLock', () => {
    const rlock = new RLockReferent();
    const a = caller(1);
    const b = caller(2);
    withCaller(a, () => {
      void rlock.acquire();
      void rlock.acquire();
    });
    expect(() => {
      withCaller(b, () => {
        rlock.release();
      });
    }).toThrow('cannot release un-acquired lock');
    withCaller(a, () => {
      rlock.release();
      rlock.release();
    });
    expect(rlock.locked()).toBe(false);
  });

  it('refuses to over-release a BoundedSemaphore', () => {
    const sem = new BoundedSemaphoreReferent(1);
    expect(() => {
      sem.release();
    }).toThrow('Semaphore released too many times');
  });
});

describe('ConditionReferent, EventReferent, BarrierReferent', () => {
  it('waits and is notified', async () => {
    const cond = new ConditionReferent();
    const a = caller(1);
    const b = caller(2);
    await expect(withCaller(a, () => cond.wait())).rejects.toThrow('cannot wait on un-acquired lock');
    void withCaller(a, () => cond.acquire());
    const waiting = withCaller(a, () => cond.wait(5));
    await withCaller(b, () => cond.acquire());
    withCaller(b, () => {
      cond.notify();
      cond.release();
    });
    await expect(waiting).resolves.toBe(true);
    withCaller(a, () => {
      cond.release();
    });
    expect(() => {
      withCaller(b, () => {
        cond.notify();
      });
    }).toThrow('cannot notify on un-acquired lock');
  });

  it('sets an Event for every waiter', async () => {
    const ev = new EventReferent();
    const w = withCaller(caller(1), () => ev.wait(5));
    expect(ev.wait(0)).toBe(false);
    ev.set();
    await expect(w).resolves.toBe(true);
  });

  it('releases a Barrier with indices and breaks on timeout', async () => {
    const barrier = new BarrierReferent(2);
    const first = withCaller(caller(1), () => barrier.wait());
    const second = withCaller(caller(2), () => barrier.wait());
    expect(second).toBe(1);
    await expect(first).resolves.toBe(0);
    const lonely = withCaller(caller(1), () => barrier.wait(0.01));
    await expect(lonely).rejects.toMatchObject({ name: 'BrokenBarrierError' });
    expect(barrier.broken()).toBe(true);
    expect(() => barrier.wait()).toThrow();
    barrier.reset();
    expect(barrier.broken()).toBe(false);
  });
});

describe('QueueReferent', () => {
  it('blocks puts on a full queue and gets on an empty one', async () => {
    const q = new QueueReferent(1);
    const a = caller(1);
    void q.put('a');
    expect(q.full()).toBe(true);
    expect(() => q.put('b', { block: false })).toThrow(expect.objectContaining({ name: 'FullError' }));
    const waitingPut = withCaller(a, () => q.put('b', { timeout: 5 }));
    expect(q.get()).toBe('a');
    await waitingPut;
    expect(q.get()).toBe('b');
    expect(() => q.getNowait()).toThrow(expect.objectContaining({ name: 'EmptyError' }));
    await expect(withCaller(a, () => q.get({ timeout: 0.01 }) as Promise<unknown>)).rejects.toMatchObject({
      name: 'EmptyError',
    });
  });

  it('counts unfinished tasks of a JoinableQueue', async () => {
    const q = new JoinableQueueReferent();
    void q.put(1);
    const joined = withCaller(caller(1), () => q.join());
    q.get();
    q.taskDone();
    await joined;
    expect(() => {
      q.taskDone();
    }).toThrow('task_done() called too many times');
  });
});
