/**
 * Proxies: handles on objects that live in a manager's server. Mirrors
 * `multiprocessing.managers.BaseProxy` and its subclasses (`DictProxy`,
 * `ListProxy`, `AcquirerProxy` …, `AutoProxy`). Differences from Python:
 * every method returns a Promise, and operators have explicit names
 * (`get`/`set` for `x[k]`, `length` for `len(x)`, `has` for `k in x`).
 *
 * Values read through a proxy are copies: changing a plain object read from
 * a managed dict changes only the copy; write it back with `set`, or store a
 * nested proxy, whose changes are seen by everyone.
 *
 * A proxy is shareable: passed to a thread or a process (inside arguments,
 * results, queue items or another managed object), it arrives as a live
 * proxy that opens its own connection to the server.
 */
import { kInspect, kShareable, registerShareable, type Shareable } from '@multiprocessing/core';
import { deadlineAfter, remainingMs, timeoutMs } from '@multiprocessing/core/internal';
import { formatAddress, type Address } from './address.js';
import { callMethod } from './internal/client.js';
import { clientKey, rememberServer, serverTag } from './internal/in-process.js';
import { encodeArgs } from './internal/small-values.js';
import { Status, type ProxyMeta } from './internal/protocol.js';

/** Options of the blocking calls: `{block, timeout}` (timeout in seconds). */
export interface BlockingOptions {
  /** @default true */
  block?: boolean;
  /** Seconds; undefined or null waits for ever, a negative value means 0. @default undefined */
  timeout?: number | null;
}

/** The data a proxy travels as. */
export interface ProxyState {
  /** The typeid. */
  readonly t: string;
  /** The server's address. */
  readonly a: Address;
  /** The authkey. */
  readonly k: Uint8Array;
  /** The object's id in the server. */
  readonly i: number;
  /** The proxy class name. */
  readonly p: string;
  /** The exposed methods (AutoProxy only). */
  readonly e: readonly string[];
  /** The tag of the server's in-process channel host, when it runs in a worker thread of the sender's process. */
  readonly c?: string;
}

/** Identifies the object behind a proxy (Python's `Token`). */
export interface ProxyToken {
  /** The type the object was registered as (`dict`, `Queue`, a registered typeid …). */
  readonly typeid: string;
  /** The address of the manager's server that holds the object. */
  readonly address: Address;
  /** The object's id in that server. */
  readonly id: number;
}

const PROXY_TAG = 'manager:Proxy';

/**
 * The base of every proxy. `_callMethod(name, args)` calls any exposed
 * method by name, like Python's `_callmethod`.
 */
export class BaseProxy implements Shareable {
  readonly #state: ProxyState;

  /** @internal Proxies are made by a manager, or rebuilt when received. */
  constructor(state: ProxyState) {
    this.#state = state;
  }

  /** The object's token: typeid, server address and id. */
  get _token(): ProxyToken {
    return { typeid: this.#state.t, address: this.#state.a, id: this.#state.i };
  }

  /** @internal */
  get _address(): Address {
    return this.#state.a;
  }

  /** @internal */
  get _id(): number {
    return this.#state.i;
  }

  /**
   * Calls method `name` of the referent with `args` and resolves to its
   * result (a copy), or to a proxy when the method is registered in
   * `methodToTypeid`.
   *
   * @throws the referent's error, with its class when it is a built-in or
   *   project class; RemoteError for anything else (an unexposed method, an
   *   unknown object).
   * @throws {EOFError} when the server has gone away.
   * @throws {PicklingError} when an argument cannot be sent.
   */
  _callMethod(name: string, args: readonly unknown[] = []): Promise<unknown> {
    const s = this.#state;
    let body: Uint8Array;
    try {
      body = encodeArgs(args);
    } catch (err) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the codec's error, unchanged
      return Promise.reject(err);
    }
    return callMethod(s.a, s.k, s.i, name, body, settle);
  }

  /** The shareable protocol: the proxy travels as its {@link ProxyState} and arrives as a live proxy. */
  [kShareable](): {
    /** The registered tag of proxies. */
    tag: string;
    /** Where the object lives and how to reach it. */
    data: ProxyState;
  } {
    return { tag: PROXY_TAG, data: withChannelTag(this.#state) };
  }

  /** Python's repr: `<DictProxy object, typeid 'dict' id 3 at /tmp/…>`. */
  toString(): string {
    return `<${this.#state.p} object, typeid '${this.#state.t}' id ${String(this.#state.i)} at ${formatAddress(this.#state.a)}>`;
  }

  /** `util.inspect` / `console.log` show {@link BaseProxy.toString}, Python's repr. */
  [kInspect](): string {
    return this.toString();
  }
}

/** The state with the tag of the server's in-process channel host, when this thread knows one. */
function withChannelTag(s: ProxyState): ProxyState {
  if (s.c !== undefined) return s;
  const c = serverTag(clientKey(s.a, s.k));
  return c === undefined ? s : { ...s, c };
}

/** @internal Turns a reply into a result, a thrown error or a proxy. */
export function settle(status: number, value: unknown, address: Address, authkey: Uint8Array): unknown {
  if (status === Status.value) return value;
  if (status === Status.proxy) return proxyFromMeta(value as ProxyMeta, address, authkey);
  throw value;
}

/** @internal A proxy for an object the server just registered. */
export function proxyFromMeta(meta: ProxyMeta, address: Address, authkey: Uint8Array): BaseProxy {
  const [t, i, p, e] = meta;
  return makeProxy({ t, a: address, k: authkey, i, p, e });
}

/** A proxy for a managed dict. Keys are any primitive; values are copies. */
export class DictProxy<K = unknown, V = unknown> extends BaseProxy {
  /** `d[key]`, or `defaultValue` (undefined) when the key is missing, like `dict.get`. */
  get(key: K): Promise<V | undefined>;
  get<D>(key: K, defaultValue: D): Promise<V | D>;
  get(key: K, ...defaultValue: unknown[]): Promise<unknown> {
    return this._callMethod('get', [key, ...defaultValue]);
  }
  /** `d[key] = value`. */
  set(key: K, value: V): Promise<void> {
    return this._callMethod('set', [key, value]) as Promise<void>;
  }
  /** `del d[key]`; RangeError when the key is missing (Python's KeyError). */
  delete(key: K): Promise<void> {
    return this._callMethod('delete', [key]) as Promise<void>;
  }
  /** `key in d`. */
  has(key: K): Promise<boolean> {
    return this._callMethod('has', [key]) as Promise<boolean>;
  }
  /** `len(d)`. */
  length(): Promise<number> {
    return this._callMethod('length') as Promise<number>;
  }
  /** The keys, as a copy (`list(d.keys())`). */
  keys(): Promise<K[]> {
    return this._callMethod('keys') as Promise<K[]>;
  }
  /** The values, as a copy (`list(d.values())`). */
  values(): Promise<V[]> {
    return this._callMethod('values') as Promise<V[]>;
  }
  /** The entries as `[key, value]` pairs, a copy (`list(d.items())`). */
  items(): Promise<[K, V][]> {
    return this._callMethod('items') as Promise<[K, V][]>;
  }
  /** Adds the entries of an object, a Map or an array of pairs. */
  update(
    other: Readonly<Record<string, V>> | ReadonlyMap<K, V> | readonly (readonly [K, V])[],
  ): Promise<void> {
    return this._callMethod('update', [other]) as Promise<void>;
  }
  /** Removes `key` and returns its value; RangeError when missing and no default is given. */
  pop(key: K): Promise<V>;
  pop<D>(key: K, defaultValue: D): Promise<V | D>;
  pop(key: K, ...defaultValue: unknown[]): Promise<unknown> {
    return this._callMethod('pop', [key, ...defaultValue]);
  }
  /** Removes and returns the last entry as `[key, value]`. */
  popitem(): Promise<[K, V]> {
    return this._callMethod('popitem') as Promise<[K, V]>;
  }
  /** `d[key]` if present, else sets it to `defaultValue` and returns that. */
  setdefault(key: K, defaultValue?: V): Promise<V> {
    return this._callMethod('setdefault', [key, defaultValue]) as Promise<V>;
  }
  /** Removes every entry (`d.clear()`). */
  clear(): Promise<void> {
    return this._callMethod('clear') as Promise<void>;
  }
  /** A copy as a plain object (keys become strings). */
  toObject(): Promise<Record<string, V>> {
    return this._callMethod('toObject') as Promise<Record<string, V>>;
  }
  /** A copy as a Map (keys keep their types). */
  toMap(): Promise<Map<K, V>> {
    return this._callMethod('toMap') as Promise<Map<K, V>>;
  }
}

/** A proxy for a managed list. Negative indices count from the end, as in Python. */
export class ListProxy<T = unknown> extends BaseProxy {
  /** `l[i]`; RangeError `list index out of range`. */
  get(i: number): Promise<T> {
    return this._callMethod('get', [i]) as Promise<T>;
  }
  /** `l[i] = value`; RangeError `list assignment index out of range`. */
  set(i: number, value: T): Promise<void> {
    return this._callMethod('set', [i, value]) as Promise<void>;
  }
  /** `del l[i]`. */
  delete(i: number): Promise<void> {
    return this._callMethod('delete', [i]) as Promise<void>;
  }
  /** Adds `value` at the end (`l.append(value)`). */
  append(value: T): Promise<void> {
    return this._callMethod('append', [value]) as Promise<void>;
  }
  /** Adds every item of `values` at the end (`l.extend(values)`). */
  extend(values: Iterable<T>): Promise<void> {
    return this._callMethod('extend', [Array.isArray(values) ? values : [...values]]) as Promise<void>;
  }
  /** Inserts `value` before index `i` (`l.insert(i, value)`). */
  insert(i: number, value: T): Promise<void> {
    return this._callMethod('insert', [i, value]) as Promise<void>;
  }
  /** Removes and returns item `i` (the last by default); RangeError `pop from empty list`. */
  pop(i?: number): Promise<T> {
    return this._callMethod('pop', i === undefined ? [] : [i]) as Promise<T>;
  }
  /** Removes the first item equal to `value`; RangeError `list.remove(x): x not in list`. */
  remove(value: T): Promise<void> {
    return this._callMethod('remove', [value]) as Promise<void>;
  }
  /** The index of the first item equal to `value`; RangeError `… is not in list`. */
  index(value: T, start?: number, stop?: number): Promise<number> {
    return this._callMethod('index', [value, start, stop]) as Promise<number>;
  }
  /** How many items equal `value` (`l.count(value)`). */
  count(value: T): Promise<number> {
    return this._callMethod('count', [value]) as Promise<number>;
  }
  /** `value in l`. */
  has(value: T): Promise<boolean> {
    return this._callMethod('has', [value]) as Promise<boolean>;
  }
  /** Sorts in place with Python's ordering (numbers numerically, strings by code point). */
  sort(options: { reverse?: boolean } = {}): Promise<void> {
    return this._callMethod('sort', [{ reverse: options.reverse === true }]) as Promise<void>;
  }
  /** Reverses the list in place (`l.reverse()`). */
  reverse(): Promise<void> {
    return this._callMethod('reverse') as Promise<void>;
  }
  /** `l[start:stop]` (a copy). */
  slice(start?: number, stop?: number): Promise<T[]> {
    return this._callMethod('slice', [start, stop]) as Promise<T[]>;
  }
  /** `len(l)`. */
  length(): Promise<number> {
    return this._callMethod('length') as Promise<number>;
  }
  /** A copy of the whole list. */
  toArray(): Promise<T[]> {
    return this._callMethod('toArray') as Promise<T[]>;
  }
}

/** A proxy for a managed Namespace. */
export class NamespaceProxy<T extends Record<string, unknown> = Record<string, unknown>> extends BaseProxy {
  /** The attribute, or undefined when it is not set. */
  get<N extends keyof T & string>(name: N): Promise<T[N]> {
    return this._callMethod('get', [name]) as Promise<T[N]>;
  }
  /** Sets the attribute (`ns.name = value`). */
  set<N extends keyof T & string>(name: N, value: T[N]): Promise<void> {
    return this._callMethod('set', [name, value]) as Promise<void>;
  }
  /** Whether the attribute is set (`hasattr(ns, name)`). */
  has(name: string): Promise<boolean> {
    return this._callMethod('has', [name]) as Promise<boolean>;
  }
  /** Removes the attribute; RangeError when it is not set (Python's AttributeError). */
  delete(name: string): Promise<void> {
    return this._callMethod('delete', [name]) as Promise<void>;
  }
  /** A copy of every attribute as a plain object (`vars(ns)`). */
  toObject(): Promise<T> {
    return this._callMethod('toObject') as Promise<T>;
  }
}

/** A proxy for a managed Value. */
export class ValueProxy<T = unknown> extends BaseProxy {
  /** The value, a copy (`v.value`). */
  get(): Promise<T> {
    return this._callMethod('get') as Promise<T>;
  }
  /** Replaces the value (`v.value = value`). */
  set(value: T): Promise<void> {
    return this._callMethod('set', [value]) as Promise<void>;
  }
}

/** A proxy for a managed Array. */
export class ArrayProxy<T = number> extends BaseProxy {
  /** `a[i]`; RangeError `array index out of range`. */
  get(i: number): Promise<T> {
    return this._callMethod('get', [i]) as Promise<T>;
  }
  /** `a[i] = value`; RangeError `array assignment index out of range`, TypeError for a value the typecode cannot hold. */
  set(i: number, value: T): Promise<void> {
    return this._callMethod('set', [i, value]) as Promise<void>;
  }
  /** `len(a)`. */
  length(): Promise<number> {
    return this._callMethod('length') as Promise<number>;
  }
  /** A copy of the whole array (`a[:]`). */
  toArray(): Promise<T[]> {
    return this._callMethod('toArray') as Promise<T[]>;
  }
}

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

/** The promise-returning form of `T`'s methods: what a proxy of a registered type offers. */
export type Proxied<T> = {
  [K in keyof T as T[K] extends (...args: never[]) => unknown ? K : never]: T[K] extends (
    ...args: infer A
  ) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
} & BaseProxy;

/**
 * The proxy of a registered type: one method per exposed name (Python's
 * `AutoProxy`).
 */
export class AutoProxy extends BaseProxy {
  constructor(state: ProxyState) {
    super(state);
    for (const name of state.e) {
      if (name in this) continue;
      Object.defineProperty(this, name, {
        value: (...args: unknown[]) => this._callMethod(name, args),
        enumerable: false,
        configurable: true,
      });
    }
  }
}

const PROXY_TYPES = new Map<string, new (state: ProxyState) => BaseProxy>([
  ['DictProxy', DictProxy],
  ['ListProxy', ListProxy],
  ['NamespaceProxy', NamespaceProxy],
  ['ValueProxy', ValueProxy],
  ['ArrayProxy', ArrayProxy],
  ['AcquirerProxy', AcquirerProxy],
  ['ConditionProxy', ConditionProxy],
  ['EventProxy', EventProxy],
  ['BarrierProxy', BarrierProxy],
  ['QueueProxy', QueueProxy],
  ['JoinableQueueProxy', JoinableQueueProxy],
  ['AutoProxy', AutoProxy],
]);

/** @internal Builds the proxy class its state names. */
export function makeProxy(state: ProxyState): BaseProxy {
  const Cls = PROXY_TYPES.get(state.p) ?? AutoProxy;
  return new Cls(state);
}

for (const Cls of PROXY_TYPES.values()) {
  registerShareable(PROXY_TAG, import.meta.url, Cls, (data: ProxyState) => {
    // A proxy from a thread of this process names the server's channel host.
    rememberServer(data.a, data.k, data.c);
    return makeProxy(data);
  });
}
