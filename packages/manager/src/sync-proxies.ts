/**
 * The proxies of the managed synchronisation objects and queues: Lock,
 * RLock, Semaphore (`AcquirerProxy`), Condition, Event, Barrier, Queue and
 * JoinableQueue.
 */
import { deadlineAfter, remainingMs, timeoutMs } from '@multiprocessing/core/internal';
import { BaseProxy, type BlockingOptions } from './base-proxy.js';

/** A proxy for a managed Lock, RLock, Semaphore or BoundedSemaphore. */
export class AcquirerProxy extends BaseProxy {
  /** Resolves true once acquired, false when it could not be within the timeout. */
  acquire(options: BlockingOptions = {}): Promise<boolean> {
    return this._callMethod('acquire', [options]) as Promise<boolean>;
  }
  /**
   * Releases it. StateError `release unlocked lock` (Lock),
   * `cannot release un-acquired lock` (RLock not held by this thread's
   * connection), `Semaphore released too many times` (BoundedSemaphore).
   */
  release(): Promise<void> {
    return this._callMethod('release') as Promise<void>;
  }
  /** Acquires it and returns a handle that releases it: `await using _ = await lock.hold()`. */
  async hold(): Promise<AsyncDisposable> {
    await this.acquire();
    return {
      [Symbol.asyncDispose]: () => this.release(),
    };
  }
  /** Runs `fn` while holding it. */
  async withLock<R>(fn: () => R | Promise<R>): Promise<R> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      await this.release();
    }
  }
}

/** A proxy for a managed Condition. */
export class ConditionProxy extends AcquirerProxy {
  /** Releases the lock, waits for a notify (or the timeout), reacquires; resolves false on timeout. */
  wait(timeout?: number | null): Promise<boolean> {
    return this._callMethod('wait', [timeout]) as Promise<boolean>;
  }
  /**
   * Waits until `predicate()` is truthy (checked here, in the caller, as
   * Python's ConditionProxy does); resolves to its last value.
   */
  async waitFor<R>(predicate: () => R | Promise<R>, timeout?: number | null): Promise<R> {
    const deadline = deadlineAfter(timeoutMs(timeout));
    let result = await predicate();
    while (!result) {
      const left = remainingMs(deadline);
      if (left === 0) break;
      await this.wait(left === undefined ? null : left / 1000);
      result = await predicate();
    }
    return result;
  }
  /** Wakes up to `n` waiters (`c.notify(n)`); the caller must hold the lock. */
  notify(n = 1): Promise<void> {
    return this._callMethod('notify', [n]) as Promise<void>;
  }
  /** Wakes every waiter (`c.notify_all()`); the caller must hold the lock. */
  notifyAll(): Promise<void> {
    return this._callMethod('notifyAll') as Promise<void>;
  }
}

/** A proxy for a managed Event. */
export class EventProxy extends BaseProxy {
  /** Whether the flag is set (`e.is_set()`). */
  isSet(): Promise<boolean> {
    return this._callMethod('isSet') as Promise<boolean>;
  }
  /** Sets the flag and wakes every waiter (`e.set()`). */
  set(): Promise<void> {
    return this._callMethod('set') as Promise<void>;
  }
  /** Clears the flag (`e.clear()`). */
  clear(): Promise<void> {
    return this._callMethod('clear') as Promise<void>;
  }
  /** Resolves to the flag: true once set, false after the timeout. */
  wait(timeout?: number | null): Promise<boolean> {
    return this._callMethod('wait', [timeout]) as Promise<boolean>;
  }
}

/** A proxy for a managed Barrier. */
export class BarrierProxy extends BaseProxy {
  /**
   * Resolves to this waiter's index; BrokenBarrierError when broken, aborted
   * or timed out. `undefined` or `null` take the barrier's own timeout.
   */
  wait(timeout?: number | null): Promise<number> {
    return this._callMethod('wait', timeout == null ? [] : [timeout]) as Promise<number>;
  }
  /** Breaks the barrier: current and later waiters get BrokenBarrierError (`b.abort()`). */
  abort(): Promise<void> {
    return this._callMethod('abort') as Promise<void>;
  }
  /** Returns the barrier to its empty state; current waiters get BrokenBarrierError (`b.reset()`). */
  reset(): Promise<void> {
    return this._callMethod('reset') as Promise<void>;
  }
  /** The number of parties that must wait (`b.parties`). */
  parties(): Promise<number> {
    return this._callMethod('parties') as Promise<number>;
  }
  /** How many parties are waiting now (`b.n_waiting`). */
  nWaiting(): Promise<number> {
    return this._callMethod('nWaiting') as Promise<number>;
  }
  /** Whether the barrier is broken (`b.broken`). */
  broken(): Promise<boolean> {
    return this._callMethod('broken') as Promise<boolean>;
  }
}

/** A proxy for a managed Queue (Python's `queue.Queue` in the server). */
export class QueueProxy<T = unknown> extends BaseProxy {
  /** Adds `item`; FullError when full and not blocking, or after the timeout. */
  put(item: T, options: BlockingOptions = {}): Promise<void> {
    return this._callMethod('put', [item, options]) as Promise<void>;
  }
  /** `put(item, { block: false })`: FullError when the queue is full. */
  putNowait(item: T): Promise<void> {
    return this._callMethod('putNowait', [item]) as Promise<void>;
  }
  /** Removes the oldest item; EmptyError when empty and not blocking, or after the timeout. */
  get(options: BlockingOptions = {}): Promise<T> {
    return this._callMethod('get', [options]) as Promise<T>;
  }
  /** `get({ block: false })`: EmptyError when the queue is empty. */
  getNowait(): Promise<T> {
    return this._callMethod('getNowait') as Promise<T>;
  }
  /** The number of items in the queue (`q.qsize()`). */
  qsize(): Promise<number> {
    return this._callMethod('qsize') as Promise<number>;
  }
  /** Whether the queue is empty (`q.empty()`). */
  empty(): Promise<boolean> {
    return this._callMethod('empty') as Promise<boolean>;
  }
  /** Whether the queue is full (`q.full()`). */
  full(): Promise<boolean> {
    return this._callMethod('full') as Promise<boolean>;
  }
}

/** A proxy for a managed JoinableQueue. */
export class JoinableQueueProxy<T = unknown> extends QueueProxy<T> {
  /** StateError `task_done() called too many times`. */
  taskDone(): Promise<void> {
    return this._callMethod('taskDone') as Promise<void>;
  }
  /** Resolves once every item put has been marked done. */
  join(): Promise<void> {
    return this._callMethod('join') as Promise<void>;
  }
}
