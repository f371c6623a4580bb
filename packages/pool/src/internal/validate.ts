/**
 * Checks of the options shared by `Pool` and `ProcessPoolExecutor`, with
 * Python's messages where Python has one.
 */
import type { ResourceLimits, Transferable } from 'node:worker_threads';
import { cpuCount, getStartMethod } from '@multiprocessing/process';
import { contextStartMethod } from '@multiprocessing/process/internal';
import { isTaskRef } from '@multiprocessing/core';
import { toPostable, toTaskSpec, type TaskSpec } from '@multiprocessing/core/internal';
import type { PoolStartMethod } from '../options.js';
import { prefixedOutput, type OutputSink } from './output-lines.js';

/** The start method from a `context` option (or the current default). */
export function startMethodOf(context: unknown): PoolStartMethod {
  return contextStartMethod(context) ?? getStartMethod();
}

/**
 * The most workers a Pool or an executor may have. Each worker is a V8
 * isolate (about 10 MB before any task runs, a child process about 40 MB),
 * so 4096 of them already need some 40 GB; beyond that no machine can start
 * them, and the Pool, which starts every worker in its constructor, would
 * block there until it died of memory exhaustion instead of reporting the
 * mistake. It leaves 16 workers per core on a 256-core machine.
 */
export const kMaxWorkers = 4096;

/** A worker count: undefined → cpuCount(); Python's ValueError becomes RangeError; at most kMaxWorkers. */
export function workerCount(value: unknown, argName: string, rangeMessage: string): number {
  if (value === undefined || value === null) return cpuCount();
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(
      `${argName} must be a positive integer, got ${typeof value === 'number' ? 'NaN' : typeof value}`,
    );
  }
  if (value < 1) throw new RangeError(rangeMessage);
  if (value > kMaxWorkers) {
    throw new RangeError(`${argName} must be at most ${String(kMaxWorkers)}, got ${String(value)}`);
  }
  if (!Number.isInteger(value)) throw new TypeError(`${argName} must be an integer, got ${String(value)}`);
  return value;
}

/** maxTasksPerChild: a positive integer or undefined. */
export function maxTasksOption(value: unknown, argName = 'maxTasksPerChild'): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') {
    throw new TypeError(`${argName} must be a positive integer or undefined, got ${typeof value}`);
  }
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${argName} must be a positive integer or undefined, got ${String(value)}`);
  }
  return value;
}

/**
 * A duration option in seconds, as ms: a finite number ≥ 0; undefined or
 * null gives `fallback` seconds.
 */
export function secondsOption(value: unknown, argName: string, fallback: number): number {
  if (value === undefined || value === null) return fallback * 1000;
  if (typeof value !== 'number') {
    throw new TypeError(`${argName} must be a number of seconds, got ${typeof value}`);
  }
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${argName} must be a finite number of seconds ≥ 0, got ${String(value)}`);
  }
  return value * 1000;
}

/** What a bad option value is, for a message: its type, or the number itself. */
function shown(value: unknown): string {
  return typeof value === 'number' ? String(value) : typeof value;
}

/**
 * minProcesses: the workers an elastic pool keeps alive, an integer from 0
 * to `processes`; undefined or null → `processes` (every worker, all the
 * time, as Python's Pool).
 */
export function minProcessesOption(value: unknown, processes: number): number {
  if (value === undefined || value === null) return processes;
  const bound = `an integer from 0 to processes (${String(processes)})`;
  if (typeof value !== 'number') throw new TypeError(`minProcesses must be ${bound}, got ${typeof value}`);
  if (!Number.isInteger(value) || value < 0 || value > processes) {
    throw new RangeError(`minProcesses must be ${bound}, got ${shown(value)}`);
  }
  return value;
}

/** The most tasks one worker may run at once (`concurrentTasksPerWorker`); the most jobs a worker holds. */
export const kMaxConcurrentTasks = 1024;

/** concurrentTasksPerWorker: an integer from 1 to kMaxConcurrentTasks; undefined gives 1. */
export function concurrencyOption(value: unknown, argName = 'concurrentTasksPerWorker'): number {
  if (value === undefined) return 1;
  const bound = `${argName} must be an integer from 1 to ${String(kMaxConcurrentTasks)}`;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${bound}, got ${typeof value === 'number' ? 'NaN' : typeof value}`);
  }
  if (value < 1 || value > kMaxConcurrentTasks) throw new RangeError(`${bound}, got ${String(value)}`);
  if (!Number.isInteger(value)) throw new TypeError(`${bound}, got ${String(value)}`);
  return value;
}

/**
 * captureOutput: false (or undefined) leaves the workers' output alone;
 * true prefixes each line with the worker's name; a function gets each line.
 */
export function captureOutputOption(value: unknown, argName = 'captureOutput'): OutputSink | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return prefixedOutput;
  if (typeof value === 'function') return value as OutputSink;
  const got = value === null ? 'null' : typeof value;
  throw new TypeError(`${argName} must be a boolean or a function (line, info) => void, got ${got}`);
}

/**
 * A duration option in seconds that must be greater than 0 (`Infinity`
 * allowed), as milliseconds: undefined for `Infinity`, `fallback` (ms) for
 * undefined or null.
 */
export function positiveSecondsOption(
  value: unknown,
  argName: string,
  fallback: number | undefined,
): number | undefined {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number') {
    throw new TypeError(`${argName} must be a number of seconds greater than 0, got ${typeof value}`);
  }
  if (Number.isNaN(value) || value <= 0) {
    throw new RangeError(`${argName} must be a number of seconds greater than 0, got ${shown(value)}`);
  }
  const ms = value * 1000;
  return ms === Infinity ? undefined : ms;
}

/**
 * The initializer's spec and its arguments prepared for launch data (also
 * the finalizer's, under `names = ['finalizer', 'finalizerArgs']`).
 */
export function initializerOption(
  initializer: unknown,
  initArgs: unknown,
  crossProcess: boolean,
  names: readonly [task: string, args: string] = ['initializer', 'initArgs'],
): { spec: TaskSpec | null; args: readonly unknown[]; postable: boolean } {
  const [taskName, argsName] = names;
  if (initArgs !== undefined && !Array.isArray(initArgs)) {
    throw new TypeError(`${argsName} must be an array`);
  }
  const args = (initArgs as unknown[] | undefined) ?? [];
  if (initializer === undefined || initializer === null) return { spec: null, args: [], postable: false };
  if (typeof initializer !== 'function' && !isTaskRef(initializer)) {
    throw new TypeError(`${taskName} must be a callable (a function or a task reference)`);
  }
  const spec = toTaskSpec(initializer, taskName);
  const out = toPostable(args, argsName, { crossProcess });
  return { spec, args: out.value as unknown[], postable: !out.plain };
}

/** The keys of `worker_threads` resource limits, each a size in MB. */
const kResourceLimitKeys: readonly (keyof ResourceLimits)[] = [
  'maxOldGenerationSizeMb',
  'maxYoungGenerationSizeMb',
  'codeRangeSizeMb',
  'stackSizeMb',
];

/**
 * resourceLimits: an object of positive finite sizes in MB, thread start
 * method only. Node ignores a value that is not a number and turns NaN into
 * a heap it cannot boot, and it ignores unknown keys: a typo is refused here.
 */
export function resourceLimitsOption(value: unknown, method: PoolStartMethod): ResourceLimits | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw new TypeError('resourceLimits must be an object');
  if (method !== 'thread') {
    throw new TypeError("resourceLimits applies to the 'thread' start method only");
  }
  for (const key of Object.keys(value)) {
    if (!(kResourceLimitKeys as readonly string[]).includes(key)) {
      throw new TypeError(`resourceLimits.${key} is not a resource limit (${kResourceLimitKeys.join(', ')})`);
    }
    const size: unknown = (value as Record<string, unknown>)[key];
    if (size === undefined) continue;
    if (typeof size !== 'number') {
      throw new TypeError(`resourceLimits.${key} must be a number of MB, got ${typeof size}`);
    }
    if (!Number.isFinite(size) || size <= 0) {
      throw new RangeError(
        `resourceLimits.${key} must be a finite number of MB greater than 0, got ${String(size)}`,
      );
    }
  }
  return value;
}

/**
 * The options object of a constructor: undefined gives `{}`; null, an array
 * or any other non-object is a TypeError (the constructors take no
 * positional count: `new Pool({ processes: 4 })`).
 */
export function constructorOptions<T extends object>(value: T | undefined, argName = 'options'): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    throw new TypeError(`${argName} must be an object, got ${got}`);
  }
  return value;
}

/** Rejects an options argument that is not an object. */
export function optionsObject<T extends object>(value: T | undefined, argName = 'options'): Partial<T> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object') throw new TypeError(`${argName} must be an object`);
  return value;
}

/** Checks an AbortSignal option. */
export function signalOption(value: unknown): AbortSignal | undefined {
  if (value === undefined || value === null) return undefined;
  if (
    typeof value !== 'object' ||
    typeof (value as AbortSignal).aborted !== 'boolean' ||
    typeof (value as AbortSignal).addEventListener !== 'function'
  ) {
    throw new TypeError('signal must be an AbortSignal');
  }
  return value as AbortSignal;
}

/** Checks a callback option. */
export function callbackOption<F extends (...args: never[]) => unknown>(
  value: F | null | undefined,
  argName: string,
): F | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'function') throw new TypeError(`${argName} must be a function`);
  return value;
}

/** Checks a transfer option. */
export function transferOption(
  value: readonly Transferable[] | null | undefined,
): readonly Transferable[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value as unknown)) throw new TypeError('transfer must be an array');
  return value;
}

/** An iterable as an array (Python's map turns a non-sized iterable into a list). */
export function toArray(value: unknown, argName = 'iterable'): unknown[] {
  if (Array.isArray(value)) return value;
  if (
    value === null ||
    value === undefined ||
    typeof (value as Iterable<unknown>)[Symbol.iterator] !== 'function'
  ) {
    throw new TypeError(`${argName} must be iterable`);
  }
  return Array.from(value as Iterable<unknown>);
}

/** Starmap items: each must be an array (or iterable) of arguments. */
export function argTuples(items: readonly unknown[], argName = 'iterable'): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (Array.isArray(item)) continue;
    if (
      item === null ||
      item === undefined ||
      typeof (item as Iterable<unknown>)[Symbol.iterator] !== 'function' ||
      typeof item === 'string'
    ) {
      throw new TypeError(`${argName}[${String(i)}] must be an array of arguments`);
    }
    out ??= items.slice();
    out[i] = Array.from(item as Iterable<unknown>);
  }
  return out ?? (items as unknown[]);
}

/**
 * An integer option from `min` to `max`; undefined/null gives `fallback`.
 * A non-number or NaN is a TypeError, as is a fraction; a number out of
 * range (±Infinity included) is a RangeError. Each message names the option
 * and its bounds.
 */
export function integerOption(
  value: unknown,
  argName: string,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined || value === null) return fallback;
  const bounds = `an integer from ${String(min)} to ${String(max)}`;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(
      `${argName} must be ${bounds}, got ${typeof value === 'number' ? 'NaN' : typeof value}`,
    );
  }
  if (value < min || value > max) throw new RangeError(`${argName} must be ${bounds}, got ${String(value)}`);
  if (!Number.isInteger(value)) throw new TypeError(`${argName} must be ${bounds}, got ${String(value)}`);
  return value;
}

/** maxQueue: an integer ≥ 0, or Infinity (the default: no limit). */
export function maxQueueOption(value: unknown): number {
  if (value === undefined || value === null) return Infinity;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(
      `maxQueue must be an integer >= 0 or Infinity, got ${typeof value === 'number' ? 'NaN' : typeof value}`,
    );
  }
  if (value < 0) throw new RangeError(`maxQueue must be an integer >= 0 or Infinity, got ${String(value)}`);
  if (value !== Infinity && !Number.isInteger(value)) {
    throw new TypeError(`maxQueue must be an integer >= 0 or Infinity, got ${String(value)}`);
  }
  return value;
}

/** onQueueFull: 'reject' (the default) or 'wait'. */
export function queueFullOption(value: unknown): 'reject' | 'wait' {
  if (value === undefined || value === null) return 'reject';
  if (value !== 'reject' && value !== 'wait') {
    const got = typeof value === 'string' ? JSON.stringify(value) : typeof value;
    throw new TypeError(`onQueueFull must be 'reject' or 'wait', got ${got}`);
  }
  return value;
}

/** buffersize (Python's, of imap and Executor.map): undefined, or an integer ≥ 1. */
export function buffersizeOption(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    const got = typeof value === 'number' ? String(value) : typeof value;
    throw new TypeError(`buffersize must be an integer or undefined, got ${got}`);
  }
  if (value < 1) throw new RangeError(`buffersize must be undefined or > 0, got ${String(value)}`);
  return value;
}
