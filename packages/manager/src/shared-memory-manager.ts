/**
 * `SharedMemoryManager`: a manager that makes `SharedMemory` segments and
 * `ShareableList`s and unlinks every one of them at `shutdown()`. Mirrors
 * `multiprocessing.managers.SharedMemoryManager`.
 *
 * Python's server records each segment so that it can unlink them when the
 * program ends. Here a process's named memory ends with the process, so the
 * manager that made the segments records them and unlinks them itself; its
 * server serves the types registered on it, as any manager's does.
 */
import { FileNotFoundError, StateError } from '@multiprocessing/core';
import { ShareableList, SharedMemory, type ShareableItem } from '@multiprocessing/value-lock';
import { BaseManager } from './base-manager.js';

/**
 * A manager of shared memory: `SharedMemory(size)` and
 * `ShareableList(sequence)` make segments in this process, and `shutdown()`
 * (or the end of an `await using` scope) unlinks them all.
 *
 * @example
 * await using smm = new SharedMemoryManager();
 * await smm.start();
 * const sl = smm.ShareableList([0, 0, 0]);
 * const shm = smm.SharedMemory(128);
 * // … hand sl and shm to pool workers or processes …
 * // leaving the scope unlinks both
 * @see https://docs.python.org/3/library/multiprocessing.shared_memory.html#multiprocessing.managers.SharedMemoryManager
 */
export class SharedMemoryManager extends BaseManager {
  readonly #segments = new Set<SharedMemory>();
  #running = false;

  /** Starts the server, as {@link BaseManager.start}; segments can be made afterwards. */
  override async start(): Promise<void> {
    await super.start();
    this.#running = true;
  }

  /** Connects to a server, as {@link BaseManager.connect}; segments can be made afterwards. */
  override async connect(): Promise<void> {
    await super.connect();
    this.#running = true;
  }

  #check(): void {
    if (!this.#running) throw new StateError('server not yet started');
  }

  /**
   * A new segment of `size` bytes with a fresh name, unlinked at `shutdown()`.
   *
   * @throws {StateError} before `start()` or `connect()`, and after `shutdown()`.
   * @throws {TypeError} / {RangeError} for a size that is not a positive integer.
   */
  SharedMemory(size: number): SharedMemory {
    this.#check();
    const shm = new SharedMemory({ create: true, size });
    this.#segments.add(shm);
    return shm;
  }

  /**
   * A new `ShareableList` of `sequence`, whose segment is unlinked at `shutdown()`.
   *
   * @throws {StateError} before `start()` or `connect()`, and after `shutdown()`.
   * @throws {TypeError} for an item ShareableList cannot hold.
   */
  ShareableList(sequence?: Iterable<ShareableItem> | null): ShareableList {
    this.#check();
    const sl = new ShareableList(sequence ?? []);
    this.#segments.add(sl.shm);
    return sl;
  }

  /**
   * Unlinks every segment this manager made (those already unlinked are
   * skipped), then shuts the server down as {@link BaseManager.shutdown}.
   * Handles still open keep their bytes until they close.
   */
  override shutdown(): Promise<void> {
    this.#running = false;
    for (const shm of this.#segments) {
      try {
        shm.unlink();
      } catch (err) {
        if (!(err instanceof FileNotFoundError)) throw err;
      }
    }
    this.#segments.clear();
    return super.shutdown();
  }
}
