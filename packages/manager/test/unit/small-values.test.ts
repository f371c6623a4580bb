import { isDeepStrictEqual } from 'node:util';
import { PicklingError, decode, encode } from '@multiprocessing/core';
import {
  EMPTY_ARGS,
  ONE_BYTE,
  ONE_BYTE_KNOWN,
  decodeArgs,
  decodeBody,
  encodeArgs,
  encodeResult,
} from '../../src/internal/small-values.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

const ints = [
  0,
  1,
  5,
  0x7f,
  0x80,
  0xff,
  0x100,
  0xffff,
  0x10000,
  0xffffffff,
  0x100000000,
  2 ** 53 - 1,
  -1,
  -0x20,
  -0x21,
  -0x80,
  -0x81,
  -0x8000,
  -0x8001,
  -0x80000000,
  -0x80000001,
  -(2 ** 53 - 1),
];
const values: unknown[] = [
  ...ints,
  -0,
  0.5,
  -1.25,
  Number.NaN,
  Infinity,
  -Infinity,
  true,
  false,
  null,
  undefined,
  '',
  'k',
  'key-1',
  'x'.repeat(31),
  'x'.repeat(32),
  'é',
  'a\u0000b',
  '\u007f',
  '😀',
  10n,
  [],
  [1],
  {},
  { a: 1 },
  new Map([[1, 2]]),
  new Date(0),
  Buffer.from('ab'),
];

/** Deep equality in which two invalid Dates (the codec reads some bytes as one) are the same. */
function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return Object.is(a.getTime(), b.getTime());
  return isDeepStrictEqual(a, b);
}

describe('small values', () => {
  it('encodes a result to the very bytes the codec writes', () => {
    for (const v of values) expect([v, hex(encodeResult(v))]).toEqual([v, hex(encode(v, 'result'))]);
  });

  it('reads every one-byte body as the codec does', () => {
    for (let b = 0; b < 256; b++) {
      let value: unknown;
      let primitive = false;
      try {
        value = decode(Uint8Array.of(b));
        primitive = typeof value !== 'object' || value === null;
      } catch {
        // Not a value on its own: the table must not claim it.
      }
      expect([b, ONE_BYTE_KNOWN[b]]).toEqual([b, primitive]);
      if (primitive) expect([b, ONE_BYTE[b]]).toEqual([b, value]);
    }
  });

  it('writes the empty argument list as the codec does', () => {
    expect(hex(EMPTY_ARGS)).toBe(hex(encode([], 'args')));
    expect(hex(encodeResult(undefined))).toBe(hex(encode(undefined, 'result')));
  });

  it('encodes argument lists to the very bytes the codec writes', () => {
    const lists: unknown[][] = [[], ...values.map((v) => [v]), values.slice(0, 15), values.slice(0, 16)];
    for (const v of values) lists.push(['k', v], [v, 0, 'key']);
    for (const args of lists)
      expect([args, hex(encodeArgs(args))]).toEqual([args, hex(encode(args, 'args'))]);
  });

  it('refuses what the codec refuses, naming the argument', () => {
    expect(() => encodeArgs(['k', () => 1])).toThrow(PicklingError);
    expect(() => encodeArgs(['k', () => 1])).toThrow(/args\[1\]/);
    expect(() => encodeResult(Symbol('s'))).toThrow(PicklingError);
  });

  it('decodes every one-byte body and short strings as the codec does', () => {
    for (let b = 0; b < 256; b++) {
      const body = Uint8Array.of(7, b, 9);
      let expected: unknown;
      try {
        expected = decode(body.subarray(1, 2));
      } catch (err) {
        expect(() => decodeBody(body, 1, 2)).toThrow((err as Error).constructor as new () => Error);
        continue;
      }
      expect(decodeBody(body, 1, 2)).toEqual(expected);
    }
    for (const s of ['k', 'key-1', 'x'.repeat(31), 'é', 'a\u0000b', 'x'.repeat(40)]) {
      const body = Buffer.concat([Buffer.of(1, 2), encode(s), Buffer.of(3)]);
      expect(decodeBody(body, 2, body.length - 1)).toBe(s);
    }
    const obj = encode({ a: [1, 'b'] });
    expect(decodeBody(obj, 0, obj.length)).toEqual({ a: [1, 'b'] });
  });

  it('decodes argument lists and reply bodies as the codec does', () => {
    const lists: unknown[][] = [[], ...values.map((v) => [v]), values.slice(0, 15), values.slice(0, 16)];
    for (const v of values) lists.push(['k', v], [v, 0, 'key']);
    for (const args of lists) {
      const body = Buffer.concat([Buffer.of(9), encode(args), Buffer.of(9)]);
      const got = decodeArgs(body, 1, body.length - 1);
      expect(got).toEqual(decode(body.subarray(1, body.length - 1)));
      expect(got).not.toBe(decodeArgs(body, 1, body.length - 1));
    }
    for (const v of values) {
      const body = Buffer.concat([Buffer.of(9), encode(v), Buffer.of(9)]);
      expect(decodeBody(body, 1, body.length - 1)).toEqual(decode(body.subarray(1, body.length - 1)));
    }
  });

  it('agrees with the codec on arbitrary bytes, throwing where it throws', () => {
    // A fixed pseudo-random sequence: short byte strings, most starting like a small list.
    let seed = 12345;
    const next = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 24;
    };
    const pick = [0x90, 0x91, 0x92, 0x93, 0xa1, 0xa3, 0xcc, 0xcd, 0xce, 0xd0, 0xd1, 0xd2, 0xd4, 0x00, 0xc0];
    const disagreements: string[] = [];
    for (let round = 0; round < 20000; round++) {
      const len = 1 + (next() % 8);
      const bytes = Uint8Array.from({ length: len }, (_, i) =>
        i === 0 || next() < 96 ? (pick[next() % pick.length] ?? 0) : next(),
      );
      const outcome = (f: () => unknown): { ok: boolean; value: unknown } => {
        try {
          return { ok: true, value: f() };
        } catch {
          return { ok: false, value: undefined };
        }
      };
      const expected = outcome(() => decode(bytes));
      for (const fn of [decodeArgs, decodeBody]) {
        const got = outcome(() => fn(bytes, 0, bytes.length));
        if (got.ok !== expected.ok || !same(got.value, expected.value)) {
          disagreements.push(`${fn.name}(${Buffer.from(bytes).toString('hex')})`);
        }
      }
    }
    expect(disagreements).toEqual([]);
  });
});
