/**
 * Start methods: the list, the check and the configured default. The type
 * is public, in `../start-method.ts`.
 */

import type { StartMethod } from '../start-method.js';

export type { StartMethod };

/** Every start method, the default first (Python's `get_all_start_methods()`). */
export const startMethods: readonly StartMethod[] = ['thread', 'process'];

/** Throws a TypeError naming `argName` unless `value` is a start method. */
export function checkStartMethod(value: unknown, argName: string): StartMethod {
  if (value !== 'thread' && value !== 'process') {
    throw new TypeError(
      `${argName} must be 'thread' or 'process', got ${typeof value === 'string' ? `'${value}'` : String(value)}`,
    );
  }
  return value;
}

// Invariant: `configured` is the method fixed by setStartMethod(), or
// undefined while the default ('thread') is in force and may still be set.
let configured: StartMethod | undefined;

/** The method setStartMethod() fixed, if any. */
export function configuredStartMethod(): StartMethod | undefined {
  return configured;
}

/** Fixes (or, with undefined, clears) the default start method. */
export function configureStartMethod(method: StartMethod | undefined): void {
  configured = method;
}

/** The default start method now. */
export function defaultStartMethod(): StartMethod {
  return configured ?? 'thread';
}
