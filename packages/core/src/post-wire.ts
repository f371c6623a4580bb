/**
 * The structured-clone wire: values posted with `postMessage` (task arguments,
 * results, process targets). Structured clone already keeps Maps, Sets,
 * typed arrays and `-0`; this adds what it loses (error classes, shareables)
 * and refuses what it cannot carry (functions) with a PicklingError naming
 * the path, instead of a DataCloneError.
 */
import { types } from 'node:util';
import { MessagePort } from 'node:worker_threads';
import { PicklingError } from './errors.js';
import { renderPath, type PathStep } from './internal/path.js';
import { refusalMessage, refusedValue } from './internal/refused.js';
import { sparseIndexes } from './internal/sparse.js';
import { deserializeError, isSerializedError, serializeError } from './error-serialization.js';
import {
  describeShareable,
  exportForProcess,
  importRevivers,
  isShareable,
  isShareableDescriptor,
  needsReviver,
  reviveShareable,
  type ShareableDescriptor,
} from './shareable.js';

/** Options of {@link toPostable}. */
export interface ToPostableOptions {
  /**
   * Refuse shareables that hold thread-only memory (the `'process'` start
   * method, where the value crosses into another OS process).
   * @default false
   */
  crossProcess?: boolean;
}

/** A value ready for `postMessage`. */
export interface Postable {
  readonly value: unknown;
  /** MessagePorts found in shareable descriptors; pass as the transfer list. */
  readonly transfer: MessagePort[];
  /** True when nothing was replaced, so the receiver may skip {@link fromPostable}. */
  readonly plain: boolean;
}

interface Walk {
  readonly label: string;
  readonly crossProcess: boolean;
  readonly transfer: MessagePort[];
  changed: boolean;
}

function collectPorts(value: unknown, out: MessagePort[], depth: number): void {
  if (depth > 16 || typeof value !== 'object' || value === null) return;
  if (value instanceof MessagePort) {
    out.push(value);
    return;
  }
  for (const item of Object.values(value)) collectPorts(item, out, depth + 1);
}

/** True for an element or property value the walk must look at. */
function needsWalk(item: unknown): boolean {
  const t = typeof item;
  return t === 'object' || t === 'function' || t === 'symbol';
}

/** Why a thread-only shareable at `path` cannot reach another process here. */
export function noExporter(path: string, value: object): string {
  return `${path} (${value.constructor.name}) lives in memory shared between threads; to send it to another process, load @multiprocessing/process in this thread's program first`;
}

function refuse(what: string, at: PathStep | undefined, walk: Walk): never {
  throw new PicklingError(refusalMessage(what, renderPath(at, walk.label)));
}

function encodeValue(value: unknown, at: PathStep | undefined, walk: Walk, depth: number): unknown {
  if (typeof value === 'function' || typeof value === 'symbol') {
    refuse(refusedValue(value) ?? typeof value, at, walk);
  }
  if (typeof value !== 'object' || value === null) return value;
  if (depth > 2000)
    throw new PicklingError(`value at ${renderPath(at, walk.label)} is nested too deeply or is cyclic`);
  if (isShareable(value)) {
    let desc: ShareableDescriptor | undefined = describeShareable(value);
    if (walk.crossProcess) {
      try {
        desc = exportForProcess(value, desc);
      } catch (err) {
        if (!(err instanceof PicklingError)) throw err;
        throw new PicklingError(`${renderPath(at, walk.label)}: ${err.message}`, { cause: err });
      }
      if (desc === undefined) throw new PicklingError(noExporter(renderPath(at, walk.label), value));
    }
    collectPorts(desc.data, walk.transfer, 0);
    walk.changed = true;
    return desc;
  }
  if (types.isNativeError(value)) {
    walk.changed = true;
    return serializeError(value);
  }
  if (Array.isArray(value)) {
    const arr = value as unknown[];
    // A sparse array is walked (and copied) by its set indexes; structured
    // clone itself keeps it sparse.
    const sparse = sparseIndexes(arr);
    let copy: unknown[] | undefined;
    const n = sparse === undefined ? arr.length : sparse.length;
    for (let k = 0; k < n; k++) {
      const i = sparse === undefined ? k : (sparse[k] ?? 0);
      const item: unknown = arr[i];
      if (!needsWalk(item)) continue;
      const next = encodeValue(item, { up: at, key: i, kind: 'index' }, walk, depth + 1);
      if (next !== item) {
        copy ??= sparse === undefined ? arr.slice() : copySparse(arr, sparse);
        copy[i] = next;
      }
    }
    return copy ?? value;
  }
  if (types.isMap(value)) {
    let changed = false;
    const entries: [unknown, unknown][] = [];
    let i = 0;
    for (const [k, v] of value) {
      const nk = encodeValue(k, { up: at, key: i, kind: 'mapKey' }, walk, depth + 1);
      const nv = encodeValue(v, { up: at, key: i++, kind: 'mapValue' }, walk, depth + 1);
      if (nk !== k || nv !== v) changed = true;
      entries.push([nk, nv]);
    }
    return changed ? new Map(entries) : value;
  }
  if (types.isSet(value)) {
    let changed = false;
    const items: unknown[] = [];
    let i = 0;
    for (const item of value) {
      const next = encodeValue(item, { up: at, key: i++, kind: 'setValue' }, walk, depth + 1);
      if (next !== item) changed = true;
      items.push(next);
    }
    return changed ? new Set(items) : value;
  }
  if (
    ArrayBuffer.isView(value) ||
    types.isAnyArrayBuffer(value) ||
    types.isDate(value) ||
    types.isRegExp(value) ||
    value instanceof MessagePort
  ) {
    return value;
  }
  const refused = refusedValue(value);
  if (refused !== undefined) refuse(refused, at, walk);
  let copy: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const item = record[key];
    if (!needsWalk(item)) continue;
    const next = encodeValue(item, { up: at, key, kind: 'prop' }, walk, depth + 1);
    if (next !== item) {
      copy ??= { ...record };
      copy[key] = next;
    }
  }
  return copy ?? value;
}

/**
 * Prepares `value` for `postMessage`: errors become plain data, shareables
 * become descriptors, and a function anywhere inside gives a PicklingError.
 *
 * @param label - names the value in errors, e.g. `args[1]`.
 */
export function toPostable(value: unknown, label = 'value', options: ToPostableOptions = {}): Postable {
  if (!needsWalk(value)) return { value, transfer: [], plain: true };
  const walk: Walk = {
    label,
    crossProcess: options.crossProcess === true,
    transfer: [],
    changed: false,
  };
  const out = encodeValue(value, undefined, walk, 0);
  return { value: out, transfer: walk.transfer, plain: !walk.changed };
}

/** A copy of a sparse array that allocates only its set elements. */
function copySparse(arr: unknown[], indexes: number[]): unknown[] {
  const copy = new Array<unknown>(arr.length);
  for (const i of indexes) copy[i] = arr[i];
  return copy;
}

function decodeValue(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null || depth > 2000) return value;
  if (isShareableDescriptor(value)) return reviveShareable(value);
  if (isSerializedError(value)) return deserializeError(value);
  if (Array.isArray(value)) {
    const arr = value as unknown[];
    const sparse = sparseIndexes(arr);
    const n = sparse === undefined ? arr.length : sparse.length;
    for (let k = 0; k < n; k++) {
      const i = sparse === undefined ? k : (sparse[k] ?? 0);
      const item: unknown = arr[i];
      if (typeof item === 'object' && item !== null) arr[i] = decodeValue(item, depth + 1);
    }
    return value;
  }
  if (types.isMap(value)) {
    const map = value;
    for (const [k, v] of map) {
      if (typeof v === 'object' && v !== null) map.set(k, decodeValue(v, depth + 1));
    }
    return value;
  }
  if (types.isSet(value)) {
    const set = value;
    const items = [...set];
    set.clear();
    for (const item of items) set.add(decodeValue(item, depth + 1));
    return value;
  }
  if (
    ArrayBuffer.isView(value) ||
    types.isAnyArrayBuffer(value) ||
    types.isDate(value) ||
    types.isRegExp(value) ||
    value instanceof MessagePort
  ) {
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const item = record[key];
    if (typeof item === 'object' && item !== null) record[key] = decodeValue(item, depth + 1);
  }
  return value;
}

/**
 * Rebuilds a value received through `postMessage` from {@link toPostable}'s
 * output, in place: errors get their classes back and shareables arrive live.
 */
export function fromPostable(value: unknown): unknown {
  return decodeValue(value, 0);
}

function collectRevivers(value: unknown, out: Set<string>, depth: number): void {
  if (typeof value !== 'object' || value === null || depth > 2000) return;
  if (isShareableDescriptor(value)) {
    if (needsReviver(value)) out.add(value.module);
    // A handle to an object of another process names its class's module too.
    const inner = value.data as { tag?: unknown; module?: unknown } | null;
    if (typeof inner?.tag === 'string' && typeof inner.module === 'string') {
      const nested = { __mpShareable: 1, tag: inner.tag, module: inner.module, data: undefined } as const;
      if (needsReviver(nested)) out.add(inner.module);
    }
    return;
  }
  if (isSerializedError(value) || ArrayBuffer.isView(value) || types.isAnyArrayBuffer(value)) return;
  const items = types.isMap(value) || types.isSet(value) ? value.values() : Object.values(value);
  for (const item of items) collectRevivers(item, out, depth + 1);
}

/**
 * Imports the modules that register the shareables inside `value` (a
 * {@link toPostable} output) and are not loaded in this thread yet, so that
 * {@link fromPostable} rebuilds them with the classes the thread's own code
 * imports. Returns `undefined` when nothing needs loading.
 */
export function loadRevivers(value: unknown): Promise<void> | undefined {
  const urls = new Set<string>();
  collectRevivers(value, urls, 0);
  return urls.size === 0 ? undefined : importRevivers(urls);
}
