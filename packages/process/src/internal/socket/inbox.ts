/**
 * A queue of received frames for code that reads frames one at a time (the
 * handshake, a public Connection), so frames that arrive together are never
 * lost between two awaits.
 */
import { EOFError, StateError } from '@multiprocessing/core';
import { MAX_FRAME, type FrameSocket } from './frames.js';

interface Waiter {
  resolve: (frame: Buffer) => void;
  reject: (err: Error) => void;
  /** A longer frame is refused to this waiter and left for the next one. */
  maxlength: number | undefined;
}

function tooLong(frame: Buffer, maxlength: number | undefined): boolean {
  return maxlength !== undefined && frame.length > maxlength;
}

/**
 * Invariants: `#frames` holds the frames not yet taken (`#bytes` in total);
 * `#waiters` is non-empty only while `#frames` is empty. Once the socket has
 * closed, `#ended` is set and waiters beyond the queued frames get EOFError.
 */
export class FrameInbox {
  readonly fs: FrameSocket;
  #frames: Buffer[] = [];
  #bytes = 0;
  #waiters: Waiter[] = [];
  #ended = false;
  #endError: Error | undefined;
  #seen = 0;
  readonly #raiseAfter: number;
  readonly #highWater: number;
  #paused = false;
  /** Called when a frame arrives or the socket ends (for poll). */
  onChange: (() => void) | undefined;

  /**
   * @param raiseAfter - after this many frames, the frame limit rises to 64 MiB
   *   (the handshake's frames are the first ones).
   */
  constructor(fs: FrameSocket, raiseAfter = 0, highWater = 16 * 1024 * 1024) {
    this.fs = fs;
    this.#raiseAfter = raiseAfter;
    this.#highWater = highWater;
    if (raiseAfter === 0) fs.maxFrame = MAX_FRAME;
    fs.onFrame = (frame) => {
      this.#push(frame);
    };
    fs.onClose = (error) => {
      this.#ended = true;
      this.#endError = error;
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const w of waiters) w.reject(this.#eof());
      this.onChange?.();
    };
  }

  #eof(): Error {
    return new EOFError('connection closed by the other end', { cause: this.#endError });
  }

  #push(frame: Buffer): void {
    this.#seen++;
    if (this.#seen === this.#raiseAfter) this.fs.maxFrame = MAX_FRAME;
    for (let waiter = this.#waiters.shift(); waiter !== undefined; waiter = this.#waiters.shift()) {
      if (!tooLong(frame, waiter.maxlength)) {
        waiter.resolve(frame);
        return;
      }
      waiter.reject(new StateError('bad message length'));
    }
    this.#frames.push(frame);
    this.#bytes += frame.length;
    if (this.#bytes > this.#highWater && !this.#paused) {
      this.#paused = true;
      this.fs.socket.pause();
    }
    this.onChange?.();
  }

  /** True when a frame is queued or the socket has ended. */
  get ready(): boolean {
    return this.#frames.length > 0 || this.#ended;
  }

  /** True when the socket has ended and every frame was taken. */
  get drained(): boolean {
    return this.#ended && this.#frames.length === 0;
  }

  /** The next frame without taking it, if any. */
  peek(): Buffer | undefined {
    return this.#frames[0];
  }

  /**
   * Takes the next frame; rejects with EOFError once the socket ended and
   * nothing is left. A frame longer than `maxlength` is not taken: the call
   * rejects with `StateError('bad message length')` and the frame stays next.
   */
  next(maxlength?: number): Promise<Buffer> {
    const frame = this.#frames[0];
    if (frame !== undefined) {
      if (tooLong(frame, maxlength)) return Promise.reject(new StateError('bad message length'));
      this.#frames.shift();
      this.#bytes -= frame.length;
      if (this.#paused && this.#bytes <= this.#highWater / 2) {
        this.#paused = false;
        this.fs.socket.resume();
      }
      return Promise.resolve(frame);
    }
    if (this.#ended) return Promise.reject(this.#eof());
    return new Promise((resolve, reject) => {
      this.#waiters.push({ resolve, reject, maxlength });
    });
  }

  /** Rejects every waiter with `err` (the owner closed the connection). */
  abort(err: Error): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w.reject(err);
  }

  /** Hands every queued frame to `handler` and routes later frames there. */
  detach(handler: (frame: Buffer) => void): void {
    const frames = this.#frames;
    this.#frames = [];
    this.#bytes = 0;
    if (this.#paused) {
      this.#paused = false;
      this.fs.socket.resume();
    }
    this.fs.onFrame = handler;
    for (const frame of frames) {
      if (this.fs.closed) break;
      handler(frame);
    }
  }
}
