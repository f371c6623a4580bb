/**
 * The child runtime's state, one per thread, shared by every copy of this
 * package's code that the thread loads. A child's bootstrap and a pool
 * worker's entry are each built as one bundled file (fewer files, a faster
 * start), so a worker holds copies of current.ts and child-ipc.ts beside
 * the modules a task's own `import '@multiprocessing/process'` loads; they
 * must all see one identity, one launch state and one IPC queue. The state
 * lives on `globalThis` under a `Symbol.for` key, which every copy (and
 * every realm of the thread) resolves to the same slot. (Core's
 * `threadGlobal` does the same for core; it is not used here because a
 * child's bootstrap must not load @multiprocessing/core before its entry
 * needs it.)
 */
import type { Logger } from '@multiprocessing/core';
import type { ChildState, ProcessIdentity } from './current.js';

/** What current.ts and child-ipc.ts keep for the thread. */
export interface RuntimeState {
  // Invariant: `identity` is the source of truth for currentProcess(). It is
  // made lazily in the main program (the authkey costs a random read) and
  // replaced once by becomeChild() in a child, before any user code runs.
  // `child` is undefined exactly when this is not a child of our runtime.
  identity: ProcessIdentity | undefined;
  child: ChildState | undefined;
  // Invariant (process children only): `pendingSends` counts sends not yet
  // written to the pipe; the channel stays ref'd while it is above 0 so a
  // message is never lost to a natural exit. `userRef` is the explicit choice
  // made with ref()/unref() (undefined until one is called); without it the
  // channel is ref'd exactly while a listener exists, as Node does by default.
  pendingSends: number;
  userRef: boolean | undefined;
  flushWaiters: (() => void)[];
  readonly ipcListeners: ((message: unknown) => void)[];
  /** Messages that arrived before the entry listened; undefined once it does. */
  ipcQueue: unknown[] | undefined;
  /** True once the child has started to end on an error. */
  ending: boolean;
  /** The runtime's logger in a child whose parent set up logging (child-log.ts). */
  log: Logger | undefined;
  /** What 'process' children run, when setExecutable() chose other than this Node. */
  executable: string | undefined;
}

const key = Symbol.for('@multiprocessing/process:runtime@1');

function create(): RuntimeState {
  const state: RuntimeState = {
    identity: undefined,
    child: undefined,
    pendingSends: 0,
    userRef: undefined,
    flushWaiters: [],
    ipcListeners: [],
    ipcQueue: [],
    ending: false,
    log: undefined,
    executable: undefined,
  };
  Object.defineProperty(globalThis, key, { value: state, enumerable: false });
  return state;
}

/** The thread's runtime state (made by the first copy that asks). */
export const runtime: RuntimeState =
  (globalThis as unknown as Record<symbol, RuntimeState | undefined>)[key] ?? create();
