/**
 * The receiving side of a `Pipe` end: whole frames taken from the inbound
 * ring at once when they are there, streamed otherwise (a frame may be larger
 * than the ring), with the blocking and async waits between the steps.
 */
import { EOFError, StateError, decode } from '@multiprocessing/core';
import type { ByteRings } from './byte-ring.js';
import { anyFlushing, flushAll, isFlushing, SLICE_MS, type FrameWriter } from './frame-writer.js';
import { waitData, waitSpace } from './pipe-layout.js';
import { frameBuffer } from './scratch.js';
import { remaining, spinWhileEqual, waitAsync, waitSync } from './wait.js';

/** The EOFError message, the same as a socket Connection's. */
const PEER_CLOSED = 'connection closed by the other end';

/** No whole frame was there. */
export const NONE: unique symbol = Symbol('none');

export class FrameReader {
  readonly #rings: ByteRings;
  /** This end's own writer, flushed while this reader blocks. */
  readonly #writer: FrameWriter | undefined;
  // Serialises this handle's async reads (two recv() in flight on one
  // thread must not interleave their bytes).
  #readTail: Promise<unknown> = Promise.resolve();
  // Async reads queued or running on this handle (a new recv() may take
  // the synchronous fast path only when none is).
  #reading = 0;
  // Async waits of this handle now running (close() wakes them).
  #waiting = 0;
  #closed = false;

  constructor(rings: ByteRings, writer: FrameWriter | undefined) {
    this.#rings = rings;
    this.#writer = writer;
  }

  /**
   * The handle closed: a wait of this handle that is pending (a poll, or a
   * read between two frames) rejects with `StateError('handle is closed')`,
   * as a socket Connection's does, instead of waiting for ever. A frame
   * already being streamed is read to its end, so the ring stays framed for
   * the end's other handles.
   */
  close(): void {
    this.#closed = true;
    if (this.#waiting === 0) return;
    // Wake this handle's async waits through the end's sequence word; any
    // other handle of this end that sleeps on it re-checks and sleeps again.
    const { ctl, signal } = this.#rings;
    Atomics.add(ctl, signal, 1);
    Atomics.notify(ctl, signal);
  }

  #checkOpen(): void {
    if (this.#closed) throw new StateError('handle is closed');
  }

  /** True while an async read of this handle is queued or running. */
  get busy(): boolean {
    return this.#reading > 0;
  }

  /** True when a read would not block: data is there or the other end is closed. */
  pollNow(): boolean {
    return this.#rings.available() > 0 || this.#rings.peerClosed();
  }

  /** Reads and decodes one whole frame if it is all there, else NONE. */
  tryRecv(): unknown {
    const rings = this.#rings;
    const avail = rings.available();
    if (avail < 4) return NONE;
    const len = rings.frameLength();
    if (avail - 4 < len) return NONE;
    const out = frameBuffer(len);
    rings.peek(out, 0, len, 4);
    rings.consume(4 + len);
    return decode(out);
  }

  /** Blocking decode of the next frame; the lean wait first, for frames that fit the ring. */
  recvSync(): unknown {
    const rings = this.#rings;
    for (;;) {
      // Snapshot first: bytes that land after it (even before the attempt
      // below) end the wait at once, so none can be slept through.
      const avail = rings.available();
      const value = this.tryRecv();
      if (value !== NONE) return value;
      // Lean wait for a frame that fits the ring; the streaming drive handles
      // the rest (a frame bigger than the ring, EOF, own buffered output).
      if (anyFlushing() || !this.#fitsOrUnknown(avail) || rings.peerClosed()) break;
      this.#waitForMore(avail);
    }
    return decode(this.frameSync(undefined));
  }

  /** The next frame's bytes (async). */
  frame(maxlength: number | undefined): Promise<Uint8Array> | Uint8Array {
    const fast = this.#tryFrame(maxlength);
    if (fast !== undefined) return fast;
    return this.#driveAsync(this.#frameSteps(maxlength), undefined) as Promise<Uint8Array>;
  }

  /** The next frame's bytes, blocking. */
  frameSync(maxlength: number | undefined): Uint8Array {
    const fast = this.#tryFrame(maxlength);
    if (fast !== undefined) return fast;
    const frame = this.#driveSync(this.#frameSteps(maxlength), undefined);
    // Without a deadline the drive only ends with a frame or an error.
    if (frame === undefined) throw new Error('unreachable: a read without deadline ended empty');
    return frame;
  }

  /** Resolves true once a read would not block, false at the deadline. */
  poll(deadline: number | undefined): Promise<boolean> {
    return this.#driveAsync(this.#pollSteps(), deadline).then((r) => r === true);
  }

  /** Settles once a read would not block, or once `signal` aborts (its waits end at once). */
  async whenReadable(signal: AbortSignal): Promise<void> {
    if (signal.aborted || this.pollNow()) return;
    const { ctl, signal: word } = this.#rings;
    const wake = (): void => {
      Atomics.notify(ctl, word);
    };
    signal.addEventListener('abort', wake, { once: true });
    try {
      await this.#driveAsync(this.#pollSteps(signal), undefined);
    } finally {
      signal.removeEventListener('abort', wake);
    }
  }

  /** Blocking twin of {@link FrameReader.poll}. */
  pollSync(deadline: number | undefined): boolean {
    return this.#driveSync(this.#pollSteps(), deadline) === true;
  }

  /** Runs `read` after every async read already queued on this handle. */
  serial<R>(read: () => Promise<R> | R): Promise<R> {
    this.#reading++;
    const run = this.#readTail.then(read).finally(() => {
      this.#reading--;
    });
    this.#readTail = run.catch(noop);
    return run;
  }

  /**
   * Reads one whole frame if it is all in the ring, else undefined; never
   * waits. For a caller with no async read of this handle pending.
   */
  frameNow(): Uint8Array | undefined {
    return this.#tryFrame(undefined);
  }

  /**
   * The lean wait of a reader that takes whole frames with
   * {@link FrameReader.frameNow}: undefined when a read would not block now
   * (data is there, the peer closed, or this handle closed), else a promise
   * that settles once the end's sequence word moves (data, EOF, close). It
   * first polls the word for the spin gate's budget, as every other read
   * path does, then parks in one `Atomics.waitAsync`; no generator, no read
   * queue.
   */
  readable(): Promise<unknown> | undefined {
    const rings = this.#rings;
    const { ctl, signal } = rings;
    const slot = waitData(rings.end);
    const seq = Atomics.load(ctl, signal);
    Atomics.add(ctl, slot, 1);
    // Dekker with the writer: it stores WPOS, then loads WAIT_DATA.
    if (this.#closed || this.pollNow() || spinWhileEqual(ctl, signal, seq)) {
      Atomics.sub(ctl, slot, 1);
      return undefined;
    }
    this.#waiting++;
    const done = (): void => {
      this.#waiting--;
      Atomics.sub(ctl, slot, 1);
    };
    return waitAsync(ctl, signal, seq, undefined).then(done, done);
  }

  /** Reads one whole frame if it is all in the ring, else undefined. */
  #tryFrame(maxlength: number | undefined): Uint8Array | undefined {
    const rings = this.#rings;
    const avail = rings.available();
    if (avail < 4) return undefined;
    const len = rings.frameLength();
    if (maxlength !== undefined && len > maxlength) throw new StateError('bad message length');
    if (avail - 4 < len) return undefined;
    const out = new Uint8Array(len);
    rings.peek(out, 0, len, 4);
    rings.consume(4 + len);
    return out;
  }

  /** True when the next frame's header is not all there yet, or the frame fits the ring. */
  #fitsOrUnknown(avail: number): boolean {
    return avail < 4 || this.#rings.frameLength() + 4 <= this.#rings.in.length;
  }

  /**
   * Sleeps until more than `avail` bytes are in the inbound ring or the
   * peer closes (the lean path of recvSync, without the streaming drive).
   */
  #waitForMore(avail: number): void {
    const rings = this.#rings;
    const { ctl, signal } = rings;
    const slot = waitData(rings.end);
    const seq = Atomics.load(ctl, signal);
    Atomics.add(ctl, slot, 1);
    // Dekker with the writer: it stores WPOS, then loads WAIT_DATA.
    if (rings.available() === avail && !rings.peerClosed() && !spinWhileEqual(ctl, signal, seq)) {
      waitSync(ctl, signal, seq, undefined);
    }
    Atomics.sub(ctl, slot, 1);
  }

  /**
   * The slow path of a read: streams a frame that is not (all) there yet.
   * Yields whenever it must wait for the peer; returns the frame.
   */
  *#frameSteps(maxlength: number | undefined): Generator<undefined, Uint8Array> {
    const rings = this.#rings;
    while (rings.available() < 4) {
      if (rings.peerClosed() && rings.available() < 4) throw new EOFError(PEER_CLOSED);
      this.#checkOpen();
      yield;
    }
    const len = rings.frameLength();
    if (maxlength !== undefined && len > maxlength) throw new StateError('bad message length');
    rings.consume(4);
    const out = new Uint8Array(len);
    let got = 0;
    while (got < len) {
      const avail = rings.available();
      if (avail === 0) {
        if (rings.peerClosed() && rings.available() === 0) throw new EOFError(PEER_CLOSED);
        yield;
        continue;
      }
      const n = Math.min(avail, len - got);
      rings.peek(out, got, n);
      rings.consume(n);
      got += n;
    }
    return out;
  }

  *#pollSteps(abort?: AbortSignal): Generator<undefined, boolean> {
    while (!this.pollNow()) {
      if (abort?.aborted === true) return false;
      this.#checkOpen();
      yield;
    }
    return true;
  }

  /**
   * Runs `steps` on this thread, sleeping on the end's sequence word between
   * steps. Returns `undefined` when the deadline passes first. While it waits,
   * output buffered on any connection of this thread keeps flowing, so two
   * threads that send big messages and then block on each other cannot
   * deadlock.
   */
  #driveSync<R>(steps: Generator<undefined, R>, deadline: number | undefined): R | undefined {
    const rings = this.#rings;
    const { ctl, signal, end } = rings;
    // Own output still buffered: also wake when the peer makes room.
    const space = this.#writer !== undefined && isFlushing(this.#writer);
    Atomics.add(ctl, waitData(end), 1);
    if (space) Atomics.add(ctl, waitSpace(end), 1);
    try {
      for (;;) {
        const seq = Atomics.load(ctl, signal);
        const others = flushAll(this.#writer);
        const step = steps.next();
        if (step.done === true) return step.value;
        if (spinWhileEqual(ctl, signal, seq)) continue;
        let ms = remaining(deadline);
        if (ms === 0) return undefined;
        if (others) ms = ms === undefined ? SLICE_MS : Math.min(ms, SLICE_MS);
        waitSync(ctl, signal, seq, ms);
      }
    } finally {
      Atomics.sub(ctl, waitData(end), 1);
      if (space) Atomics.sub(ctl, waitSpace(end), 1);
    }
  }

  async #driveAsync<R>(steps: Generator<undefined, R>, deadline: number | undefined): Promise<R | undefined> {
    const { ctl, signal, end } = this.#rings;
    Atomics.add(ctl, waitData(end), 1);
    this.#waiting++;
    try {
      for (;;) {
        const seq = Atomics.load(ctl, signal);
        const step = steps.next();
        if (step.done === true) return step.value;
        if (spinWhileEqual(ctl, signal, seq)) continue;
        const ms = remaining(deadline);
        if (ms === 0) return undefined;
        await waitAsync(ctl, signal, seq, ms);
      }
    } finally {
      this.#waiting--;
      Atomics.sub(ctl, waitData(end), 1);
    }
  }
}

function noop(): void {
  // swallow: the caller of the read sees the error
}
