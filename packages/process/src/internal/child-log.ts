/**
 * The runtime's logger in a child whose parent set up logging (see
 * child-start.ts), for the child's lifecycle events; undefined otherwise, so
 * a child that does not log never loads the logger. It lives in the runtime
 * state, which the bundled bootstrap and the entry modules share.
 */
import type { Logger } from '@multiprocessing/core';
import { runtime } from './runtime-state.js';

/** The child's logger, when its parent set up logging. */
export function childLog(): Logger | undefined {
  return runtime.log;
}

/** Set once by the child's start. */
export function setChildLog(logger: Logger | undefined): void {
  runtime.log = logger;
}
