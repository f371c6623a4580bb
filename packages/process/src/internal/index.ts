/**
 * The worker runtime, for sibling packages only (`@multiprocessing/process/internal`).
 * Not part of the public API: it may change with the packages that use it.
 */

// consumers: @multiprocessing/pool (pool workers), @multiprocessing/manager
// (the server thread/process). Parent side: start a child running an entry.
export { launch } from './launch.js';
export type { LaunchOptions, Launched } from './launch.js';

// consumers: pool, manager. The start-method type of LaunchOptions and of contexts.
export type { StartMethod } from '../start-method.js';

// consumers: pool (Pool, ProcessPoolExecutor), manager (BaseManager, Manager()).
// The check of their `context` option, and how it shows a bad value.
export { contextStartMethod, describeArgument } from './context-option.js';

// consumers: pool workers and the manager server (inside their entry modules).
// Child side: the data given to launch() and the channel to the parent.
export { getLaunchData, parentChannel } from './parent-channel.js';
export type { ParentChannel } from './parent-channel.js';
