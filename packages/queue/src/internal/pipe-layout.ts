/**
 * The shared memory of a `Pipe` (`multiprocessing.Pipe`): one control block
 * of Int32 words and one byte ring per direction. Only the word indexes and
 * the sizes live here; `byte-ring.ts` moves bytes, `frame-writer.ts` and
 * `frame-reader.ts` frame them.
 */

/*
 * Control block (Int32Array over one SharedArrayBuffer per Pipe, CTL_INTS
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
 *   HANDLES(e)       SIG(e)+2: open handles of end e in every thread, plus
 *                    handles in flight (described but not yet revived);
 *                    0 = end e is closed everywhere (EOF for the peer)
 *   WAIT_SPACE(e)    SIG(e)+3: flushes of end e that may sleep on SIG(e)
 *   PIPE_ID          96, 97: two random words naming the pipe, so that a
 *                    thread can count its own handles of it (the memory is
 *                    the pipe; a revived SharedArrayBuffer object is not)
 *
 * WPOS and RPOS live on separate 64-byte lines (no false sharing between the
 * two sides). Each ring holds a byte stream of frames `[u32 LE length][bytes]`;
 * a frame may be larger than the ring, since reader and writer stream it.
 */
export const CTL_INTS = 112;
export const wpos = (r: number): number => 32 * r;
export const rpos = (r: number): number => 32 * r + 16;
export const sig = (e: number): number => 64 + 16 * e;
export const waitData = (e: number): number => 64 + 16 * e + 1;
export const handles = (e: number): number => 64 + 16 * e + 2;
export const waitSpace = (e: number): number => 64 + 16 * e + 3;
const PIPE_ID = 96;

/** Default ring size per direction (like a Linux pipe's 64 KiB buffer). */
export const PIPE_RING_BYTES = 64 * 1024;

/** What a Connection handle is made of (also its shareable descriptor). */
export interface ConnectionData {
  readonly ctl: SharedArrayBuffer;
  readonly end: 0 | 1;
  readonly inbound: SharedArrayBuffer | null;
  readonly outbound: SharedArrayBuffer | null;
}

/** Makes the memory of a new pipe: both ends open with one handle each. */
export function createPipeMemory(duplex: boolean, ringBytes: number): [ConnectionData, ConnectionData] {
  const ctl = new SharedArrayBuffer(CTL_INTS * 4);
  const i32 = new Int32Array(ctl);
  Atomics.store(i32, handles(0), 1);
  Atomics.store(i32, handles(1), 1);
  Atomics.store(i32, PIPE_ID, (Math.random() * 2 ** 32) | 0);
  Atomics.store(i32, PIPE_ID + 1, (Math.random() * 2 ** 32) | 0);
  const ring0 = new SharedArrayBuffer(ringBytes);
  const ring1 = duplex ? new SharedArrayBuffer(ringBytes) : null;
  return [
    { ctl, end: 0, inbound: ring0, outbound: ring1 },
    { ctl, end: 1, inbound: ring1, outbound: ring0 },
  ];
}

/** A key naming the pipe of `ctl` in every thread. */
export function pipeKey(ctl: Int32Array): string {
  return `${Atomics.load(ctl, PIPE_ID)}:${Atomics.load(ctl, PIPE_ID + 1)}`;
}
