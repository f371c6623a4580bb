/**
 * The base of every proxy, and the proxy of a registered type (`AutoProxy`).
 * Mirrors `multiprocessing.managers.BaseProxy`. Differences from Python:
 * every method returns a Promise, and operators have explicit names
 * (`get`/`set` for `x[k]`, `length` for `len(x)`, `has` for `k in x`).
 *
 * Values read through a proxy are copies: changing a plain object read from
 * a managed dict changes only the copy; write it back with `set`, or store a
 * nested proxy, whose changes are seen by everyone.
 *
 * A proxy is shareable: passed to a thread or a process (inside arguments,
 * results, queue items or another managed object), it arrives as a live
 * proxy that opens its own connection to the server (see `proxy.ts`, which
 * registers the proxy classes).
 */
import { kInspect, kShareable, type Shareable } from '@multiprocessing/core';
import { formatAddress, type Address } from './address.js';
import { callMethod } from './internal/client.js';
import { clientKey, serverTag } from './internal/in-process.js';
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

/** @internal The tag proxies travel under. */
export const PROXY_TAG = 'manager:Proxy';

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

/** A proxy class, by the name a server's reply gives (`ProxyState.p`). */
export type ProxyClass = new (state: ProxyState) => BaseProxy;

const PROXY_TYPES = new Map<string, ProxyClass>([['AutoProxy', AutoProxy]]);

/** @internal Makes `Cls` the class of proxies named `name` (done once, in `proxy.ts`). */
export function registerProxyType(name: string, Cls: ProxyClass): void {
  PROXY_TYPES.set(name, Cls);
}

/** @internal Builds the proxy class its state names. */
export function makeProxy(state: ProxyState): BaseProxy {
  const Cls = PROXY_TYPES.get(state.p) ?? AutoProxy;
  return new Cls(state);
}
