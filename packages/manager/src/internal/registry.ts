/**
 * What a server knows about each typeid: how to make the object, which
 * methods clients may call, which results come back as proxies, and which
 * proxy class the client builds. Mirrors `BaseManager._registry` and the
 * SyncManager's registrations in `multiprocessing.managers`.
 */
import type { TaskSpec } from '@multiprocessing/core/internal';
import { ArrayReferent, DictReferent, ListReferent, NamespaceReferent, ValueReferent } from './referents.js';
import { SetReferent } from './set-referent.js';
import { toIteratorReferent } from './iterator-referent.js';
import { POOL_EXPOSED, POOL_METHOD_TO_TYPEID, createPoolReferent } from './pool-referent.js';
import {
  BarrierReferent,
  BoundedSemaphoreReferent,
  ConditionReferent,
  EventReferent,
  JoinableQueueReferent,
  LockReferent,
  QueueReferent,
  RLockReferent,
  SemaphoreReferent,
} from './sync-referents.js';

/** A registration as it travels to the server (plain data). */
export interface TypeEntry {
  readonly typeid: string;
  /** The factory or class; absent for a SyncManager built-in or a connect-only client. */
  readonly spec?: TaskSpec;
  /** True for the SyncManager built-ins. */
  readonly builtin?: boolean;
  readonly exposed?: readonly string[];
  readonly methodToTypeid?: Readonly<Record<string, string>>;
  /** The proxy class name the client builds (`DictProxy` …, or `AutoProxy`). */
  readonly proxytype: string;
}

/** Finds the server-side object behind a proxy of this server (for Condition(lock)). */
export type ReferentLookup = (value: unknown) => unknown;

interface Builtin {
  /** Makes the object for a `create` request (a Pool is made asynchronously). */
  readonly create: (args: unknown[], lookup: ReferentLookup) => object | Promise<object>;
  readonly exposed: readonly string[];
  readonly proxytype: string;
  /** Turns a method's result into the referent (`methodToTypeid` naming this typeid). */
  readonly adopt?: (value: unknown) => object;
  /** The built-in's own `methodToTypeid` (Python's `_method_to_typeid_` of its proxy type). */
  readonly methodToTypeid?: Readonly<Record<string, string>>;
}

/** The `create` of a typeid whose objects only methods make (Python's `create_method=False`). */
function madeByMethods(typeid: string): () => never {
  return () => {
    throw new TypeError(
      `typeid '${typeid}' cannot be created: its objects are the results of methods listed in methodToTypeid`,
    );
  };
}

const ACQUIRER = ['acquire', 'release', 'locked'];
const QUEUE = ['put', 'putNowait', 'get', 'getNowait', 'qsize', 'empty', 'full'];

/** The SyncManager's types, made in the server without loading any module. */
export const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  [
    'dict',
    {
      create: (a) => new DictReferent(a[0]),
      exposed: [
        'get',
        'set',
        'delete',
        'has',
        'length',
        'keys',
        'values',
        'items',
        'update',
        'pop',
        'popitem',
        'setdefault',
        'clear',
        'toObject',
        'toMap',
      ],
      proxytype: 'DictProxy',
    },
  ],
  [
    'list',
    {
      create: (a) => new ListReferent(a[0]),
      exposed: [
        'get',
        'set',
        'delete',
        'append',
        'extend',
        'insert',
        'pop',
        'remove',
        'index',
        'count',
        'has',
        'sort',
        'reverse',
        'slice',
        'length',
        'toArray',
      ],
      proxytype: 'ListProxy',
    },
  ],
  [
    'set',
    {
      create: (a) => new SetReferent(a[0]),
      exposed: [
        'add',
        'discard',
        'remove',
        'pop',
        'clear',
        'has',
        'length',
        'update',
        'differenceUpdate',
        'intersectionUpdate',
        'symmetricDifferenceUpdate',
        'union',
        'intersection',
        'difference',
        'symmetricDifference',
        'isSubsetOf',
        'isSupersetOf',
        'isDisjointFrom',
        'copy',
        'toArray',
      ],
      proxytype: 'SetProxy',
    },
  ],
  [
    'Namespace',
    {
      create: (a) => new NamespaceReferent(a[0]),
      exposed: ['get', 'set', 'has', 'delete', 'toObject'],
      proxytype: 'NamespaceProxy',
    },
  ],
  [
    'Value',
    { create: (a) => new ValueReferent(a[0], a[1]), exposed: ['get', 'set'], proxytype: 'ValueProxy' },
  ],
  [
    'Array',
    {
      create: (a) => new ArrayReferent(a[0], a[1]),
      exposed: ['get', 'set', 'length', 'toArray'],
      proxytype: 'ArrayProxy',
    },
  ],
  ['Lock', { create: () => new LockReferent(), exposed: ACQUIRER, proxytype: 'AcquirerProxy' }],
  ['RLock', { create: () => new RLockReferent(), exposed: ACQUIRER, proxytype: 'AcquirerProxy' }],
  [
    'Semaphore',
    {
      create: (a) => new SemaphoreReferent(a[0]),
      exposed: ['acquire', 'release'],
      proxytype: 'AcquirerProxy',
    },
  ],
  [
    'BoundedSemaphore',
    {
      create: (a) => new BoundedSemaphoreReferent(a[0]),
      exposed: ['acquire', 'release'],
      proxytype: 'AcquirerProxy',
    },
  ],
  [
    'Condition',
    {
      create: (a, lookup) => new ConditionReferent(lookup(a[0])),
      exposed: ['acquire', 'release', 'wait', 'notify', 'notifyAll'],
      proxytype: 'ConditionProxy',
    },
  ],
  [
    'Event',
    {
      create: () => new EventReferent(),
      exposed: ['isSet', 'set', 'clear', 'wait'],
      proxytype: 'EventProxy',
    },
  ],
  [
    'Barrier',
    {
      create: (a) => new BarrierReferent(a[0], a[1] as { timeout?: number }),
      exposed: ['wait', 'abort', 'reset', 'parties', 'nWaiting', 'broken'],
      proxytype: 'BarrierProxy',
    },
  ],
  ['Queue', { create: (a) => new QueueReferent(a[0]), exposed: QUEUE, proxytype: 'QueueProxy' }],
  [
    'JoinableQueue',
    {
      create: (a) => new JoinableQueueReferent(a[0]),
      exposed: [...QUEUE, 'taskDone', 'join'],
      proxytype: 'JoinableQueueProxy',
    },
  ],
  [
    'Iterator',
    {
      create: madeByMethods('Iterator'),
      adopt: toIteratorReferent,
      exposed: ['next', 'throw', 'return', 'close'],
      proxytype: 'IteratorProxy',
    },
  ],
  [
    'AsyncResult',
    {
      create: madeByMethods('AsyncResult'),
      exposed: ['get', 'wait', 'ready', 'successful'],
      proxytype: 'AsyncResultProxy',
    },
  ],
  [
    'Pool',
    {
      create: (a) => createPoolReferent(a[0]),
      exposed: POOL_EXPOSED,
      methodToTypeid: POOL_METHOD_TO_TYPEID,
      proxytype: 'PoolProxy',
    },
  ],
]);

/** Names of the public methods of `obj` (Python's `public_methods`: callables not starting with `_`). */
export function publicMethods(obj: object): string[] {
  const names = new Set<string>();
  let proto: object | null = obj;
  while (proto !== null && proto !== Object.prototype) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor' || name.startsWith('_') || names.has(name)) continue;
      const desc = Object.getOwnPropertyDescriptor(proto, name);
      if (desc !== undefined && typeof desc.value === 'function') names.add(name);
    }
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return [...names];
}
