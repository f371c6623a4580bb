/**
 * `move()`: a task returns its result's buffers moved to the caller instead
 * of copied (no Python counterpart: Python's pool always pickles results).
 */
import { types } from 'node:util';
import { describeArgument } from '@multiprocessing/process/internal';
import { moveRegistry } from './internal/move-registry.js';

/** How a value is named in move()'s errors: buffers and views by kind, the rest as other arguments. */
function describe(value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return describeArgument(value);
  if (types.isSharedArrayBuffer(value)) return 'a SharedArrayBuffer';
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} (pass its .buffer)`;
  return Object.prototype.toString.call(value).slice(8, -1);
}

/** True for an ArrayBuffer that was already moved (transferred) away. */
function detached(buffer: ArrayBuffer): boolean {
  if (buffer.byteLength !== 0) return false;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

/** The buffer of `value` that move(value) moves; throws TypeError if it has none. */
function ownBuffer(value: unknown): ArrayBuffer {
  let buffer: unknown = value;
  if (ArrayBuffer.isView(value)) {
    buffer = value.buffer;
    if (!types.isArrayBuffer(buffer))
      throw new TypeError(
        'move(value): the typed array is backed by a SharedArrayBuffer, which is shared already; return it without move()',
      );
  }
  if (types.isArrayBuffer(buffer)) {
    if (detached(buffer)) throw new TypeError('move(value): value is detached (it was moved already)');
    return buffer;
  }
  throw new TypeError(
    `move(value): value must be an ArrayBuffer, a typed array or a DataView when no transfer list is given, got ${describe(value)}`,
  );
}

/** The transfer list, checked: an array of distinct, not yet moved ArrayBuffers. */
function transferList(transfer: unknown): ArrayBuffer[] {
  if (!Array.isArray(transfer)) {
    throw new TypeError(
      `move(value, transfer): transfer must be an array of ArrayBuffers, got ${describe(transfer)}`,
    );
  }
  const out = new Set<ArrayBuffer>();
  for (let i = 0; i < transfer.length; i++) {
    const item: unknown = transfer[i];
    if (!types.isArrayBuffer(item)) {
      throw new TypeError(
        `move(value, transfer): transfer[${String(i)}] must be an ArrayBuffer, got ${describe(item)}`,
      );
    }
    if (detached(item)) {
      throw new TypeError(
        `move(value, transfer): transfer[${String(i)}] is a detached ArrayBuffer (it was moved already)`,
      );
    }
    out.add(item);
  }
  return [...out];
}

/**
 * Marks `value`, the result a task is about to return, so that its buffer
 * moves to the caller instead of being copied: `return move(bytes)`. The
 * caller receives the value itself (a typed array, an ArrayBuffer, the
 * object), not a wrapper, and the worker's copy is left detached (length 0)
 * once the result is sent, which happens as soon as the task returns.
 *
 * With one argument, `value` must be an ArrayBuffer, a typed array or a
 * DataView, and its whole buffer moves. To move the buffers of a composite
 * value, name them: `return move({ pixels, mask }, [pixels.buffer, mask.buffer])`.
 *
 * Call it inside a task and return its result (directly, or as the value an
 * async task resolves to; for `map` and `imap`, as one item's result). Under
 * the `'thread'` start method the buffers are transferred; under
 * `'process'`, and outside a pool worker, results are copied and `move()`
 * only checks its arguments and returns `value`. A marked value that the
 * task does not return moves nothing.
 *
 * @param value - The task's result: an ArrayBuffer, a typed array or a
 *   DataView, whose whole buffer moves.
 * @returns `value`.
 * @throws TypeError if `value` has no buffer of its own to move (a plain
 *   object, a view of a SharedArrayBuffer), or if it was already moved
 *   (detached).
 *
 * @example
 * ```ts
 * // tasks.ts, run by a pool
 * import { move } from '@multiprocessing/pool';
 * export function render(width: number, height: number): Uint8Array {
 *   const pixels = new Uint8Array(width * height * 4);
 *   // … fill pixels …
 *   return move(pixels); // moved to the caller, not copied
 * }
 * ```
 */
export function move<T extends ArrayBuffer | ArrayBufferView>(value: T): T;
/**
 * Marks `value`, the composite result a task is about to return, so that the
 * buffers in `transfer` move to the caller instead of being copied; the rest
 * of `value` is copied. See the one-argument form for when it applies.
 *
 * @param value - The task's result (an object, an array …).
 * @param transfer - The ArrayBuffers inside `value` to move (duplicates are
 *   ignored). Shared memory (`SharedArrayBuffer`) is never moved.
 * @returns `value`.
 * @throws TypeError if `value` is not an object, if `transfer` is not an
 *   array of ArrayBuffers (a typed array instead of its `.buffer`, a
 *   SharedArrayBuffer, a MessagePort), or if one was already moved
 *   (detached).
 *
 * @example
 * ```ts
 * import { move } from '@multiprocessing/pool';
 * export function split(data: Float64Array) {
 *   const low = data.filter((x) => x < 0);
 *   const high = data.filter((x) => x >= 0);
 *   return move({ low, high }, [low.buffer, high.buffer]);
 * }
 * ```
 */
export function move<T extends object>(value: T, transfer: readonly ArrayBuffer[]): T;
export function move<T extends object>(value: T, transfer?: readonly ArrayBuffer[]): T {
  let list: ArrayBuffer[];
  if (transfer === undefined) {
    list = [ownBuffer(value)];
  } else {
    if (typeof value !== 'object' || (value as unknown) === null) {
      throw new TypeError(
        `move(value, transfer): value must be an object that holds the buffers, got ${describe(value)}`,
      );
    }
    list = transferList(transfer);
  }
  const registry = moveRegistry();
  if (registry !== undefined) {
    if (!registry.lists.has(value)) registry.pending++;
    registry.lists.set(value, list);
  }
  return value;
}
