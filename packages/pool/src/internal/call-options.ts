/**
 * The per-call options of `Pool`'s methods, checked: the settings every call
 * carries (timeout, signal, transfer, onEvent), the `args` of a single call,
 * the `iterable` of an imap and the `highWaterMark` of a stream.
 */
import { timeoutMs } from '@multiprocessing/core/internal';
import type { CallSettings } from './call-wire.js';
import { callbackOption, integerOption, signalOption, transferOption } from './validate.js';
import type { CallOptions } from '../options.js';

/** The default `highWaterMark` of `stream`. */
const kDefaultHighWaterMark = 16;
/** The largest `highWaterMark` of `stream` (2^30). */
const kMaxHighWaterMark = 2 ** 30;

/** A call's settings from its options (`crossProcess`: the pool's workers are processes). */
export function callSettings(options: Partial<CallOptions>, crossProcess: boolean): CallSettings {
  return {
    timeoutMs: timeoutMs(options.timeout),
    signal: signalOption(options.signal),
    transfer: transferOption(options.transfer),
    crossProcess,
    onEvent: callbackOption(options.onEvent, 'onEvent'),
  };
}

/** The settings of a call made without options. */
export function defaultCallSettings(crossProcess: boolean): CallSettings {
  return { timeoutMs: undefined, signal: undefined, transfer: undefined, crossProcess, onEvent: undefined };
}

/**
 * The arguments of a single call (`apply`, `stream`): an array, or none.
 *
 * @throws {TypeError} when `args` is neither an array nor undefined/null.
 */
export function argsOption(args: unknown): unknown[] {
  if (args !== undefined && args !== null && !Array.isArray(args)) {
    throw new TypeError('args must be an array of arguments');
  }
  return (args as unknown[] | undefined) ?? [];
}

/**
 * The input of an imap: an iterable or an async iterable.
 *
 * @throws {TypeError} `iterable must be iterable`.
 */
export function iterableOption(iterable: unknown): Iterable<unknown> | AsyncIterable<unknown> {
  if (
    iterable === null ||
    iterable === undefined ||
    (typeof (iterable as Iterable<unknown>)[Symbol.iterator] !== 'function' &&
      typeof (iterable as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function')
  ) {
    throw new TypeError('iterable must be iterable');
  }
  return iterable as Iterable<unknown> | AsyncIterable<unknown>;
}

/**
 * The `highWaterMark` of a stream: 1 to 2^30, 16 by default.
 *
 * @throws {RangeError} below 1 or above 2^30.
 */
export function highWaterMarkOption(value: unknown): number {
  return integerOption(value, 'highWaterMark', 1, kMaxHighWaterMark, kDefaultHighWaterMark);
}
