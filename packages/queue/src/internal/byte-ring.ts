/**
 * One end's view of a `Pipe`'s two single-producer, single-consumer byte
 * rings. Index protocol after padenot/ringbuf.js: the one writer stores WPOS
 * after its copy, the one reader stores RPOS after its copy; capacity is a
 * power of two, so positions wrap mod 2^32 and `pos & (cap - 1)` is the
 * offset. Sleeping follows Hansen's sequence-word condition
 * (lars-t-hansen/parlib-simple) with waiter counts, so the fast path makes no
 * notify call.
 */
import { handles, rpos, sig, waitData, waitSpace, wpos, type ConnectionData } from './pipe-layout.js';

/** Stands for the ring a one-way end does not have. */
const NO_RING = new Uint8Array(0);

export class ByteRings {
  readonly ctl: Int32Array;
  readonly end: 0 | 1;
  readonly peer: 0 | 1;
  /** The inbound ring (empty on a write-only end). */
  readonly in: Uint8Array = NO_RING;
  /** The outbound ring (empty on a read-only end). */
  readonly out: Uint8Array = NO_RING;
  readonly #header = new Uint8Array(4);

  constructor(data: ConnectionData) {
    this.ctl = new Int32Array(data.ctl);
    this.end = data.end;
    this.peer = data.end === 0 ? 1 : 0;
    if (data.inbound !== null) this.in = new Uint8Array(data.inbound);
    if (data.outbound !== null) this.out = new Uint8Array(data.outbound);
  }

  /** The word this end sleeps on. */
  get signal(): number {
    return sig(this.end);
  }

  /** True when every handle of the other end is closed. */
  peerClosed(): boolean {
    return Atomics.load(this.ctl, handles(this.peer)) === 0;
  }

  // ---- writing (outbound ring) -------------------------------------------

  /** Copies as much of `src[from…]` as fits into the outbound ring; returns how much. */
  writeSome(src: Uint8Array, from: number): number {
    const out = this.out;
    const ctl = this.ctl;
    const r = this.peer;
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

  /** Wakes the peer if it may sleep waiting for data. */
  wakeReader(): void {
    this.#wakePeer(waitData);
  }

  #wakePeer(slot: (e: number) => number): void {
    const ctl = this.ctl;
    const p = this.peer;
    if (Atomics.load(ctl, slot(p)) > 0) {
      Atomics.add(ctl, sig(p), 1);
      Atomics.notify(ctl, sig(p));
    }
  }

  // ---- reading (inbound ring) --------------------------------------------

  /** Bytes waiting in the inbound ring. */
  available(): number {
    const r = this.end;
    return (Atomics.load(this.ctl, wpos(r)) - Atomics.load(this.ctl, rpos(r))) >>> 0;
  }

  /** Copies `n` bytes at the read position (after `skip`) into `dst[at…]`, without consuming. */
  peek(dst: Uint8Array, at: number, n: number, skip = 0): void {
    const inb = this.in;
    const cap = inb.length;
    const start = (Atomics.load(this.ctl, rpos(this.end)) + skip) & (cap - 1);
    const first = Math.min(n, cap - start);
    dst.set(inb.subarray(start, start + first), at);
    if (n > first) dst.set(inb.subarray(0, n - first), at + first);
  }

  /** Consumes `n` bytes and wakes the writer if it may sleep waiting for room. */
  consume(n: number): void {
    const ctl = this.ctl;
    const r = this.end;
    Atomics.store(ctl, rpos(r), (Atomics.load(ctl, rpos(r)) + n) | 0);
    this.#wakePeer(waitSpace);
  }

  /** The length in the header at the read position (4 bytes must be there). */
  frameLength(): number {
    const h = this.#header;
    this.peek(h, 0, 4);
    return ((h[0] ?? 0) | ((h[1] ?? 0) << 8) | ((h[2] ?? 0) << 16) | ((h[3] ?? 0) << 24)) >>> 0;
  }

  // ---- handles ---------------------------------------------------------------

  /** Counts one more handle of this end (one described for another thread). */
  addHandle(): void {
    Atomics.add(this.ctl, handles(this.end), 1);
  }

  /** Releases one handle of this end and wakes the peer (it may wait for EOF). */
  releaseHandle(): void {
    const ctl = this.ctl;
    Atomics.sub(ctl, handles(this.end), 1);
    Atomics.add(ctl, sig(this.peer), 1);
    Atomics.notify(ctl, sig(this.peer));
  }

  /**
   * Counts every handle of the peer's end as released: the thread that held
   * them ended without closing them (terminated). Wakes this end's sleepers.
   */
  abandonPeer(): void {
    const ctl = this.ctl;
    Atomics.store(ctl, handles(this.peer), 0);
    Atomics.add(ctl, sig(this.end), 1);
    Atomics.notify(ctl, sig(this.end));
  }
}
