/**
 * What the client and the server need from a connection, whatever carries
 * it: an authenticated socket (frames.ts) or the in-process shared-memory
 * channel (channel-client.ts, channel-host.ts).
 */

/** The server's side of a connection: where replies go. */
export interface FrameSink {
  /** Queues one frame holding `head` then `body` (both copied now). */
  sendFrame(head: Uint8Array, body: Uint8Array): void;
  /** Closes the connection; queued frames are flushed first when `flush` is true. */
  close(error?: Error, flush?: boolean): void;
}

/**
 * The client's side of a connection. `ref()` while requests are in flight,
 * `unref()` once none is: an idle connection never keeps the program alive,
 * and a channel reads its ring only while a reply is due.
 */
export interface ClientTransport extends FrameSink {
  /** Receives each reply frame (valid only until the callback returns). */
  onFrame: (frame: Buffer) => void;
  /** Called once when the connection closes, with the reason if it was an error. */
  onClose: (error: Error | undefined) => void;
  /** True once the connection is closed or closing. */
  readonly closed: boolean;
  ref(): void;
  unref(): void;
}

/** A frame's `head` and `body` as one new buffer. */
export function joinFrame(head: Uint8Array, body: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

/** A Buffer view of `bytes` (no copy). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
