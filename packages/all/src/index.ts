/**
 * @multiprocessing/all: every public name of the six @multiprocessing
 * packages behind one import, as Python's `import multiprocessing` gives the
 * whole package. Each name comes from the package that defines it; names that
 * several packages re-export (the errors, `moduleRef`, `taskRef`) come once,
 * from core. Manager's socket `Connection` is `SocketConnection` here, because
 * `Connection` is the `Pipe` end, as in Python. Adding a name here is a semver
 * commitment.
 */

// @multiprocessing/core
export {
  ProcessError,
  TimeoutError,
  AuthenticationError,
  BufferTooShortError,
  RemoteError,
  PicklingError,
  EmptyError,
  FullError,
  EOFError,
  BrokenPoolError,
  QueueFullError,
  BrokenBarrierError,
  CancelledError,
  InvalidStateError,
  WorkerLostError,
  StateError,
  ClusterConnectionError,
  FileExistsError,
  FileNotFoundError,
  ShutDownError,
  errorClasses,
  kShareable,
  registerShareable,
  isShareable,
  encode,
  decode,
  kInspect,
  getLogger,
  logToStderr,
  LogLevel,
  moduleRef,
  taskRef,
  isTaskRef,
} from '@multiprocessing/core';
export type {
  ProcessErrorOptions,
  Shareable,
  Logger,
  LogRecord,
  LogHandler,
  LogLevelName,
  ShareableState,
  RemoteSpec,
  RemotePrefetch,
  RegisterShareableOptions,
  AnyFunction,
  TaskRef,
  ModuleRef,
  Task,
  TaskFn,
  TaskArgs,
  TaskResult,
} from '@multiprocessing/core';

// @multiprocessing/value-lock
export {
  Lock,
  RLock,
  Semaphore,
  BoundedSemaphore,
  Event,
  Condition,
  Barrier,
  Value,
  RawValue,
  SharedArray,
  RawArray,
  synchronized,
  // Python's multiprocessing.sharedctypes.copy.
  copy as sharedctypesCopy,
  SharedMemory,
  ShareableList,
} from '@multiprocessing/value-lock';
export type {
  BarrierOptions,
  Typecode,
  BigTypecode,
  ValueOf,
  ValueInput,
  AcquireOptions,
  SynchronizedOptions,
  Held,
  SharedMemoryOptions,
  ShareableItem,
  ShareableListOptions,
} from '@multiprocessing/value-lock';

// @multiprocessing/process
export {
  Process,
  getContext,
  setStartMethod,
  getStartMethod,
  getAllStartMethods,
  currentProcess,
  parentProcess,
  activeChildren,
  cpuCount,
  isMainProcess,
  setExecutable,
  freezeSupport,
  allowConnectionPickling,
} from '@multiprocessing/process';
export type {
  ProcessOptions,
  Context,
  SetStartMethodOptions,
  GetStartMethodOptions,
  StartMethod,
  StartMethodName,
  CurrentProcess,
  ParentProcess,
} from '@multiprocessing/process';

// @multiprocessing/queue
export { Queue, JoinableQueue, SimpleQueue, Pipe, Connection } from '@multiprocessing/queue';
export type { QueueOptions, BlockOptions, QueueShutdownOptions } from '@multiprocessing/queue';

// @multiprocessing/pool
export {
  Pool,
  ThreadPool,
  // Python's multiprocessing.dummy: the API over the calling thread.
  dummy,
  AsyncResult,
  IMapIterator,
  StreamIterator,
  ProcessPoolExecutor,
  Future,
  FinalizerWarning,
  getWorkerData,
  currentTask,
  move,
} from '@multiprocessing/pool';
export { wait, asCompleted, FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED } from '@multiprocessing/pool';
export type {
  PoolStats,
  PoolOptions,
  PoolWorkerOptions,
  PoolContext,
  PoolStartMethod,
  CallOptions,
  MapOptions,
  MapArg,
  IMapOptions,
  StreamOptions,
  StreamItem,
  AsyncCallbacks,
  ApplyAsyncOptions,
  MapAsyncOptions,
  ExecutorOptions,
  ExecutorMapOptions,
  ShutdownOptions,
  WaitOptions,
  ReturnWhen,
  DoneAndNotDoneFutures,
  AsCompletedOptions,
  AsCompletedItem,
  CurrentTask,
  LatencyPercentiles,
  CaptureOutputFunction,
  OutputLineInfo,
  ThreadPoolOptions,
  ThreadPoolMapOptions,
  ThreadPoolIMapOptions,
  ThreadPoolApplyOptions,
} from '@multiprocessing/pool';

// @multiprocessing/manager
export {
  Manager,
  SyncManager,
  BaseManager,
  SharedMemoryManager,
  Server,
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
  Listener,
  Client,
  Connection as SocketConnection,
  // Python's multiprocessing.connection.wait; `wait` is concurrent.futures'.
  wait as connectionWait,
  deliverChallenge,
  answerChallenge,
} from '@multiprocessing/manager';
export type {
  BaseManagerOptions,
  ManagerContext,
  RegisterOptions,
  ServerOptions,
  BlockingOptions,
  Proxied,
  ProxyState,
  ProxyToken,
  ListenerOptions,
  ClientOptions,
  Address,
  TcpAddress,
  AuthKey,
  Waitable,
  ChallengeConnection,
  PoolProxyCallOptions,
  PoolProxyMapOptions,
  PoolProxyIMapOptions,
} from '@multiprocessing/manager';
