/**
 * What every pool call shares: its settings, Python's chunksize rule, the
 * wire form of its arguments (and the part of its transfer list each payload
 * uses). Its signal and timeout: call-signal.ts.
 */
import { types } from 'node:util';
import type { Transferable } from 'node:worker_threads';
import { toPostable } from '@multiprocessing/core/internal';

/** What every call was given. */
export interface CallSettings {
  readonly timeoutMs: number | undefined;
  readonly signal: AbortSignal | undefined;
  readonly transfer: readonly Transferable[] | undefined;
  readonly crossProcess: boolean;
  /** Receives the tasks' `currentTask().progress(value)` (sets kEventsFlag on its jobs). */
  readonly onEvent: ((value: unknown) => void) | undefined;
}

/** Python's default map chunksize: ceil(items / (4 × workers)). */
export function defaultChunksize(items: number, processes: number): number {
  if (items === 0) return 0;
  let chunksize = Math.floor(items / (processes * 4));
  if (items % (processes * 4) !== 0) chunksize++;
  return chunksize;
}

/** Validates a chunksize option; undefined/null gives `fallback`. */
export function chunksizeOption(value: unknown, fallback: () => number): number {
  if (value === undefined || value === null) return fallback();
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(
      `chunksize must be a positive integer, got ${typeof value === 'number' ? String(value) : typeof value}`,
    );
  }
  if (value < 1) throw new RangeError(`Chunksize must be 1+, not ${String(value)}`);
  return value;
}

/** Adds every ArrayBuffer reachable from `value` (a few levels deep) to `out`. */
function collectBuffers(value: unknown, out: Set<unknown>, depth: number): void {
  if (typeof value !== 'object' || value === null || depth > 4) return;
  // Realm-independent checks: values may come from a vm context (jest).
  if (ArrayBuffer.isView(value)) {
    out.add(value.buffer);
    return;
  }
  if (types.isArrayBuffer(value)) {
    out.add(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) collectBuffers(item, out, depth + 1);
    return;
  }
  if (Object.prototype.toString.call(value) === '[object Object]') {
    for (const item of Object.values(value)) collectBuffers(item, out, depth + 1);
  }
}

/** The part of a call's transfer list that `payload` refers to. */
export function transferFor(
  payload: unknown,
  transfer: readonly Transferable[] | undefined,
  ports: readonly Transferable[],
): readonly Transferable[] | undefined {
  if ((transfer === undefined || transfer.length === 0) && ports.length === 0) return undefined;
  if (transfer === undefined || transfer.length === 0) return ports;
  const found = new Set<unknown>();
  collectBuffers(payload, found, 0);
  const out: Transferable[] = [...ports];
  for (const t of transfer) if (found.has(t) || !types.isArrayBuffer(t)) out.push(t);
  return out;
}

/** Prepares arguments for the wire: `[payload, postable, ports]`; throws PicklingError. */
export function prepare(
  value: unknown,
  label: string,
  crossProcess: boolean,
): [payload: unknown, postable: boolean, ports: readonly Transferable[]] {
  const out = toPostable(value, label, { crossProcess });
  return [out.value, !out.plain, out.transfer];
}

/** True when every item is a primitive (nothing for toPostable to do). */
export function allPrimitive(items: readonly unknown[]): boolean {
  for (const item of items) {
    if (typeof item === 'object' ? item !== null : typeof item === 'function') return false;
  }
  return true;
}
