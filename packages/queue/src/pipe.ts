/**
 * `Pipe()`: a pair of connected {@link Connection}s between threads. Mirrors
 * `multiprocessing.Pipe`. Differences: the ends are worker-thread objects
 * over shared memory (they do not reach a child process), and `recv` is
 * async with a `recvSync` twin.
 */
import { Connection } from './connection.js';

/**
 * Returns a pair of connected ends. With `duplex` (the default) both ends
 * send and receive; with `duplex = false` the first end only receives and
 * the second only sends, as in Python.
 *
 * @example
 * ```ts
 * const [parent, child] = Pipe<string>();
 * child.send('hello');
 * console.log(await parent.recv()); // 'hello'
 * ```
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.Pipe
 */
export function Pipe<T = unknown>(duplex = true): [Connection<T>, Connection<T>] {
  if (typeof duplex !== 'boolean') throw new TypeError('duplex must be a boolean');
  return Connection.create<T>(duplex);
}
