import { Lock } from '../../src/lock.js';
import { RLock } from '../../src/rlock.js';
import { RawValue, Value } from '../../src/value.js';

describe('parity: multiprocessing.Value', () => {
  it('holds a number with a default RLock', async () => {
    const v = new Value('i', 5);
    expect(v.value).toBe(5);
    expect(v.typecode).toBe('i');
    expect(v.getLock()).toBeInstanceOf(RLock);
    await v.withLock(() => {
      v.value += 1;
    });
    v.withLockSync(() => {
      v.value += 1;
    });
    {
      using held = v.holdSync();
      expect(held).toBeDefined();
      v.value *= 2;
    }
    expect(v.value).toBe(14);
    expect(v.toString()).toBe("<Value('i', 14)>");
    expect(new Value('d').value).toBe(0);
  });

  it('uses a given Lock, and lock: false gives a RawValue without getLock', () => {
    const lock = new Lock();
    const v = new Value('d', 1.5, { lock });
    expect(v.getLock()).toBe(lock);
    v.acquireSync();
    expect(lock.locked()).toBe(true);
    v.release();
    const raw = new Value('h', 3, { lock: false });
    expect(raw).toBeInstanceOf(RawValue);
    expect(raw).not.toBeInstanceOf(Value);
    expect((raw as unknown as { getLock?: unknown }).getLock).toBeUndefined();
    expect(() => new Value('i', 0, { lock: 'x' as never })).toThrow(/lock/);
  });

  it('wraps integers as ctypes does', () => {
    const cases: [string, number, number][] = [
      ['b', 128, -128],
      ['B', 256 + 7, 7],
      ['B', -1, 255],
      ['h', 32768, -32768],
      ['H', -1, 65535],
      ['i', 2 ** 31, -(2 ** 31)],
      ['I', -1, 2 ** 32 - 1],
    ];
    for (const [code, input, expected] of cases) {
      expect(new RawValue(code as 'i', input).value).toBe(expected);
    }
    const v = new RawValue('i', 0);
    v.value = 2 ** 32 + 5;
    expect(v.value).toBe(5);
    expect(() => {
      v.value = 3n as never;
    }).toThrow(TypeError);
    expect(v.value).toBe(5);
  });

  it('holds 64-bit typecodes as bigint and wraps them', () => {
    for (const code of ['l', 'q'] as const) {
      const v = new RawValue(code, 2n ** 63n);
      expect(v.value).toBe(-(2n ** 63n));
      v.value = 5;
      expect(v.value).toBe(5n);
    }
    for (const code of ['L', 'Q'] as const) {
      const v = new RawValue(code, -1n);
      expect(v.value).toBe(2n ** 64n - 1n);
    }
    expect(() => new RawValue('q', 1.5)).toThrow(TypeError);
  });

  it('refuses non-integers on integer typecodes and non-numbers on floats', () => {
    expect(() => new Value('i', 1.5)).toThrow(new TypeError('int expected instead of float'));
    const v = new RawValue('i', 0);
    expect(() => {
      v.value = '3' as never;
    }).toThrow(TypeError);
    expect(() => {
      v.value = NaN;
    }).toThrow(TypeError);
    const d = new RawValue('f', 0.5);
    d.value = 2;
    expect(d.value).toBe(2);
    expect(() => {
      d.value = 'x' as never;
    }).toThrow(new TypeError('must be real number, not string'));
    d.value = 0.1;
    expect(d.value).toBeCloseTo(0.1, 6);
  });

  it("rejects an unknown typecode with Python's message", () => {
    expect(() => new Value('x' as never, 0 as never)).toThrow(new TypeError('this type has no size'));
    expect(() => new RawValue('z' as never, 0 as never)).toThrow('this type has no size');
    expect(() => new Value(5 as never, 0 as never)).toThrow(TypeError);
  });

  it('packs several values into one arena chunk on separate lines', () => {
    const a = new RawValue('i', 1);
    const b = new RawValue('i', 2);
    a.value = 10;
    expect(b.value).toBe(2);
  });
});
