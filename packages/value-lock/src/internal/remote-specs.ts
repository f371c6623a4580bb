/**
 * How another OS process uses this package's objects (the `remote` option
 * of `registerShareable`): which methods the owning process runs for it.
 * Blocking twins block the caller's thread while the owner awaits the async
 * method; the scoped forms (`hold`, `withLock`) run in the caller on top of
 * `acquire` and `release`.
 */
import type { RemoteSpec } from '@multiprocessing/core';
import { Acquirable } from './acquirable.js';

const scoped = ['hold', 'holdSync', 'withLock', 'withLockSync'] as const;

/** Lock and RLock. */
export const lockRemote: RemoteSpec = {
  async: ['acquire'],
  twins: { acquireSync: 'acquire' },
  sync: ['release', 'locked'],
  local: scoped,
};

/** Semaphore and BoundedSemaphore. */
export const semaphoreRemote: RemoteSpec = {
  async: ['acquire'],
  twins: { acquireSync: 'acquire' },
  sync: ['release', 'getValue'],
  local: scoped,
};

/** Event. */
export const eventRemote: RemoteSpec = {
  async: ['wait'],
  twins: { waitSync: 'wait' },
  sync: ['isSet', 'set', 'clear'],
};

/** Condition: `waitFor` evaluates its predicate in the caller, between waits. */
export const conditionRemote: RemoteSpec = {
  async: ['acquire', 'wait'],
  twins: { acquireSync: 'acquire', waitSync: 'wait' },
  sync: ['release', 'notify', 'notifyAll', 'getLock'],
  local: [...scoped, 'waitFor', 'waitForSync'],
};

/** Barrier. */
export const barrierRemote: RemoteSpec = {
  async: ['wait'],
  twins: { waitSync: 'wait' },
  sync: ['reset', 'abort'],
  getters: ['nWaiting', 'broken'],
  constants: ['parties'],
};

/** RawValue. */
export const rawValueRemote: RemoteSpec = {
  getters: ['value'],
  setters: ['value'],
  constants: ['typecode'],
};

// Value and SharedArray hold their lock privately; their scoped forms run in
// the caller over the forwarded acquire and release, as a lock's do.
const proto = Acquirable.prototype;
const scopedMethods = {
  hold(this: Acquirable, ...args: Parameters<Acquirable['hold']>) {
    return proto.hold.apply(this, args);
  },
  holdSync(this: Acquirable, ...args: Parameters<Acquirable['holdSync']>) {
    return proto.holdSync.apply(this, args);
  },
  withLock(this: Acquirable, fn: () => unknown) {
    return proto.withLock.call(this, fn);
  },
  withLockSync(this: Acquirable, fn: () => unknown) {
    return proto.withLockSync.call(this, fn);
  },
};

/** Value. */
export const valueRemote: RemoteSpec = {
  ...rawValueRemote,
  async: ['acquire'],
  twins: { acquireSync: 'acquire' },
  sync: ['release', 'getLock'],
  methods: scopedMethods,
};

/** RawArray: `arr[i]` and `arr[i] = v` go to the owner; iteration copies the array once. */
export const rawArrayRemote: RemoteSpec = {
  indexed: true,
  sync: ['toArray', 'slice'],
  getters: ['value', 'raw'],
  setters: ['value', 'raw'],
  constants: ['typecode', 'length'],
  methods: {
    *[Symbol.iterator](this: { toArray(): unknown[] }): Iterator<unknown> {
      yield* this.toArray();
    },
  },
};

/** SharedArray. */
export const sharedArrayRemote: RemoteSpec = {
  ...rawArrayRemote,
  async: ['acquire'],
  twins: { acquireSync: 'acquire' },
  sync: [...(rawArrayRemote.sync ?? []), 'release', 'getLock'],
  methods: { ...rawArrayRemote.methods, ...scopedMethods },
};
