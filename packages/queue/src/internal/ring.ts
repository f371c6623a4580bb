/**
 * The shared memory behind `Queue`, `JoinableQueue` and `SimpleQueue`: a
 * multi-producer, multi-consumer ring of length-prefixed frames guarded by
 * one futex mutex, with sequence-word conditions for "not empty", "not full"
 * and "all tasks done". The Python counterpart is the pipe + lock + bounded
 * semaphore inside `multiprocessing.queues.Queue`, without a feeder thread.
 */
import { mutexLock, mutexLockSync, mutexTryLock, mutexUnlock } from '@multiprocessing/value-lock/internal';
import { decode } from '@multiprocessing/core';
import { availableParallelism } from 'node:os';
import { frameBuffer } from './scratch.js';
import { spinWhileEqual, waitAsync, waitSync, remaining } from './wait.js';
import {
  ALL_DONE,
  COUNT,
  CTL_INTS,
  GETTERS,
  HEAD,
  JOINERS,
  LOCK,
  MAXSIZE,
  NOT_EMPTY,
  NOT_FULL,
  PUTTERS,
  SHUT,
  SHUT_CLOSED,
  UNFINISHED,
  USED,
} from './ring-layout.js';
import { droppedAfterShutdown } from './ring-shutdown.js';

/*
 * The control block's words are in ring-layout.ts. The data ring is
 * a growable SharedArrayBuffer: frames are `[u32 LE length][msgpackr bytes]`,
 * wrapping at the current capacity (a frame or its header may be split in
 * two). When a frame does not fit, the ring grows in place under the lock
 * (length-tracking views see the new size in every thread), so a put never
 * waits for bytes, only for `maxsize` items; this is how an unbounded queue
 * never blocks a put and how a 50 MB item passes through a small ring.
 *
 * Algorithm: lars-t-hansen/parlib-simple `src/buffer.js` and `intqueue.js`
 * (one lock, two sequence-counter conditions, waiter counts so that a put or
 * get with nobody asleep makes no notify call; deadlines recomputed on every
 * wake-up). A sleeper registers in the waiter count and reads the sequence
 * word while it holds the lock; a waker changes the state and bumps the
 * word under the same lock, so a wake-up between unlock and wait cannot be
 * lost (the wait returns "not-equal").
 */

/** Initial data capacity of a ring. */
export const INITIAL_RING_BYTES = 64 * 1024;
const cores = availableParallelism();

/** Reserved (virtual) maximum of a ring; positions stay inside Int32. */
export const MAX_RING_BYTES = 0x7fff0000;

/** What a non-blocking attempt found. */
export const enum Outcome {
  Done = 0,
  Full = 2,
  Closed = 3,
}

// The lock is held for a copy of one frame, well under a microsecond for
// small items, so a contended taker spins a little before it sleeps: a
// futex sleep and wake-up costs tens of microseconds on this VM, and without
// the spin a 1 → 1 queue of 1 KB items spent a quarter of its time asleep on
// the lock.
const LOCK_SPIN = cores > 1 ? 400 : 0;

/** Tries to take the lock, spinning briefly while it is held. */
function spinLock(ctl: Int32Array): boolean {
  if (mutexTryLock(ctl, LOCK)) return true;
  for (let i = 0; i < LOCK_SPIN; i++) {
    if (Atomics.load(ctl, LOCK) === 0 && mutexTryLock(ctl, LOCK)) return true;
  }
  return false;
}

/** Takes the lock, blocking the thread after a brief spin. */
function lockSync(ctl: Int32Array): void {
  if (!spinLock(ctl)) mutexLockSync(ctl, LOCK);
}

/** ES2024's growable SharedArrayBuffer (Node 20 has it; the lib target is ES2023). */
interface GrowableSharedArrayBuffer extends SharedArrayBuffer {
  grow(newByteLength: number): void;
}
const GrowableSAB = SharedArrayBuffer as unknown as new (
  byteLength: number,
  options: { maxByteLength: number },
) => GrowableSharedArrayBuffer;

/** A frame taken from the ring, or why none was. */
export type Taken = unknown;

/** A get found the ring empty. (Symbols never come out of the codec.) */
export const EMPTY: unique symbol = Symbol('empty');
/** A get found the ring closed and drained. */
export const CLOSED: unique symbol = Symbol('closed');
/** A non-blocking attempt found the lock taken. */
export const BUSY: unique symbol = Symbol('busy');

/** The shareable state of a ring. */
export interface RingData {
  readonly ctl: SharedArrayBuffer;
  readonly data: SharedArrayBuffer;
}

/**
 * One queue's shared memory and the operations on it. Bytes in, bytes out:
 * encoding and decoding happen outside, without the lock.
 */
export class SharedRing {
  readonly ctl: Int32Array;
  readonly ctlBuffer: SharedArrayBuffer;
  readonly dataBuffer: SharedArrayBuffer;
  // Length-tracking view: its length is the ring's current capacity.
  readonly #data: Uint8Array;
  readonly maxsize: number;

  constructor(d: RingData) {
    this.ctlBuffer = d.ctl;
    this.dataBuffer = d.data;
    this.ctl = new Int32Array(d.ctl);
    this.#data = new Uint8Array(d.data);
    this.maxsize = Atomics.load(this.ctl, MAXSIZE);
  }

  static create(maxsize: number, initialBytes = INITIAL_RING_BYTES): SharedRing {
    const ctl = new SharedArrayBuffer(CTL_INTS * 4);
    Atomics.store(new Int32Array(ctl), MAXSIZE, maxsize);
    const data = new GrowableSAB(initialBytes, { maxByteLength: MAX_RING_BYTES });
    return new SharedRing({ ctl, data });
  }

  get data(): RingData {
    return { ctl: this.ctlBuffer, data: this.dataBuffer };
  }

  count(): number {
    return Atomics.load(this.ctl, COUNT);
  }

  /** True once closed or shut down (ring-layout.ts: SHUT): puts fail, gets fail on an empty ring. */
  closed(): boolean {
    return Atomics.load(this.ctl, SHUT) !== 0;
  }

  unfinished(): number {
    return Atomics.load(this.ctl, UNFINISHED);
  }

  // ---- under the lock ----------------------------------------------------

  /** Appends a frame. Precondition: lock held, not closed, not full. */
  #push(bytes: Uint8Array, countTask: boolean): void {
    const ctl = this.ctl;
    const len = bytes.length;
    const used = Atomics.load(ctl, USED);
    if (used + 4 + len > this.#data.length) this.#grow(used + 4 + len);
    const cap = this.#data.length;
    const tail = Atomics.load(ctl, HEAD) + used;
    this.#write(tail >= cap ? tail - cap : tail, bytes);
    ctl[USED] = used + 4 + len;
    Atomics.store(ctl, COUNT, Atomics.load(ctl, COUNT) + 1);
    if (countTask) ctl[UNFINISHED] = Atomics.load(ctl, UNFINISHED) + 1;
  }

  /** Puts a frame before the oldest (an item taken and given back). Precondition: lock held. */
  #unshift(bytes: Uint8Array): void {
    const ctl = this.ctl;
    const size = 4 + bytes.length;
    const used = Atomics.load(ctl, USED);
    if (used + size > this.#data.length) this.#grow(used + size);
    const head = Atomics.load(ctl, HEAD) - size;
    const at = head < 0 ? head + this.#data.length : head;
    this.#write(at, bytes);
    ctl[HEAD] = at;
    ctl[USED] = used + size;
    Atomics.store(ctl, COUNT, Atomics.load(ctl, COUNT) + 1);
  }

  /** Writes a frame (header, then bytes; either may wrap) at byte `at`. Precondition: lock held, room. */
  #write(at: number, bytes: Uint8Array): void {
    const data = this.#data;
    const cap = data.length;
    const len = bytes.length;
    for (let i = 0, n = len; i < 4; i++, n >>>= 8) {
      data[at] = n & 0xff;
      if (++at === cap) at = 0;
    }
    const first = cap - at;
    if (len <= first) {
      data.set(bytes, at);
    } else {
      data.set(bytes.subarray(0, first), at);
      data.set(bytes.subarray(first), 0);
    }
  }

  /**
   * Removes the oldest frame and returns a copy (a per-thread scratch buffer
   * for small frames: decode it before taking another). Precondition: lock
   * held, COUNT > 0.
   */
  #pop(): Uint8Array {
    const ctl = this.ctl;
    const data = this.#data;
    const cap = data.length;
    let head = Atomics.load(ctl, HEAD);
    let len = 0;
    for (let i = 0; i < 4; i++) {
      len |= (data[head] ?? 0) << (8 * i);
      if (++head === cap) head = 0;
    }
    len >>>= 0;
    const first = cap - head;
    const out = frameBuffer(len);
    if (len <= first) {
      out.set(data.subarray(head, head + len));
      head += len;
      if (head === cap) head = 0;
    } else {
      out.set(data.subarray(head, cap), 0);
      out.set(data.subarray(0, len - first), first);
      head = len - first;
    }
    const used = Atomics.load(ctl, USED) - 4 - len;
    ctl[USED] = used;
    // An empty ring restarts at 0, so the next frames are contiguous.
    ctl[HEAD] = used === 0 ? 0 : head;
    Atomics.store(ctl, COUNT, Atomics.load(ctl, COUNT) - 1);
    return out;
  }

  /** Grows the data ring to hold `need` bytes. Precondition: lock held. */
  #grow(need: number): void {
    const ctl = this.ctl;
    const data = this.#data;
    const cap = data.length;
    if (need > MAX_RING_BYTES) {
      throw new RangeError(
        `queue item too large: the queue would hold ${need} bytes, more than ${MAX_RING_BYTES}`,
      );
    }
    let next = Math.max(cap * 2, need);
    next = Math.min(MAX_RING_BYTES, Math.ceil(next / 65536) * 65536);
    const head = Atomics.load(ctl, HEAD);
    const used = Atomics.load(ctl, USED);
    this.dataBuffer.grow(next);
    const wrapped = head + used - cap;
    if (wrapped <= 0) return;
    if (next - cap >= wrapped) {
      // Move the wrapped tail behind the old end: the frames become contiguous.
      data.copyWithin(cap, 0, wrapped);
    } else {
      const firstPart = data.slice(head, cap);
      data.copyWithin(firstPart.length, 0, wrapped);
      data.set(firstPart, 0);
      ctl[HEAD] = 0;
    }
  }

  /**
   * One attempt to put, with the lock held by the caller; unlocks.
   * Returns Done, Full or Closed.
   */
  #putLocked(bytes: Uint8Array, countTask: boolean): Outcome {
    const ctl = this.ctl;
    if (ctl[SHUT] !== 0) {
      mutexUnlock(ctl, LOCK);
      return Outcome.Closed;
    }
    if (this.maxsize > 0 && Atomics.load(ctl, COUNT) >= this.maxsize) return Outcome.Full;
    try {
      this.#push(bytes, countTask);
    } catch (err) {
      mutexUnlock(ctl, LOCK);
      throw err;
    }
    const wake = Atomics.load(ctl, GETTERS) > 0;
    if (wake) Atomics.add(ctl, NOT_EMPTY, 1);
    mutexUnlock(ctl, LOCK);
    if (wake) Atomics.notify(ctl, NOT_EMPTY, 1);
    return Outcome.Done;
  }

  /**
   * One attempt to take, with the lock held; unlocks unless it returns
   * EMPTY. Returns the decoded item (decoded outside the lock) or CLOSED.
   */
  #takeLocked(): Taken {
    const ctl = this.ctl;
    if (Atomics.load(ctl, COUNT) > 0) {
      const frame = this.#pop();
      const wake = this.maxsize > 0 && Atomics.load(ctl, PUTTERS) > 0;
      if (wake) Atomics.add(ctl, NOT_FULL, 1);
      mutexUnlock(ctl, LOCK);
      if (wake) Atomics.notify(ctl, NOT_FULL, 1);
      return decode(frame);
    }
    if (ctl[SHUT] !== 0) {
      mutexUnlock(ctl, LOCK);
      return CLOSED;
    }
    return EMPTY;
  }

  // ---- blocking forms ----------------------------------------------------

  /**
   * Puts `bytes`, waiting up to the deadline for room. Returns Done, Full
   * (deadline passed) or Closed.
   */
  putSync(bytes: Uint8Array, deadline: number | undefined, noWait: boolean, countTask: boolean): Outcome {
    const ctl = this.ctl;
    lockSync(ctl);
    for (;;) {
      const r = this.#putLocked(bytes, countTask);
      if (r !== Outcome.Full) return r;
      const ms = noWait ? 0 : remaining(deadline);
      if (ms === 0) {
        mutexUnlock(ctl, LOCK);
        return Outcome.Full;
      }
      const seq = Atomics.load(ctl, NOT_FULL);
      Atomics.add(ctl, PUTTERS, 1);
      mutexUnlock(ctl, LOCK);
      if (!spinWhileEqual(ctl, NOT_FULL, seq)) waitSync(ctl, NOT_FULL, seq, ms);
      Atomics.sub(ctl, PUTTERS, 1);
      lockSync(ctl);
    }
  }

  async putAsync(
    bytes: Uint8Array,
    deadline: number | undefined,
    noWait: boolean,
    countTask: boolean,
  ): Promise<Outcome> {
    const ctl = this.ctl;
    if (!spinLock(ctl)) await mutexLock(ctl, LOCK);
    for (;;) {
      const r = this.#putLocked(bytes, countTask);
      if (r !== Outcome.Full) return r;
      const ms = noWait ? 0 : remaining(deadline);
      if (ms === 0) {
        mutexUnlock(ctl, LOCK);
        return Outcome.Full;
      }
      const seq = Atomics.load(ctl, NOT_FULL);
      Atomics.add(ctl, PUTTERS, 1);
      mutexUnlock(ctl, LOCK);
      try {
        await waitAsync(ctl, NOT_FULL, seq, ms);
      } finally {
        Atomics.sub(ctl, PUTTERS, 1);
      }
      if (!spinLock(ctl)) await mutexLock(ctl, LOCK);
    }
  }

  /** Tries once without waiting for room or for the lock's holder long. */
  tryPut(bytes: Uint8Array, countTask: boolean): Outcome | undefined {
    const ctl = this.ctl;
    if (!spinLock(ctl)) return undefined;
    const r = this.#putLocked(bytes, countTask);
    if (r === Outcome.Full) mutexUnlock(ctl, LOCK);
    return r;
  }

  /** Takes an item, waiting up to the deadline; or EMPTY / CLOSED. */
  getSync(deadline: number | undefined, noWait: boolean): Taken {
    const ctl = this.ctl;
    lockSync(ctl);
    for (;;) {
      const r = this.#takeLocked();
      if (r !== EMPTY) return r;
      const ms = noWait ? 0 : remaining(deadline);
      if (ms === 0) {
        mutexUnlock(ctl, LOCK);
        return EMPTY;
      }
      const seq = Atomics.load(ctl, NOT_EMPTY);
      mutexUnlock(ctl, LOCK);
      // Spin on COUNT before registering as a sleeper: a producer that sees
      // no sleeper skips the notify.
      if (!spinWhileEqual(ctl, COUNT, 0)) {
        Atomics.add(ctl, GETTERS, 1);
        // Dekker with #putLocked: GETTERS is visible before COUNT is re-read.
        if (Atomics.load(ctl, COUNT) === 0 && Atomics.load(ctl, SHUT) === 0) {
          waitSync(ctl, NOT_EMPTY, seq, ms);
        }
        Atomics.sub(ctl, GETTERS, 1);
      }
      lockSync(ctl);
    }
  }

  async getAsync(deadline: number | undefined, noWait: boolean): Promise<Taken> {
    const ctl = this.ctl;
    if (!spinLock(ctl)) await mutexLock(ctl, LOCK);
    for (;;) {
      const r = this.#takeLocked();
      if (r !== EMPTY) return r;
      const ms = noWait ? 0 : remaining(deadline);
      if (ms === 0) {
        mutexUnlock(ctl, LOCK);
        return EMPTY;
      }
      const seq = Atomics.load(ctl, NOT_EMPTY);
      mutexUnlock(ctl, LOCK);
      if (!spinWhileEqual(ctl, COUNT, 0)) {
        Atomics.add(ctl, GETTERS, 1);
        try {
          if (Atomics.load(ctl, COUNT) === 0 && Atomics.load(ctl, SHUT) === 0) {
            await waitAsync(ctl, NOT_EMPTY, seq, ms);
          }
        } finally {
          Atomics.sub(ctl, GETTERS, 1);
        }
      }
      if (!spinLock(ctl)) await mutexLock(ctl, LOCK);
    }
  }

  /** Tries once: an item, EMPTY, CLOSED, or BUSY when the lock is taken. */
  tryGet(): Taken {
    const ctl = this.ctl;
    if (!spinLock(ctl)) return BUSY;
    const r = this.#takeLocked();
    if (r === EMPTY) mutexUnlock(ctl, LOCK);
    return r;
  }

  /**
   * Puts frames taken earlier back at the front, first frame first, open or
   * closed, and not counted as new tasks (they were counted when put). After
   * an immediate shutdown they are dropped instead (ring-shutdown.ts).
   */
  putBack(frames: readonly Uint8Array[]): void {
    const ctl = this.ctl;
    lockSync(ctl);
    if (droppedAfterShutdown(ctl, frames.length)) return;
    try {
      for (const frame of [...frames].reverse()) this.#unshift(frame);
    } finally {
      const wake = Atomics.load(ctl, GETTERS) > 0;
      if (wake) Atomics.add(ctl, NOT_EMPTY, 1);
      mutexUnlock(ctl, LOCK);
      if (wake) Atomics.notify(ctl, NOT_EMPTY, frames.length);
    }
  }

  /** True when a get would not wait: an item is there, or the ring is closed. */
  readable(): boolean {
    return Atomics.load(this.ctl, COUNT) > 0 || Atomics.load(this.ctl, SHUT) !== 0;
  }

  /**
   * Settles once {@link SharedRing.readable}, or once `signal` aborts;
   * takes nothing. It sleeps as a getter does, so a put's wake-up may come
   * here: it goes on to one getter that may sleep too.
   */
  async whenReadable(signal: AbortSignal): Promise<void> {
    const ctl = this.ctl;
    const wake = (): void => {
      Atomics.add(ctl, NOT_EMPTY, 1);
      Atomics.notify(ctl, NOT_EMPTY);
    };
    signal.addEventListener('abort', wake, { once: true });
    try {
      while (!signal.aborted && !this.readable()) {
        Atomics.add(ctl, GETTERS, 1);
        let woken = false;
        try {
          const seq = Atomics.load(ctl, NOT_EMPTY);
          if (this.readable() || signal.aborted) return;
          woken = (await waitAsync(ctl, NOT_EMPTY, seq, undefined)) === 'ok';
        } finally {
          Atomics.sub(ctl, GETTERS, 1);
        }
        if (woken) Atomics.notify(ctl, NOT_EMPTY, 1);
      }
    } finally {
      signal.removeEventListener('abort', wake);
    }
  }

  /** Marks the ring closed everywhere and wakes every sleeper (ring-shutdown.ts shuts it down). */
  close(): void {
    const ctl = this.ctl;
    lockSync(ctl);
    const was = Atomics.load(ctl, SHUT);
    ctl[SHUT] = was | SHUT_CLOSED;
    Atomics.add(ctl, NOT_EMPTY, 1);
    Atomics.add(ctl, NOT_FULL, 1);
    mutexUnlock(ctl, LOCK);
    if (was === 0) {
      Atomics.notify(ctl, NOT_EMPTY);
      Atomics.notify(ctl, NOT_FULL);
    }
  }

  // ---- task accounting (JoinableQueue) ------------------------------------

  /** Counts one task done; false when there was none to count. */
  taskDone(): boolean {
    const ctl = this.ctl;
    lockSync(ctl);
    const left = Atomics.load(ctl, UNFINISHED) - 1;
    if (left < 0) {
      mutexUnlock(ctl, LOCK);
      return false;
    }
    Atomics.store(ctl, UNFINISHED, left);
    mutexUnlock(ctl, LOCK);
    if (left === 0 && Atomics.load(ctl, JOINERS) > 0) {
      Atomics.add(ctl, ALL_DONE, 1);
      Atomics.notify(ctl, ALL_DONE);
    }
    return true;
  }

  /** Blocks until every task is done; false when the deadline passed first. */
  joinSync(deadline: number | undefined): boolean {
    const ctl = this.ctl;
    for (;;) {
      if (Atomics.load(ctl, UNFINISHED) === 0) return true;
      const ms = remaining(deadline);
      if (ms === 0) return false;
      Atomics.add(ctl, JOINERS, 1);
      const seq = Atomics.load(ctl, ALL_DONE);
      if (Atomics.load(ctl, UNFINISHED) !== 0) waitSync(ctl, ALL_DONE, seq, ms);
      Atomics.sub(ctl, JOINERS, 1);
    }
  }

  async join(deadline: number | undefined): Promise<boolean> {
    const ctl = this.ctl;
    for (;;) {
      if (Atomics.load(ctl, UNFINISHED) === 0) return true;
      const ms = remaining(deadline);
      if (ms === 0) return false;
      Atomics.add(ctl, JOINERS, 1);
      try {
        const seq = Atomics.load(ctl, ALL_DONE);
        if (Atomics.load(ctl, UNFINISHED) !== 0) await waitAsync(ctl, ALL_DONE, seq, ms);
      } finally {
        Atomics.sub(ctl, JOINERS, 1);
      }
    }
  }
}
