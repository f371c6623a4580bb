/**
 * The named memory of a process: the segments of `SharedMemory`, found by
 * name from every thread. They live in one growable SharedArrayBuffer that
 * every thread of the process shares (core's `processSharedMemory()`), so a
 * name leads to the same bytes in any thread without a message.
 *
 * Layout (byte offsets; every number a 32-bit word):
 *
 *   0    header: [0] mutex, [1] end of the last block (0 = no block yet),
 *        [2] the highest end so far (bytes past it were never used: still zero)
 *   64   blocks, back to back: a 256-byte head, then `capacity` data bytes
 *
 *   head: [0] state  FREE 0 | NAMED 1 | UNLINKED 2 (no name, still open)
 *         [1] capacity (a multiple of 64)   [2] size asked for
 *         [3] open handles                  [4] name length in UTF-8 bytes
 *         name bytes from byte 32 (at most {@link MAX_NAME_BYTES})
 *
 * Every read or write of a head happens under the mutex. A block is freed
 * when it is unlinked and its last handle closes (POSIX shared memory's
 * rule); free neighbours merge, and a free block at the end gives its bytes
 * back to the end. The buffer never shrinks.
 */
import { FileExistsError, FileNotFoundError } from '@multiprocessing/core';
import { processSharedMemory } from '@multiprocessing/core/internal';
import { mutexLockSync, mutexUnlock } from './futex.js';

const HEADER = 64;
const HEAD = 256;
const NAME_AT = 32;
const LINE = 64;
/** The longest name, in UTF-8 bytes. */
export const MAX_NAME_BYTES = HEAD - NAME_AT;

const FREE = 0;
const NAMED = 1;
const UNLINKED = 2;

const MUTEX = 0;
const END = 1;
const HIGH = 2;

// Head words, relative to the head's first word.
const STATE = 0;
const CAPACITY = 1;
const SIZE = 2;
const HANDLES = 3;
const NAME_LENGTH = 4;

/** Where a segment's bytes are. */
export interface Segment {
  readonly sab: SharedArrayBuffer;
  /** Byte offset of the head; the data starts {@link HEAD} bytes later. */
  readonly head: number;
  readonly size: number;
}

interface Views {
  readonly sab: SharedArrayBuffer;
  // Fixed-length views of the whole buffer, made again when it has grown:
  // V8 reads through them about nine times faster than through
  // length-tracking ones.
  readonly u32: Uint32Array;
  readonly i32: Int32Array;
  readonly bytes: Uint8Array;
}

let views: Views | undefined;

function viewsOf(sab: SharedArrayBuffer): Views {
  const n = sab.byteLength;
  return {
    sab,
    u32: new Uint32Array(sab, 0, n / 4),
    i32: new Int32Array(sab, 0, n / 4),
    bytes: new Uint8Array(sab, 0, n),
  };
}

function arena(): Views {
  if (views === undefined) {
    const sab = processSharedMemory();
    ensureLength(sab, HEADER);
    views = viewsOf(sab);
  } else if (views.bytes.length !== views.sab.byteLength) {
    views = viewsOf(views.sab);
  }
  return views;
}

const ZEROS = new Uint8Array(65536);

/** Zeroes bytes `from` to `to` (a copy of zeros: far faster than `fill` on shared memory). */
function zero(v: Views, from: number, to: number): void {
  for (let at = from; at < to; at += ZEROS.length) {
    v.bytes.set(to - at >= ZEROS.length ? ZEROS : ZEROS.subarray(0, to - at), at);
  }
}

/** Grows `sab` to at least `length` bytes; another thread may grow it at the same time. */
function ensureLength(sab: SharedArrayBuffer, length: number): void {
  while (sab.byteLength < length) {
    try {
      sab.grow(Math.min(sab.maxByteLength, Math.ceil(length / 65536) * 65536));
    } catch (err) {
      // Another thread grew it past our target first.
      if (sab.byteLength < length) throw err;
    }
  }
}

const encoder = new TextEncoder();

/** The UTF-8 bytes of `name`, checked against the bound. */
export function encodeName(name: string): Uint8Array {
  const bytes = encoder.encode(name);
  if (bytes.length > MAX_NAME_BYTES) {
    throw new RangeError(
      `name must be at most ${String(MAX_NAME_BYTES)} bytes in UTF-8, got ${String(bytes.length)}`,
    );
  }
  return bytes;
}

function locked<T>(fn: (v: Views) => T): T {
  const v = arena();
  mutexLockSync(v.i32, MUTEX);
  try {
    return fn(v);
  } finally {
    mutexUnlock(v.i32, MUTEX);
  }
}

function end(v: Views): number {
  const at = v.u32[END] ?? 0;
  return at === 0 ? HEADER : at;
}

function word(v: Views, head: number, slot: number): number {
  return v.u32[head / 4 + slot] ?? 0;
}

function setWord(v: Views, head: number, slot: number, value: number): void {
  v.u32[head / 4 + slot] = value;
}

function nameMatches(v: Views, head: number, name: Uint8Array): boolean {
  if (word(v, head, STATE) !== NAMED || word(v, head, NAME_LENGTH) !== name.length) return false;
  const at = head + NAME_AT;
  for (let i = 0; i < name.length; i++) if (v.bytes[at + i] !== name[i]) return false;
  return true;
}

function find(v: Views, name: Uint8Array): number | undefined {
  const stop = end(v);
  for (let head = HEADER; head < stop; head += HEAD + word(v, head, CAPACITY)) {
    if (nameMatches(v, head, name)) return head;
  }
  return undefined;
}

function segment(v: Views, head: number): Segment {
  return { sab: v.sab, head, size: word(v, head, SIZE) };
}

function quoted(name: string): string {
  return `'${name.replaceAll("'", "\\'")}'`;
}

/** Python's message for a missing segment, with what a name reaches here. */
export function notFound(name: string): FileNotFoundError {
  return new FileNotFoundError(
    `[Errno 2] No such file or directory: ${quoted(name)} (a name finds memory made by a thread of this ` +
      'process; Node.js cannot map the memory of another OS process)',
  );
}

/** A free block of at least `capacity` bytes, split to size, or undefined. */
function reuse(v: Views, capacity: number): number | undefined {
  const stop = end(v);
  for (let head = HEADER; head < stop; head += HEAD + word(v, head, CAPACITY)) {
    const have = word(v, head, CAPACITY);
    if (word(v, head, STATE) !== FREE || have < capacity) continue;
    if (have - capacity >= HEAD + LINE) {
      const rest = head + HEAD + capacity;
      setWord(v, rest, STATE, FREE);
      setWord(v, rest, CAPACITY, have - capacity - HEAD);
      setWord(v, head, CAPACITY, capacity);
    }
    // Freed memory held someone's bytes; a new segment starts zeroed.
    zero(v, head + HEAD, head + HEAD + word(v, head, CAPACITY));
    return head;
  }
  return undefined;
}

/** Room for a block of `capacity` at the end; returns the views, made again if the buffer grew. */
function append(v: Views, capacity: number): { views: Views; head: number } {
  const head = end(v);
  const next = head + HEAD + capacity;
  if (next > v.sab.maxByteLength) {
    throw new RangeError(
      `cannot make a segment of ${String(capacity)} bytes: the named shared memory of one process ` +
        `is limited to ${String(v.sab.maxByteLength)} bytes, and ${String(head)} are in use`,
    );
  }
  ensureLength(v.sab, next);
  const grown = arena();
  // Bytes below the high-water mark belonged to a freed block at the end.
  const high = grown.u32[HIGH] ?? 0;
  if (high > head + HEAD) zero(grown, head + HEAD, Math.min(high, next));
  if (next > high) grown.u32[HIGH] = next;
  setWord(grown, head, CAPACITY, capacity);
  grown.u32[END] = next;
  return { views: grown, head };
}

/**
 * Makes a zeroed segment of `size` bytes under `name`, with one open handle.
 * `name` undefined: a fresh `psm_xxxxxxxx` name, as Python's.
 */
export function createSegment(
  name: string | undefined,
  size: number,
): { readonly name: string; readonly segment: Segment } {
  const capacity = Math.ceil(size / LINE) * LINE;
  return locked((v) => {
    let chosen = name;
    let encoded: Uint8Array;
    if (chosen === undefined) {
      do {
        chosen = randomName();
        encoded = encoder.encode(chosen);
      } while (find(v, encoded) !== undefined);
    } else {
      encoded = encodeName(chosen);
      if (find(v, encoded) !== undefined)
        throw new FileExistsError(`[Errno 17] File exists: ${quoted(chosen)}`);
    }
    const reused = reuse(v, capacity);
    const { views: w, head } = reused === undefined ? append(v, capacity) : { views: v, head: reused };
    setWord(w, head, STATE, NAMED);
    setWord(w, head, SIZE, size);
    setWord(w, head, HANDLES, 1);
    setWord(w, head, NAME_LENGTH, encoded.length);
    w.bytes.set(encoded, head + NAME_AT);
    return { name: chosen, segment: segment(w, head) };
  });
}

/** Python's form of name; uniqueness is checked under the mutex, so it need not be unguessable. */
function randomName(): string {
  return `psm_${Math.floor(Math.random() * 2 ** 32)
    .toString(16)
    .padStart(8, '0')}`;
}

/** Opens a handle on the segment named `name`. */
export function attachSegment(name: string): Segment {
  const encoded = encodeName(name);
  return locked((v) => {
    const head = find(v, encoded);
    if (head === undefined) throw notFound(name);
    setWord(v, head, HANDLES, word(v, head, HANDLES) + 1);
    return segment(v, head);
  });
}

/** Closes one handle on the segment at `head`; frees it if that was the last and it is unlinked. */
export function releaseSegment(head: number): void {
  locked((v) => {
    const handles = word(v, head, HANDLES) - 1;
    setWord(v, head, HANDLES, handles);
    if (handles === 0 && word(v, head, STATE) === UNLINKED) free(v, head);
  });
}

/** Removes `name`; the memory goes when its last handle closes. */
export function unlinkSegment(name: string): void {
  const encoded = encodeName(name);
  locked((v) => {
    const head = find(v, encoded);
    if (head === undefined) throw notFound(name);
    setWord(v, head, STATE, UNLINKED);
    setWord(v, head, NAME_LENGTH, 0);
    if (word(v, head, HANDLES) === 0) free(v, head);
  });
}

/** Marks the block free, merges free neighbours and gives a free tail back to the end. */
function free(v: Views, head: number): void {
  setWord(v, head, STATE, FREE);
  let previousFree: number | undefined;
  let last = HEADER;
  const stop = end(v);
  for (let at = HEADER; at < stop;) {
    const next = at + HEAD + word(v, at, CAPACITY);
    if (word(v, at, STATE) === FREE && previousFree !== undefined) {
      setWord(v, previousFree, CAPACITY, next - previousFree - HEAD);
    } else {
      previousFree = word(v, at, STATE) === FREE ? at : undefined;
      last = at;
    }
    at = next;
  }
  if (previousFree !== undefined && previousFree === last) v.u32[END] = last;
}

/** The data bytes of a segment, as a view its holder can keep. */
export function segmentBytes(seg: Segment): Uint8Array {
  return new Uint8Array(seg.sab, seg.head + HEAD, seg.size);
}
