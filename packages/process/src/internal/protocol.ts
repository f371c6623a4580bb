/**
 * Message shapes of the worker runtime (the bootstrap and the parent side of
 * `launch()`). Runtime messages carry the namespaced key {@link kRuntime}, so
 * user messages on the same channel are never misread and runtime messages
 * never reach user listeners.
 */
import type { LogSettings, SerializedError } from '@multiprocessing/core/internal';
import type { StartMethod } from './start-method.js';

/** The key that marks a runtime control message. */
export const kRuntime = '__mp_runtime__';

/** The name and pid of the process that launched a child. */
export interface ParentInfo {
  readonly name: string;
  readonly pid: number;
}

/** What the bootstrap needs before it imports the entry. */
export interface InitData {
  /** The child's `currentProcess().name`. */
  readonly name: string;
  readonly daemon: boolean;
  readonly startMethod: StartMethod;
  /** Inherited `currentProcess().authkey` (32 bytes). */
  readonly authkey: Uint8Array;
  readonly parent: ParentInfo;
  /** `file:` URL of the entry module. */
  readonly entry: string;
  /**
   * True when the OS ends this child when its parent dies (a forked child
   * started through setpriv's parent-death signal): it needs no watchdog thread.
   */
  readonly parentDeathSignal: boolean;
  /** Loader modules (`file:` URLs) to register before the entry is imported. */
  readonly loaders: readonly LoaderSpec[];
  /** What the entry reads with `getLaunchData()`. */
  readonly data: unknown;
  /** The parent's logging, when it set any up: the child logs the same way. */
  readonly log?: LogSettings;
}

/**
 * A loader to carry into a child. `register`: a module exporting
 * `register()` (tsx's ESM API); `import`: a module imported for its side
 * effects (an `--import` preload that registers hooks itself).
 */
export interface LoaderSpec {
  readonly kind: 'register' | 'import';
  readonly url: string;
}

/** Parent → child (process only): the init data, as the first IPC message. */
export interface InitMessage {
  readonly [kRuntime]: 'init';
  readonly init: InitData;
}

/** Child → parent: the uncaught error that is ending the child. */
export interface ErrorMessage {
  readonly [kRuntime]: 'error';
  readonly error: SerializedError;
}

/** Parent → child (thread only): `Process#interrupt()`, which a worker thread cannot get as a signal. */
export interface InterruptMessage {
  readonly [kRuntime]: 'interrupt';
}

export type RuntimeMessage = InitMessage | ErrorMessage | InterruptMessage;

/** True when `message` is a runtime control message. */
export function isRuntimeMessage(message: unknown): message is RuntimeMessage {
  return typeof message === 'object' && message !== null && kRuntime in message;
}
