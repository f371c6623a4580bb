/**
 * The parent side of the worker runtime: starts a child (a worker thread or a
 * forked Node process) that runs the bootstrap and then an entry module.
 * Mirrors the `Popen` classes of Python's `multiprocessing.popen_*`: one
 * object per child with its pid, exit code and terminate/kill. Used by
 * `Process`, by pool workers and by the manager's server. The two kinds of
 * child are thread-child.ts and process-child.ts, on launched-child.ts's base.
 */
import { logSettings, toModuleUrl } from '@multiprocessing/core/internal';
import { identityOf } from './current.js';
import { checkEntryFiles } from './entry-path.js';
import type { LaunchOptions, Launched } from './launch-types.js';
import { loadersToCarry } from './loaders.js';
import { ProcessChild } from './process-child.js';
import type { InitData } from './protocol.js';
import { checkStartMethod } from './start-method.js';
import { ThreadChild } from './thread-child.js';

export type { LaunchOptions, Launched } from './launch-types.js';

/**
 * Starts a child that runs the bootstrap and then `options.entry`.
 *
 * @throws {TypeError} when an option has the wrong type.
 * @throws {PicklingError} when `data` cannot be cloned for the child.
 */
export function launch(options: LaunchOptions): Launched {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const entry = toModuleUrl(options.entry, 'entry');
  checkEntryFiles(entry);
  const startMethod = checkStartMethod(options.startMethod, 'startMethod');
  if (typeof options.name !== 'string' || options.name === '') {
    throw new TypeError('name must be a non-empty string');
  }
  if (options.daemon !== undefined && typeof options.daemon !== 'boolean') {
    throw new TypeError('daemon must be a boolean');
  }
  if (options.entryBootstraps !== undefined && typeof options.entryBootstraps !== 'boolean') {
    throw new TypeError('entryBootstraps must be a boolean');
  }
  if (options.output !== undefined && typeof options.output !== 'function') {
    throw new TypeError('output must be a function');
  }
  const me = identityOf();
  const init: InitData = {
    name: options.name,
    daemon: options.daemon ?? false,
    startMethod,
    authkey: me.authkey,
    parent: { name: me.name, pid: process.pid },
    entry,
    loaders: startMethod === 'thread' ? loadersToCarry() : [],
    parentDeathSignal: false,
    data: options.data,
    log: logSettings(),
  };
  return startMethod === 'thread' ? new ThreadChild(options, init) : new ProcessChild(options, init);
}
