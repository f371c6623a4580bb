/**
 * Per-thread scratch buffers for decoding small frames. msgpackr caches a
 * DataView on a buffer it has read before, so decoding from a reused buffer
 * is about 4× faster for a small item than from a fresh copy.
 */

const SCRATCH_MAX = 256;
const scratch: (Uint8Array | undefined)[] = [];

/**
 * A buffer of exactly `len` bytes to decode a frame from: a reused one for
 * small frames, else an uninitialised (possibly pooled) Buffer. Callers fill
 * it, decode it at once and never hand it out (the codec copies binary
 * data out of it).
 */
export function frameBuffer(len: number): Uint8Array {
  if (len > SCRATCH_MAX) return Buffer.allocUnsafe(len);
  let buf = scratch[len];
  if (buf === undefined) {
    buf = new Uint8Array(len);
    scratch[len] = buf;
  }
  return buf;
}
