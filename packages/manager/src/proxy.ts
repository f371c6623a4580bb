/**
 * Proxies: handles on objects that live in a manager's server. Mirrors
 * `multiprocessing.managers.BaseProxy` and its subclasses (`DictProxy`,
 * `ListProxy`, `AcquirerProxy` …, `IteratorProxy`, `PoolProxy`, `AutoProxy`);
 * the classes live in `base-proxy.ts`, `collection-proxies.ts`,
 * `sync-proxies.ts`, `iterator-proxy.ts` and `pool-proxy.ts`. This file
 * names each class for the server's replies and registers them as
 * shareable, so a proxy passed to a thread or a process arrives as a live
 * proxy.
 */
import { registerShareable } from '@multiprocessing/core';
import { rememberServer } from './internal/in-process.js';
import {
  AutoProxy,
  PROXY_TAG,
  makeProxy,
  registerProxyType,
  type ProxyClass,
  type ProxyState,
} from './base-proxy.js';
import { ArrayProxy, DictProxy, ListProxy, NamespaceProxy, ValueProxy } from './collection-proxies.js';
import { SetProxy } from './set-proxy.js';
import { IteratorProxy } from './iterator-proxy.js';
import { AsyncResultProxy, PoolProxy } from './pool-proxy.js';
import {
  AcquirerProxy,
  BarrierProxy,
  ConditionProxy,
  EventProxy,
  JoinableQueueProxy,
  QueueProxy,
} from './sync-proxies.js';

export { BaseProxy, AutoProxy, makeProxy, proxyFromMeta, settle } from './base-proxy.js';
export type { BlockingOptions, Proxied, ProxyState, ProxyToken } from './base-proxy.js';
export { ArrayProxy, DictProxy, ListProxy, NamespaceProxy, ValueProxy } from './collection-proxies.js';
export { SetProxy } from './set-proxy.js';
export { IteratorProxy } from './iterator-proxy.js';
export { AsyncResultProxy, PoolProxy } from './pool-proxy.js';
export type { PoolProxyCallOptions, PoolProxyIMapOptions, PoolProxyMapOptions } from './pool-proxy.js';
export {
  AcquirerProxy,
  BarrierProxy,
  ConditionProxy,
  EventProxy,
  JoinableQueueProxy,
  QueueProxy,
} from './sync-proxies.js';

const PROXY_TYPES: readonly (readonly [string, ProxyClass])[] = [
  ['DictProxy', DictProxy],
  ['ListProxy', ListProxy],
  ['SetProxy', SetProxy],
  ['NamespaceProxy', NamespaceProxy],
  ['ValueProxy', ValueProxy],
  ['ArrayProxy', ArrayProxy],
  ['AcquirerProxy', AcquirerProxy],
  ['ConditionProxy', ConditionProxy],
  ['EventProxy', EventProxy],
  ['BarrierProxy', BarrierProxy],
  ['QueueProxy', QueueProxy],
  ['JoinableQueueProxy', JoinableQueueProxy],
  ['IteratorProxy', IteratorProxy],
  ['AsyncResultProxy', AsyncResultProxy],
  ['PoolProxy', PoolProxy],
  ['AutoProxy', AutoProxy],
];

for (const [name, Cls] of PROXY_TYPES) {
  registerProxyType(name, Cls);
  registerShareable(PROXY_TAG, import.meta.url, Cls, (data: ProxyState) => {
    // A proxy from a thread of this process names the server's channel host.
    rememberServer(data.a, data.k, data.c);
    return makeProxy(data);
  });
}
