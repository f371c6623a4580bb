/**
 * The start-method names. Mirrors the `'fork' | 'spawn' | 'forkserver'` names
 * of Python's `multiprocessing.context`: here a child is a worker thread
 * (`'thread'`, the default) or a forked Node process (`'process'`).
 */

/** How a child is started: a worker thread or an OS process. */
export type StartMethod = 'thread' | 'process';
