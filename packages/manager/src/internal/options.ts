/**
 * The argument checks of `BaseManager` and `Manager()`: the options object
 * and `shutdownTimeout` (`context` is process's `contextStartMethod`; address
 * and authkey are checked in `../address.ts`). Mirrors the arguments of
 * `multiprocessing.managers.BaseManager.__init__`; every error names the option.
 */
import { timeoutMs } from '@multiprocessing/core/internal';
import { describeArgument } from '@multiprocessing/process/internal';

/**
 * The options object itself: `undefined` (no options) or a plain object.
 * @throws {TypeError} naming `options` for anything else (`Manager('str')`, `Manager(5)`, `null`).
 */
export function checkOptionsObject(options: unknown, names: string): object | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`options must be an object like {${names}}, got ${describeArgument(options)}`);
  }
  return options;
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
