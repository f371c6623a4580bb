/**
 * Pieces of the Python-style reprs of this package: the owner name that
 * `multiprocessing.synchronize.Lock.__repr__` prints, and numbers and lists
 * of `Value` / `SharedArray` as Python prints them.
 */
import { isMainThread, threadId } from 'node:worker_threads';
import { actingOwnerName } from '@multiprocessing/core/internal';
import type { TypedView } from '../typecodes.js';

// @multiprocessing/process (above this package) publishes a function giving
// `currentProcess().name` under this registered key; without it this thread
// is the main program's or a worker started by someone else.
const kCurrentProcessName = Symbol.for('@multiprocessing/process:currentProcessName');

/** Python's name for the holder when it is this thread: `MainProcess`, `Process-1`. */
export function thisOwnerName(): string {
  const acting = actingOwnerName();
  if (acting !== undefined) return acting;
  const named = (globalThis as Record<symbol, unknown>)[kCurrentProcessName];
  if (typeof named === 'function') {
    const name: unknown = (named as () => unknown)();
    if (typeof name === 'string') return name;
  }
  return isMainThread ? 'MainProcess' : `MainProcess|Thread-${String(threadId)}`;
}

/** At most this many elements print before `...`. */
const MAX_ITEMS = 10;

/** One element as Python prints it: floats with a decimal point (`1.0`, `nan`, `inf`). */
export function pyNumber(value: number | bigint, isFloat: boolean): string {
  if (typeof value === 'bigint') return value.toString();
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const text = String(value);
  return isFloat && /^-?\d+$/.test(text) ? `${text}.0` : text;
}

/** `[1.0, 2.0, ...]`: the first {@link MAX_ITEMS} elements of `view`. */
export function pyList(view: TypedView, isFloat: boolean): string {
  const shown: string[] = [];
  const n = Math.min(view.length, MAX_ITEMS);
  for (let i = 0; i < n; i++) shown.push(pyNumber(view[i] ?? 0, isFloat));
  if (view.length > MAX_ITEMS) shown.push('...');
  return `[${shown.join(', ')}]`;
}
