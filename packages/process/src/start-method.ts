/**
 * The start-method names. Mirrors the `'fork' | 'spawn' | 'forkserver'` names
 * of Python's `multiprocessing.context`: here a child is a worker thread
 * (`'thread'`, the default) or a forked Node process (`'process'`).
 */

/** How a child is started: a worker thread or an OS process. */
export type StartMethod = 'thread' | 'process';

/**
 * A start method as `getContext` and `setStartMethod` take it: a
 * {@link StartMethod}, or one of Python's names `'spawn'` and `'forkserver'`,
 * both aliases of `'process'` (a fresh Node process), so ported code runs.
 * Python's `'fork'` is refused: Node cannot fork a running process.
 */
export type StartMethodName = StartMethod | 'spawn' | 'forkserver';
