/**
 * The caller's side of an object owned by another OS process: an instance
 * of the object's own class (so `instanceof`, the class's reprs and its
 * scoped helpers hold) whose methods send their calls to the owner's
 * broker. Which methods, and how (awaited, blocking, streamed, read once),
 * is the class's `remote` spec; every other method of the class throws.
 */
import {
  kInspect,
  kShareable,
  registerShareable,
  type RemoteSpec,
  type Shareable,
  type ShareableState,
} from '@multiprocessing/core';
import { loadShareable } from '@multiprocessing/core/internal';
import { remoteClient, type RemoteHandle } from './client.js';
import { ownObject } from './owner-state.js';
// A process that uses another's objects can send its own too (to that owner, in a queue item).
import './exporter.js';
import { AT, GET, REMOTE_TAG, REPR, SET, SET_AT, type RemoteData } from './wire.js';

/**
 * The module that revives remote descriptors (this one). Every process that
 * sends a shared object loads it first: a descriptor of its own object may
 * come back inside a queue item, and a decoder cannot wait for an `import()`.
 */
export const REMOTE_MODULE = import.meta.url;

const kHandle = Symbol('remote handle');

interface Remote {
  readonly [kHandle]: RemoteHandle;
}

function handle(obj: unknown): RemoteHandle {
  return (obj as Remote)[kHandle];
}

const protos = new Map<unknown, object>();

function isIndex(key: string | symbol): key is string {
  return typeof key === 'string' && /^-?\d+$/.test(key);
}

/** The prototype of remote instances of `cls`, built once per class. */
function remotePrototype(cls: abstract new (...args: never[]) => unknown, spec: RemoteSpec): object {
  const known = protos.get(cls);
  if (known !== undefined) return known;
  const proto = Object.create(cls.prototype as object) as Record<string | symbol, unknown>;
  const covered = new Set<string | symbol>(['constructor', ...(spec.local ?? [])]);
  const define = (key: string | symbol, desc: PropertyDescriptor): void => {
    Object.defineProperty(proto, key, { configurable: true, ...desc });
    covered.add(key);
  };
  for (const m of spec.async ?? []) {
    define(m, {
      value(this: unknown, ...args: unknown[]): Promise<unknown> {
        return handle(this).call(m, args);
      },
    });
  }
  for (const m of spec.sync ?? []) {
    define(m, {
      value(this: unknown, ...args: unknown[]): unknown {
        return handle(this).callSync(m, args);
      },
    });
  }
  for (const [m, target] of Object.entries(spec.twins ?? {})) {
    define(m, {
      value(this: unknown, ...args: unknown[]): unknown {
        return handle(this).callSync(target, args, m);
      },
    });
  }
  const accessors = new Set([...(spec.getters ?? []), ...(spec.setters ?? []), ...(spec.constants ?? [])]);
  for (const name of accessors) {
    const constant = spec.constants?.includes(name) === true;
    const readable = constant || spec.getters?.includes(name) === true;
    const writable = spec.setters?.includes(name) === true;
    define(name, {
      get: readable
        ? function (this: unknown): unknown {
            const h = handle(this);
            return constant ? h.data.constants[name] : h.callSync(GET, [name]);
          }
        : undefined,
      set: writable
        ? function (this: unknown, value: unknown): void {
            handle(this).callSync(SET, [name, value]);
          }
        : undefined,
    });
  }
  const methods = spec.methods ?? {};
  for (const key of Reflect.ownKeys(methods)) define(key, { value: methods[key] });
  define('toString', {
    value(this: unknown): string {
      return handle(this).callSync(REPR, []) as string;
    },
  });
  define(kInspect, {
    value(this: { toString(): string }): string {
      return this.toString();
    },
  });
  define(kShareable, {
    value(this: unknown): ShareableState {
      return { tag: REMOTE_TAG, data: handle(this).data };
    },
  });
  // Everything else the class has reads memory this process does not share.
  const name = cls.name;
  for (
    let p = cls.prototype as object | null;
    p !== null && p !== Object.prototype;
    p = Object.getPrototypeOf(p) as object | null
  ) {
    for (const key of Reflect.ownKeys(p)) {
      if (covered.has(key)) continue;
      const fail = (): never => {
        throw new TypeError(`${name}.${String(key)} is not available on a ${name} owned by another process`);
      };
      const desc = Object.getOwnPropertyDescriptor(p, key);
      define(
        key,
        desc?.get !== undefined || desc?.set !== undefined ? { get: fail, set: fail } : { value: fail },
      );
    }
  }
  protos.set(cls, proto);
  return proto;
}

const indexHandler: ProxyHandler<object> = {
  get(target, key, receiver) {
    if (isIndex(key)) return handle(target).callSync(AT, [Number(key)]);
    return Reflect.get(target, key, receiver) as unknown;
  },
  set(target, key, value, receiver) {
    if (isIndex(key)) {
      handle(target).callSync(SET_AT, [Number(key), value]);
      return true;
    }
    return Reflect.set(target, key, value, receiver);
  },
};

// One live instance per remote object and thread, while it is in use.
const instances = new Map<string, WeakRef<object>>();
const forget = new FinalizationRegistry<string>((key) => {
  if (instances.get(key)?.deref() === undefined) instances.delete(key);
});

/** The live object a remote descriptor names: the object itself in its owner, else a remote instance. */
export function reviveRemote(data: RemoteData): object {
  const own = ownObject(data.addr, data.id);
  if (own !== undefined) return own;
  const key = `${data.addr}#${String(data.id)}`;
  const known = instances.get(key)?.deref();
  if (known !== undefined) return known;
  const reg = loadShareable(data.tag, data.module);
  const spec = reg.remote ?? {};
  const obj = Object.create(remotePrototype(reg.cls, spec)) as Record<symbol, unknown>;
  obj[kHandle] = remoteClient().handle(data, spec.prefetch);
  const live: object = spec.indexed === true ? new Proxy(obj, indexHandler) : obj;
  instances.set(key, new WeakRef(live));
  forget.register(live, key);
  return live;
}

/** Anchors the tag's registration; remote instances have their own class's prototype. */
abstract class RemoteShareable implements Shareable {
  abstract [kShareable](): ShareableState;
}

registerShareable(
  REMOTE_TAG,
  import.meta.url,
  RemoteShareable,
  (data: RemoteData) => reviveRemote(data) as never,
);
