/**
 * The scoped forms every lock-like object shares: `hold()` / `holdSync()`
 * (Python's `with lock:` as `await using` / `using`) and `withLock(fn)`.
 * Subclasses supply `acquire`, `acquireSync` and `release`.
 */
import { kInspect, TimeoutError } from '@multiprocessing/core';
import type { AcquireOptions, Held } from '../options.js';

function held(owner: { release(): void }): Held {
  let done = false;
  const release = (): void => {
    if (done) return;
    done = true;
    owner.release();
  };
  return {
    release,
    [Symbol.dispose]: release,
    [Symbol.asyncDispose]: () => {
      release();
      return Promise.resolve();
    },
  };
}

/** Base class of the objects with `acquire` / `release`. */
export abstract class Acquirable {
  /**
   * Acquires without blocking the event loop.
   * @returns true once acquired; false when `block` is false or `timeout`
   *   passed first.
   */
  abstract acquire(options?: AcquireOptions): Promise<boolean>;

  /**
   * Acquires, blocking the calling thread (meant for workers; on the main
   * thread it stalls the event loop).
   * @returns true once acquired; false when `block` is false or `timeout`
   *   passed first.
   */
  abstract acquireSync(options?: AcquireOptions): boolean;

  /** Releases. Never blocks. */
  abstract release(): void;

  /** Python's repr of the lock (one line; never blocks). */
  abstract toString(): string;

  /**
   * Acquires and returns a handle whose disposal releases:
   * `await using _ = await lock.hold()`.
   * @throws {TimeoutError} when `timeout` passes before the lock is acquired.
   */
  async hold(options?: Pick<AcquireOptions, 'timeout'>): Promise<Held> {
    if (!(await this.acquire(options))) {
      throw new TimeoutError(`timed out acquiring ${this.constructor.name}`);
    }
    return held(this);
  }

  /**
   * Acquires (blocking the thread) and returns a handle whose disposal
   * releases: `using _ = lock.holdSync()`.
   * @throws {TimeoutError} when `timeout` passes before the lock is acquired.
   */
  holdSync(options?: Pick<AcquireOptions, 'timeout'>): Held {
    if (!this.acquireSync(options)) {
      throw new TimeoutError(`timed out acquiring ${this.constructor.name}`);
    }
    return held(this);
  }

  /**
   * Runs `fn` while holding the lock (acquired without blocking the event
   * loop) and releases it afterwards, also when `fn` throws or rejects.
   */
  async withLock<R>(fn: () => R | PromiseLike<R>): Promise<R> {
    if (typeof fn !== 'function') throw new TypeError('fn must be a function');
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  /** Runs `fn` while holding the lock (blocking the thread to acquire it). */
  withLockSync<R>(fn: () => R): R {
    if (typeof fn !== 'function') throw new TypeError('fn must be a function');
    this.acquireSync();
    try {
      return fn();
    } finally {
      this.release();
    }
  }

  /** `util.inspect` and `console.log` show the Python-style repr of `toString()`. */
  [kInspect](): string {
    return this.toString();
  }
}
