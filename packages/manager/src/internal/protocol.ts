/**
 * The manager's request/response frames (the role of Python's
 * `(ident, methodname, args, kwds)` requests and `#RETURN` / `#ERROR` /
 * `#PROXY` replies in `multiprocessing.managers`).
 *
 * Request body: `[u32 BE request id][u8 op][u32 BE object id][u16 BE name
 * length][name, UTF-8][msgpackr args array]`. Response body: `[u32 BE
 * request id][u8 status][msgpackr value]`. The ids sit outside the msgpackr
 * part, so a request whose arguments cannot be decoded still gets its own
 * error reply, and many requests can be in flight on one connection.
 */

/** Request kinds. */
export const Op = {
  /** Call method `name` of object `objectId` with the args. */
  call: 1,
  /** Create an object of typeid `name` with the args; replies with a proxy. */
  create: 2,
  /** Shut the server down (replies first). */
  shutdown: 3,
  /** Does nothing (Python's `dummy`): checks the connection. */
  ping: 4,
  /** Replies with the number of live objects (Python's `number_of_objects`). */
  numberOfObjects: 5,
} as const;

/** Response kinds. */
export const Status = {
  /** The value is the result (Python's `#RETURN`). */
  value: 0,
  /** The value is an error to throw (`#ERROR` / `#TRACEBACK`). */
  error: 1,
  /** The value is a {@link ProxyMeta}: the result lives in the server (`#PROXY`). */
  proxy: 2,
} as const;

/** Size of the fixed part of a request body. */
export const REQUEST_HEAD = 11;
/** Size of the fixed part of a response body. */
export const RESPONSE_HEAD = 5;

/** What the server tells a client about an object it holds: `[typeid, id, proxytype, exposed]`. */
export type ProxyMeta = [typeid: string, id: number, proxytype: string, exposed: string[]];

const nameCache = new Map<string, Buffer>();

function nameBytes(name: string): Buffer {
  let bytes = nameCache.get(name);
  if (bytes === undefined) {
    bytes = Buffer.from(name, 'utf8');
    if (bytes.length > 0xffff) throw new RangeError(`method name is too long: ${name.slice(0, 40)}…`);
    if (nameCache.size < 4096) nameCache.set(name, bytes);
  }
  return bytes;
}

/** The fixed part of a request body. */
export function requestHead(id: number, op: number, objectId: number, name: string): Buffer {
  const n = nameBytes(name);
  const head = Buffer.allocUnsafe(REQUEST_HEAD + n.length);
  head.writeUInt32BE(id, 0);
  head[4] = op;
  head.writeUInt32BE(objectId, 5);
  head.writeUInt16BE(n.length, 9);
  n.copy(head, REQUEST_HEAD);
  return head;
}

/** The fixed part of a response body. */
export function responseHead(id: number, status: number): Buffer {
  const head = Buffer.allocUnsafe(RESPONSE_HEAD);
  head.writeUInt32BE(id, 0);
  head[4] = status;
  return head;
}

/** A parsed request. */
export interface Request {
  readonly id: number;
  readonly op: number;
  readonly objectId: number;
  readonly name: string;
  readonly body: Buffer;
}

/** Parses a request body; undefined when it is too short to be one. */
export function parseRequest(frame: Buffer): Request | undefined {
  if (frame.length < REQUEST_HEAD) return undefined;
  const nameLength = frame.readUInt16BE(9);
  if (frame.length < REQUEST_HEAD + nameLength) return undefined;
  return {
    id: frame.readUInt32BE(0),
    op: frame.readUInt8(4),
    objectId: frame.readUInt32BE(5),
    name: frame.toString('utf8', REQUEST_HEAD, REQUEST_HEAD + nameLength),
    body: frame.subarray(REQUEST_HEAD + nameLength),
  };
}
