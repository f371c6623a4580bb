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
import type { FrameWriter } from './transport.js';

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

/**
 * Queues a request frame on `fs`: the fixed part written straight into the
 * outgoing buffer, then `args` (the encoded argument array).
 */
export function sendRequest(
  fs: FrameWriter,
  id: number,
  op: number,
  objectId: number,
  name: string,
  args: Uint8Array,
): void {
  const n = nameBytes(name);
  const off = fs.beginFrame(REQUEST_HEAD + n.length + args.length);
  if (off < 0) return;
  const buf = fs.staged;
  buf.writeUInt32BE(id, off);
  buf[off + 4] = op;
  buf.writeUInt32BE(objectId, off + 5);
  buf.writeUInt16BE(n.length, off + 9);
  n.copy(buf, off + REQUEST_HEAD);
  buf.set(args, off + REQUEST_HEAD + n.length);
}

/** Queues a response frame on `fs`: the fixed part, then `body` (the encoded value). */
export function sendResponse(fs: FrameWriter, id: number, status: number, body: Uint8Array): void {
  const off = fs.beginFrame(RESPONSE_HEAD + body.length);
  if (off < 0) return;
  const buf = fs.staged;
  buf.writeUInt32BE(id, off);
  buf[off + 4] = status;
  buf.set(body, off + RESPONSE_HEAD);
}

/** A parsed request. */
export interface Request {
  readonly id: number;
  readonly op: number;
  readonly objectId: number;
  readonly name: string;
  /** The frame; the encoded arguments are its bytes from `argsStart` on. */
  readonly frame: Buffer;
  readonly argsStart: number;
}

interface ReadName {
  readonly bytes: Buffer;
  readonly name: string;
}

/** Names read from requests, by a hash of their bytes: a repeated name is one string, not a new one each call. */
const readNames = new Map<number, ReadName>();

function readName(frame: Buffer, start: number, end: number): string {
  const n = end - start;
  if (n > 64) return frame.toString('utf8', start, end);
  let h = 0x811c9dc5 ^ n;
  for (let i = start; i < end; i++) h = Math.imul(h ^ (frame[i] ?? 0), 0x01000193);
  const hit = readNames.get(h);
  if (hit?.bytes.length === n) {
    let same = true;
    for (let i = 0; i < n && same; i++) same = hit.bytes[i] === frame[start + i];
    if (same) return hit.name;
  }
  const name = frame.toString('utf8', start, end);
  if (readNames.size < 4096) readNames.set(h, { bytes: Buffer.from(frame.subarray(start, end)), name });
  return name;
}

/** Parses a request body; undefined when it is too short to be one. */
export function parseRequest(frame: Buffer): Request | undefined {
  if (frame.length < REQUEST_HEAD) return undefined;
  const nameLength = frame.readUInt16BE(9);
  if (frame.length < REQUEST_HEAD + nameLength) return undefined;
  return {
    id: frame.readUInt32BE(0),
    op: frame[4] ?? 0,
    objectId: frame.readUInt32BE(5),
    name: readName(frame, REQUEST_HEAD, REQUEST_HEAD + nameLength),
    frame,
    argsStart: REQUEST_HEAD + nameLength,
  };
}
