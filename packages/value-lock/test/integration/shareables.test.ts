import { decode, encode, PicklingError } from '@multiprocessing/core';
import { fromPostable, toPostable } from '@multiprocessing/core/internal';
import { Barrier, Condition, Event, Lock, RawValue, SharedArray, Value } from '@multiprocessing/value-lock';
import { start, terminateAll } from '../helpers.js';

afterEach(terminateAll);

function shared() {
  return {
    value: new Value('i', 5),
    arr: new SharedArray('h', [1, 2, 3]),
    raw: new RawValue('d', 0.5),
    big: new Value('Q', 2n ** 62n, { lock: new Lock() }),
  };
}

describe('shareables reach a worker as live views', () => {
  it.each([
    ['core postable wire', false],
    ['core byte codec', true],
  ])('a write on either side is seen on the other (%s)', async (_name, bytes) => {
    const s = shared();
    const w = start('write', s, { bytes });
    const r = await w.next();
    expect(r.seen).toEqual({ value: 5, arr: [1, 2, 3], raw: 0.5, big: 2n ** 62n });
    expect(r.hasLock).toBe(true);
    expect(r.lockName).toBe('RLock');
    expect(s.value.value).toBe(15);
    expect(s.arr.toArray()).toEqual([42, 2, -7]);
    expect(s.raw.value).toBe(2.5);
    expect(s.big.value).toBe(2n ** 63n);
  });

  it('a Value keeps the given lock across the wire', () => {
    const lock = new Lock();
    const v = new Value('i', 1, { lock });
    const back = decode(encode(v)) as Value<'i'>;
    lock.acquireSync();
    expect(back.getLock().acquireSync({ block: false })).toBe(false);
    lock.release();
    expect(back.getLock()).toBeInstanceOf(Lock);
  });

  it('every primitive survives postable and codec round trips within a thread', () => {
    const items = {
      lock: new Lock(),
      event: new Event(),
      cond: new Condition(),
      barrier: new Barrier(2, { timeout: 5 }),
    };
    const viaBytes = decode(encode(items)) as typeof items;
    const p = toPostable(items, 'items');
    const viaPost = fromPostable(structuredClone(p.value)) as typeof items;
    for (const copy of [viaBytes, viaPost]) {
      copy.event.set();
      expect(items.event.isSet()).toBe(true);
      items.event.clear();
      copy.lock.acquireSync();
      expect(items.lock.locked()).toBe(true);
      items.lock.release();
      expect(copy.barrier.parties).toBe(2);
      expect(copy.cond.getLock().constructor.name).toBe('RLock');
    }
  });

  it('refuses to send shared memory to a child process', () => {
    expect(() => toPostable({ v: new Value('i', 0) }, 'args', { crossProcess: true })).toThrow(PicklingError);
  });
});
