/**
 * `SyncManager` and `Manager()`: a manager with the standard shared types
 * (dict, list, Namespace, Value, Array, the locks, the queues and Pool). Mirrors
 * `multiprocessing.managers.SyncManager` and `multiprocessing.Manager()`.
 */
import type { PoolOptions } from '@multiprocessing/pool';
import { BaseManager, registerBuiltin, type BaseManagerOptions } from './base-manager.js';
import { optionsToWire } from './internal/pool-wire.js';
import type { BaseProxy } from './proxy.js';
import {
  AcquirerProxy,
  ArrayProxy,
  BarrierProxy,
  ConditionProxy,
  DictProxy,
  EventProxy,
  JoinableQueueProxy,
  ListProxy,
  NamespaceProxy,
  PoolProxy,
  QueueProxy,
  SetProxy,
  ValueProxy,
} from './proxy.js';

/** Checks the proxy class the server chose (it always matches the typeid). */
async function as<P extends BaseProxy>(
  made: Promise<BaseProxy>,
  Cls: abstract new (...args: never[]) => P,
): Promise<P> {
  const proxy = await made;
  if (!(proxy instanceof Cls))
    throw new TypeError(`the manager returned ${String(proxy)}, not a ${Cls.name}`);
  return proxy;
}

/**
 * A manager serving the standard types. Every factory resolves to a proxy,
 * and every proxy method returns a Promise.
 *
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.managers.SyncManager
 */
export class SyncManager extends BaseManager {
  /** A shared dict, optionally filled from an object, a Map or `[key, value]` pairs. */
  dict<K = string, V = unknown>(
    init?: NoInfer<Readonly<Record<string, V>> | ReadonlyMap<K, V> | readonly (readonly [K, V])[]>,
  ): Promise<DictProxy<K, V>> {
    return as<DictProxy<K, V>>(this.create('dict', ...(init === undefined ? [] : [init])), DictProxy);
  }

  /** A shared list, optionally filled from an iterable. */
  list<T = unknown>(init?: NoInfer<Iterable<T>>): Promise<ListProxy<T>> {
    const items = init === undefined ? [] : [Array.isArray(init) ? init : [...init]];
    return as<ListProxy<T>>(this.create('list', ...items), ListProxy);
  }

  /**
   * A shared set (Python 3.14's `SyncManager.set()`), optionally filled from
   * an iterable. Elements are strings, numbers, bigints, booleans and
   * `null`/`undefined`, Python's hashable values.
   */
  set<T = unknown>(init?: NoInfer<Iterable<T>>): Promise<SetProxy<T>> {
    const items = init === undefined ? [] : [Array.isArray(init) || init instanceof Set ? init : [...init]];
    return as<SetProxy<T>>(this.create('set', ...items), SetProxy);
  }

  /** A shared namespace, optionally with initial attributes. */
  Namespace<T extends Record<string, unknown> = Record<string, unknown>>(
    init?: NoInfer<Partial<T>>,
  ): Promise<NamespaceProxy<T>> {
    return as<NamespaceProxy<T>>(
      this.create('Namespace', ...(init === undefined ? [] : [init])),
      NamespaceProxy,
    );
  }

  /** A shared value; the typecode is recorded, not enforced (as in Python). */
  Value<T = unknown>(typecode: string, value: T): Promise<ValueProxy<T>> {
    return as<ValueProxy<T>>(this.create('Value', typecode, value), ValueProxy);
  }

  /** A shared array of `typecode` (b B h H i I l L q Q f d), from values or a length. */
  Array<T = number>(typecode: string, sequence: Iterable<T> | number): Promise<ArrayProxy<T>> {
    const seq = typeof sequence === 'number' ? sequence : [...sequence];
    return as<ArrayProxy<T>>(this.create('Array', typecode, seq), ArrayProxy);
  }

  /** A shared Lock (`threading.Lock` in the server). */
  Lock(): Promise<AcquirerProxy> {
    return as<AcquirerProxy>(this.create('Lock'), AcquirerProxy);
  }

  /** A shared RLock, owned per connection (one per thread). */
  RLock(): Promise<AcquirerProxy> {
    return as<AcquirerProxy>(this.create('RLock'), AcquirerProxy);
  }

  /** A shared Semaphore. */
  Semaphore(value = 1): Promise<AcquirerProxy> {
    return as<AcquirerProxy>(this.create('Semaphore', value), AcquirerProxy);
  }

  /** A shared BoundedSemaphore. */
  BoundedSemaphore(value = 1): Promise<AcquirerProxy> {
    return as<AcquirerProxy>(this.create('BoundedSemaphore', value), AcquirerProxy);
  }

  /** A shared Condition, over its own RLock or over `lock` (a Lock or RLock proxy of this manager). */
  Condition(lock?: AcquirerProxy): Promise<ConditionProxy> {
    return as<ConditionProxy>(
      this.create('Condition', ...(lock === undefined ? [] : [lock])),
      ConditionProxy,
    );
  }

  /** A shared Event. */
  Event(): Promise<EventProxy> {
    return as<EventProxy>(this.create('Event'), EventProxy);
  }

  /** A shared Barrier for `parties` waiters (no `action`: functions cannot reach the server). */
  Barrier(parties: number, options: { timeout?: number | null } = {}): Promise<BarrierProxy> {
    return as<BarrierProxy>(this.create('Barrier', parties, options), BarrierProxy);
  }

  /** A shared FIFO queue; `maxsize <= 0` means unbounded. */
  Queue<T = unknown>(maxsize = 0): Promise<QueueProxy<T>> {
    return as<QueueProxy<T>>(this.create('Queue', maxsize), QueueProxy);
  }

  /** A shared queue with `taskDone()` / `join()`. */
  JoinableQueue<T = unknown>(maxsize = 0): Promise<JoinableQueueProxy<T>> {
    return as<JoinableQueueProxy<T>>(this.create('JoinableQueue', maxsize), JoinableQueueProxy);
  }

  /**
   * A Pool of `@multiprocessing/pool` made in the server, which every
   * holder of the proxy drives (Python's undocumented `SyncManager.Pool`).
   * Options that are functions (`captureOutput`) cannot reach the server;
   * `initializer` and `finalizer` are tasks, as for `new Pool()`.
   *
   * @throws {TypeError} naming the option, for one that cannot reach the
   *   server; the Pool's own TypeError or RangeError for a bad value.
   * @example
   * await using pool = await manager.Pool({ processes: 2 });
   * await pool.map(tasks.square, [1, 2, 3]); // [1, 4, 9]
   */
  async Pool(options?: PoolOptions): Promise<PoolProxy> {
    const wire = optionsToWire(options);
    return as<PoolProxy>(this.create('Pool', ...(wire === undefined ? [] : [wire])), PoolProxy);
  }
}

for (const [typeid, proxytype] of [
  ['dict', 'DictProxy'],
  ['list', 'ListProxy'],
  ['set', 'SetProxy'],
  ['Namespace', 'NamespaceProxy'],
  ['Value', 'ValueProxy'],
  ['Array', 'ArrayProxy'],
  ['Lock', 'AcquirerProxy'],
  ['RLock', 'AcquirerProxy'],
  ['Semaphore', 'AcquirerProxy'],
  ['BoundedSemaphore', 'AcquirerProxy'],
  ['Condition', 'ConditionProxy'],
  ['Event', 'EventProxy'],
  ['Barrier', 'BarrierProxy'],
  ['Queue', 'QueueProxy'],
  ['JoinableQueue', 'JoinableQueueProxy'],
  ['AsyncResult', 'AsyncResultProxy'],
  ['Pool', 'PoolProxy'],
] as const) {
  registerBuiltin(SyncManager, typeid, proxytype);
}

/**
 * Starts a SyncManager's server and resolves to the manager (Python's
 * `multiprocessing.Manager()`). Shut it down with `shutdown()` or
 * `await using`.
 *
 * @example
 * await using manager = await Manager();
 * const shared = await manager.list<string>();
 * await pool.starmap(tasks.appendWord, words.map((w) => [w, shared]));
 * console.log(await shared.toArray());
 */
export async function Manager(options: BaseManagerOptions = {}): Promise<SyncManager> {
  const manager = new SyncManager(options);
  await manager.start();
  return manager;
}
