/**
 * Python's `set_executable()`, `freeze_support()` and
 * `allow_connection_pickling()`: which Node binary `'process'` children run,
 * and two calls that Python programs make and that have nothing to do here.
 */
import { accessSync, constants } from 'node:fs';
import { runtime } from './internal/runtime-state.js';

/**
 * Sets the program that `'process'` children run (Python's
 * `set_executable()`): a Node binary, or a wrapper that runs one with the
 * arguments it is given. Children started afterwards use it; `'thread'`
 * children run in this Node. Pass `null` to go back to this Node
 * (`process.execPath`).
 *
 * @throws {TypeError} when `path` is not a non-empty string or null.
 * @throws {RangeError} when `path` is not an executable file.
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.set_executable
 */
export function setExecutable(path: string | null): void {
  if (path === null) {
    runtime.executable = undefined;
    return;
  }
  if (typeof path !== 'string' || path === '') {
    throw new TypeError(
      `path must be a non-empty string or null, got ${typeof path === 'string' ? "''" : typeof path}`,
    );
  }
  try {
    accessSync(path, constants.X_OK);
  } catch (cause) {
    throw new RangeError(`path must be an executable file, got '${path}'`, { cause });
  }
  runtime.executable = path;
}

/**
 * Does nothing, as Python's `freeze_support()` does except in a frozen
 * Windows executable; a Python program that calls it runs unchanged.
 *
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.freeze_support
 */
export function freezeSupport(): void {
  // Nothing to do: Node programs are not frozen executables.
}

/**
 * Does nothing, as in Python 3: connections always cross to other threads
 * and processes live.
 *
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.allow_connection_pickling
 */
export function allowConnectionPickling(): void {
  // Nothing to do: a Connection is a shareable.
}
