/**
 * The frames between a process and the broker of another process that owns
 * shared objects. After the authkey handshake, every frame body is
 *
 *   request: [u8 kind][u32 LE call id][u32 LE object id][codec bytes of [method, args]]
 *   reply:   [u8 status][u32 LE call id][codec bytes of the result or the error]
 *
 * A streamed request gets no reply; the broker runs a caller's ordered
 * calls on one object in the order they came. Method names are the class's,
 * or one of the operations below.
 */
import { encodeForProcess } from '@multiprocessing/core/internal';

/** A call whose result the caller awaits. */
export const CALL = 1;
/** A call the caller does not wait for (a put to an unbounded queue). */
export const STREAM = 2;
/** The caller's pid and process name, first on a connection: `[pid, name]`. */
export const HELLO = 3;

/** Reply statuses. */
export const OK = 0;
export const ERR = 1;

/** Reads an accessor: args `[name]`. */
export const GET = '.get';
/** Writes an accessor: args `[name, value]`. */
export const SET = '.set';
/** Reads an element: args `[index]`. */
export const AT = '.at';
/** Writes an element: args `[index, value]`. */
export const SET_AT = '.setAt';
/** The object's repr: args `[]`. */
export const REPR = '.repr';
/** Replies once every earlier call of this connection has run (object id 0). */
export const FLUSH = '.flush';
/** A queue's owner method: one item as `get(options)` gives it, and up to `max - 1` more: args `[max, options]`. */
export const TAKE = '.take';
/** A queue's owner method: items taken and not used, back at the front: args `[items]`. */
export const GIVE_BACK = '.giveBack';

/** Bytes before a request's payload: length prefix, kind, call id, object id. */
const REQUEST_HEAD = 4 + 1 + 4 + 4;

/** One whole request frame, length prefix included. */
export function requestFrame(kind: number, callId: number, objId: number, payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(REQUEST_HEAD + payload.length);
  const view = new DataView(frame.buffer);
  view.setUint32(0, REQUEST_HEAD - 4 + payload.length);
  view.setUint8(4, kind);
  view.setUint32(5, callId, true);
  view.setUint32(9, objId, true);
  frame.set(payload, REQUEST_HEAD);
  return frame;
}

/** The payload of a request: `[method, args]`, for another process. */
export function requestPayload(method: string, args: readonly unknown[]): Uint8Array {
  return encodeForProcess([method, args], 'args');
}

/** The fixed part of a reply: status and call id. */
export function replyHead(status: number, callId: number): Uint8Array {
  const head = new Uint8Array(5);
  head[0] = status;
  new DataView(head.buffer).setUint32(1, callId, true);
  return head;
}

/** The tag of a remote descriptor. */
export const REMOTE_TAG = 'process:Remote';

/** What a remote descriptor holds. */
export interface RemoteData {
  /** The owner's broker socket. */
  readonly addr: string;
  /** The object's id at its broker. */
  readonly id: number;
  /** The class's own tag and module. */
  readonly tag: string;
  readonly module: string;
  /** The owner's pid, and the class name, for messages. */
  readonly pid: number;
  readonly name: string;
  /** Values of the spec's constant accessors. */
  readonly constants: Readonly<Record<string, unknown>>;
  /** Methods sent without waiting for a reply. */
  readonly streamed: Readonly<Record<string, string>>;
  /** Items taken ahead of the caller's gets (an unbounded queue). */
  readonly prefetch?: boolean;
}
