/**
 * Argument checks of the cluster's public functions: each bad value gets a
 * TypeError or RangeError naming the option.
 */
import { fileURLToPath } from 'node:url';
import { isAbsolute, resolve } from 'node:path';
import { kMaxTimerMs, timeoutMs } from '@multiprocessing/core/internal';
import type { RedisOptions } from 'ioredis';

/** An options object, or `{}` for undefined. */
export function optionsObject<T extends object>(value: unknown, argName = 'options'): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${argName} must be an object, got ${value === null ? 'null' : typeof value}`);
  }
  return value;
}

/** A name for Redis keys: a non-empty string without `:` (it separates key parts), or `fallback`. */
export function keyPartOption(value: unknown, argName: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value === '' || value.includes(':') || /\s/.test(value)) {
    throw new TypeError(
      `${argName} must be a non-empty string without ':' or spaces, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** A folder given as a path or a file: URL, made absolute; or `fallback()`. */
export function folderOption(value: unknown, argName: string, fallback: () => string): string {
  if (value === undefined) return fallback();
  if (value instanceof URL) return fileURLToPath(value);
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`${argName} must be a path or a file: URL, got ${typeof value}`);
  }
  if (value.startsWith('file:')) return fileURLToPath(value);
  return isAbsolute(value) ? value : resolve(value);
}

/** A whole number from 0 to `max`, or `fallback`. */
export function countOption(value: unknown, argName: string, fallback: number, min = 0, max = 1_000): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(
      `${argName} must be an integer, got ${typeof value === 'number' ? String(value) : typeof value}`,
    );
  }
  if (value < min || value > max) {
    throw new RangeError(`${argName} must be from ${String(min)} to ${String(max)}, got ${String(value)}`);
  }
  return value;
}

/** Seconds above 0 and finite, in ms; or `fallbackMs`. */
export function secondsOption(value: unknown, argName: string, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  const ms = timeoutMs(value, argName);
  if (ms === undefined || ms === 0 || ms > kMaxTimerMs) {
    throw new RangeError(
      `${argName} must be a number of seconds above 0 and at most ${String(kMaxTimerMs / 1000)}, got ${String(ms)} ms`,
    );
  }
  return ms;
}

/** The connection URL. */
export function urlOption(value: unknown, argName: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`${argName} must be a redis:// or rediss:// URL, got ${typeof value}`);
  }
  return value;
}

/** ioredis options passed through: an object or undefined. */
export function redisOption(value: unknown): RedisOptions | undefined {
  if (value === undefined) return undefined;
  return optionsObject<RedisOptions>(value, 'redis');
}
