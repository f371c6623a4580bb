/**
 * parity: SyncManager.Pool (Python's undocumented PoolProxy). A Pool made
 * in the manager's server, driven from clients; `…Async` calls give
 * AsyncResult proxies and `imap` gives an IteratorProxy.
 */
import {
  AsyncResultProxy,
  IteratorProxy,
  Manager,
  PicklingError,
  PoolProxy,
  StateError,
  moduleRef,
  type SyncManager,
} from '@multiprocessing/manager';
import { getContext } from '@multiprocessing/process';
import { rejection, within } from './helpers.js';

interface Tasks {
  square(x: number): number;
  power(base: number, exp: number): number;
  failOnThree(x: number): number;
  waitFor(event: unknown, x: number): Promise<number>;
  appendWord(word: string, list: unknown): Promise<number>;
  busyForever(): Promise<never>;
}
const tasks = moduleRef<Tasks>(new URL('../fixtures/pool-tasks.mjs', import.meta.url));

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
}

describe.each(['thread', 'process'] as const)('parity: SyncManager.Pool [%s]', (startMethod) => {
  let manager: SyncManager;
  let pool: PoolProxy;
  beforeAll(async () => {
    manager = await within(Manager({ context: getContext(startMethod) }), 20_000, 'Manager(…)');
    pool = await within(manager.Pool({ processes: 2 }), 20_000, 'manager.Pool()');
  });
  afterAll(async () => {
    try {
      await within(pool.terminate(), 20_000, 'pool.terminate()');
    } finally {
      await within(manager.shutdown(), 20_000, 'manager.shutdown()');
    }
  });

  it('map, starmap and apply resolve with the results, in input order', async () => {
    expect(pool).toBeInstanceOf(PoolProxy);
    expect(await pool.map(tasks.square, [1, 2, 3, 4], { chunksize: 2 })).toEqual([1, 4, 9, 16]);
    expect(await pool.map(tasks.square, new Set([5, 6]))).toEqual([25, 36]);
    expect(
      await pool.starmap(tasks.power, [
        [2, 3],
        [3, 2],
      ]),
    ).toEqual([8, 9]);
    expect(await pool.apply(tasks.power, [2, 10])).toBe(1024);
  });

  it('imap and imapUnordered resolve to IteratorProxies of the results', async () => {
    const it = await pool.imap(tasks.square, [1, 2, 3]);
    expect(it).toBeInstanceOf(IteratorProxy);
    expect(await collect(it)).toEqual([1, 4, 9]);
    const unordered = await collect(await pool.imapUnordered(tasks.square, [1, 2, 3]));
    expect(unordered.sort((a, b) => a - b)).toEqual([1, 4, 9]);
  });

  it('applyAsync, mapAsync and starmapAsync resolve to AsyncResult proxies', async () => {
    const event = await manager.Event();
    const pending = await pool.applyAsync(tasks.waitFor, [event, 7]);
    expect(pending).toBeInstanceOf(AsyncResultProxy);
    expect(await pending.ready()).toBe(false);
    expect(await rejection(pending.successful())).toBeInstanceOf(StateError);
    await event.set();
    expect(await pending.get(30)).toBe(7);
    expect(await pending.ready()).toBe(true);
    expect(await pending.successful()).toBe(true);

    const mapped = await pool.mapAsync(tasks.square, [2, 3]);
    await mapped.wait(30);
    expect(await mapped.get()).toEqual([4, 9]);
    const starred = await pool.starmapAsync(tasks.power, [[2, 2]]);
    expect(await starred.get()).toEqual([4]);
  });

  it('rejects with the error a task throws, its class kept', async () => {
    const mapped = await rejection(pool.map(tasks.failOnThree, [1, 2, 3, 4], { chunksize: 1 }));
    expect([mapped.name, mapped.message]).toEqual(['RangeError', 'bad item 3']);
    expect(await rejection(pool.apply(tasks.failOnThree, [3]))).toBeInstanceOf(RangeError);
    const async = await pool.applyAsync(tasks.failOnThree, [3]);
    expect(await rejection(async.get())).toBeInstanceOf(RangeError);
    expect(await async.successful()).toBe(false);
  });

  it('rejects an imap step for a failed task, then goes on', async () => {
    const it = await pool.imap(tasks.failOnThree, [2, 3, 4]);
    expect(await it.next()).toEqual({ value: 2, done: false });
    expect(await rejection(it.next())).toBeInstanceOf(RangeError);
    expect(await it.next()).toEqual({ value: 4, done: false });
    expect((await it.next()).done).toBe(true);
  });

  it('runs tasks that use proxies of the same manager', async () => {
    const words = await manager.list<string>();
    expect(
      await pool.starmap(tasks.appendWord, [
        ['with', words],
        ['great', words],
      ]),
    ).toEqual([4, 5]);
    expect((await words.toArray()).sort()).toEqual(['great', 'with']);
  });

  it('refuses a closure (PicklingError), a non-task and unsendable options (TypeError)', async () => {
    const offset = 1;
    expect(await rejection(pool.apply((x: number) => x + offset, [1]))).toBeInstanceOf(PicklingError);
    const notTask = await rejection(pool.map(42 as never, [1]));
    expect(notTask).toBeInstanceOf(TypeError);
    expect(notTask.message).toMatch(/^fn must be a function or a task reference/);
    const signal = await rejection(
      pool.apply(tasks.square, [1], { signal: new AbortController().signal } as never),
    );
    expect(signal.message).toMatch(/^options\.signal cannot reach the manager's server/);
    const capture = await rejection(manager.Pool({ captureOutput: () => undefined }));
    expect(capture).toBeInstanceOf(TypeError);
    expect(capture.message).toMatch(/^options\.captureOutput/);
    expect(await rejection(manager.Pool({ processes: 0 }))).toBeInstanceOf(RangeError);
  });

  it('runs a self-contained function, as a Pool does', async () => {
    expect(await pool.apply((x: number) => x * 3, [5])).toBe(15);
  });
});

describe('SyncManager.Pool lifetime', () => {
  let manager: SyncManager;
  beforeEach(async () => {
    // A server left to end by itself: shutdown() would terminate it only after a minute.
    manager = await within(Manager({ shutdownTimeout: 60 }), 20_000, 'Manager(…)');
  });
  afterEach(async () => {
    await within(manager.shutdown(), 20_000, 'manager.shutdown()');
  });

  it('await using terminates the pool at the end of the scope', async () => {
    let escaped: PoolProxy | undefined;
    {
      await using pool = await manager.Pool({ processes: 1 });
      escaped = pool;
      expect(await pool.apply(tasks.square, [3])).toBe(9);
    }
    const err = await rejection(escaped.apply(tasks.square, [3]));
    expect([err.name, err.message]).toEqual(['StateError', 'Pool not running']);
    await within(escaped.join(), 20_000, 'pool.join()');
  });

  it('close() then join() lets queued tasks finish', async () => {
    const pool = await manager.Pool({ processes: 1 });
    const pending = await pool.mapAsync(tasks.square, [1, 2, 3]);
    await pool.close();
    await within(pool.join(), 20_000, 'pool.join()');
    expect(await pending.get()).toEqual([1, 4, 9]);
  });

  it('shutdown ends a server whose pool is still running a task', async () => {
    const pool = await manager.Pool({ processes: 1 });
    const busy = await pool.applyAsync(tasks.busyForever, []);
    expect(await busy.ready()).toBe(false);
    // The server must end its pool, then itself, well before shutdownTimeout.
    await within(manager.shutdown(), 20_000, 'manager.shutdown()');
  });
});
