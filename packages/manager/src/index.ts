/**
 * `@multiprocessing/manager`: Manager (SyncManager), BaseManager, proxies,
 * Listener and Client with an authkey.
 *
 * @privateRemarks
 * Adding a name here is a semver commitment.
 *
 * @packageDocumentation
 */
export { Manager, SyncManager } from './sync-manager.js';
export { BaseManager } from './base-manager.js';
export { SharedMemoryManager } from './shared-memory-manager.js';
export type { BaseManagerOptions, ManagerContext, RegisterOptions } from './base-manager.js';
export { Server } from './server.js';
export type { ServerOptions } from './server.js';

export {
  BaseProxy,
  AutoProxy,
  DictProxy,
  ListProxy,
  SetProxy,
  NamespaceProxy,
  ValueProxy,
  ArrayProxy,
  AcquirerProxy,
  ConditionProxy,
  EventProxy,
  BarrierProxy,
  QueueProxy,
  JoinableQueueProxy,
  IteratorProxy,
  PoolProxy,
  AsyncResultProxy,
} from './proxy.js';
export type {
  BlockingOptions,
  Proxied,
  ProxyState,
  ProxyToken,
  PoolProxyCallOptions,
  PoolProxyMapOptions,
  PoolProxyIMapOptions,
} from './proxy.js';

export { Listener, Client, Connection } from './connection.js';
export { wait } from './wait.js';
export { deliverChallenge, answerChallenge } from './challenge.js';
export type { ChallengeConnection } from './challenge.js';
export type { Waitable } from './wait.js';
export type { ListenerOptions, ClientOptions } from './connection.js';
export type { Address, TcpAddress, AuthKey } from './address.js';

export {
  AuthenticationError,
  BrokenBarrierError,
  BufferTooShortError,
  EmptyError,
  EOFError,
  FullError,
  PicklingError,
  ProcessError,
  RemoteError,
  StateError,
  moduleRef,
  taskRef,
} from '@multiprocessing/core';
