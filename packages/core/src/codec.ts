/**
 * The byte codec: msgpackr, configured to carry what structured clone carries
 * plus shareables. Used wherever bytes cross a boundary:
 * queue rings, pipes, sockets. Plays the role of Python's `pickle` in
 * `multiprocessing.reduction`.
 *
 * Plain data (primitives, plain objects, arrays, and the types msgpackr
 * handles natively) goes straight to msgpackr after one cheap scan. Only
 * values holding a `Map`, `-0` or an error from another realm are copied
 * into an encodable form first.
 */
import type { Packr } from 'msgpackr';
import { PicklingError } from './errors.js';
import { renderPath } from './internal/path.js';
import { refusalMessage } from './internal/refused.js';
import { createPackr, crossing } from './codec-packr.js';
import { isPlain, prepare, Refusal } from './codec-prepare.js';

let packr: Packr | undefined;

/**
 * Encodes `value` as msgpackr bytes.
 *
 * @param label - names the value in a PicklingError (e.g. `item`).
 * @throws {PicklingError} for a value neither wire carries (a function, a
 *   symbol, a Promise, a weak collection: `internal/refused.ts`) or a
 *   MessagePort inside the value; the message names its path.
 */
export function encode(value: unknown, label = 'value'): Uint8Array {
  let prepared: unknown;
  try {
    const plain =
      typeof value === 'object' && value !== null
        ? isPlain(value, 0)
        : typeof value !== 'function' && typeof value !== 'symbol' && !Object.is(value, -0);
    prepared = plain ? value : prepare(value, undefined, 0);
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    const path = renderPath(err.at, label);
    throw new PicklingError(
      err.what === 'deep'
        ? `value at ${path} is nested too deeply or is cyclic`
        : refusalMessage(err.what, path),
    );
  }
  try {
    packr ??= createPackr();
    return packr.pack(prepared);
  } catch (err) {
    if (err instanceof PicklingError) throw err;
    throw new PicklingError(`${label} cannot be encoded: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/**
 * Encodes `value` like {@link encode} and hands the bytes to `use`, which
 * must be done with them when it returns (copy them into a ring, write them
 * to a socket): afterwards msgpackr writes the next value over them. A
 * producer that copies every item out at once (a queue's `put`) then reuses
 * one buffer instead of taking a fresh stretch of msgpackr's for each item;
 * for 1 KB items that stretch, a new 8 KB buffer every few items, was the
 * producer's largest cost after the copy itself (allocation and collection).
 *
 * @throws {PicklingError} as {@link encode}.
 */
export function withEncoded<R>(value: unknown, label: string, use: (bytes: Uint8Array) => R): R {
  const bytes = encode(value, label);
  try {
    return use(bytes);
  } finally {
    // msgpackr writes at `position` in its current buffer (allocated by
    // itself, at offset 0). Still the end of these bytes means nothing was
    // encoded since, so the next value may start where these started.
    if (packr?.position === bytes.byteOffset + bytes.length) packr.position = bytes.byteOffset;
  }
}

/**
 * Encodes `value` like {@link encode}, for another OS process: a shareable
 * whose memory only threads share becomes a handle that process reaches
 * through this one (the process package installs how).
 *
 * @throws {PicklingError} as {@link encode}, and for a bare SharedArrayBuffer.
 */
export function encodeForProcess(value: unknown, label = 'value'): Uint8Array {
  const was = crossing.on;
  crossing.on = true;
  try {
    return encode(value, label);
  } finally {
    crossing.on = was;
  }
}

/** Decodes bytes made by {@link encode}; shareables arrive live. */
export function decode(bytes: Uint8Array): unknown {
  packr ??= createPackr();
  return packr.unpack(bytes) as unknown;
}
