/**
 * `SharedMemory`: a block of bytes any thread of the process finds by name.
 * Mirrors `multiprocessing.shared_memory.SharedMemory`. The bytes live in
 * the process's named memory (internal/named-memory.ts); POSIX's rules
 * hold: a name stays until `unlink()`, and the memory stays until the last
 * handle on it closes (`close()`, the garbage collector, or the end of the
 * thread that opened it).
 */
import { kInspect, kShareable, registerShareable, StateError } from '@multiprocessing/core';
import type { RemoteSpec, Shareable, ShareableState } from '@multiprocessing/core';
import {
  attachSegment,
  createSegment,
  releaseSegment,
  segmentBytes,
  unlinkSegment,
} from './internal/named-memory.js';

const TAG = 'value-lock:SharedMemory';

/** Options of {@link SharedMemory}; Python's arguments. */
export interface SharedMemoryOptions {
  /**
   * The segment's name. Required to attach; when creating, a fresh
   * `psm_xxxxxxxx` name if absent. At most 224 bytes in UTF-8.
   */
  name?: string | null;
  /** Make a new segment (`true`) or attach to an existing one. @default false */
  create?: boolean;
  /** Bytes of a new segment (a positive integer); ignored when attaching. @default 0 */
  size?: number;
  /**
   * Accepted for Python's signature (3.13). A segment here never outlives
   * its process, so there is no resource tracker to opt out of.
   * @default true
   */
  track?: boolean;
}

/** One open handle: what closing it, or collecting its bytes, releases. */
interface Handle {
  readonly head: number;
  open: boolean;
}

// Handles this thread opened and has not closed; released when the thread ends.
const openHandles = new Set<Handle>();
let exitHookInstalled = false;

function release(handle: Handle): void {
  if (!handle.open) return;
  handle.open = false;
  openHandles.delete(handle);
  releaseSegment(handle.head);
}

// A handle whose bytes are garbage is closed, as Python's __del__ closes.
const collected = new FinalizationRegistry<Handle>(release);

function track(handle: Handle, bytes: Uint8Array, owner: object): void {
  openHandles.add(handle);
  collected.register(bytes, handle, owner);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // A thread that ends closes what it left open, as a process's exit unmaps.
    process.once('exit', () => {
      for (const h of [...openHandles]) release(h);
    });
  }
}

type Checked =
  | { readonly create: true; readonly name: string | undefined; readonly size: number }
  | { readonly create: false; readonly name: string };

function checkOptions(options: SharedMemoryOptions): Checked {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`options must be an object or a name, got ${String(options)}`);
  }
  const { name, create = false, size = 0, track: keep = true } = options;
  if (name !== undefined && name !== null && typeof name !== 'string') {
    throw new TypeError(`name must be a string, got ${typeof name}`);
  }
  if (typeof create !== 'boolean') throw new TypeError(`create must be a boolean, got ${typeof create}`);
  if (typeof keep !== 'boolean') throw new TypeError(`track must be a boolean, got ${typeof keep}`);
  if (typeof size !== 'number' || !Number.isInteger(size)) {
    throw new TypeError(`size must be an integer, got ${String(size)}`);
  }
  if (size < 0) throw new RangeError("'size' must be a positive integer");
  if (create && size === 0) throw new RangeError("'size' must be a positive number different from zero");
  if (create) return { create, name: name ?? undefined, size };
  if (name === undefined || name === null) throw new TypeError("'name' can only be None if create=True");
  return { create, name };
}

/**
 * A block of shared bytes with a name. Every thread of the process that
 * this runtime started (a `Process` under `'thread'`, a `Pool` worker) can
 * attach to it by name, or receive the object itself as an argument.
 *
 * Another OS process (the `'process'` start method) cannot map this memory:
 * Node.js has no shared memory between processes. A `SharedMemory` sent to
 * such a child arrives with its `name` and `size`, and `unlink()`; its
 * `buf` throws there. A {@link ShareableList} works in both.
 *
 * @example
 * const shm = new SharedMemory({ create: true, size: 10 });
 * shm.buf.set([22, 33, 44, 55, 66], 0);
 * const other = new SharedMemory({ name: shm.name }); // or in another thread
 * console.log(other.buf[3]); // 55
 * other.close();
 * shm.close();
 * shm.unlink();
 * @see https://docs.python.org/3/library/multiprocessing.shared_memory.html
 */
export class SharedMemory implements Shareable, Disposable {
  readonly #name: string;
  readonly #size: number;
  #buf: Uint8Array | undefined;
  readonly #handle: Handle;

  /**
   * @param options - `{ name, create, size }` as Python's arguments, or a
   *   name to attach to.
   * @throws {TypeError} a missing name when attaching; an argument of the wrong type.
   * @throws {RangeError} a size that is not positive when creating; a name
   *   longer than 224 bytes; a segment past the process's 4 GiB of named memory.
   * @throws {FileExistsError} `create` with a name in use.
   * @throws {FileNotFoundError} attaching to a name no segment has.
   */
  constructor(options: SharedMemoryOptions | string) {
    const checked = checkOptions(typeof options === 'string' ? { name: options } : options);
    let segment;
    if (checked.create) {
      const made = createSegment(checked.name, checked.size);
      this.#name = made.name;
      segment = made.segment;
    } else {
      this.#name = checked.name;
      segment = attachSegment(checked.name);
    }
    this.#size = segment.size;
    this.#buf = segmentBytes(segment);
    this.#handle = { head: segment.head, open: true };
    track(this.#handle, this.#buf, this);
  }

  /** The segment's name, to attach to it from another thread. */
  get name(): string {
    return this.#name;
  }

  /** The segment's size in bytes. */
  get size(): number {
    return this.#size;
  }

  /**
   * The bytes. Python's `memoryview` is a `Uint8Array` here; wrap it
   * (`new Float64Array(shm.buf.buffer, shm.buf.byteOffset, n)`) for other
   * types, with the offset a multiple of the type's size.
   *
   * @throws {StateError} after `close()`.
   */
  get buf(): Uint8Array {
    if (this.#buf === undefined) throw new StateError('SharedMemory is closed');
    return this.#buf;
  }

  /**
   * Closes this handle (idempotent). The segment stays, under its name,
   * until `unlink()`. Views taken from `buf` must not be used after it: once
   * the segment is unlinked and every handle closed, its bytes are reused.
   */
  close(): void {
    if (this.#buf === undefined) return;
    this.#buf = undefined;
    collected.unregister(this);
    release(this.#handle);
  }

  /**
   * Removes the name: attaching to it fails from now on, and the bytes go
   * when the last handle closes. Call it once, from one thread.
   *
   * @throws {FileNotFoundError} when the name is already gone.
   */
  unlink(): void {
    unlinkSegment(this.#name);
  }

  /** `using shm = …` closes it at the end of the scope (Python's `with`). */
  [Symbol.dispose](): void {
    this.close();
  }

  /** `SharedMemory('psm_1a2b3c4d', size=10)`, as Python's repr. */
  toString(): string {
    return `SharedMemory('${this.#name}', size=${String(this.#size)})`;
  }

  /** `util.inspect` / `console.log` show {@link SharedMemory.toString}. */
  [kInspect](): string {
    return this.toString();
  }

  /** The shareable protocol: travels by name, and attaches on arrival (as Python's pickling does). */
  [kShareable](): ShareableState {
    return { tag: TAG, data: { name: this.#name }, threadOnly: true };
  }
}

/** Another OS process: the name, the size and `unlink()`; closing there closes nothing here. */
const sharedMemoryRemote: RemoteSpec = {
  constants: ['name', 'size'],
  sync: ['unlink'],
  methods: {
    close(): void {
      // The caller never mapped the bytes.
    },
    [Symbol.dispose](): void {
      // As close().
    },
  },
};

registerShareable(
  TAG,
  import.meta.url,
  SharedMemory,
  (data: { name: string }) => new SharedMemory(data.name),
  {
    remote: sharedMemoryRemote,
  },
);
