/**
 * Who this thread or process is: the state behind `currentProcess()` and
 * `parentProcess()`. Mirrors `multiprocessing.process._current_process` and
 * `_parent_process`. The main program's main thread is `MainProcess`; the
 * bootstrap of a child calls {@link becomeChild} before it imports the entry.
 */
import { isMainThread, threadId } from 'node:worker_threads';
import type { InitData, ParentInfo } from './protocol.js';
import type { StartMethod } from './start-method.js';
import { runtime } from './runtime-state.js';

/** What `currentProcess()` describes. */
export interface ProcessIdentity {
  name: string;
  readonly pid: number;
  readonly ident: number;
  daemon: boolean;
  authkey: Uint8Array;
}

/** The child's own side of a launch, set once by the bootstrap. */
export interface ChildState {
  readonly startMethod: StartMethod;
  readonly parent: ParentInfo;
  readonly data: unknown;
}

// The identity and launch state live in runtime-state.ts (one per thread,
// whichever copy of this module reads them).
const state = runtime;

// The repr of a Lock held by this thread names this process (Python's
// `<Lock(owner=Process-1)>`); @multiprocessing/value-lock, below this
// package, reads the name under this registered key (its internal/repr.ts).
(globalThis as Record<symbol, unknown>)[Symbol.for('@multiprocessing/process:currentProcessName')] =
  (): string => state.identity?.name ?? 'MainProcess';

/** This thread's or process's identity (made on first use in the main program). */
export function identityOf(): ProcessIdentity {
  state.identity ??= {
    name: 'MainProcess',
    pid: process.pid,
    ident: isMainThread ? process.pid : threadId,
    daemon: false,
    // Loaded on first use: a child inherits its key and never needs crypto.
    authkey: new Uint8Array(process.getBuiltinModule('node:crypto').randomBytes(32)),
  };
  return state.identity;
}

/** The launch state when this is a child of our runtime, else undefined. */
export function childState(): ChildState | undefined {
  return state.child;
}

/** Called by the bootstrap before it imports the entry. */
export function becomeChild(init: InitData): void {
  state.identity = {
    name: init.name,
    pid: process.pid,
    ident: init.startMethod === 'thread' ? threadId : process.pid,
    daemon: init.daemon,
    authkey: new Uint8Array(init.authkey),
  };
  state.child = { startMethod: init.startMethod, parent: init.parent, data: init.data };
}
