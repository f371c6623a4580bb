/**
 * One end of a `Pipe`: a connection between threads over two single-producer,
 * single-consumer byte rings in shared memory. Mirrors
 * `multiprocessing.connection.Connection`. Differences: `recv`/`poll` return
 * Promises (with …Sync twins), and `send` never blocks: what does not fit the
 * ring waits in a local buffer that is flushed as the reader drains.
 */
import { types } from 'node:util';
import { isMainThread } from 'node:worker_threads';
import {
  BufferTooShortError,
  EOFError,
  StateError,
  decode,
  encode,
  kInspect,
  kShareable,
  registerShareable,
  type Shareable,
  type ShareableState,
} from '@multiprocessing/core';
import { timeoutMs } from '@multiprocessing/core/internal';
import {
  deadlineAfter,
  remaining,
  spinWhileEqual,
  waitAsync,
  waitSync,
} from './internal/wait.js';
import { rejectWith } from './internal/reject.js';
import { frameBuffer } from './internal/scratch.js';

/*
 * Shared layout (Int32Array over one SharedArrayBuffer per Pipe, CTL_INTS
 * words). Ring r is the inbound ring of end r: end 0 reads ring 0 and writes
 * ring 1. A one-way pipe has ring 0 only (end 0 reads, end 1 writes).
 *
 *   index            meaning
 *   WPOS(r) = 32r    bytes ever written into ring r (mod 2^32); writer stores
 *   RPOS(r) = 32r+16 bytes ever read from ring r (mod 2^32); reader stores
 *   SIG(e)  = 64+16e sequence word end e sleeps on; the peer bumps it after
 *                    it wrote into ring e while WAIT_DATA(e) > 0, after it
 *                    read from ring 1-e while WAIT_SPACE(e) > 0, and always
 *                    when it closes
 *   WAIT_DATA(e)     SIG(e)+1: reads/polls of end e that may sleep on SIG(e)
 *   WAIT_SPACE(e)    SIG(e)+3: flushes of end e that may sleep on SIG(e)
 *   HANDLES(e)       SIG(e)+2: open handles of end e in every thread, plus
 *                    handles in flight (described but not yet revived);
 *                    0 = end e is closed everywhere (EOF for the peer)
 *
 * WPOS and RPOS live on separate 64-byte lines (no false sharing between the
 * two sides). Each ring holds a byte stream of frames `[u32 LE length][bytes]`;
 * a frame may be larger than the ring, since reader and writer stream it.
 * Index protocol after padenot/ringbuf.js (one writer stores WPOS after the
 * copy, one reader stores RPOS after the copy); capacity is a power of two so
 * positions wrap mod 2^32 and `pos & mask` is the offset. Sleeping follows
 * Hansen's sequence-word condition (lars-t-hansen/parlib-simple) with a
 * waiter count, so the fast path makes no notify call.
 */
const CTL_INTS = 112;
const wpos = (r: number): number => 32 * r;
const rpos = (r: number): number => 32 * r + 16;
const sig = (e: number): number => 64 + 16 * e;
const waitData = (e: number): number => 64 + 16 * e + 1;
const handles = (e: number): number => 64 + 16 * e + 2;
const waitSpace = (e: number): number => 64 + 16 * e + 3;

/** Default ring size per direction (like a Linux pipe's 64 KiB buffer). */
export const PIPE_RING_BYTES = 64 * 1024;

interface ConnectionData {
  readonly ctl: SharedArrayBuffer;
  readonly end: 0 | 1;
  readonly inbound: SharedArrayBuffer | null;
  readonly outbound: SharedArrayBuffer | null;
}

/** Connections of this thread with unflushed output (flushed while blocking). */
const flushing = new Set<Connection>();
/** Connections revived in this worker, closed when the worker exits. */
let revivedHere: Set<Connection> | undefined;

const SLICE_MS = 1;
/** No whole frame was there. */
const NONE: unique symbol = Symbol('none');
/** Stands for the ring a one-way end does not have. */
const NO_RING = new Uint8Array(0);

/**
 * One end of a {@link Pipe}. Send any value the codec carries (see
 * DESIGN.md §4.1), shareables included; receive it with `recv()`.
 *
 * A Connection is itself shareable: post it to a worker (through
 * `@multiprocessing/process`, a Queue or another Connection) and it arrives
 * live. Each thread's copy is a handle; the peer sees EOF once every handle
 * of this end is closed and the data is drained, as with Python's pipes.
 *
 * @see https://docs.python.org/3/library/multiprocessing.html#connection-objects
 */
export class Connection<T = unknown> implements Shareable, Disposable {
  readonly #ctl: Int32Array;
  readonly #ctlBuffer: SharedArrayBuffer;
  readonly #end: 0 | 1;
  readonly #peer: 0 | 1;
  // Inbound ring (undefined on a write-only end) and its sab.
  readonly #in: Uint8Array = NO_RING;
  readonly #inBuffer: SharedArrayBuffer | undefined;
  readonly #out: Uint8Array = NO_RING;
  readonly #outBuffer: SharedArrayBuffer | undefined;
  // Invariant: true once close() ran on this handle; the shared HANDLES word
  // is released when the pending output is flushed (or dropped).
  #closed = false;
  #released = false;
  // Output that did not fit the ring, in order; `#pendingOffset` bytes of
  // the first chunk are already written. Owned copies (never arena views).
  readonly #pending: Uint8Array[] = [];
  #pendingOffset = 0;
  #flushLoop: Promise<void> | undefined;
  // Serialises this handle's async reads (two recv() in flight on one
  // thread must not interleave their bytes).
  #readTail: Promise<unknown> = Promise.resolve();
  readonly #header = new Uint8Array(4);
  // Async reads queued or running on this handle (a new recv() may take
  // the synchronous fast path only when none is).
  #reading = 0;

  /** @internal Use {@link Pipe}. */
  constructor(data: ConnectionData) {
    this.#ctlBuffer = data.ctl;
    this.#ctl = new Int32Array(data.ctl);
    this.#end = data.end;
    this.#peer = data.end === 0 ? 1 : 0;
    if (data.inbound !== null) {
      this.#inBuffer = data.inbound;
      this.#in = new Uint8Array(data.inbound);
    }
    if (data.outbound !== null) {
      this.#outBuffer = data.outbound;
      this.#out = new Uint8Array(data.outbound);
    }
  }

  /** @internal Creates the shared memory of a pipe; used by {@link Pipe}. */
  static create<T>(duplex: boolean, ringBytes = PIPE_RING_BYTES): [Connection<T>, Connection<T>] {
    const ctl = new SharedArrayBuffer(CTL_INTS * 4);
    const i32 = new Int32Array(ctl);
    Atomics.store(i32, handles(0), 1);
    Atomics.store(i32, handles(1), 1);
    const ring0 = new SharedArrayBuffer(ringBytes);
    const ring1 = duplex ? new SharedArrayBuffer(ringBytes) : null;
    return [
      new Connection<T>({ ctl, end: 0, inbound: ring0, outbound: ring1 }),
      new Connection<T>({ ctl, end: 1, inbound: ring1, outbound: ring0 }),
    ];
  }

  /** True once `close()` was called on this handle. */
  get closed(): boolean {
    return this.#closed;
  }

  /** True when this end can receive. */
  get readable(): boolean {
    return this.#inBuffer !== undefined;
  }

  /** True when this end can send. */
  get writable(): boolean {
    return this.#outBuffer !== undefined;
  }

  /**
   * Sends `obj`, encoded with the project codec. Never blocks: what does not
   * fit the ring is buffered here and flushed as the reader drains.
   *
   * @throws {PicklingError} when `obj` holds a function or a MessagePort.
   * @throws {StateError} `handle is closed`, `connection is read-only`, or
   *   `broken pipe` when every handle of the other end is closed.
   */
  send(obj: T): void {
    this.#checkWritable();
    this.#writeFrame(encode(obj, 'obj'));
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
    this.#checkWritable();
    const bytes = toBytes(buf);
    if (!Number.isInteger(offset)) throw new TypeError('offset must be an integer');
    if (offset < 0) throw new RangeError('offset is negative');
    if (bytes.length < offset) throw new RangeError('buffer length < offset');
    let n: number;
    if (size === undefined) {
      n = bytes.length - offset;
    } else {
      if (!Number.isInteger(size)) throw new TypeError('size must be an integer');
      if (size < 0) throw new RangeError('size is negative');
      if (bytes.length < offset + size) throw new RangeError('buffer length < offset + size');
      n = size;
    }
    this.#writeFrame(bytes.subarray(offset, offset + n));
  }

  /**
   * Resolves with the next object sent from the other end.
   *
   * @throws {EOFError} when the other end is closed and nothing is left.
   * @throws {StateError} `handle is closed` / `connection is write-only`.
   */
  recv(): Promise<T> {
    if (this.#reading === 0) {
      try {
        this.#checkReadable();
        const value = this.#tryRecv();
        if (value !== NONE) return Promise.resolve(value as T);
      } catch (err) {
        return rejectWith(err);
      }
    }
    return this.#serialRead(() => this.#recvFrame(undefined)).then((b) => decode(b) as T);
  }

  /** Blocking twin of {@link Connection.recv}; blocks the calling thread. */
  recvSync(): T {
    this.#checkReadable();
    for (;;) {
      // Snapshot first: bytes that land after it (even before the attempt
      // below) end the wait at once, so none can be slept through.
      const avail = this.#available();
      const value = this.#tryRecv();
      if (value !== NONE) return value as T;
      // Lean wait for a frame that fits the ring; the streaming drive handles
      // the rest (a frame bigger than the ring, EOF, own buffered output).
      if (flushing.size > 0 || !this.#fitsOrUnknown(avail) || this.#peerClosed()) break;
      this.#waitForMore(avail);
    }
    return decode(this.#recvFrameSync(undefined)) as T;
  }

  /**
   * Resolves with the next message as bytes (Python's `recv_bytes`).
   *
   * @param maxlength - refuse a longer message with
   *   `StateError('bad message length')` (the message stays unread).
   */
  recvBytes(maxlength?: number): Promise<Uint8Array> {
    checkMaxlength(maxlength);
    return this.#serialRead(() => this.#recvFrame(maxlength));
  }

  /** Blocking twin of {@link Connection.recvBytes}. */
  recvBytesSync(maxlength?: number): Uint8Array {
    checkMaxlength(maxlength);
    return this.#recvFrameSync(maxlength);
  }

  /**
   * Reads the next message into `buf` at byte `offset` and resolves with its
   * length (Python's `recv_bytes_into`).
   *
   * @throws {BufferTooShortError} when it does not fit; the error's `data`
   *   holds the whole message, which is consumed.
   */
  async recvBytesInto(buf: ArrayBufferView | ArrayBuffer, offset = 0): Promise<number> {
    const target = intoTarget(buf, offset);
    const bytes = await this.#serialRead(() => this.#recvFrame(undefined));
    return copyInto(target, offset, bytes);
  }

  /** Blocking twin of {@link Connection.recvBytesInto}. */
  recvBytesIntoSync(buf: ArrayBufferView | ArrayBuffer, offset = 0): number {
    const target = intoTarget(buf, offset);
    return copyInto(target, offset, this.#recvFrameSync(undefined));
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
      this.#checkReadable();
      if (this.#pollNow()) return Promise.resolve(true);
      if (ms === 0) return Promise.resolve(false);
      return this.#driveAsync(this.#pollSteps(), deadlineAfter(ms)).then((r) => r === true);
    } catch (err) {
      return rejectWith(err);
    }
  }

  /** Blocking twin of {@link Connection.poll}. */
  pollSync(timeout: number | null = 0): boolean {
    const ms = timeoutMs(timeout);
    this.#checkReadable();
    if (this.#pollNow()) return true;
    if (ms === 0) return false;
    return this.#driveSync(this.#pollSteps(), deadlineAfter(ms)) === true;
  }

  /**
   * Closes this handle. Output still buffered here is flushed first (in the
   * background); the other end sees EOF once every handle of this end is
   * closed and the data is drained. Idempotent.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    revivedHere?.delete(this);
    if (this.#pending.length === 0) this.#release();
  }

  /** Closes this handle (`using conn = …`), as Python's `with conn:` does. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** @internal The shareable descriptor (counts a handle in flight). */
  [kShareable](): ShareableState {
    if (this.#closed) throw new StateError('handle is closed');
    Atomics.add(this.#ctl, handles(this.#end), 1);
    return {
      tag: 'queue:Connection',
      data: {
        ctl: this.#ctlBuffer,
        end: this.#end,
        inbound: this.#inBuffer ?? null,
        outbound: this.#outBuffer ?? null,
      } satisfies ConnectionData,
      threadOnly: true,
    };
  }

  /** @internal Revives a handle described by `[kShareable]()`. */
  static fromShared<T>(data: ConnectionData): Connection<T> {
    const conn = new Connection<T>(data);
    if (!isMainThread) {
      if (revivedHere === undefined) {
        const set = new Set<Connection>();
        revivedHere = set;
        // A worker's handles close when it exits, as a process's fds do.
        process.once('exit', () => {
          for (const c of set) c.close();
        });
      }
      revivedHere.add(conn);
    }
    return conn;
  }

  // ---- writing ---------------------------------------------------------

  #checkWritable(): void {
    if (this.#closed) throw new StateError('handle is closed');
    if (this.#outBuffer === undefined) throw new StateError('connection is read-only');
  }

  #peerClosed(): boolean {
    return Atomics.load(this.#ctl, handles(this.#peer)) === 0;
  }

  #writeFrame(payload: Uint8Array): void {
    if (this.#peerClosed()) throw new StateError('broken pipe');
    const header = this.#header;
    const n = payload.length;
    header[0] = n & 0xff;
    header[1] = (n >>> 8) & 0xff;
    header[2] = (n >>> 16) & 0xff;
    header[3] = (n >>> 24) & 0xff;
    if (this.#pending.length === 0) {
      const h = this.#writeSome(header, 0);
      if (h === 4) {
        const p = this.#writeSome(payload, 0);
        this.#wakePeer(waitData);
        if (p === n) return;
        this.#pending.push(payload.slice(p));
      } else {
        if (h > 0) this.#wakePeer(waitData);
        this.#pending.push(header.slice(h), payload.slice());
      }
      this.#startFlush();
      return;
    }
    this.#pending.push(header.slice(), payload.slice());
    this.#flushPending();
  }

  /** Copies as much of `src[from…]` as fits into the outbound ring. */
  #writeSome(src: Uint8Array, from: number): number {
    const out = this.#out;
    const ctl = this.#ctl;
    const r = this.#peer;
    const cap = out.length;
    const w = Atomics.load(ctl, wpos(r));
    const used = (w - Atomics.load(ctl, rpos(r))) >>> 0;
    const n = Math.min(cap - used, src.length - from);
    if (n <= 0) return 0;
    const start = w & (cap - 1);
    const first = Math.min(n, cap - start);
    out.set(first === src.length && from === 0 ? src : src.subarray(from, from + first), start);
    if (n > first) out.set(src.subarray(from + first, from + n), 0);
    Atomics.store(ctl, wpos(r), (w + n) | 0);
    return n;
  }

  /** Wakes the peer if it may sleep waiting for what we just did (`slot`). */
  #wakePeer(slot: (e: number) => number): void {
    const ctl = this.#ctl;
    const p = this.#peer;
    if (Atomics.load(ctl, slot(p)) > 0) {
      Atomics.add(ctl, sig(p), 1);
      Atomics.notify(ctl, sig(p));
    }
  }

  /** Writes buffered output; returns true when nothing is left. */
  #flushPending(): boolean {
    const pending = this.#pending;
    if (pending.length === 0) return true;
    if (this.#peerClosed()) {
      // Nobody will ever read it (Python would raise BrokenPipeError in
      // the feeder); drop it so this end can be released.
      pending.length = 0;
      this.#pendingOffset = 0;
      this.#afterFlushed();
      return true;
    }
    let wrote = false;
    for (let chunk = pending[0]; chunk !== undefined; chunk = pending[0]) {
      const n = this.#writeSome(chunk, this.#pendingOffset);
      if (n > 0) wrote = true;
      this.#pendingOffset += n;
      if (this.#pendingOffset < chunk.length) break;
      pending.shift();
      this.#pendingOffset = 0;
    }
    if (wrote) this.#wakePeer(waitData);
    if (pending.length === 0) {
      this.#afterFlushed();
      return true;
    }
    return false;
  }

  #afterFlushed(): void {
    flushing.delete(this);
    if (this.#closed) this.#release();
  }

  /** Starts the background flush (keeps the thread alive until done). */
  #startFlush(): void {
    flushing.add(this);
    if (this.#flushLoop !== undefined) return;
    const ctl = this.#ctl;
    const me = sig(this.#end);
    Atomics.add(ctl, waitSpace(this.#end), 1);
    const loop = async (): Promise<void> => {
      try {
        for (;;) {
          const seq = Atomics.load(ctl, me);
          if (this.#flushPending()) return;
          await waitAsync(ctl, me, seq, undefined);
        }
      } finally {
        Atomics.sub(ctl, waitSpace(this.#end), 1);
        this.#flushLoop = undefined;
      }
    };
    this.#flushLoop = loop();
  }

  #release(): void {
    if (this.#released) return;
    this.#released = true;
    const ctl = this.#ctl;
    Atomics.sub(ctl, handles(this.#end), 1);
    // Always wake the peer: it may sleep in recv waiting for EOF.
    Atomics.add(ctl, sig(this.#peer), 1);
    Atomics.notify(ctl, sig(this.#peer));
  }

  // ---- reading ---------------------------------------------------------

  #checkReadable(): void {
    if (this.#closed) throw new StateError('handle is closed');
    if (this.#inBuffer === undefined) throw new StateError('connection is write-only');
  }

  #available(): number {
    const r = this.#end;
    return (Atomics.load(this.#ctl, wpos(r)) - Atomics.load(this.#ctl, rpos(r))) >>> 0;
  }

  #pollNow(): boolean {
    return this.#available() > 0 || this.#peerClosed();
  }

  /** Copies `n` bytes at the read position into `dst[at…]` (no consume). */
  #peek(dst: Uint8Array, at: number, n: number, skip = 0): void {
    const inb = this.#in;
    const cap = inb.length;
    const start = (Atomics.load(this.#ctl, rpos(this.#end)) + skip) & (cap - 1);
    const first = Math.min(n, cap - start);
    dst.set(inb.subarray(start, start + first), at);
    if (n > first) dst.set(inb.subarray(0, n - first), at + first);
  }

  #consume(n: number): void {
    const ctl = this.#ctl;
    const r = this.#end;
    Atomics.store(ctl, rpos(r), (Atomics.load(ctl, rpos(r)) + n) | 0);
    this.#wakePeer(waitSpace);
  }

  #frameLength(): number {
    const h = this.#header;
    this.#peek(h, 0, 4);
    return ((h[0] ?? 0) | ((h[1] ?? 0) << 8) | ((h[2] ?? 0) << 16) | ((h[3] ?? 0) << 24)) >>> 0;
  }

  /** Reads one whole frame if it is all in the ring, else undefined. */
  #tryFrame(maxlength: number | undefined): Uint8Array | undefined {
    const avail = this.#available();
    if (avail < 4) return undefined;
    const len = this.#frameLength();
    if (maxlength !== undefined && len > maxlength) throw new StateError('bad message length');
    if (avail - 4 < len) return undefined;
    const out = new Uint8Array(len);
    this.#peek(out, 0, len, 4);
    this.#consume(4 + len);
    return out;
  }

  /** True when the next frame's header is not all there yet, or the frame fits the ring. */
  #fitsOrUnknown(avail: number): boolean {
    return avail < 4 || this.#frameLength() + 4 <= this.#in.length;
  }

  /**
   * Sleeps until more than `avail` bytes are in the inbound ring or the
   * peer closes (the lean path of recvSync, without the streaming drive).
   */
  #waitForMore(avail: number): void {
    const ctl = this.#ctl;
    const me = sig(this.#end);
    const slot = waitData(this.#end);
    const seq = Atomics.load(ctl, me);
    Atomics.add(ctl, slot, 1);
    // Dekker with the writer: it stores WPOS, then loads WAIT_DATA.
    if (this.#available() === avail && !this.#peerClosed() && !spinWhileEqual(ctl, me, seq)) {
      waitSync(ctl, me, seq, undefined);
    }
    Atomics.sub(ctl, slot, 1);
  }

  /** Reads and decodes one whole frame if it is all there, else NONE. */
  #tryRecv(): unknown {
    const avail = this.#available();
    if (avail < 4) return NONE;
    const len = this.#frameLength();
    if (avail - 4 < len) return NONE;
    const out = frameBuffer(len);
    this.#peek(out, 0, len, 4);
    this.#consume(4 + len);
    return decode(out);
  }

  /**
   * The slow path of a read: streams a frame that is not (all) there yet.
   * Yields whenever it must wait for the peer; returns the frame.
   */
  *#frameSteps(maxlength: number | undefined): Generator<undefined, Uint8Array> {
    while (this.#available() < 4) {
      if (this.#peerClosed() && this.#available() < 4) throw new EOFError();
      yield;
    }
    const len = this.#frameLength();
    if (maxlength !== undefined && len > maxlength) throw new StateError('bad message length');
    this.#consume(4);
    const out = new Uint8Array(len);
    let got = 0;
    while (got < len) {
      const avail = this.#available();
      if (avail === 0) {
        if (this.#peerClosed() && this.#available() === 0) throw new EOFError();
        yield;
        continue;
      }
      const n = Math.min(avail, len - got);
      this.#peek(out, got, n);
      this.#consume(n);
      got += n;
    }
    return out;
  }

  *#pollSteps(): Generator<undefined, boolean> {
    while (!this.#pollNow()) yield;
    return true;
  }

  #recvFrame(maxlength: number | undefined): Promise<Uint8Array> | Uint8Array {
    this.#checkReadable();
    const fast = this.#tryFrame(maxlength);
    if (fast !== undefined) return fast;
    return this.#driveAsync(this.#frameSteps(maxlength), undefined) as Promise<Uint8Array>;
  }

  #recvFrameSync(maxlength: number | undefined): Uint8Array {
    this.#checkReadable();
    const fast = this.#tryFrame(maxlength);
    if (fast !== undefined) return fast;
    const frame = this.#driveSync(this.#frameSteps(maxlength), undefined);
    // Without a deadline the drive only ends with a frame or an error.
    if (frame === undefined) throw new Error('unreachable: a read without deadline ended empty');
    return frame;
  }

  #serialRead<R>(read: () => Promise<R> | R): Promise<R> {
    this.#reading++;
    const run = this.#readTail.then(read).finally(() => {
      this.#reading--;
    });
    this.#readTail = run.catch(noop);
    return run;
  }

  /**
   * Runs `steps` on this thread, sleeping on the end's sequence word between
   * steps. Returns `undefined` when the deadline passes first. While it waits,
   * output buffered on any connection of this thread keeps flowing, so two
   * threads that send big messages and then block on each other cannot
   * deadlock.
   */
  #driveSync<R>(
    steps: Generator<undefined, R>,
    deadline: number | undefined,
  ): R | undefined {
    const ctl = this.#ctl;
    const me = sig(this.#end);
    // Own output still buffered: also wake when the peer makes room.
    const space = flushing.has(this);
    Atomics.add(ctl, waitData(this.#end), 1);
    if (space) Atomics.add(ctl, waitSpace(this.#end), 1);
    try {
      for (;;) {
        const seq = Atomics.load(ctl, me);
        let others = false;
        for (const c of flushing) if (!c.#flushPending()) others ||= c !== this;
        const step = steps.next();
        if (step.done === true) return step.value;
        if (spinWhileEqual(ctl, me, seq)) continue;
        let ms = remaining(deadline);
        if (ms === 0) return undefined;
        if (others) ms = ms === undefined ? SLICE_MS : Math.min(ms, SLICE_MS);
        waitSync(ctl, me, seq, ms);
      }
    } finally {
      Atomics.sub(ctl, waitData(this.#end), 1);
      if (space) Atomics.sub(ctl, waitSpace(this.#end), 1);
    }
  }

  async #driveAsync<R>(
    steps: Generator<undefined, R>,
    deadline: number | undefined,
  ): Promise<R | undefined> {
    const ctl = this.#ctl;
    const me = sig(this.#end);
    Atomics.add(ctl, waitData(this.#end), 1);
    try {
      for (;;) {
        const seq = Atomics.load(ctl, me);
        const step = steps.next();
        if (step.done === true) return step.value;
        if (spinWhileEqual(ctl, me, seq)) continue;
        const ms = remaining(deadline);
        if (ms === 0) return undefined;
        await waitAsync(ctl, me, seq, ms);
      }
    } finally {
      Atomics.sub(ctl, waitData(this.#end), 1);
    }
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

function noop(): void {
  // swallow: the caller of the read sees the error
}

function toBytes(buf: ArrayBufferView | ArrayBuffer): Uint8Array {
  if (ArrayBuffer.isView(buf)) return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  if (types.isAnyArrayBuffer(buf)) return new Uint8Array(buf);
  throw new TypeError('buf must be a bytes-like object (a typed array, DataView or ArrayBuffer)');
}

function checkMaxlength(maxlength: number | undefined): void {
  if (maxlength === undefined) return;
  if (typeof maxlength !== 'number' || !Number.isInteger(maxlength)) {
    throw new TypeError('maxlength must be an integer');
  }
  if (maxlength < 0) throw new RangeError('negative maxlength');
}

function intoTarget(buf: ArrayBufferView | ArrayBuffer, offset: number): Uint8Array {
  const target = toBytes(buf);
  if (!Number.isInteger(offset)) throw new TypeError('offset must be an integer');
  if (offset < 0) throw new RangeError('negative offset');
  if (offset > target.length) throw new RangeError('offset out of bounds');
  return target;
}

function copyInto(target: Uint8Array, offset: number, bytes: Uint8Array): number {
  if (bytes.length > target.length - offset) {
    throw new BufferTooShortError('buffer too short', { data: bytes });
  }
  target.set(bytes, offset);
  return bytes.length;
}

registerShareable('queue:Connection', import.meta.url, Connection, (d: ConnectionData) =>
  Connection.fromShared(d),
);
