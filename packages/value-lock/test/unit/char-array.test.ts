// Arrays of typecode 'c' (Python's c_char arrays): value up to the first
// NUL, raw as every byte; CPython's test_sharedctypes string checks adapted.
import { RawArray, SharedArray, Value } from '@multiprocessing/value-lock';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

describe("typecode 'c'", () => {
  it('value stops at the first NUL and writes one after a shorter value; raw is every byte', () => {
    const string = new SharedArray('c', 20);
    expect(dec(string.value)).toBe('');
    string.value = enc('hello');
    expect(dec(string.value)).toBe('hello');
    string.value = enc('hellohello'); // Python: string.value *= 2
    expect(dec(string.value)).toBe('hellohello');
    string.value = enc('hi');
    expect(dec(string.value)).toBe('hi');
    expect([...string.raw.subarray(0, 6)]).toEqual([104, 105, 0, 108, 111, 104]);
    expect(string.raw).toHaveLength(20);
    string.raw = enc('HELLO');
    expect(dec(string.value)).toBe('HELLOhello');
    expect(string[0]).toBe(72);
    string[1] = 0;
    expect(dec(string.value)).toBe('H');
  });

  it('fills the whole array without a NUL when the value is as long as it, and refuses a longer one', () => {
    const arr = new RawArray('c', enc('abc'));
    arr.value = enc('xyz');
    expect(dec(arr.value)).toBe('xyz');
    expect(() => {
      arr.value = enc('wxyz');
    }).toThrow(new RangeError('byte string too long: 4 bytes for an array of 3'));
    expect(() => {
      arr.raw = enc('wxyz');
    }).toThrow(RangeError);
    expect(dec(arr.value)).toBe('xyz');
    expect(() => {
      arr.value = 'xyz' as unknown as Uint8Array;
    }).toThrow(TypeError);
  });

  it('hands out copies, and belongs to arrays of c only', () => {
    const arr = new SharedArray('c', enc('ab'));
    const v = arr.value;
    v[0] = 120;
    expect(dec(arr.value)).toBe('ab');
    const ints = new SharedArray('i', 2);
    expect(() => ints.value).toThrow(new TypeError("value belongs to arrays of typecode 'c', not 'i'"));
    expect(() => ints.raw).toThrow(TypeError);
    expect(new Value('c', 120).value).toBe(120);
  });
});
