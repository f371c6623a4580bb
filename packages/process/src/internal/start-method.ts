/**
 * Start methods: the list, the check and the configured default. The type
 * is public, in `../start-method.ts`.
 */

import type { StartMethod } from '../start-method.js';

export type { StartMethod };

/** Python's start-method names that mean `'process'` here: each starts a fresh Node process. */
const kProcessAliases: readonly string[] = ['spawn', 'forkserver'];

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

/**
 * A start method as `getContext`/`setStartMethod` take it: `'spawn'` and
 * `'forkserver'` become `'process'`; `'fork'` throws a TypeError that says
 * why; anything else goes through {@link checkStartMethod}.
 */
export function resolveStartMethod(value: unknown, argName: string): StartMethod {
  if (typeof value === 'string' && kProcessAliases.includes(value)) return 'process';
  if (value === 'fork') {
    throw new TypeError(
      `${argName} 'fork' is not supported: Node cannot fork a running process (its threads and event loop ` +
        "cannot be copied into a child); use 'process' (or its aliases 'spawn', 'forkserver') for a fresh " +
        "Node process, or 'thread'",
    );
  }
  return checkStartMethod(value, argName);
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
