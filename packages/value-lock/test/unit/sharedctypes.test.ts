// sharedctypes.copy(), synchronized() and get_obj(): copies own their
// memory; a synchronized wrapper and get_obj() share it.
import {
  copy,
  Lock,
  RawArray,
  RawValue,
  RLock,
  SharedArray,
  synchronized,
  Value,
} from '@multiprocessing/value-lock';

describe('getObj()', () => {
  it('is a RawValue over the same memory as the Value', () => {
    const v = new Value('i', 1);
    const raw = v.getObj();
    expect(raw).toBeInstanceOf(RawValue);
    expect(raw).not.toBeInstanceOf(Value);
    raw.value = 5;
    expect(v.value).toBe(5);
    v.value = 7;
    expect(raw.value).toBe(7);
  });

  it('is a RawArray over the same memory as the SharedArray', () => {
    const arr = new SharedArray('d', [1, 2]);
    const raw = arr.getObj();
    expect(raw).toBeInstanceOf(RawArray);
    expect(raw).not.toBeInstanceOf(SharedArray);
    raw[1] = 2.5;
    expect(arr.toArray()).toEqual([1, 2.5]);
  });
});

describe('copy()', () => {
  it('makes an independent raw copy of a value or an array', () => {
    const v = new Value('q', 3n);
    const c = copy(v);
    expect(c).toBeInstanceOf(RawValue);
    expect(c).not.toBeInstanceOf(Value);
    expect(c.value).toBe(3n);
    c.value = 4n;
    expect(v.value).toBe(3n);
    const arr = new RawArray('b', [1, -1]);
    const ac = copy(arr);
    ac[0] = 9;
    expect([arr.toArray(), ac.toArray(), ac.typecode]).toEqual([[1, -1], [9, -1], 'b']);
  });

  it('refuses anything else, naming the argument', () => {
    expect(() => copy({} as never)).toThrow(
      new TypeError('obj must be a Value, RawValue, SharedArray or RawArray, got Object'),
    );
    expect(() => copy(null as never)).toThrow(TypeError);
  });
});

describe('synchronized()', () => {
  it('wraps a RawValue in a Value over the same memory, with a new RLock or the given lock', async () => {
    const raw = new RawValue('i', 0);
    const v = synchronized(raw);
    expect(v).toBeInstanceOf(Value);
    expect(v.getLock()).toBeInstanceOf(RLock);
    await v.withLock(() => {
      v.value += 2;
    });
    expect(raw.value).toBe(2);
    const lock = new Lock();
    const w = synchronized(raw, lock);
    expect(w.getLock()).toBe(lock);
    w.value = 9;
    expect(v.value).toBe(9);
  });

  it('wraps a RawArray in a SharedArray over the same memory', () => {
    const raw = new RawArray('i', 3);
    const arr = synchronized(raw);
    expect(arr).toBeInstanceOf(SharedArray);
    arr.withLockSync(() => {
      arr[2] = 4;
    });
    expect(raw.toArray()).toEqual([0, 0, 4]);
    expect(arr.length).toBe(3);
  });

  it('refuses what is not raw shared memory, or a bad lock', () => {
    expect(() => synchronized([1, 2] as never)).toThrow(
      new TypeError('obj must be a RawValue or RawArray, got Array'),
    );
    expect(() => synchronized(new RawValue('i'), {} as never)).toThrow(
      new TypeError('lock must be a Lock or an RLock, got Object'),
    );
  });
});
