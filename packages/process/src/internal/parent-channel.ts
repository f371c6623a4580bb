/**
 * What an entry module uses to talk to its parent: {@link parentChannel} (the
 * same API under both start methods) and {@link getLaunchData}.
 */
import { isMainThread, parentPort, type Transferable } from 'node:worker_threads';
import { StateError } from '@multiprocessing/core/internal';
import { addIpcListener, ipcSend, setIpcRef } from './child-ipc.js';
import { childState } from './current.js';
import { isRuntimeMessage } from './protocol.js';

/** The channel between a launched child and its parent. */
export interface ParentChannel {
  /** Posts to the parent's `Launched.onMessage` listeners. */
  postMessage(message: unknown, transfer?: readonly Transferable[]): void;
  /** Adds a listener for the parent's `Launched.postMessage` messages; the channel then keeps the child alive (as `parentPort.on('message')` does) unless `unref()` was called. */
  onMessage(listener: (message: unknown) => void): void;
  ref(): void;
  unref(): void;
}

function requireChild(what: string): NonNullable<ReturnType<typeof childState>> {
  const state = childState();
  if (state === undefined) {
    throw new StateError(`${what} is only available inside a child started by launch()`);
  }
  return state;
}

/** The `data` the parent passed to launch(). */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the contract: the caller names the type
export function getLaunchData<T = unknown>(): T {
  return requireChild('getLaunchData()').data as T;
}

// ---------------------------------------------------------------- the channel

const threadChannel: ParentChannel = {
  postMessage(message, transfer) {
    const port = parentPort;
    if (port === null)
      throw new StateError('parentChannel is only available inside a child started by launch()');
    port.postMessage(message, transfer === undefined ? undefined : [...transfer]);
  },
  onMessage(listener) {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    const port = parentPort;
    if (port === null)
      throw new StateError('parentChannel is only available inside a child started by launch()');
    port.on('message', (message: unknown) => {
      if (!isRuntimeMessage(message)) listener(message);
    });
  },
  ref() {
    parentPort?.ref();
  },
  unref() {
    parentPort?.unref();
  },
};

const processChannel: ParentChannel = {
  postMessage(message) {
    requireChild('parentChannel');
    ipcSend(message);
  },
  onMessage(listener) {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    requireChild('parentChannel');
    addIpcListener(listener);
  },
  ref() {
    setIpcRef(true);
  },
  unref() {
    setIpcRef(false);
  },
};

/** The channel to the parent, the same API under both start methods. */
export const parentChannel: ParentChannel = isMainThread ? processChannel : threadChannel;
