/**
 * @multiprocessing/process: Process, contexts, start methods and the worker runtime.
 * Adding a name here is a semver commitment.
 */
export {
  currentProcess,
  parentProcess,
  activeChildren,
  cpuCount,
  isMainProcess,
} from './current-process.js';
export type { CurrentProcess, ParentProcess } from './current-process.js';

export type { StartMethod } from './internal/start-method.js';
