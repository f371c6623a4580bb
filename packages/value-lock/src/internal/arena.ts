/**
 * Shared memory for the primitives of this package: per-thread arena chunks
 * of 64 KiB, bump-allocated in 64-byte lines (few,
 * large, long-lived SharedArrayBuffers, since GC does not see their memory
 * and many small ones inflate RSS; one line per primitive so two hot
 * locks never share a cache line). A request larger than a quarter chunk gets
 * a SharedArrayBuffer of its own. Memory is zero-filled, which is every
 * primitive's initial state, so a constructor only writes non-zero words.
 *
 * Nothing is freed line by line: a chunk is collected once no thread holds a
 * primitive in it any more (docs/decisions/0004-value-lock-memory-and-futex.md).
 */

import { types } from 'node:util';

/** True for a SharedArrayBuffer of any realm. */
export function isSharedArrayBuffer(value: unknown): value is SharedArrayBuffer {
  return types.isSharedArrayBuffer(value);
}

/** Bytes per arena chunk. */
export const CHUNK_BYTES = 64 * 1024;
/** Alignment and granularity of every allocation (one cache line). */
export const LINE_BYTES = 64;
const OWN_BUFFER_THRESHOLD = CHUNK_BYTES / 4;

/** A place in shared memory. */
export interface Block {
  readonly sab: SharedArrayBuffer;
  /** Byte offset of the block, a multiple of {@link LINE_BYTES}. */
  readonly byteOffset: number;
}

// Invariant: `chunk` is the chunk being filled (undefined before the first
// allocation); `used` is how many of its bytes are handed out, a multiple of
// LINE_BYTES. Older chunks are referenced only by the primitives in them.
let chunk: SharedArrayBuffer | undefined;
let used = CHUNK_BYTES;

/** Allocates `bytes` (at least one line) of zeroed shared memory. */
export function allocate(bytes: number): Block {
  const size = Math.max(LINE_BYTES, Math.ceil(bytes / LINE_BYTES) * LINE_BYTES);
  if (size > OWN_BUFFER_THRESHOLD) return { sab: new SharedArrayBuffer(size), byteOffset: 0 };
  if (chunk === undefined || used + size > CHUNK_BYTES) {
    chunk = new SharedArrayBuffer(CHUNK_BYTES);
    used = 0;
  }
  const block = { sab: chunk, byteOffset: used };
  used += size;
  return block;
}

const int32Views = new WeakMap<SharedArrayBuffer, Int32Array>();

/** One Int32Array over the whole buffer, shared by every primitive in it. */
export function int32View(sab: SharedArrayBuffer): Int32Array {
  let view = int32Views.get(sab);
  if (view === undefined) {
    view = new Int32Array(sab);
    int32Views.set(sab, view);
  }
  return view;
}

/** Where a primitive lives, as it travels in a shareable descriptor. */
export interface SlotRef {
  readonly sab: SharedArrayBuffer;
  /** Index of the primitive's first Int32 word in the buffer. */
  readonly index: number;
}

/** Allocates a primitive of `words` Int32 words. */
export function allocateWords(words: number): SlotRef {
  const block = allocate(words * 4);
  return { sab: block.sab, index: block.byteOffset / 4 };
}

/** Validates a descriptor's slot reference (data from another thread). */
export function checkSlotRef(data: unknown, words: number, what: string): SlotRef {
  if (typeof data === 'object' && data !== null) {
    const { sab, index } = data as Partial<SlotRef>;
    if (
      isSharedArrayBuffer(sab) &&
      typeof index === 'number' &&
      Number.isInteger(index) &&
      index >= 0 &&
      (index + words) * 4 <= sab.byteLength
    ) {
      return { sab, index };
    }
  }
  throw new TypeError(`invalid shared ${what} descriptor`);
}
