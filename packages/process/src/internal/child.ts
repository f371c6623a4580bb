/**
 * The child side of the worker runtime alone, for the entry modules of
 * sibling packages (`@multiprocessing/process/internal/child`). A pool
 * worker needs only its channel and its launch data; importing them from
 * here instead of `@multiprocessing/process/internal` keeps the parent side
 * (launch(), `node:child_process`, the loader lookup) out of every worker's
 * start-up. Not part of the public API.
 */

// consumers: pool workers (their entry module).
export { startChildEntry } from './child-start.js';
export { getLaunchData, parentChannel } from './parent-channel.js';
export type { ParentChannel } from './parent-channel.js';
