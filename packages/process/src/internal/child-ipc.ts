/**
 * The child side of the runtime's plumbing under both start methods: the
 * fork IPC channel of a process child (message routing, ref counting,
 * flushing) and how a child ends, as Python's `Process._bootstrap` does
 * (print `Process <name>:` and the stack, report, exit). It does not load
 * @multiprocessing/core until an error needs it, to keep child start-up fast.
 */
import { isMainThread, parentPort } from 'node:worker_threads';
import { childLog } from './child-log.js';
import { identityOf } from './current.js';
import { isRuntimeMessage, kRuntime, type ErrorMessage, type InitData } from './protocol.js';
import { runtime } from './runtime-state.js';
import { runRemoteExitHooks } from './remote/exit-hooks.js';

// ---------------------------------------------------------------- process IPC

// The channel's counters, listeners and queue live in runtime-state.ts (one
// per thread, whichever copy of this module the bootstrap or an entry runs).
const state = runtime;

function applyIpcRef(): void {
  const channel = process.channel;
  if (channel === undefined) return;
  if (state.pendingSends > 0 || (state.userRef ?? state.ipcListeners.length > 0)) channel.ref();
  else channel.unref();
}

function afterSend(): void {
  if (--state.pendingSends === 0) {
    applyIpcRef();
    const waiters = state.flushWaiters;
    state.flushWaiters = [];
    for (const w of waiters) w();
  }
}

/**
 * Runs first in the bootstrap of a forked child: routes the parent's
 * messages from now on, so none is lost between the init message and the
 * entry's first listener. Resolves with the init data.
 */
export function attachIpc(): Promise<InitData> {
  return new Promise((resolve) => {
    process.on('message', (message: unknown) => {
      if (isRuntimeMessage(message)) {
        if (message[kRuntime] === 'init') {
          // From here on the channel keeps the child alive only while the
          // entry listens or a send is pending.
          applyIpcRef();
          resolve(message.init);
        }
        return;
      }
      if (state.ipcQueue !== undefined) state.ipcQueue.push(message);
      else for (const listener of state.ipcListeners) listener(message);
    });
  });
}

/**
 * Sends `message` to the parent over the IPC channel, if it is still
 * connected, and keeps the channel referenced until the send completes.
 */
export function ipcSend(message: unknown): void {
  if (process.send === undefined || !process.connected) return;
  state.pendingSends++;
  applyIpcRef();
  process.send(message, undefined, undefined, afterSend);
}

/** Resolves once every message posted to the parent has been written (process children). */
export function flushParentChannel(): Promise<void> {
  if (state.pendingSends === 0 || !process.connected) return Promise.resolve();
  return new Promise((resolve) => state.flushWaiters.push(resolve));
}

/** Adds a listener for the parent's user messages (process children). */
export function addIpcListener(listener: (message: unknown) => void): void {
  state.ipcListeners.push(listener);
  applyIpcRef();
  const queued = state.ipcQueue;
  if (queued !== undefined) {
    state.ipcQueue = undefined;
    // Messages that arrived before the entry listened, in order, after this
    // call returns (as a port delivers its queued messages).
    setImmediate(() => {
      for (const message of queued) for (const l of state.ipcListeners) l(message);
    });
  }
}

/** The explicit ref()/unref() choice for the IPC channel (process children). */
export function setIpcRef(ref: boolean): void {
  state.userRef = ref;
  applyIpcRef();
}

// ---------------------------------------------------------------- ending

/**
 * Ends this child with `code` once its messages to the parent are written.
 * A thread's stdout/stderr chunks are posted synchronously, so they reach
 * the parent before its 'exit' event; a process writes to inherited fds.
 */
export function exitChild(code: number): void {
  childLog()?.info(`process exiting with exitcode ${String(code)}`);
  runRemoteExitHooks();
  if (isMainThread) {
    void flushParentChannel().then(() => process.exit(code));
  } else {
    process.exit(code);
  }
}

/**
 * Python's `Process._bootstrap` on an uncaught error: prints
 * `Process <name>:` and the stack to stderr, reports the error to the parent
 * (which rebuilds it with its class) and exits with code 1.
 */
export function failChild(err: unknown): void {
  if (state.ending) return;
  state.ending = true;
  try {
    runRemoteExitHooks();
  } catch {
    // The error being reported matters more.
  }
  const name = identityOf().name;
  try {
    process.stderr.write(`Process ${name}:\n${process.getBuiltinModule('node:util').inspect(err)}\n`);
  } catch {
    // stderr is gone; the parent still gets the report.
  }
  void import('@multiprocessing/core/internal')
    .then(({ serializeError }) => {
      const report: ErrorMessage = { [kRuntime]: 'error', error: serializeError(err) };
      if (isMainThread) ipcSend(report);
      else parentPort?.postMessage(report);
    })
    .catch(() => undefined)
    .finally(() => {
      exitChild(1);
    });
}
