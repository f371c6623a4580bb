/**
 * The byte arguments of a connection (Python's `Connection.send_bytes`,
 * `recv_bytes` and `recv_bytes_into` in `multiprocessing.connection`),
 * checked one way for every Connection class: a Pipe's and a socket's.
 * Python's messages where Python has one.
 */
import { types } from 'node:util';
import { BufferTooShortError } from '../errors.js';

/**
 * `buf` as bytes over the same memory: a typed array, a DataView, an
 * `ArrayBuffer` or a `SharedArrayBuffer`.
 *
 * @throws {TypeError} for anything else.
 */
export function bytesOf(buf: unknown, name = 'buf'): Uint8Array {
  if (ArrayBuffer.isView(buf)) return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  if (types.isAnyArrayBuffer(buf)) return new Uint8Array(buf);
  throw new TypeError(
    `${name} must be a bytes-like object (a typed array, DataView, ArrayBuffer or SharedArrayBuffer)`,
  );
}

function checkInteger(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${name} must be an integer`);
  }
}

/**
 * The bytes `send_bytes(buf, offset, size)` sends: a view of `buf`, no copy.
 *
 * @throws {TypeError} for a `buf` that is not bytes-like, or an `offset` or
 *   `size` that is not an integer.
 * @throws {RangeError} `offset is negative`, `buffer length < offset`,
 *   `size is negative`, `buffer length < offset + size` (Python's).
 */
export function sendBytesRange(buf: unknown, offset: unknown = 0, size?: unknown): Uint8Array {
  const bytes = bytesOf(buf);
  checkInteger(offset, 'offset');
  if (offset < 0) throw new RangeError('offset is negative');
  if (bytes.length < offset) throw new RangeError('buffer length < offset');
  if (size === undefined) return bytes.subarray(offset);
  checkInteger(size, 'size');
  if (size < 0) throw new RangeError('size is negative');
  if (bytes.length < offset + size) throw new RangeError('buffer length < offset + size');
  return bytes.subarray(offset, offset + size);
}

/**
 * Checks `recv_bytes(maxlength)`'s argument (`undefined` = no limit).
 *
 * @throws {TypeError} when it is not an integer.
 * @throws {RangeError} `negative maxlength` (Python's).
 */
export function checkMaxlength(maxlength: unknown): asserts maxlength is number | undefined {
  if (maxlength === undefined) return;
  checkInteger(maxlength, 'maxlength');
  if (maxlength < 0) throw new RangeError('negative maxlength');
}

/**
 * The target of `recv_bytes_into(buf, offset)`, as bytes over `buf`'s memory.
 *
 * @throws {TypeError} for a `buf` that is not bytes-like or an `offset` that
 *   is not an integer.
 * @throws {RangeError} `negative offset`, `offset too large` (Python's).
 */
export function recvIntoTarget(buf: unknown, offset: unknown = 0): Uint8Array {
  const target = bytesOf(buf);
  checkInteger(offset, 'offset');
  if (offset < 0) throw new RangeError('negative offset');
  if (offset > target.length) throw new RangeError('offset too large');
  return target;
}

/**
 * Copies a received message into `target` at `offset` and returns its length.
 *
 * @throws {BufferTooShortError} `buffer too short` when it does not fit; the
 *   error's `data` holds the whole message (Python's `e.args[0]`).
 */
export function copyMessageInto(target: Uint8Array, offset: number, message: Uint8Array): number {
  if (message.length > target.length - offset) {
    throw new BufferTooShortError('buffer too short', { data: message });
  }
  target.set(message, offset);
  return message.length;
}
