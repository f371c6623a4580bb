/**
 * Start methods. Mirrors the `'fork' | 'spawn' | 'forkserver'` names of
 * Python's `multiprocessing.context`: here a child is a worker thread
 * (`'thread'`, the default) or a forked Node process (`'process'`).
 */

/** How a child is started: a worker thread or an OS process. */
export type StartMethod = 'thread' | 'process';

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
