/**
 * `@multiprocessing/process`: Process, contexts, start methods and the worker
 * runtime.
 *
 * @privateRemarks
 * Adding a name here is a semver commitment.
 *
 * @packageDocumentation
 */
// Shared objects (a Lock, a Queue) sent to a child process are served to it
// by this process's broker: installs how the codec sends them.
import './internal/remote/exporter.js';

export { Process } from './process.js';
export type { ProcessOptions } from './process.js';

export { getContext, setStartMethod, getStartMethod, getAllStartMethods } from './context.js';
export type { Context, SetStartMethodOptions, GetStartMethodOptions } from './context.js';
export type { StartMethod, StartMethodName } from './start-method.js';

export { currentProcess, parentProcess, activeChildren, cpuCount, isMainProcess } from './current-process.js';
export { setExecutable, freezeSupport, allowConnectionPickling } from './executable.js';
export type { CurrentProcess, ParentProcess } from './current-process.js';

export {
  moduleRef,
  taskRef,
  ProcessError,
  PicklingError,
  StateError,
  getLogger,
  logToStderr,
  LogLevel,
} from '@multiprocessing/core';
export type {
  Task,
  TaskRef,
  ModuleRef,
  TaskArgs,
  TaskResult,
  Logger,
  LogRecord,
  LogHandler,
  LogLevelName,
} from '@multiprocessing/core';
