/**
 * The state of a `RawArray` and the Proxy that gives it index access
 * (`arr[i]`, negative `i` from the end): the traps read and write the typed
 * view kept under {@link kState} on the target; every other property
 * reaches the object itself.
 */
import type { Lock } from '../lock.js';
import type { RLock } from '../rlock.js';
import { coerce } from '../typecodes.js';
import type { TypecodeInfo, TypedView } from '../typecodes.js';
import { toIndex } from './index-key.js';

/** Per-object state, under a symbol so the Proxy's index traps find it on the target. */
export interface ArrayState {
  readonly info: TypecodeInfo;
  readonly view: TypedView;
  lock: Lock | RLock | undefined;
}

export const kState: unique symbol = Symbol('value-lock:array');

function position(state: ArrayState, i: number): number {
  const length = state.view.length;
  const at = i < 0 ? i + length : i;
  if (at < 0 || at >= length) {
    throw new RangeError(
      `invalid index: ${String(i)} is out of range for an array of length ${String(length)}`,
    );
  }
  return at;
}

function write(state: ArrayState, at: number, value: unknown): void {
  const { info, view } = state;
  if (
    typeof value === 'number' &&
    info.kind !== 'bigint' &&
    (info.kind === 'float' || Number.isInteger(value))
  ) {
    view[at] = value;
  } else {
    view[at] = coerce(info, value);
  }
}

export const arrayHandler: ProxyHandler<{ readonly [kState]: ArrayState }> = {
  get(target, prop, receiver) {
    if (typeof prop === 'string') {
      const i = toIndex(prop);
      if (i !== undefined) {
        const state = target[kState];
        return state.view[position(state, i)];
      }
    }
    return Reflect.get(target, prop, receiver) as unknown;
  },
  set(target, prop, value, receiver) {
    if (typeof prop === 'string') {
      const i = toIndex(prop);
      if (i !== undefined) {
        const state = target[kState];
        write(state, position(state, i), value);
        return true;
      }
    }
    return Reflect.set(target, prop, value, receiver);
  },
  has(target, prop) {
    if (typeof prop === 'string') {
      const i = toIndex(prop);
      if (i !== undefined) return i >= 0 && i < target[kState].view.length;
    }
    return Reflect.has(target, prop);
  },
  ownKeys(target) {
    const keys: (string | symbol)[] = [];
    const n = target[kState].view.length;
    for (let i = 0; i < n; i++) keys.push(String(i));
    return keys.concat(Reflect.ownKeys(target));
  },
  getOwnPropertyDescriptor(target, prop) {
    if (typeof prop === 'string') {
      const i = toIndex(prop);
      if (i !== undefined) {
        const { view } = target[kState];
        if (i < 0 || i >= view.length) return undefined;
        return { value: view[i], writable: true, enumerable: true, configurable: true };
      }
    }
    return Reflect.getOwnPropertyDescriptor(target, prop);
  },
  defineProperty(target, prop, descriptor) {
    if (typeof prop === 'string' && toIndex(prop) !== undefined) {
      if (!('value' in descriptor)) return false;
      const state = target[kState];
      write(state, position(state, toIndex(prop) ?? 0), descriptor.value);
      return true;
    }
    return Reflect.defineProperty(target, prop, descriptor);
  },
  deleteProperty(target, prop) {
    if (typeof prop === 'string' && toIndex(prop) !== undefined) return false;
    return Reflect.deleteProperty(target, prop);
  },
};
