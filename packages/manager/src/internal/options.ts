/**
 * The argument checks of `BaseManager` and `Manager()`: the options object,
 * `context` and `shutdownTimeout` (address and authkey are checked in
 * `../address.ts`). Mirrors the arguments of
 * `multiprocessing.managers.BaseManager.__init__`; every error names the option.
 */
import { timeoutMs } from '@multiprocessing/core/internal';
import type { StartMethod } from '@multiprocessing/process/internal';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string '${value}'`;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/**
 * The options object itself: `undefined` (no options) or a plain object.
 * @throws {TypeError} naming `options` for anything else (`Manager('str')`, `Manager(5)`, `null`).
 */
export function checkOptionsObject(options: unknown, names: string): object | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`options must be an object like {${names}}, got ${describe(options)}`);
  }
  return options;
}

/**
 * The start method a `context` option names, or undefined for the default
 * (resolved when the server starts). A start-method string is refused, as
 * `Pool` refuses it: the option takes a context, as Python's `ctx` does.
 * @throws {TypeError} naming `context`, with the call to make for a string.
 */
export function contextStartMethod(context: unknown): StartMethod | undefined {
  if (context === undefined || context === null) return undefined;
  const expected = "context must be a context from getContext('thread' | 'process')";
  if (typeof context === 'string') {
    const hint = context === 'thread' || context === 'process' ? `: pass getContext('${context}')` : '';
    throw new TypeError(`${expected}, got ${describe(context)}${hint}`);
  }
  if (typeof context !== 'object') {
    throw new TypeError(`${expected}, got ${describe(context)}`);
  }
  const method = (context as { startMethod?: unknown }).startMethod;
  if (method !== 'thread' && method !== 'process') {
    throw new TypeError(`${expected}, got an object whose startMethod is ${describe(method)}`);
  }
  return method;
}

/** Python's default `shutdown_timeout`, in seconds. */
export const DEFAULT_SHUTDOWN_TIMEOUT = 1;

/**
 * The `shutdownTimeout` option (seconds) in ms: `undefined`/`null` give the
 * default (1 s), a negative number means 0, `Infinity` waits for ever
 * (undefined). Otherwise core's one timeout rule.
 * @throws {TypeError} naming `shutdownTimeout` for a non-number.
 * @throws {RangeError} naming `shutdownTimeout` for NaN.
 */
export function checkShutdownTimeout(value: unknown): number | undefined {
  if (value === undefined || value === null) return DEFAULT_SHUTDOWN_TIMEOUT * 1000;
  return timeoutMs(value, 'shutdownTimeout');
}
