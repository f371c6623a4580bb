import { move } from '../../src/move.js';

/** move() called with arguments its types refuse. */
function bad(...args: unknown[]): unknown {
  return Reflect.apply(move, undefined, args);
}

describe('move() outside a pool worker', () => {
  it('returns the value itself and leaves its buffers alone', () => {
    const a = new Float64Array(8);
    expect(move(a)).toBe(a);
    const buffer = new ArrayBuffer(16);
    expect(move(buffer)).toBe(buffer);
    const view = new DataView(new ArrayBuffer(4));
    expect(move(view)).toBe(view);
    const value = { a, b: new Uint8Array(2) };
    expect(move(value, [a.buffer, value.b.buffer, a.buffer])).toBe(value);
    expect(move(value, [])).toBe(value);
    expect(a.byteLength).toBe(64);
    expect(buffer.byteLength).toBe(16);
    const empty = new ArrayBuffer(0);
    expect(move(empty)).toBe(empty);
  });

  it('refuses a value without a buffer when no transfer list is given', () => {
    expect(() => bad({ a: 1 })).toThrow(TypeError);
    expect(() => bad({ a: 1 })).toThrow(
      /value must be an ArrayBuffer, a typed array or a DataView .* got Object/,
    );
    expect(() => bad([1, 2])).toThrow(/got an array/);
    expect(() => bad(5)).toThrow(/got 5$/);
    expect(() => bad(null)).toThrow(/got null/);
    expect(() => bad(undefined)).toThrow(/got undefined/);
    expect(() => bad(new SharedArrayBuffer(8))).toThrow(/got a SharedArrayBuffer/);
    expect(() => bad(new Int32Array(new SharedArrayBuffer(8)))).toThrow(/SharedArrayBuffer, which is shared/);
  });

  it('refuses invalid transfer lists with a TypeError naming the item', () => {
    const a = new Float64Array(4);
    expect(() => bad({ a }, a.buffer)).toThrow(/transfer must be an array of ArrayBuffers, got ArrayBuffer/);
    expect(() => bad({ a }, null)).toThrow(/transfer must be an array of ArrayBuffers, got null/);
    expect(() => bad({ a }, 'x')).toThrow(/got the string 'x'/);
    expect(() => bad({ a }, [a])).toThrow(
      /transfer\[0\] must be an ArrayBuffer, got a Float64Array \(pass its \.buffer\)/,
    );
    expect(() => bad({ a }, [a.buffer, new SharedArrayBuffer(8)])).toThrow(
      /transfer\[1\] must be an ArrayBuffer, got a SharedArrayBuffer/,
    );
    expect(() => bad({ a }, [a.buffer, new MessageChannel().port1])).toThrow(
      /transfer\[1\] must be an ArrayBuffer/,
    );
    expect(() => bad({ a }, [Infinity])).toThrow(/transfer\[0\] must be an ArrayBuffer, got Infinity/);
    expect(() => bad({ a }, [a.buffer, NaN, -1])).toThrow(/transfer\[1\] must be an ArrayBuffer, got NaN/);
    expect(() => bad(7, [a.buffer])).toThrow(/value must be an object that holds the buffers, got 7/);
    expect(() => bad(null, [])).toThrow(/got null/);
  });

  it('refuses a buffer that was moved already (detached)', () => {
    const buffer = new ArrayBuffer(8);
    structuredClone(buffer, { transfer: [buffer] });
    expect(() => bad(buffer)).toThrow(/value is detached/);
    expect(() => bad(new Uint8Array(new ArrayBuffer(4)).subarray(0, 0))).not.toThrow();
    expect(() => bad({ buffer }, [new ArrayBuffer(1), buffer])).toThrow(
      /transfer\[1\] is a detached ArrayBuffer/,
    );
  });
});
