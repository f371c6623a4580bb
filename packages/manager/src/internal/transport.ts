/**
 * What the client and the server need from a connection, whatever carries
 * it: an authenticated socket (frames.ts) or the in-process shared-memory
 * channel (channel-client.ts, channel-host.ts).
 */
import type { Connection } from '@multiprocessing/queue/internal';

/**
 * Where frames are written in place (protocol.ts writes requests and
 * replies this way): a socket (frames.ts) or a {@link FrameBatch}.
 */
export interface FrameWriter {
  /**
   * Queues one frame of `length` bytes and returns the offset in
   * {@link FrameWriter.staged} where the caller writes them, at once
   * (before any other send). -1 when closed: write nothing.
   */
  beginFrame(length: number): number;
  /** The buffer {@link FrameWriter.beginFrame}'s offset points into. */
  readonly staged: Buffer;
}

/** The server's side of a connection: where replies go. */
export interface FrameSink extends FrameWriter {
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

/** A stage buffer larger than this is dropped after its flush, not kept. */
const KEEP_STAGE = 64 * 1024;

/**
 * Frames of one turn sent as one message of the in-process channel:
 * `[u32 LE length][frame]…`. Every message wakes the reader, and a wake-up
 * of a thread in `Atomics.waitAsync` costs more than the rest of a round
 * trip, so the frames queued in one synchronous run (64 pipelined calls, the
 * replies to them) go out together, at the end of the run (a microtask).
 *
 * Invariant: `#stage[0, #len)` holds the frames not yet sent; a flush is
 * scheduled exactly while `#len > 0`.
 */
export class FrameBatch {
  readonly #send: (message: Uint8Array) => void;
  #stage = Buffer.allocUnsafe(2048);
  #len = 0;

  /** @param send - sends one message; it must copy the bytes before it returns. */
  constructor(send: (message: Uint8Array) => void) {
    this.#send = send;
  }

  /** Queues one frame holding `head` then `body` (both copied now). */
  add(head: Uint8Array, body: Uint8Array): void {
    let off = this.beginFrame(head.length + body.length);
    const stage = this.#stage;
    stage.set(head, off);
    off += head.length;
    stage.set(body, off);
  }

  /**
   * Queues one frame of `length` bytes and returns the offset in
   * {@link FrameBatch.staged} where the caller writes them, at once.
   */
  beginFrame(length: number): number {
    const need = this.#len + 4 + length;
    if (need > this.#stage.length) {
      const next = Buffer.allocUnsafe(Math.max(need, this.#stage.length * 2));
      this.#stage.copy(next, 0, 0, this.#len);
      this.#stage = next;
    }
    if (this.#len === 0) queueMicrotask(this.#flush);
    const off = this.#stage.writeUInt32LE(length, this.#len);
    this.#len = off + length;
    return off;
  }

  /** The buffer {@link FrameBatch.beginFrame}'s offset points into. */
  get staged(): Buffer {
    return this.#stage;
  }

  /** Sends what is queued now. */
  flush(): void {
    this.#flush();
  }

  readonly #flush = (): void => {
    const len = this.#len;
    if (len === 0) return;
    this.#len = 0;
    const stage = this.#stage;
    if (stage.length > KEEP_STAGE) this.#stage = Buffer.allocUnsafe(2048);
    this.#send(stage.subarray(0, len));
  };
}

/** Calls `fn` with each frame of a message made by a {@link FrameBatch} (views, valid during the call). */
export function eachFrame(message: Uint8Array, fn: (frame: Buffer) => void): void {
  const buf = asBuffer(message);
  let off = 0;
  while (off + 4 <= buf.length) {
    const n = buf.readUInt32LE(off);
    off += 4;
    fn(buf.subarray(off, off + n));
    off += n;
  }
}

/** A Buffer view of `bytes` (no copy). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The next message of a channel's `Pipe` end: at once when it is all in the
 * ring, else after one lean wait (`Connection._readable()`: one
 * `Atomics.waitAsync`, no read queue, no generator), which may end with
 * nothing yet (undefined: call again). A message not all in the ring (larger
 * than its free space) and the end of the stream take the `Pipe`'s own
 * streaming read. Only while no other read of `conn` is pending.
 */
export function nextMessage<T>(conn: Connection<T>): Uint8Array | Promise<Uint8Array | undefined> {
  const now = conn._recvBytesNow();
  if (now !== undefined) return now;
  const wait = conn._readable();
  if (wait === undefined) return conn.recvBytes();
  return wait.then(() => conn._recvBytesNow());
}
