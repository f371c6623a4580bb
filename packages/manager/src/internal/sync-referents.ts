/**
 * The synchronisation objects a SyncManager serves: `Lock`, `RLock`,
 * `Semaphore`, `BoundedSemaphore`, `Condition`, `Event`, `Barrier`, `Queue`
 * and `JoinableQueue`. Mirrors the `threading` and `queue` objects Python's
 * manager holds, with their messages. They live on the server's event loop:
 * a blocking call parks a promise, so one client's wait never blocks other
 * requests, even on the same connection.
 */
import { BrokenBarrierError, EmptyError, FullError, StateError } from '@multiprocessing/core';
import { currentCaller, type Caller } from './caller.js';
import { timeoutMs } from '@multiprocessing/core/internal';
import { WaitList } from './wait-list.js';

/** `{block, timeout}`; a bare boolean is taken as `block`. */
export interface BlockOptions {
  block?: boolean;
  timeout?: number | null;
}

/** `block` and the wait limit in ms (undefined = for ever). */
function blockOptions(options: unknown): { block: boolean; timeout: number | undefined } {
  if (typeof options === 'boolean') return { block: options, timeout: undefined };
  if (options === undefined || options === null) return { block: true, timeout: undefined };
  if (typeof options !== 'object') throw new TypeError('options must be an object {block?, timeout?}');
  const { block = true, timeout } = options as BlockOptions;
  return { block: block, timeout: timeoutMs(timeout) };
}

/** What a Condition needs from its lock. */
interface ConditionLock {
  acquireAs(caller: Caller, block: boolean, timeout: number | undefined): boolean | Promise<boolean>;
  isOwned(caller: Caller): boolean;
  releaseSave(caller: Caller): number;
  acquireRestore(caller: Caller, saved: number): Promise<void>;
}

/** threading.Lock: any caller may release. */
export class LockReferent implements ConditionLock {
  #locked = false;
  readonly #waiters = new WaitList<boolean>();

  acquireAs(caller: Caller, block: boolean, timeout: number | undefined): boolean | Promise<boolean> {
    if (!this.#locked) {
      this.#locked = true;
      return true;
    }
    if (!block || timeout === 0) return false;
    return this.#waiters.add(caller, timeout, () => false);
  }
  acquire(options?: BlockOptions | boolean): boolean | Promise<boolean> {
    const { block, timeout } = blockOptions(options);
    return this.acquireAs(currentCaller(), block, timeout);
  }
  release(): void {
    if (!this.#locked) throw new StateError('release unlocked lock');
    const next = this.#waiters.shift();
    // Hand the lock straight to the next waiter: it stays locked.
    if (next !== undefined) next.resolve(true);
    else this.#locked = false;
  }
  locked(): boolean {
    return this.#locked;
  }
  isOwned(): boolean {
    return this.#locked;
  }
  releaseSave(): number {
    this.release();
    return 1;
  }
  async acquireRestore(caller: Caller): Promise<void> {
    await this.acquireAs(caller, true, undefined);
  }
}

/** threading.RLock: owned by the connection that acquired it. */
export class RLockReferent implements ConditionLock {
  #owner = -1;
  #count = 0;
  readonly #waiters = new WaitList<boolean>();

  acquireAs(caller: Caller, block: boolean, timeout: number | undefined): boolean | Promise<boolean> {
    if (this.#count > 0 && this.#owner === caller.id) {
      this.#count++;
      return true;
    }
    if (this.#count === 0) {
      this.#owner = caller.id;
      this.#count = 1;
      return true;
    }
    if (!block || timeout === 0) return false;
    return this.#waiters.add(caller, timeout, () => false);
  }
  acquire(options?: BlockOptions | boolean): boolean | Promise<boolean> {
    const { block, timeout } = blockOptions(options);
    return this.acquireAs(currentCaller(), block, timeout);
  }
  #handOff(): void {
    const next = this.#waiters.shift();
    if (next === undefined) {
      this.#owner = -1;
      return;
    }
    this.#owner = next.caller.id;
    this.#count = 1;
    next.resolve(true);
  }
  release(): void {
    if (this.#count === 0 || this.#owner !== currentCaller().id) {
      throw new StateError('cannot release un-acquired lock');
    }
    this.#count--;
    if (this.#count === 0) this.#handOff();
  }
  locked(): boolean {
    return this.#count > 0;
  }
  isOwned(caller: Caller): boolean {
    return this.#count > 0 && this.#owner === caller.id;
  }
  releaseSave(): number {
    const saved = this.#count;
    this.#count = 0;
    this.#handOff();
    return saved;
  }
  async acquireRestore(caller: Caller, saved: number): Promise<void> {
    await this.acquireAs(caller, true, undefined);
    this.#count = saved;
  }
}

/** threading.Semaphore (no upper bound). */
export class SemaphoreReferent {
  #value: number;
  readonly #waiters = new WaitList<boolean>();

  constructor(value: unknown = 1) {
    if (typeof value !== 'number' || !Number.isInteger(value))
      throw new TypeError('value must be an integer');
    if (value < 0) throw new RangeError('semaphore initial value must be >= 0');
    this.#value = value;
  }

  acquire(options?: BlockOptions | boolean): boolean | Promise<boolean> {
    const { block, timeout } = blockOptions(options);
    if (this.#value > 0) {
      this.#value--;
      return true;
    }
    if (!block || timeout === 0) return false;
    return this.#waiters.add(currentCaller(), timeout, () => false);
  }
  release(n = 1): void {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new RangeError('n must be one or more');
    this.#value += n;
    while (this.#value > 0) {
      const next = this.#waiters.shift();
      if (next === undefined) break;
      this.#value--;
      next.resolve(true);
    }
  }
  getValue(): number {
    return this.#value;
  }
}

/** threading.BoundedSemaphore: releasing above the initial value throws. */
export class BoundedSemaphoreReferent extends SemaphoreReferent {
  readonly #initial: number;

  constructor(value: unknown = 1) {
    super(value);
    this.#initial = value as number;
  }

  override release(n = 1): void {
    if (this.getValue() + n > this.#initial) throw new StateError('Semaphore released too many times');
    super.release(n);
  }
}

/** threading.Condition over a managed Lock or RLock (an RLock by default). */
export class ConditionReferent {
  readonly #lock: ConditionLock & { acquire: LockReferent['acquire']; release(): void };
  readonly #waiters = new WaitList<boolean>();

  constructor(lock?: unknown) {
    if (lock === undefined || lock === null) this.#lock = new RLockReferent();
    else if (lock instanceof LockReferent || lock instanceof RLockReferent) this.#lock = lock;
    else throw new TypeError('lock must be a Lock or RLock of the same manager');
  }

  acquire(options?: BlockOptions | boolean): boolean | Promise<boolean> {
    return this.#lock.acquire(options);
  }
  release(): void {
    this.#lock.release();
  }
  async wait(timeout?: number | null): Promise<boolean> {
    const caller = currentCaller();
    const limit = timeoutMs(timeout);
    if (!this.#lock.isOwned(caller)) throw new StateError('cannot wait on un-acquired lock');
    const notified = this.#waiters.add(caller, limit, () => false);
    const saved = this.#lock.releaseSave(caller);
    try {
      return await notified;
    } finally {
      await this.#lock.acquireRestore(caller, saved);
    }
  }
  notify(n = 1): void {
    if (!this.#lock.isOwned(currentCaller())) throw new StateError('cannot notify on un-acquired lock');
    for (let i = 0; i < n; i++) {
      const next = this.#waiters.shift();
      if (next === undefined) break;
      next.resolve(true);
    }
  }
  notifyAll(): void {
    this.notify(Number.MAX_SAFE_INTEGER);
  }
}

/** threading.Event. */
export class EventReferent {
  #flag = false;
  readonly #waiters = new WaitList<boolean>();

  isSet(): boolean {
    return this.#flag;
  }
  set(): void {
    this.#flag = true;
    for (const w of this.#waiters.takeAll()) w.resolve(true);
  }
  clear(): void {
    this.#flag = false;
  }
  wait(timeout?: number | null): boolean | Promise<boolean> {
    const limit = timeoutMs(timeout);
    if (this.#flag || limit === 0) return this.#flag;
    return this.#waiters.add(currentCaller(), limit, () => this.#flag);
  }
}

/** threading.Barrier (without `action`: a function cannot reach the server). */
export class BarrierReferent {
  readonly #parties: number;
  /** The default wait limit in ms (undefined = for ever). */
  readonly #timeout: number | undefined;
  #count = 0;
  #broken = false;
  readonly #waiters = new WaitList<number>();

  constructor(parties: unknown, options?: { timeout?: number | null; action?: unknown }) {
    if (typeof parties !== 'number' || !Number.isInteger(parties) || parties < 1) {
      throw new RangeError('parties must be an integer of 1 or more');
    }
    if (options?.action !== undefined && options.action !== null) {
      throw new TypeError('a manager Barrier cannot take an action: functions do not reach the server');
    }
    this.#parties = parties;
    this.#timeout = timeoutMs(options?.timeout);
  }

  wait(timeout?: number | null): number | Promise<number> {
    if (this.#broken) throw new BrokenBarrierError();
    const index = this.#count++;
    if (this.#count === this.#parties) {
      this.#count = 0;
      for (const w of this.#waiters.takeAll()) w.resolve(w.data as number);
      return index;
    }
    const limit = timeout == null ? this.#timeout : timeoutMs(timeout); // null too: Python's None
    return this.#waiters.add(
      currentCaller(),
      limit,
      () => {
        this.abort();
        return new BrokenBarrierError();
      },
      index,
    );
  }
  abort(): void {
    this.#broken = true;
    this.#count = 0;
    for (const w of this.#waiters.takeAll()) w.reject(new BrokenBarrierError());
  }
  reset(): void {
    for (const w of this.#waiters.takeAll()) w.reject(new BrokenBarrierError());
    this.#count = 0;
    this.#broken = false;
  }
  parties(): number {
    return this.#parties;
  }
  nWaiting(): number {
    return this.#count;
  }
  broken(): boolean {
    return this.#broken;
  }
}

/** queue.Queue: FIFO with an optional bound. */
export class QueueReferent {
  readonly #maxsize: number;
  #items: unknown[] = [];
  #head = 0;
  readonly #getters = new WaitList<unknown>();
  readonly #putters = new WaitList<undefined>();

  constructor(maxsize: unknown = 0) {
    if (typeof maxsize !== 'number' || !Number.isInteger(maxsize))
      throw new TypeError('maxsize must be an integer');
    this.#maxsize = maxsize;
  }

  /** Called once per item put (JoinableQueue counts them). */
  protected onPut(): void {
    // A plain Queue does not count.
  }

  #size(): number {
    return this.#items.length - this.#head;
  }
  #isFull(): boolean {
    return this.#maxsize > 0 && this.#size() >= this.#maxsize;
  }
  #push(item: unknown): void {
    this.onPut();
    const getter = this.#getters.shift();
    if (getter !== undefined) getter.resolve(item);
    else this.#items.push(item);
  }
  #shift(): unknown {
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    // Room now: the oldest waiting put goes in.
    const putter = this.#putters.shift();
    if (putter !== undefined) {
      this.#push(putter.data);
      putter.resolve(undefined);
    }
    return item;
  }

  put(item: unknown, options?: BlockOptions | boolean): undefined | Promise<undefined> {
    const { block, timeout } = blockOptions(options);
    if (!this.#isFull()) {
      this.#push(item);
      return undefined;
    }
    if (!block || timeout === 0) throw new FullError();
    return this.#putters.add(currentCaller(), timeout, () => new FullError(), item);
  }
  putNowait(item: unknown): undefined | Promise<undefined> {
    return this.put(item, { block: false });
  }
  get(options?: BlockOptions | boolean): unknown {
    const { block, timeout } = blockOptions(options);
    if (this.#size() > 0) return this.#shift();
    if (!block || timeout === 0) throw new EmptyError();
    return this.#getters.add(currentCaller(), timeout, () => new EmptyError());
  }
  getNowait(): unknown {
    return this.get({ block: false });
  }
  qsize(): number {
    return this.#size();
  }
  empty(): boolean {
    return this.#size() === 0;
  }
  full(): boolean {
    return this.#isFull();
  }
}

/** queue.Queue with `task_done()` / `join()`. */
export class JoinableQueueReferent extends QueueReferent {
  #unfinished = 0;
  readonly #joiners = new WaitList<undefined>();

  protected override onPut(): void {
    this.#unfinished++;
  }
  taskDone(): void {
    if (this.#unfinished <= 0) throw new StateError('task_done() called too many times');
    this.#unfinished--;
    if (this.#unfinished === 0) for (const w of this.#joiners.takeAll()) w.resolve(undefined);
  }
  join(): undefined | Promise<undefined> {
    if (this.#unfinished === 0) return undefined;
    return this.#joiners.add(currentCaller(), undefined, () => undefined);
  }
}
