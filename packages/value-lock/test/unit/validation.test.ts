import { Barrier } from '../../src/barrier.js';
import { RawArray, SharedArray } from '../../src/shared-array.js';
import { RawValue, Value } from '../../src/value.js';

const numbersOnly = (code: string): string =>
  ` (typecode '${code}' holds numbers; the 64-bit typecodes l L q Q hold bigints)`;

describe('parity: multiprocessing.Value and Array, a bigint on a typecode that holds numbers', () => {
  it.each([
    ['Value', () => new Value('i', 2n as never)],
    ['RawValue', () => new RawValue('b', 2n as never)],
    ['SharedArray', () => new SharedArray('H', [1, 2n] as never)],
    ['RawArray', () => new RawArray('I', [2n] as never)],
  ])('%s of an integer typecode refuses 2n with TypeError', (_name, make) => {
    expect(make).toThrow(TypeError);
  });

  it('names the typecode in the message', () => {
    expect(() => new Value('i', 2n as never)).toThrow(
      new TypeError(`int expected instead of bigint${numbersOnly('i')}`),
    );
    expect(() => new RawArray('I', [2n] as never)).toThrow(
      new TypeError(`int expected instead of bigint${numbersOnly('I')}`),
    );
  });

  it('refuses a bigint on a float typecode with Python\'s "must be real number"', () => {
    expect(() => new RawValue('d', 2n as never)).toThrow(
      new TypeError(`must be real number, not bigint${numbersOnly('d')}`),
    );
    expect(() => new SharedArray('f', [2n] as never)).toThrow(
      new TypeError(`must be real number, not bigint${numbersOnly('f')}`),
    );
  });

  it('refuses it on .value = and on an element set, and keeps the old value', () => {
    const v = new Value('h', 7);
    expect(() => {
      v.value = 2n as never;
    }).toThrow(new TypeError(`int expected instead of bigint${numbersOnly('h')}`));
    expect(v.value).toBe(7);
    const raw = new RawValue('d', 0.5);
    expect(() => {
      raw.value = 2n as never;
    }).toThrow(new TypeError(`must be real number, not bigint${numbersOnly('d')}`));
    expect(raw.value).toBe(0.5);
    const arr = new SharedArray('i', [1, 2]);
    expect(() => {
      arr[1] = 2n as never;
    }).toThrow(new TypeError(`int expected instead of bigint${numbersOnly('i')}`));
    const rawArr = new RawArray('B', 2);
    expect(() => {
      rawArr[0] = 1n as never;
    }).toThrow(new TypeError(`int expected instead of bigint${numbersOnly('B')}`));
    expect(arr.toArray()).toEqual([1, 2]);
    expect(rawArr.toArray()).toEqual([0, 0]);
  });
});

describe('parity: ctypes integers wrap (c_longlong(2**70).value == 0)', () => {
  it('a bigint wider than 64 bits wraps on the 64-bit typecodes, as ctypes masks it', () => {
    expect(new Value('q', 2n ** 70n).value).toBe(0n);
    expect(new RawValue('Q', 2n ** 70n + 5n).value).toBe(5n);
    expect(new RawValue('l', 2n ** 64n - 1n).value).toBe(-1n);
    expect(new SharedArray('q', [2n ** 70n, -(2n ** 64n) - 3n]).toArray()).toEqual([0n, -3n]);
    const v = new RawValue('L', 0n);
    v.value = -(2n ** 65n) - 1n;
    expect(v.value).toBe(2n ** 64n - 1n);
    const arr = new RawArray('Q', 1);
    arr[0] = 2n ** 100n + 9n;
    expect(arr[0]).toBe(9n);
  });

  it('an integral number on a 64-bit typecode is exact, and wraps the same way', () => {
    expect(new RawValue('q', 2 ** 70).value).toBe(0n);
    expect(new RawValue('Q', -1).value).toBe(2n ** 64n - 1n);
    expect(new RawValue('q', 2 ** 53 + 2).value).toBe(2n ** 53n + 2n);
  });
});

describe('parity: threading.Barrier parties', () => {
  it("below 1: Python's message", () => {
    expect(() => new Barrier(0)).toThrow(new RangeError('parties must be >= 1, got 0'));
  });

  it('above the 32-bit count: names the bound', () => {
    expect(() => new Barrier(1e12)).toThrow(
      new RangeError('parties must be <= 2147483647 (the count is a 32-bit word), got 1000000000000'),
    );
    expect(() => new Barrier(2 ** 31)).toThrow(RangeError);
    expect(new Barrier(2 ** 31 - 1).parties).toBe(2 ** 31 - 1);
  });
});
