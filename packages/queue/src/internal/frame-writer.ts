/**
 * The sending side of a `Pipe` end: frames `[u32 LE length][bytes]` written
 * into the outbound ring, and the output that did not fit, kept in order in
 * this thread until the reader makes room. `send()` never blocks.
 *
 * Pending output flows (1) from an async loop that holds the thread alive,
 * (2) from inside any blocking wait of a Connection of this thread (so two
 * threads that each send a big message and then block on each other cannot
 * deadlock) and (3) at thread exit: `drainAtExit()` runs from the worker's
 * 'exit' event, which `process.exit()` fires too, and blocks until every
 * reader has taken the rest. A send that returned is delivered however soon
 * the sender ends, unless nobody can read it any more.
 */
import { StateError } from '@multiprocessing/core';
import type { ByteRings } from './byte-ring.js';
import { onlyHere } from './pipe-handles.js';
import { waitSpace } from './pipe-layout.js';
import { waitAsync, waitSync } from './wait.js';

/** Writers of this thread with pending output. */
const flushing = new Set<FrameWriter>();

/** Slice of a wait while other writers of this thread have pending output. */
export const SLICE_MS = 1;
/**
 * Longest sleep of the exit drain before it looks again: a handle of this
 * thread's own end closing elsewhere (which lets it discard what it will
 * never read) wakes the other end, not this one.
 */
const EXIT_RECHECK_MS = 50;

export class FrameWriter {
  readonly #rings: ByteRings;
  readonly #onFlushed: () => void;
  // Output that did not fit the ring, in order; `#pendingOffset` bytes of
  // the first chunk are already written. Owned copies (never arena views).
  readonly #pending: Uint8Array[] = [];
  #pendingOffset = 0;
  #flushLoop: Promise<void> | undefined;
  readonly #header = new Uint8Array(4);

  /** @param onFlushed - called each time the pending output is gone (written or dropped). */
  constructor(rings: ByteRings, onFlushed: () => void) {
    this.#rings = rings;
    this.#onFlushed = onFlushed;
  }

  /** True while output waits in this thread. */
  get pending(): boolean {
    return this.#pending.length > 0;
  }

  /**
   * Writes one frame, or as much of it as fits, keeping the rest.
   *
   * @throws {StateError} `broken pipe` when every handle of the reader is closed.
   */
  writeFrame(payload: Uint8Array): void {
    const rings = this.#rings;
    if (rings.peerClosed()) throw new StateError('broken pipe');
    const header = this.#header;
    const n = payload.length;
    header[0] = n & 0xff;
    header[1] = (n >>> 8) & 0xff;
    header[2] = (n >>> 16) & 0xff;
    header[3] = (n >>> 24) & 0xff;
    if (this.#pending.length === 0) {
      const h = rings.writeSome(header, 0);
      if (h === 4) {
        const p = rings.writeSome(payload, 0);
        rings.wakeReader();
        if (p === n) return;
        this.#pending.push(payload.slice(p));
      } else {
        if (h > 0) rings.wakeReader();
        this.#pending.push(header.slice(h), payload.slice());
      }
      this.#startFlush();
      return;
    }
    this.#pending.push(header.slice(), payload.slice());
    this.flushPending();
  }

  /** Writes pending output; returns true when nothing is left. */
  flushPending(): boolean {
    const pending = this.#pending;
    if (pending.length === 0) return true;
    if (this.#rings.peerClosed()) {
      // Nobody will ever read it (Python would raise BrokenPipeError in
      // the feeder); drop it so this end can be released.
      this.#drop();
      return true;
    }
    let wrote = false;
    for (let chunk = pending[0]; chunk !== undefined; chunk = pending[0]) {
      const n = this.#rings.writeSome(chunk, this.#pendingOffset);
      if (n > 0) wrote = true;
      this.#pendingOffset += n;
      if (this.#pendingOffset < chunk.length) break;
      pending.shift();
      this.#pendingOffset = 0;
    }
    if (wrote) this.#rings.wakeReader();
    if (pending.length === 0) {
      this.#afterFlushed();
      return true;
    }
    return false;
  }

  #drop(): void {
    this.#pending.length = 0;
    this.#pendingOffset = 0;
    this.#afterFlushed();
  }

  #afterFlushed(): void {
    flushing.delete(this);
    this.#onFlushed();
  }

  /** Starts the background flush (keeps the thread alive until done). */
  #startFlush(): void {
    flushing.add(this);
    if (this.#flushLoop !== undefined) return;
    const rings = this.#rings;
    const { ctl, signal } = rings;
    const slot = waitSpace(rings.end);
    Atomics.add(ctl, slot, 1);
    const loop = async (): Promise<void> => {
      try {
        for (;;) {
          const seq = Atomics.load(ctl, signal);
          if (this.flushPending()) return;
          await waitAsync(ctl, signal, seq, undefined);
        }
      } finally {
        Atomics.sub(ctl, slot, 1);
        this.#flushLoop = undefined;
      }
    };
    this.#flushLoop = loop();
  }

  /**
   * One step of the exit drain: flushes, drops what nobody else can read,
   * and discards inbound bytes nobody else can read (so that two threads
   * ending with output for each other cannot wait on each other). Returns
   * true when nothing is left.
   */
  #exitStep(): boolean {
    if (this.flushPending()) return true;
    const rings = this.#rings;
    if (onlyHere(rings, rings.peer)) {
      this.#drop();
      return true;
    }
    if (rings.in.length > 0 && onlyHere(rings, rings.end)) {
      const n = rings.available();
      if (n > 0) rings.consume(n);
      return this.flushPending();
    }
    return false;
  }

  /** Sleeps on this end's word until the reader acts, or for at most `ms`. */
  #sleep(seq: number, ms: number | undefined): void {
    const { ctl, signal, end } = this.#rings;
    Atomics.add(ctl, waitSpace(end), 1);
    // The reader stores RPOS, then loads WAIT_SPACE; we stored WAIT_SPACE,
    // so a read after our last flush changes SIG or shows in this flush.
    if (!this.flushPending()) waitSync(ctl, signal, seq, ms);
    Atomics.sub(ctl, waitSpace(end), 1);
  }

  /** The signal word this writer's thread sleeps on, read before a flush attempt. */
  #seq(): number {
    return Atomics.load(this.#rings.ctl, this.#rings.signal);
  }

  /**
   * Blocks this thread until every writer's pending output is written, or
   * dropped because nobody else can read it. Bounded only by the readers.
   */
  static drainAtExit(): void {
    for (;;) {
      const left: FrameWriter[] = [];
      const seqs: number[] = [];
      for (const w of [...flushing]) {
        const seq = w.#seq();
        if (!w.#exitStep()) {
          left.push(w);
          seqs.push(seq);
        }
      }
      const [only] = left;
      if (only === undefined) return;
      // One writer sleeps until its reader acts; several take turns.
      only.#sleep(seqs[0] ?? 0, left.length === 1 ? EXIT_RECHECK_MS : SLICE_MS);
    }
  }
}

/**
 * Flushes every writer of this thread; returns true when one other than
 * `self` still has pending output.
 */
export function flushAll(self: FrameWriter | undefined): boolean {
  let others = false;
  for (const w of flushing) if (!w.flushPending()) others ||= w !== self;
  return others;
}

/** True when `w` has output pending in this thread. */
export function isFlushing(w: FrameWriter): boolean {
  return flushing.has(w);
}

/** True when some writer of this thread has pending output. */
export function anyFlushing(): boolean {
  return flushing.size > 0;
}
