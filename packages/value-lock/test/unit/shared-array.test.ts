import { Lock } from '../../src/lock.js';
import { RLock } from '../../src/rlock.js';
import { RawArray, SharedArray } from '../../src/shared-array.js';

describe('parity: multiprocessing.Array', () => {
  it('makes a zero-filled array from a size, or copies a sequence', () => {
    const zeros = new SharedArray('i', 4);
    expect(zeros.length).toBe(4);
    expect(zeros.toArray()).toEqual([0, 0, 0, 0]);
    const arr = new SharedArray('d', [1.5, 2.5, 3.5]);
    expect(arr.toArray()).toEqual([1.5, 2.5, 3.5]);
    expect(new SharedArray('i', new Set([1, 2])).toArray()).toEqual([1, 2]);
    expect(new SharedArray('b', new Int8Array([1, -1])).toArray()).toEqual([1, -1]);
    expect(arr.getLock()).toBeInstanceOf(RLock);
    expect(arr.typecode).toBe('d');
  });

  it('reads and writes by index, negative indexes from the end', () => {
    const arr = new SharedArray('i', [1, 2, 3]);
    arr[0] = 10;
    arr[-1] = 30;
    expect(arr[0]).toBe(10);
    expect(arr[2]).toBe(30);
    expect(arr[-2]).toBe(2);
    arr[1]! += 5;
    expect([...arr]).toEqual([10, 7, 30]);
    expect(0 in arr).toBe(true);
    expect(3 in arr).toBe(false);
    expect(Object.keys(arr).slice(0, 3)).toEqual(['0', '1', '2']);
    expect(arr.slice(1)).toEqual([7, 30]);
  });

  it('throws RangeError for an index out of range', () => {
    const arr = new SharedArray('i', 3);
    expect(() => arr[3]).toThrow(RangeError);
    expect(() => arr[-4]).toThrow(RangeError);
    expect(() => {
      arr[10] = 1;
    }).toThrow(/invalid index/);
  });

  it('wraps, refuses non-integers and holds bigints like Value', () => {
    const bytes = new RawArray('B', [256, -1]);
    expect(bytes.toArray()).toEqual([0, 255]);
    expect(() => new SharedArray('i', [1.5])).toThrow(TypeError);
    const arr = new SharedArray('i', 2);
    expect(() => {
      arr[0] = 0.5;
    }).toThrow('int expected instead of float');
    const big = new SharedArray('q', [1, 2n ** 63n]);
    expect(big.toArray()).toEqual([1n, -(2n ** 63n)]);
    big[0] = 7n;
    expect(big[0]).toBe(7n);
  });

  it('lock: false gives a RawArray; a given lock is used', async () => {
    const raw = new SharedArray('i', 2, { lock: false });
    expect(raw).toBeInstanceOf(RawArray);
    expect((raw as unknown as { getLock?: unknown }).getLock).toBeUndefined();
    const lock = new Lock();
    const arr = new SharedArray('i', [1], { lock });
    await arr.withLock(() => {
      expect(lock.locked()).toBe(true);
      arr[0]! += 1;
    });
    {
      await using held = await arr.hold();
      expect(held).toBeDefined();
      expect(lock.locked()).toBe(true);
    }
    expect(arr.toArray()).toEqual([2]);
    expect(arr.toString()).toBe("<SharedArray('i', [2])>");
  });

  it('rejects bad sizes and typecodes', () => {
    expect(() => new SharedArray('i', -1)).toThrow(RangeError);
    expect(() => new SharedArray('i', 1.5)).toThrow(TypeError);
    expect(() => new SharedArray('i', 'abc' as never)).toThrow(TypeError);
    expect(() => new SharedArray('z' as never, 3)).toThrow(new TypeError('this type has no size'));
  });

  it('gives a large array a buffer of its own', () => {
    const big = new RawArray('d', 100_000);
    big[99_999] = 1;
    expect(big[99_999]).toBe(1);
    expect(big.length).toBe(100_000);
  });
});
