/**
 * `value` and `raw` of an array of typecode `'c'` (Python's `c_char`
 * arrays): `value` is the bytes up to the first NUL, and writing it adds a
 * NUL when there is room; `raw` is every byte.
 */
import type { TypedView } from '../typecodes.js';

function bytesOf(view: TypedView, typecode: string, what: string): Uint8Array {
  if (typecode !== 'c' || !(view instanceof Uint8Array)) {
    throw new TypeError(`${what} belongs to arrays of typecode 'c', not '${typecode}'`);
  }
  return view;
}

function checkBytes(value: unknown, bytes: Uint8Array, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(
      `${what} must be a Uint8Array (bytes), got ${value === null ? 'null' : typeof value}`,
    );
  }
  if (value.length > bytes.length) {
    throw new RangeError(
      `byte string too long: ${String(value.length)} bytes for an array of ${String(bytes.length)}`,
    );
  }
  return value;
}

/** The bytes up to the first NUL (a copy). */
export function charValue(view: TypedView, typecode: string): Uint8Array {
  const bytes = bytesOf(view, typecode, 'value');
  const end = bytes.indexOf(0);
  return bytes.slice(0, end === -1 ? bytes.length : end);
}

/** Writes `value` at the start, then a NUL when it is shorter than the array. */
export function setCharValue(view: TypedView, typecode: string, value: unknown): void {
  const bytes = bytesOf(view, typecode, 'value');
  const src = checkBytes(value, bytes, 'value');
  bytes.set(src);
  if (src.length < bytes.length) bytes[src.length] = 0;
}

/** Every byte (a copy). */
export function charRaw(view: TypedView, typecode: string): Uint8Array {
  return bytesOf(view, typecode, 'raw').slice();
}

/** Writes `value` at the start, leaving the bytes after it as they are. */
export function setCharRaw(view: TypedView, typecode: string, value: unknown): void {
  const bytes = bytesOf(view, typecode, 'raw');
  bytes.set(checkBytes(value, bytes, 'raw'));
}
