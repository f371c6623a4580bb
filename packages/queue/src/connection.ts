/**
 * One end of a `Pipe`: a connection between threads over two single-producer,
 * single-consumer byte rings in shared memory. Mirrors
 * `multiprocessing.connection.Connection`. Differences: `recv`/`poll` return
 * Promises (with …Sync twins), and `send` never blocks: what does not fit the
 * ring waits in a local buffer that is flushed as the reader drains.
 */
import { isMainThread } from 'node:worker_threads';
import {
  StateError,
  decode,
  encode,
  kInspect,
  kShareable,
  registerShareable,
  type Shareable,
  type ShareableState,
} from '@multiprocessing/core';
import {
  checkMaxlength,
  copyMessageInto,
  recvIntoTarget,
  sendBytesRange,
  timeoutMs,
  kReadyNow,
  kWhenReady,
} from '@multiprocessing/core/internal';
import { deadlineAfter } from './internal/wait.js';
import { rejectWith } from './internal/reject.js';
import { ByteRings } from './internal/byte-ring.js';
import { FrameReader, NONE } from './internal/frame-reader.js';
import { FrameWriter } from './internal/frame-writer.js';
import { countHandle, uncountHandle } from './internal/pipe-handles.js';
import { createPipeMemory, PIPE_RING_BYTES, type ConnectionData } from './internal/pipe-layout.js';
import { connectionRemote } from './internal/remote-specs.js';

export { PIPE_RING_BYTES } from './internal/pipe-layout.js';

/** Connections revived in this worker, closed when the worker exits. */
const revivedHere = new Set<Connection>();

if (!isMainThread) {
  // A worker's handles close when it ends, as a process's fds do; then
  // output still buffered here is handed to its readers before the thread
  // may end (process.exit() included), unless nobody else can read it.
  process.once('exit', () => {
    for (const c of revivedHere) c.close();
    FrameWriter.drainAtExit();
  });
}

/**
 * One end of a {@link Pipe}. Send any value the codec carries, shareables
 * included; receive it with `recv()`.
 *
 * A Connection is itself shareable: post it to a worker (through
 * `@multiprocessing/process`, a Queue or another Connection) and it arrives
 * live. Each thread's copy is a handle; the peer sees EOF once every handle
 * of this end is closed and the data is drained, as with Python's pipes.
 *
 * @see https://docs.python.org/3/library/multiprocessing.html#connection-objects
 */
export class Connection<T = unknown> implements Shareable, Disposable {
  readonly #data: ConnectionData;
  readonly #rings: ByteRings;
  readonly #writer: FrameWriter | undefined;
  readonly #reader: FrameReader | undefined;
  // Invariant: true once close() ran on this handle; the shared HANDLES word
  // is released when the pending output is flushed (or dropped).
  #closed = false;
  #released = false;

  /** @internal Use {@link Pipe}. */
  constructor(data: ConnectionData) {
    this.#data = data;
    const rings = new ByteRings(data);
    this.#rings = rings;
    if (data.outbound !== null) {
      this.#writer = new FrameWriter(rings, () => {
        if (this.#closed) this.#release();
      });
    }
    if (data.inbound !== null) this.#reader = new FrameReader(rings, this.#writer);
    countHandle(rings);
  }

  /** @internal Creates the shared memory of a pipe; used by {@link Pipe}. */
  static create<T>(duplex: boolean, ringBytes = PIPE_RING_BYTES): [Connection<T>, Connection<T>] {
    const [a, b] = createPipeMemory(duplex, ringBytes);
    return [new Connection<T>(a), new Connection<T>(b)];
  }

  /** True once `close()` was called on this handle. */
  get closed(): boolean {
    return this.#closed;
  }

  /** True when this end can receive. */
  get readable(): boolean {
    return this.#reader !== undefined;
  }

  /** True when this end can send. */
  get writable(): boolean {
    return this.#writer !== undefined;
  }

  /**
   * Sends `obj`, encoded with the project codec. Never blocks: what does not
   * fit the ring is buffered here and flushed as the reader drains, at the
   * latest when this thread ends.
   *
   * @throws {PicklingError} when `obj` holds a value the codec refuses.
   * @throws {StateError} `handle is closed`, `connection is read-only`, or
   *   `broken pipe` when every handle of the other end is closed.
   */
  send(obj: T): void {
    this.#checkWritable().writeFrame(encode(obj, 'obj'));
  }

  /**
   * Sends bytes from `buf` as one message (Python's `send_bytes`).
   *
   * @param offset - first byte to send. @default 0
   * @param size - how many bytes. @default the rest of the buffer
   * @throws {RangeError} `offset is negative`, `buffer length < offset`,
   *   `size is negative`, `buffer length < offset + size`.
   */
  sendBytes(buf: ArrayBufferView | ArrayBuffer, offset = 0, size?: number): void {
    const writer = this.#checkWritable();
    writer.writeFrame(sendBytesRange(buf, offset, size));
  }

  /**
   * Resolves with the next object sent from the other end.
   *
   * @throws {EOFError} when the other end is closed and nothing is left.
   * @throws {StateError} `handle is closed` / `connection is write-only`.
   */
  recv(): Promise<T> {
    let reader: FrameReader;
    try {
      reader = this.#checkReadable();
      if (!reader.busy) {
        const value = reader.tryRecv();
        if (value !== NONE) return Promise.resolve(value as T);
      }
    } catch (err) {
      return rejectWith(err);
    }
    return reader.serial(() => this.#checkReadable().frame(undefined)).then((b) => decode(b) as T);
  }

  /** Blocking twin of {@link Connection.recv}; blocks the calling thread. */
  recvSync(): T {
    return this.#checkReadable().recvSync() as T;
  }

  /**
   * Resolves with the next message as bytes (Python's `recv_bytes`).
   *
   * @param maxlength - refuse a longer message with
   *   `StateError('bad message length')` (the message stays unread).
   */
  recvBytes(maxlength?: number): Promise<Uint8Array> {
    try {
      checkMaxlength(maxlength);
      return this.#checkReadable().serial(() => this.#checkReadable().frame(maxlength));
    } catch (err) {
      return rejectWith(err);
    }
  }

  /** Blocking twin of {@link Connection.recvBytes}. */
  recvBytesSync(maxlength?: number): Uint8Array {
    checkMaxlength(maxlength);
    return this.#checkReadable().frameSync(maxlength);
  }

  /**
   * Reads the next message into `buf` at byte `offset` and resolves with its
   * length (Python's `recv_bytes_into`).
   *
   * @throws {RangeError} `negative offset`, `offset too large`.
   * @throws {BufferTooShortError} when it does not fit; the error's `data`
   *   holds the whole message, which is consumed.
   */
  async recvBytesInto(buf: ArrayBufferView | ArrayBuffer, offset = 0): Promise<number> {
    const target = recvIntoTarget(buf, offset);
    const reader = this.#checkReadable();
    const bytes = await reader.serial(() => this.#checkReadable().frame(undefined));
    return copyMessageInto(target, offset, bytes);
  }

  /** Blocking twin of {@link Connection.recvBytesInto}. */
  recvBytesIntoSync(buf: ArrayBufferView | ArrayBuffer, offset = 0): number {
    const target = recvIntoTarget(buf, offset);
    return copyMessageInto(target, offset, this.#checkReadable().frameSync(undefined));
  }

  /**
   * Resolves true when there is data to read (or the other end is closed,
   * so that `recv` would not block).
   *
   * @param timeout - seconds to wait; `0` (the default) answers at once,
   *   `null` waits for ever, a negative number means 0.
   */
  poll(timeout: number | null = 0): Promise<boolean> {
    try {
      const ms = timeoutMs(timeout);
      const reader = this.#checkReadable();
      if (reader.pollNow()) return Promise.resolve(true);
      if (ms === 0) return Promise.resolve(false);
      return reader.poll(deadlineAfter(ms));
    } catch (err) {
      return rejectWith(err);
    }
  }

  /** @internal For connection.wait(): whether a recv would not block now. */
  [kReadyNow](): boolean {
    return this.#checkReadable().pollNow();
  }

  /** @internal For connection.wait(): settles once a recv would not block, or once `signal` aborts. */
  [kWhenReady](signal: AbortSignal): Promise<void> {
    try {
      return this.#checkReadable().whenReadable(signal);
    } catch (err) {
      return rejectWith(err);
    }
  }

  /** Blocking twin of {@link Connection.poll}. */
  pollSync(timeout: number | null = 0): boolean {
    const ms = timeoutMs(timeout);
    const reader = this.#checkReadable();
    if (reader.pollNow()) return true;
    if (ms === 0) return false;
    return reader.pollSync(deadlineAfter(ms));
  }

  /**
   * Closes this handle. Output still buffered here is flushed first (in the
   * background, and at the latest when the thread ends); the other end sees
   * EOF once every handle of this end is closed and the data is drained.
   * A `recv` or `poll` of this handle still waiting rejects with
   * `StateError('handle is closed')`. Idempotent.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    revivedHere.delete(this);
    this.#reader?.close();
    if (this.#writer?.pending !== true) this.#release();
  }

  /**
   * @internal The other end's handles were all held by a thread that ended
   * without closing them (it was terminated): count them as closed, so this
   * end sees EOF and output still buffered here is dropped, not drained at
   * thread exit (nobody will read it). For a caller that knows that thread is
   * gone; never for a live peer.
   */
  _peerGone(): void {
    this.#rings.abandonPeer();
  }

  /**
   * @internal The next message if it is all in the ring now, else undefined;
   * never waits (throws as {@link Connection.recvBytesSync} on a closed or
   * write-only handle). Only while no async read of this handle is pending.
   * With {@link Connection._readable}, the lean read loop of a caller that
   * reads one `Pipe` end from one place (the manager's in-process channel):
   * no read queue, no generator, one promise per wait.
   */
  _recvBytesNow(): Uint8Array | undefined {
    return this.#checkReadable().frameNow();
  }

  /**
   * @internal Undefined when a read would not block now (data is there, or
   * the other end or this handle closed), else a promise that settles once
   * that may have changed (it may settle with nothing to read: check again).
   * When data is there but not a whole message, read it with
   * {@link Connection.recvBytes}, which streams it.
   */
  _readable(): Promise<unknown> | undefined {
    return this.#checkReadable().readable();
  }

  /** Closes this handle (`using conn = …`), as Python's `with conn:` does. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** @internal The shareable descriptor (counts a handle in flight). */
  [kShareable](): ShareableState {
    if (this.#closed) throw new StateError('handle is closed');
    this.#rings.addHandle();
    return { tag: 'queue:Connection', data: this.#data, threadOnly: true };
  }

  /** @internal Revives a handle described by `[kShareable]()`. */
  static fromShared<T>(data: ConnectionData): Connection<T> {
    const conn = new Connection<T>(data);
    if (!isMainThread) revivedHere.add(conn);
    return conn;
  }

  #checkWritable(): FrameWriter {
    if (this.#closed) throw new StateError('handle is closed');
    if (this.#writer === undefined) throw new StateError('connection is read-only');
    return this.#writer;
  }

  #checkReadable(): FrameReader {
    if (this.#closed) throw new StateError('handle is closed');
    if (this.#reader === undefined) throw new StateError('connection is write-only');
    return this.#reader;
  }

  #release(): void {
    if (this.#released) return;
    this.#released = true;
    uncountHandle(this.#rings);
    this.#rings.releaseHandle();
  }

  /** `<Connection readable=true writable=true closed=false>` (Python's has no repr of its own). */
  toString(): string {
    return `<Connection readable=${String(this.readable)} writable=${String(this.writable)} closed=${String(this.#closed)}>`;
  }

  /** `util.inspect` / `console.log` show {@link Connection.toString}, not the rings. */
  [kInspect](): string {
    return this.toString();
  }
}

registerShareable(
  'queue:Connection',
  import.meta.url,
  Connection,
  (d: ConnectionData) => Connection.fromShared(d),
  { remote: connectionRemote },
);
