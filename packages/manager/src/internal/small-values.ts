/**
 * The common small bodies of manager requests and replies (an argument list
 * of a few keys and numbers, a reply of one number, string, boolean, null or
 * undefined), encoded and decoded without msgpackr. The bytes are exactly
 * those the codec's `encode` writes for the same value, so the other end
 * decodes them with the codec as usual; anything else falls back to the
 * codec. A unit test sweeps the values and compares the bytes.
 */
import { decode, encode } from '@multiprocessing/core';

/** The longest string written here (msgpack's fixstr holds up to 31 bytes). */
const MAX_STR = 31;
/** The longest argument list written here (msgpack's fixarray holds up to 15). */
const MAX_ITEMS = 15;

/**
 * The codec's bytes for `undefined` (msgpack fixext 1, type 0) and for an
 * empty argument list (fixarray 0), written here, not computed with
 * `encode`: a thread whose calls are all small never loads msgpackr. The
 * unit test compares them with the codec's.
 */
const UNDEFINED = Uint8Array.of(0xd4, 0x00, 0x00);
/** The body of a call without arguments: `encode([])`. */
export const EMPTY_ARGS = Uint8Array.of(0x90);

let scratch = Buffer.allocUnsafe(256);

/**
 * Writes `v` at `off` when it is a small value; returns the new offset, or
 * -1 when `v` is not one (the caller falls back to the codec).
 */
function put(buf: Buffer, off: number, v: unknown): number {
  switch (typeof v) {
    case 'number': {
      if (!Number.isInteger(v) || Object.is(v, -0)) return -1;
      if (v >= 0) {
        if (v < 0x80) {
          buf[off] = v;
          return off + 1;
        }
        if (v < 0x100) {
          buf[off] = 0xcc;
          buf[off + 1] = v;
          return off + 2;
        }
        if (v < 0x10000) {
          buf[off] = 0xcd;
          buf.writeUInt16BE(v, off + 1);
          return off + 3;
        }
        if (v < 0x100000000) {
          buf[off] = 0xce;
          buf.writeUInt32BE(v, off + 1);
          return off + 5;
        }
        return -1;
      }
      if (v >= -0x20) {
        buf[off] = v & 0xff;
        return off + 1;
      }
      if (v >= -0x80) {
        buf[off] = 0xd0;
        buf.writeInt8(v, off + 1);
        return off + 2;
      }
      if (v >= -0x8000) {
        buf[off] = 0xd1;
        buf.writeInt16BE(v, off + 1);
        return off + 3;
      }
      if (v >= -0x80000000) {
        buf[off] = 0xd2;
        buf.writeInt32BE(v, off + 1);
        return off + 5;
      }
      return -1;
    }
    case 'string': {
      const n = v.length;
      if (n > MAX_STR) return -1;
      buf[off] = 0xa0 | n;
      for (let i = 0; i < n; i++) {
        const c = v.charCodeAt(i);
        if (c >= 0x80) return -1;
        buf[off + 1 + i] = c;
      }
      return off + 1 + n;
    }
    case 'boolean':
      buf[off] = v ? 0xc3 : 0xc2;
      return off + 1;
    case 'undefined':
      buf.set(UNDEFINED, off);
      return off + UNDEFINED.length;
    case 'object':
      if (v !== null) return -1;
      buf[off] = 0xc0;
      return off + 1;
    default:
      return -1;
  }
}

/** The most bytes one small value takes. */
const MAX_VALUE_BYTES = 1 + MAX_STR;

function ensureScratch(n: number): Buffer {
  if (scratch.length < n) scratch = Buffer.allocUnsafe(n);
  return scratch;
}

/**
 * The encoded argument list: `encode(args, 'args')`, with the small cases
 * done here. The result may be a view of a shared scratch buffer or of the
 * codec's arena: send it (copy it) before anything else is encoded.
 *
 * @throws {PicklingError} as `encode` does.
 */
export function encodeArgs(args: readonly unknown[]): Uint8Array {
  const n = args.length;
  if (n <= MAX_ITEMS) {
    const buf = ensureScratch(1 + n * MAX_VALUE_BYTES);
    buf[0] = 0x90 | n;
    let off = 1;
    for (let i = 0; i < n && off >= 0; i++) off = put(buf, off, args[i]);
    if (off >= 0) return buf.subarray(0, off);
  }
  return encode(args, 'args');
}

/**
 * The encoded result: `encode(value, 'result')`, with the small cases done
 * here. The result may be a view of a shared scratch buffer or of the
 * codec's arena: send it (copy it) before anything else is encoded.
 *
 * @throws {PicklingError} as `encode` does.
 */
export function encodeResult(value: unknown): Uint8Array {
  const buf = ensureScratch(MAX_VALUE_BYTES);
  const end = put(buf, 0, value);
  return end >= 0 ? buf.subarray(0, end) : encode(value, 'result');
}

/**
 * The decoded value of every one-byte body whose value is a primitive
 * (`ONE_BYTE_KNOWN[b]`; the others fall back to the codec): msgpack's fixints
 * (0x00–0x7f, 0xe0–0xff), nil, false, true and the empty fixstr. Written
 * from the format, not by decoding each byte with the codec, so that loading
 * this module does not load msgpackr; the unit test compares the table with
 * the codec's decode of every byte.
 */
export const ONE_BYTE: readonly unknown[] = Array.from({ length: 256 }, (_, b) => {
  if (b < 0x80) return b;
  if (b >= 0xe0) return b - 0x100;
  return b === 0xc2 ? false : b === 0xc3 ? true : b === 0xa0 ? '' : null;
});
/** See {@link ONE_BYTE}. */
export const ONE_BYTE_KNOWN: readonly boolean[] = Array.from(
  { length: 256 },
  (_, b) => b < 0x80 || b >= 0xe0 || b === 0xc0 || b === 0xc2 || b === 0xc3 || b === 0xa0,
);

/** The value {@link readSmall} read last (a module slot, not a pair per value). */
let readValue: unknown;

/**
 * Reads one small value (as {@link put} writes them) at `off`, before
 * `end`, into `readValue`; returns the offset after it, or -1 when the bytes
 * there are anything else (the caller falls back to the codec).
 */
function readSmall(buf: Uint8Array, off: number, end: number): number {
  const b = buf[off] ?? 0;
  if (off >= end) return -1;
  if (ONE_BYTE_KNOWN[b] === true) {
    readValue = ONE_BYTE[b];
    return off + 1;
  }
  if ((b & 0xe0) === 0xa0) {
    const n = b & 0x1f;
    if (off + 1 + n > end) return -1;
    let s = '';
    for (let i = off + 1; i <= off + n; i++) {
      const c = buf[i] ?? 0;
      if (c >= 0x80) return -1;
      s += String.fromCharCode(c);
    }
    readValue = s;
    return off + 1 + n;
  }
  const size = b === 0xcc || b === 0xd0 ? 1 : b === 0xcd || b === 0xd1 ? 2 : b === 0xce || b === 0xd2 ? 4 : 0;
  if (size === 0) {
    if (b === UNDEFINED[0] && off + UNDEFINED.length <= end) {
      for (let i = 1; i < UNDEFINED.length; i++) if (buf[off + i] !== UNDEFINED[i]) return -1;
      readValue = undefined;
      return off + UNDEFINED.length;
    }
    return -1;
  }
  if (off + 1 + size > end) return -1;
  let v = 0;
  for (let i = off + 1; i <= off + size; i++) v = v * 256 + (buf[i] ?? 0);
  // 0xd0–0xd2 are signed: subtract 2^(8·size) when the top bit is set.
  if (b >= 0xd0 && v >= 2 ** (8 * size - 1)) v -= 2 ** (8 * size);
  readValue = v;
  return off + 1 + size;
}

/** `decode(body)` of a reply body, with the small values of {@link encodeResult} done here. */
export function decodeBody(body: Uint8Array, start: number, end: number): unknown {
  if (end - start <= MAX_VALUE_BYTES && readSmall(body, start, end) === end) return readValue;
  return decode(body.subarray(start, end));
}

/**
 * `decode(bytes)` of a request's argument list, with the small lists of
 * {@link encodeArgs} done here (a new array each time, as the codec gives).
 */
export function decodeArgs(bytes: Uint8Array, start: number, end: number): unknown {
  const head = bytes[start] ?? 0;
  if (start < end && (head & 0xf0) === 0x90) {
    const n = head & 0x0f;
    const out: unknown[] = [];
    let off = start + 1;
    for (let i = 0; i < n && off >= 0; i++) {
      off = readSmall(bytes, off, end);
      out.push(readValue);
    }
    if (off === end) return out;
  }
  return decode(bytes.subarray(start, end));
}
