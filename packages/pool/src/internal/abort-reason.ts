/**
 * An abort reason on its way to a worker (see AbortMessage): errors travel
 * serialized; a DOMException (the default `AbortError` of an
 * AbortController) comes back as a DOMException of the same name.
 */
import { deserializeError, serializeError } from '@multiprocessing/core/internal';
import type { AbortReason } from './protocol.js';

function isDomException(value: unknown): value is DOMException {
  // By name, not instanceof: the reason may come from another realm (a vm context).
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { constructor?: { name?: unknown } }).constructor?.name === 'DOMException'
  );
}

/** The wire form of `reason`. */
export function encodeAbortReason(reason: unknown): AbortReason {
  if (isDomException(reason)) return [reason.message, reason.name];
  return serializeError(reason);
}

/** The reason back from its wire form. */
export function decodeAbortReason(wire: AbortReason): Error {
  if (Array.isArray(wire)) return new DOMException(wire[0], wire[1]);
  return deserializeError(wire);
}
