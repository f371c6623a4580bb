/**
 * The Pool a SyncManager's server holds for `manager.Pool()`, and the
 * AsyncResults of its `…Async` calls. Mirrors the `pool.Pool` referent of
 * Python's `PoolProxy` (`SyncManager.register('Pool', pool.Pool,
 * PoolProxy)`) and the `'AsyncResult'` typeid. `@multiprocessing/pool` is
 * imported when the first Pool is made, so a server that makes none never
 * loads it.
 */
import type { AsyncResult, IMapIterator, Pool, PoolOptions } from '@multiprocessing/pool';
import { taskFromWire } from './pool-wire.js';

/** The method a server calls on each object it holds when it shuts down. */
export const kServerShutdown = Symbol('manager.serverShutdown');

/** The methods of a Pool a client may call (Python's `PoolProxy._exposed_`, camelCased). */
export const POOL_EXPOSED: readonly string[] = [
  'apply',
  'applyAsync',
  'map',
  'mapAsync',
  'starmap',
  'starmapAsync',
  'imap',
  'imapUnordered',
  'close',
  'join',
  'terminate',
];

/** Results that stay in the server (Python's `PoolProxy._method_to_typeid_`). */
export const POOL_METHOD_TO_TYPEID: Readonly<Record<string, string>> = {
  applyAsync: 'AsyncResult',
  mapAsync: 'AsyncResult',
  starmapAsync: 'AsyncResult',
  imap: 'Iterator',
  imapUnordered: 'Iterator',
};

/**
 * An AsyncResult in the server. Not thenable, unlike the Pool's own, so
 * the server keeps the object instead of waiting for its value.
 */
export class AsyncResultReferent {
  readonly #result: AsyncResult<unknown>;

  constructor(result: AsyncResult<unknown>) {
    this.#result = result;
  }

  get(timeout?: number | null): Promise<unknown> {
    return this.#result.get(timeout);
  }
  wait(timeout?: number | null): Promise<void> {
    return this.#result.wait(timeout);
  }
  ready(): boolean {
    return this.#result.ready();
  }
  successful(): boolean {
    return this.#result.successful();
  }
}

/** An imap stream as a plain iterator: a value a client sends with `next()` is not a timeout. */
interface IMapSteps {
  next(): Promise<IteratorResult<unknown>>;
  return(): Promise<IteratorResult<unknown>>;
}

function steps(it: IMapIterator<unknown>): IMapSteps {
  return {
    next: () => it.next(),
    return: () => it.return(),
  };
}

type MapOpts = Parameters<Pool['map']>[2];
type IMapOpts = Parameters<Pool['imap']>[2];
type CallOpts = Parameters<Pool['apply']>[2];

/** A Pool in the server: its calls take tasks as specs (`pool-wire.ts`). */
export class PoolReferent {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async apply(fn: unknown, args?: unknown[], options?: CallOpts): Promise<unknown> {
    return this.#pool.apply(await taskFromWire(fn), args, options);
  }
  async applyAsync(fn: unknown, args?: unknown[], options?: CallOpts): Promise<AsyncResultReferent> {
    return new AsyncResultReferent(this.#pool.applyAsync(await taskFromWire(fn), args, options));
  }
  async map(fn: unknown, iterable: unknown[], options?: MapOpts): Promise<unknown[]> {
    return this.#pool.map(await taskFromWire(fn), iterable, options);
  }
  async mapAsync(fn: unknown, iterable: unknown[], options?: MapOpts): Promise<AsyncResultReferent> {
    return new AsyncResultReferent(this.#pool.mapAsync(await taskFromWire(fn), iterable, options));
  }
  async starmap(fn: unknown, iterable: unknown[][], options?: MapOpts): Promise<unknown[]> {
    return this.#pool.starmap(await taskFromWire(fn), iterable, options);
  }
  async starmapAsync(fn: unknown, iterable: unknown[][], options?: MapOpts): Promise<AsyncResultReferent> {
    return new AsyncResultReferent(this.#pool.starmapAsync(await taskFromWire(fn), iterable, options));
  }
  async imap(fn: unknown, iterable: unknown[], options?: IMapOpts): Promise<IMapSteps> {
    return steps(this.#pool.imap(await taskFromWire(fn), iterable, options));
  }
  async imapUnordered(fn: unknown, iterable: unknown[], options?: IMapOpts): Promise<IMapSteps> {
    return steps(this.#pool.imapUnordered(await taskFromWire(fn), iterable, options));
  }
  close(): void {
    this.#pool.close();
  }
  join(): Promise<void> {
    return this.#pool.join();
  }
  terminate(): Promise<void> {
    return this.#pool.terminate();
  }

  /** The server is shutting down: end the workers, so nothing keeps its thread or process alive. */
  [kServerShutdown](): void {
    this.#pool.terminate().catch(() => undefined);
  }
}

/** Makes the Pool for a `create('Pool', options)` request; options come as `optionsToWire` sent them. */
export async function createPoolReferent(options: unknown): Promise<PoolReferent> {
  let opts = options as (PoolOptions & Record<string, unknown>) | undefined | null;
  if (typeof opts === 'object' && opts !== null) {
    opts = { ...opts };
    for (const key of ['initializer', 'finalizer'] as const) {
      const spec: unknown = opts[key];
      if (spec !== undefined && spec !== null) opts[key] = await taskFromWire(spec, `options.${key}`);
    }
  }
  const { Pool: PoolClass } = await import('@multiprocessing/pool');
  return new PoolReferent(new PoolClass(opts ?? undefined));
}
