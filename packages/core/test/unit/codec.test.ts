import { MessageChannel } from 'node:worker_threads';
import { PicklingError, decode, encode } from '../../src/index.js';
import { withEncoded } from '../../src/internal/index.js';

function roundTrip<T>(value: T): T {
  return decode(encode(value)) as T;
}

describe('codec: what structured clone carries', () => {
  it.each([
    ['a small int', 42],
    ['a negative int', -7],
    ['a float', 3.25],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['a large safe integer', 2 ** 52 + 1],
    ['a string', 'héllo wörld ✓'],
    ['true', true],
    ['false', false],
    ['null', null],
    ['undefined', undefined],
  ])('keeps %s', (_label, value) => {
    expect(Object.is(roundTrip(value), value)).toBe(true);
  });

  it('keeps -0, also inside arrays and objects', () => {
    expect(Object.is(roundTrip(-0), -0)).toBe(true);
    const back = roundTrip({ a: [1, -0] });
    expect(Object.is(back.a[1], -0)).toBe(true);
  });

  it('keeps bigint, including values beyond 64 bits', () => {
    expect(roundTrip(5n)).toBe(5n);
    expect(roundTrip(-5n)).toBe(-5n);
    expect(roundTrip(2n ** 63n - 1n)).toBe(2n ** 63n - 1n);
    expect(roundTrip(2n ** 100n)).toBe(2n ** 100n);
  });

  it('keeps undefined in arrays and objects, and turns holes into undefined', () => {
    // eslint-disable-next-line no-sparse-arrays
    const back = roundTrip([1, , undefined, 3]);
    expect(back).toEqual([1, undefined, undefined, 3]);
    expect(back).toHaveLength(4);
    expect(1 in back).toBe(true);
    const obj = roundTrip({ a: undefined, b: 1 });
    expect('a' in obj).toBe(true);
    expect(obj.a).toBeUndefined();
  });

  it('keeps plain objects and nested arrays', () => {
    const value = { name: 'Ada', born: 1815, tags: ['math', { nested: [1, 2, [3]] }] };
    expect(roundTrip(value)).toEqual(value);
  });

  it('keeps Map with any keys, nested', () => {
    const value = new Map<unknown, unknown>([
      [1, 'one'],
      ['k', new Map([['inner', -0]])],
      [2n, { a: 1 }],
    ]);
    const back = roundTrip(value);
    expect(back).toBeInstanceOf(Map);
    expect(back.get(1)).toBe('one');
    expect(back.get('k')).toBeInstanceOf(Map);
    expect(Object.is((back.get('k') as Map<string, number>).get('inner'), -0)).toBe(true);
    expect(back.get(2n)).toEqual({ a: 1 });
  });

  it('keeps Set, Date and RegExp', () => {
    const set = roundTrip(new Set([1, 'a', new Map([[1, 2]])]));
    expect(set).toBeInstanceOf(Set);
    expect([...set][2]).toBeInstanceOf(Map);
    const date = roundTrip(new Date(1_700_000_000_123));
    expect(date).toBeInstanceOf(Date);
    expect(date.getTime()).toBe(1_700_000_000_123);
    const re = roundTrip(/ab+c/gi);
    expect(re).toBeInstanceOf(RegExp);
    expect(re.source).toBe('ab+c');
    expect(re.flags).toBe('gi');
  });

  it.each([
    Int8Array,
    Uint8Array,
    Uint8ClampedArray,
    Int16Array,
    Uint16Array,
    Int32Array,
    Uint32Array,
    Float32Array,
    Float64Array,
  ])('keeps %p', (Ctor) => {
    const value = new Ctor([1, 2, 3, 127]);
    const back = roundTrip(value);
    expect(back.constructor).toBe(Ctor);
    expect(Array.from(back)).toEqual(Array.from(value));
  });

  it('keeps BigInt64Array and BigUint64Array', () => {
    expect(Array.from(roundTrip(new BigInt64Array([1n, -2n])))).toEqual([1n, -2n]);
    expect(Array.from(roundTrip(new BigUint64Array([2n ** 64n - 1n])))).toEqual([2n ** 64n - 1n]);
  });

  it('keeps ArrayBuffer and gives a Buffer back as a Uint8Array', () => {
    const ab = new Uint8Array([9, 8, 7]).buffer;
    const back = roundTrip(ab);
    expect(back).toBeInstanceOf(ArrayBuffer);
    expect(Array.from(new Uint8Array(back))).toEqual([9, 8, 7]);
    const buf = roundTrip(Buffer.from('hi'));
    expect(buf).toBeInstanceOf(Uint8Array);
    expect(Array.from(buf)).toEqual([104, 105]);
  });

  it('copies binary data out of the input bytes', () => {
    const bytes = encode(new Uint8Array([1, 2, 3])).slice();
    const back = decode(bytes) as Uint8Array;
    bytes.fill(0);
    expect(Array.from(back)).toEqual([1, 2, 3]);
  });

  it('keeps an 8 MB Float64Array', () => {
    const big = new Float64Array(1024 * 1024).map((_, i) => i / 3);
    const back = roundTrip(big);
    expect(back).toHaveLength(big.length);
    expect(back[12345]).toBe(big[12345]);
  });

  it('keeps errors with their class inside data', () => {
    const back = roundTrip({ failures: [new TypeError('bad')] });
    expect(back.failures[0]).toBeInstanceOf(TypeError);
    expect(back.failures[0]?.message).toBe('bad');
  });

  it('turns class instances into plain objects', () => {
    class Point {
      constructor(
        public x: number,
        public y: number,
      ) {}
      norm(): number {
        return Math.hypot(this.x, this.y);
      }
    }
    const back = roundTrip(new Point(3, 4)) as unknown;
    expect(back).toEqual({ x: 3, y: 4 });
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });

  it('returns separate buffers for successive encodes', () => {
    const a = encode({ x: 1 });
    const b = encode({ y: 2 });
    expect(decode(a)).toEqual({ x: 1 });
    expect(decode(b)).toEqual({ y: 2 });
  });
});

describe('codec: what cannot be sent', () => {
  it('refuses a function inside data with a PicklingError naming its path', () => {
    expect(() => encode({ handlers: [() => 1] }, 'item')).toThrow(PicklingError);
    expect(() => encode({ handlers: [function onDone() {}] }, 'item')).toThrow(
      /function onDone at item\.handlers\[0\] cannot be sent/,
    );
  });

  it('refuses a MessagePort', () => {
    const { port1, port2 } = new MessageChannel();
    try {
      expect(() => encode({ port: port1 })).toThrow(PicklingError);
    } finally {
      port1.close();
      port2.close();
    }
  });
});

describe('codec: the plain-data fast path', () => {
  it('still finds a Map, -0, a function or a foreign error deep inside plain containers', () => {
    const deep = { a: [{ b: { c: [1, 2, { d: new Map([[1, -0]]) }] } }] };
    const back = roundTrip(deep);
    const map = (back.a[0]!.b.c[2] as { d: Map<number, number> }).d;
    expect(map).toBeInstanceOf(Map);
    expect(Object.is(map.get(1), -0)).toBe(true);
    expect(() => encode({ a: [{ b: [() => 1] }] }, 'x')).toThrow(/at x\.a\[0\]\.b\[0\]/);
  });

  it('keeps class instances holding special values', () => {
    class Box {
      constructor(readonly inner: Map<string, number>) {}
    }
    const back = roundTrip(new Box(new Map([['k', 1]]))) as unknown as { inner: Map<string, number> };
    expect(back.inner).toBeInstanceOf(Map);
    expect(back.inner.get('k')).toBe(1);
  });
});

describe(withEncoded, () => {
  const item = (n: number): object => ({ n, text: 'x'.repeat(200) });

  it('hands the encoded bytes to the callback and returns its result', () => {
    const back = withEncoded(item(1), 'item', (bytes) => decode(new Uint8Array(bytes)));
    expect(back).toEqual(item(1));
    expect(() =>
      withEncoded(
        () => 1,
        'item',
        () => 0,
      ),
    ).toThrow(PicklingError);
  });

  it('lets the next value reuse the memory of bytes the callback is done with', () => {
    let where: [ArrayBufferLike, number] | undefined;
    withEncoded(item(1), 'item', (bytes) => {
      where = [bytes.buffer, bytes.byteOffset];
    });
    const next = encode(item(2));
    expect([next.buffer, next.byteOffset]).toEqual(where);
    expect(decode(next)).toEqual(item(2));
  });

  it('never reuses bytes that encode returned, nor ones encoded inside the callback', () => {
    const kept = encode(item(1));
    const keptCopy = Uint8Array.from(kept);
    let inner: Uint8Array | undefined;
    withEncoded(item(2), 'item', () => {
      inner = encode(item(3));
    });
    const innerCopy = Uint8Array.from(inner ?? []);
    // Larger than both, so writing over either start would reach the other.
    const large = { text: 'y'.repeat(1000) };
    withEncoded(large, 'item', () => undefined);
    encode(large);
    expect(Uint8Array.from(kept)).toEqual(keptCopy);
    expect(Uint8Array.from(inner ?? [])).toEqual(innerCopy);
    expect(decode(kept)).toEqual(item(1));
  });

  it('lets the next value reuse the memory when the callback throws', () => {
    let offset = -1;
    expect(() =>
      withEncoded(item(1), 'item', (bytes) => {
        offset = bytes.byteOffset;
        throw new RangeError('no room');
      }),
    ).toThrow(RangeError);
    expect(encode(item(2)).byteOffset).toBe(offset);
  });
});
