import {
  AcquirerProxy,
  DictProxy,
  ListProxy,
  Manager,
  SetProxy,
  type SyncManager,
} from '@multiprocessing/manager';
import { rejection, within } from './helpers.js';

describe('Manager() factories', () => {
  let manager: SyncManager;
  beforeAll(async () => {
    manager = await within(Manager(), 20_000, 'Manager()');
  });
  afterAll(async () => {
    await within(manager.shutdown(), 20_000, 'manager.shutdown()');
  });

  it('serves a dict with the explicit proxy names', async () => {
    const d = await manager.dict({ a: 1 });
    expect(d).toBeInstanceOf(DictProxy);
    await d.set('b', [1, 2]);
    expect(await d.get('a')).toBe(1);
    expect(await d.get('missing')).toBeUndefined();
    expect(await d.get('missing', 'dflt')).toBe('dflt');
    expect(await d.has('b')).toBe(true);
    expect(await d.length()).toBe(2);
    expect(await d.keys()).toEqual(['a', 'b']);
    expect(await d.values()).toEqual([1, [1, 2]]);
    expect(await d.items()).toEqual([
      ['a', 1],
      ['b', [1, 2]],
    ]);
    await d.update({ c: 3 });
    expect(await d.pop('c')).toBe(3);
    const err = await rejection(d.pop('c'));
    expect(err.name).toBe('RangeError');
    await d.delete('a');
    expect(await d.toObject()).toEqual({ b: [1, 2] });
    await d.clear();
    expect(await d.length()).toBe(0);
  });

  it('returns copies: a nested plain object changes only when written back', async () => {
    const d = await manager.dict<string, { x: number }>({ inner: { x: 0 } });
    const copy = await d.get('inner');
    copy!.x = 1;
    expect(await d.get('inner')).toEqual({ x: 0 });
    await d.set('inner', copy!);
    expect(await d.get('inner')).toEqual({ x: 1 });
  });

  it('keeps nested proxies live', async () => {
    const outer = await manager.dict();
    const inner = await manager.list<number>([1]);
    await outer.set('inner', inner);
    const again = (await outer.get('inner')) as ListProxy<number>;
    expect(again).toBeInstanceOf(ListProxy);
    await again.append(2);
    expect(await inner.toArray()).toEqual([1, 2]);
  });

  it("serves a set (Python 3.14's SyncManager.set) with Python's semantics and messages", async () => {
    const s = await manager.set<number | bigint>([1, 2, 3]);
    expect(s).toBeInstanceOf(SetProxy);
    await s.add(4);
    await s.add(1n);
    await s.discard(2);
    expect(await s.has(4)).toBe(true);
    expect(await s.length()).toBe(3);
    expect(await s.union([5], new Set([6]))).toEqual(new Set([1, 3, 4, 5, 6]));
    expect(await s.intersection([3, 4, 7])).toEqual(new Set([3, 4]));
    expect(await s.difference([1])).toEqual(new Set([3, 4]));
    expect(await s.symmetricDifference([4, 8])).toEqual(new Set([1, 3, 8]));
    expect(await s.isSubsetOf([1, 3, 4, 9])).toBe(true);
    expect(await s.isSupersetOf(new Set([1, 3]))).toBe(true);
    expect(await s.isDisjointFrom([2])).toBe(true);
    await s.update([10], [11]);
    await s.differenceUpdate([10]);
    await s.intersectionUpdate([1, 3, 11]);
    await s.symmetricDifferenceUpdate([3, 12]);
    expect((await s.toArray()).sort((a, b) => Number(a) - Number(b))).toEqual([1, 11, 12]);
    expect(await s.copy()).toEqual(new Set([1, 11, 12]));
    const missing = await rejection(s.remove(99));
    expect([missing.name, missing.message]).toEqual(['RangeError', '99 is not in set']);
    const unhashable = await rejection(s.add([1] as never));
    expect([unhashable.name, unhashable.message]).toEqual(['TypeError', "unhashable type: 'list'"]);
    await s.clear();
    expect((await rejection(s.pop())).message).toBe('pop from an empty set');
    const fromIterable = await manager.set<string>(new Map([['a', 1]]).keys());
    expect(await fromIterable.toArray()).toEqual(['a']);
  });

  it("serves a list with Python's semantics and messages", async () => {
    const l = await manager.list([3, 10, 1]);
    await l.append(2);
    await l.extend(new Set([20]));
    await l.insert(0, 0);
    await l.sort();
    expect(await l.toArray()).toEqual([0, 1, 2, 3, 10, 20]);
    await l.sort({ reverse: true });
    expect(await l.slice(0, 2)).toEqual([20, 10]);
    expect(await l.get(-1)).toBe(0);
    await l.set(0, 'x');
    expect(await l.index('x')).toBe(0);
    expect(await l.count(3)).toBe(1);
    await l.remove(3);
    expect(await l.pop()).toBe(0);
    expect(await l.pop(0)).toBe('x');
    await l.reverse();
    expect(await l.toArray()).toEqual([1, 2, 10]);
    expect(await l.length()).toBe(3);
    const outOfRange = await rejection(l.get(10));
    expect([outOfRange.name, outOfRange.message]).toEqual(['RangeError', 'list index out of range']);
    expect((await rejection(l.set(10, 0))).message).toBe('list assignment index out of range');
    expect((await rejection(l.index(99))).message).toBe('99 is not in list');
    const empty = await manager.list();
    expect((await rejection(empty.pop())).message).toBe('pop from empty list');
  });

  it('serves Namespace, Value and Array', async () => {
    const ns = await manager.Namespace({ x: 1 });
    await ns.set('y', 'two');
    expect(await ns.get('x')).toBe(1);
    expect(await ns.has('y')).toBe(true);
    await ns.delete('x');
    expect(await ns.toObject()).toEqual({ y: 'two' });
    const v = await manager.Value('d', 1.5);
    await v.set(2.5);
    expect(await v.get()).toBe(2.5);
    const arr = await manager.Array('i', [1, 2, 3]);
    await arr.set(1, 20);
    expect(await arr.get(1)).toBe(20);
    expect(await arr.length()).toBe(3);
    expect(await arr.toArray()).toEqual([1, 20, 3]);
    expect((await rejection(arr.get(5))).message).toBe('array index out of range');
  });

  it('serves Lock, RLock, Semaphore and BoundedSemaphore', async () => {
    const lock = await manager.Lock();
    expect(lock).toBeInstanceOf(AcquirerProxy);
    expect(await within(lock.acquire(), 20_000, 'lock.acquire()')).toBe(true);
    expect(await lock.acquire({ block: false })).toBe(false);
    expect(await lock.acquire({ timeout: 0.02 })).toBe(false);
    await lock.release();
    const err = await rejection(lock.release());
    expect([err.name, err.message]).toEqual(['StateError', 'release unlocked lock']);
    {
      await using held = await lock.hold();
      expect(held).toBeDefined();
      expect(await lock.acquire({ block: false })).toBe(false);
    }
    expect(await lock.withLock(() => 5)).toBe(5);

    const rlock = await manager.RLock();
    expect(await within(rlock.acquire(), 20_000, 'rlock.acquire()')).toBe(true);
    expect(await within(rlock.acquire(), 20_000, 'rlock.acquire()')).toBe(true);
    await rlock.release();
    await rlock.release();
    expect((await rejection(rlock.release())).message).toBe('cannot release un-acquired lock');

    const sem = await manager.Semaphore(2);
    expect(await within(sem.acquire(), 20_000, 'sem.acquire()')).toBe(true);
    expect(await within(sem.acquire(), 20_000, 'sem.acquire()')).toBe(true);
    expect(await sem.acquire({ timeout: 0 })).toBe(false);
    await sem.release();
    const bounded = await manager.BoundedSemaphore(1);
    expect((await rejection(bounded.release())).message).toBe('Semaphore released too many times');
  });

  it('serves Condition, Event and Barrier', async () => {
    const cond = await manager.Condition();
    await within(cond.acquire(), 20_000, 'cond.acquire()');
    expect(await cond.wait(0.01)).toBe(false);
    await cond.notifyAll();
    await cond.release();
    expect((await rejection(cond.notify())).message).toBe('cannot notify on un-acquired lock');

    const lock = await manager.Lock();
    const overLock = await manager.Condition(lock);
    await within(overLock.acquire(), 20_000, 'overLock.acquire()');
    expect(await lock.acquire({ block: false })).toBe(false);
    await overLock.release();

    const ev = await manager.Event();
    expect(await ev.isSet()).toBe(false);
    const waiting = ev.wait(10);
    await ev.set();
    expect(await within(waiting, 5000, 'ev.wait(10) woken by set()')).toBe(true);
    await ev.clear();
    expect(await ev.wait(0.01)).toBe(false);

    const barrier = await manager.Barrier(2);
    expect(await barrier.parties()).toBe(2);
    const both = await within(Promise.all([barrier.wait(), barrier.wait()]), 5000, 'two barrier.wait()');
    expect(both.sort()).toEqual([0, 1]);
    const lonely = await rejection(barrier.wait(0.02));
    expect(lonely.name).toBe('BrokenBarrierError');
    expect(await barrier.broken()).toBe(true);
    await barrier.reset();
    expect(await barrier.nWaiting()).toBe(0);

    // As Python's wait(timeout=None): null takes the barrier's own timeout.
    const timed = await manager.Barrier(2, { timeout: 0.02 });
    expect((await rejection(within(timed.wait(null), 5000, 'timed.wait(null)'))).name).toBe(
      'BrokenBarrierError',
    );
  });

  it('serves Queue and JoinableQueue with blocking gets and puts', async () => {
    const q = await manager.Queue<string>(1);
    await q.put('a');
    expect(await q.full()).toBe(true);
    expect((await rejection(q.putNowait('b'))).name).toBe('FullError');
    expect((await rejection(q.put('b', { timeout: 0.02 }))).name).toBe('FullError');
    expect(await q.qsize()).toBe(1);
    expect(await within(q.get(), 20_000, 'q.get()')).toBe('a');
    expect(await q.empty()).toBe(true);
    expect((await rejection(q.getNowait())).name).toBe('EmptyError');
    const pending = q.get({ timeout: 10 });
    await q.put('late');
    expect(await within(pending, 5000, 'q.get({timeout: 10}) woken by put()')).toBe('late');

    const jq = await manager.JoinableQueue<number>();
    await jq.put(1);
    const joined = jq.join();
    expect(await within(jq.get(), 20_000, 'jq.get()')).toBe(1);
    await jq.taskDone();
    await within(joined, 5000, 'jq.join() after taskDone()');
    expect((await rejection(jq.taskDone())).message).toBe('task_done() called too many times');
  });

  it('pipelines many calls on one connection', async () => {
    const d = await manager.dict<string, number>();
    await within(
      Promise.all(Array.from({ length: 500 }, (_, i) => d.set(`k${String(i)}`, i))),
      20_000,
      '500 concurrent d.set()',
    );
    const values = await within(
      Promise.all(Array.from({ length: 500 }, (_, i) => d.get(`k${String(i)}`))),
      20_000,
      '500 concurrent d.get()',
    );
    expect(values).toEqual([...Array(500).keys()]);
  });

  it('refuses a method that is not exposed with RemoteError', async () => {
    const l = await manager.list();
    const err = await rejection(l._callMethod('__proto__'));
    expect(err.name).toBe('RemoteError');
    expect(err.message).toMatch(/not in exposed/);
  });

  it('refuses a function argument on the caller side with PicklingError', async () => {
    const l = await manager.list();
    const err = await rejection(l.append(() => 1));
    expect(err.name).toBe('PicklingError');
    expect(err.message).toMatch(/args\[0\]/);
  });
});

describe('Manager lifecycle', () => {
  it('rejects calls promptly with EOFError after shutdown, and shutdown is idempotent', async () => {
    const manager = await within(Manager(), 20_000, 'Manager()');
    const d = await manager.dict();
    const q = await manager.Queue();
    const pending = q.get();
    await within(manager.shutdown(), 20_000, 'manager.shutdown()');
    await within(manager.shutdown(), 20_000, 'manager.shutdown()');
    expect((await rejection(pending, 5000)).name).toBe('EOFError');
    expect((await rejection(d.get('x'), 5000)).name).toBe('EOFError');
    expect((await rejection(manager.dict())).message).toBe('Manager has shut down');
  });

  it('shuts down with await using', async () => {
    let proxy: DictProxy | undefined;
    {
      await using manager = await within(Manager(), 20_000, 'Manager()');
      proxy = await manager.dict();
      await proxy.set('a', 1);
    }
    expect((await rejection(proxy.get('a'), 5000)).name).toBe('EOFError');
  });

  it('throws Already started server on a second start()', async () => {
    const manager = await within(Manager(), 20_000, 'Manager()');
    try {
      expect((await rejection(manager.start())).message).toBe('Already started server');
    } finally {
      await within(manager.shutdown(), 20_000, 'manager.shutdown()');
    }
  });
});
