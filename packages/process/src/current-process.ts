/**
 * Module-level helpers about the running program: `currentProcess()`,
 * `parentProcess()`, `activeChildren()`, `cpuCount()` and the main-module
 * guard `isMainProcess()`. Mirrors the functions of the same names in
 * `multiprocessing` (`current_process`, `parent_process`, …).
 */
import { availableParallelism, cpus } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { children } from './internal/children.js';
import { childState, identityOf } from './internal/current.js';
import type { Process } from './process.js';

/** The running process or thread, as `currentProcess()` describes it. */
export interface CurrentProcess {
  /** `MainProcess` in the main program; `Process-N`, `PoolWorker-N` or the given name in a child. */
  name: string;
  /** The OS pid (under the 'thread' start method, the pid of the whole program). */
  readonly pid: number;
  /** The OS pid in a process; the thread id in a worker thread. */
  readonly ident: number;
  /** Whether this child is a daemon (always false in the main program). */
  readonly daemon: boolean;
  /** The 32-byte key made once per program and inherited by every child; the Manager's default authkey. */
  authkey: Uint8Array;
}

/** The parent of a child, as `parentProcess()` describes it. */
export interface ParentProcess {
  /** The parent's name (`MainProcess` when the main program started this child). */
  readonly name: string;
  /** The parent's OS pid (under the 'thread' start method, the pid of the whole program). */
  readonly pid: number;
}

/**
 * The running process: `MainProcess` in the main program, the child's own
 * name in a child. Assigning `name` or `authkey` changes them for this
 * process (and for children started afterwards), as in Python.
 *
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.current_process
 */
export function currentProcess(): CurrentProcess {
  return identityOf();
}

/**
 * The parent's name and pid in a child; `null` in the main program.
 *
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.parent_process
 */
export function parentProcess(): ParentProcess | null {
  const state = childState();
  return state === undefined ? null : { ...state.parent };
}

/**
 * The children of this process or thread that are still alive. Like Python,
 * it forgets (reaps) the ones that have ended.
 *
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.active_children
 */
export function activeChildren(): Process[] {
  const out: Process[] = [];
  for (const child of children) {
    if (child.isAlive()) out.push(child);
    else children.delete(child);
  }
  return out;
}

/**
 * The number of CPUs Node may use (`os.availableParallelism()`, falling
 * back to `os.cpus().length`). Python's `cpu_count()`.
 */
export function cpuCount(): number {
  try {
    return availableParallelism();
  } catch {
    return Math.max(1, cpus().length);
  }
}

/**
 * The main-module guard (Python's `if __name__ == '__main__':`): true only in
 * the main thread of the main program, false in every child, so a module
 * that a child imports can keep its start-up code from running again there.
 *
 * @example
 * if (isMainProcess()) {
 *   const p = new Process({ target: tasks.work });
 *   p.start();
 * }
 */
export function isMainProcess(): boolean {
  return isMainThread && childState() === undefined;
}
