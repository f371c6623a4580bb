/**
 * Messages between a manager and its server entry on the runtime's parent
 * channel. Namespaced, so no other message is misread.
 */
import type { SerializedError } from '@multiprocessing/core/internal';
import type { Address } from '../address.js';
import type { TypeEntry } from './registry.js';

/** What `launch()` hands the server entry. */
export interface ServerLaunchData {
  readonly address: Address;
  readonly authkey: Uint8Array;
  readonly registry: readonly TypeEntry[];
}

/** Server → manager. */
export type ServerMessage =
  | {
      readonly __mpManager: 'ready';
      readonly address: Address;
      /** The tag of the in-process channel host, for a server in a worker thread. */
      readonly channel?: string;
    }
  | { readonly __mpManager: 'error'; readonly error: SerializedError };

/** Manager → server. */
export interface ShutdownMessage {
  readonly __mpManager: 'shutdown';
}

export function isServerMessage(value: unknown): value is ServerMessage {
  return typeof value === 'object' && value !== null && '__mpManager' in value;
}
