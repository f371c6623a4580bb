// ThreadPool: the Pool API over lanes in this thread. CPython's _TestPool
// cases that ThreadPool runs (apply, map, starmap, async, async timeout,
// imap, imap_unordered, make_pool, terminate, empty iterable, no fail-fast)
// adapted, plus what a ThreadPool adds: closures and shared objects.
import {
  AsyncResult,
  BrokenPoolError,
  CancelledError,
  StateError,
  ThreadPool,
  TimeoutError,
} from '@multiprocessing/pool';
import { taskRef } from '@multiprocessing/core';

const sqr = (x: number): number => x * x;
const mul = (x: number, y: number): number => x * y;
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** A promise and its resolver, to hold a task until the test lets it go. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

let pool: ThreadPool;
beforeEach(() => {
  pool = new ThreadPool({ processes: 4 });
});
afterEach(async () => {
  await pool.terminate();
});

describe('ThreadPool (CPython _TestPool, ThreadPool type)', () => {
  it('apply, map, starmap and their async forms', async () => {
    expect(await pool.apply(sqr, [5])).toBe(25);
    expect(await pool.map(sqr, range(10))).toEqual(range(10).map(sqr));
    expect(await pool.map(sqr, range(100), { chunksize: 20 })).toEqual(range(100).map(sqr));
    const psmap = range(10).map((i) => [i, i + 1] as [number, number]);
    expect(await pool.starmap(mul, psmap)).toEqual(psmap.map(([a, b]) => a * b));
    const res = pool.applyAsync(sqr, [7]);
    expect(res).toBeInstanceOf(AsyncResult);
    expect(await res.get(Infinity)).toBe(49);
    expect(await pool.mapAsync(sqr, [1, 2]).get(1e12)).toEqual([1, 4]);
    expect(await pool.starmapAsync(mul, [[2, 3]]).get()).toEqual([6]);
    expect(await pool.map(sqr, [])).toEqual([]);
  });

  it('get(timeout) rejects with TimeoutError while the task waits, and resolves after', async () => {
    const g = gate();
    const res = pool.applyAsync(
      async (x: number) => {
        await g.promise;
        return x * x;
      },
      [7],
    );
    await expect(res.get(0.01)).rejects.toBeInstanceOf(TimeoutError);
    g.open();
    expect(await res.get(30)).toBe(49);
  });

  it('imap and imapUnordered, sync and async inputs, and next(timeout)', async () => {
    const it = pool.imap(sqr, range(10));
    for (let i = 0; i < 10; i++) expect(await it.next(Infinity)).toEqual({ done: false, value: i * i });
    expect(await it.next()).toEqual({ done: true, value: undefined });
    const big: number[] = [];
    for await (const y of pool.imap(sqr, range(1000), { chunksize: 100 })) big.push(y);
    expect(big).toEqual(range(1000).map(sqr));
    const unordered: number[] = [];
    for await (const y of pool.imapUnordered(sqr, range(1000), { chunksize: 53 })) unordered.push(y);
    expect(unordered.sort((a, b) => a - b)).toEqual(range(1000).map(sqr));
    async function* numbers(): AsyncGenerator<number> {
      for (let i = 0; i < 5; i++) {
        await Promise.resolve();
        yield i;
      }
    }
    const fromAsync: number[] = [];
    for await (const y of pool.imap(sqr, numbers())) fromAsync.push(y);
    expect(fromAsync).toEqual([0, 1, 4, 9, 16]);
  });

  it('an imap result that fails rejects at its place, then the stream goes on', async () => {
    const it = pool.imap((x: number) => {
      if (x === 5) throw new RangeError('five');
      return x;
    }, range(8));
    const seen: unknown[] = [];
    for (let i = 0; i < 8; i++) {
      try {
        seen.push((await it.next(30)).value);
      } catch (err) {
        seen.push(err instanceof RangeError ? err.message : err);
      }
    }
    expect(seen).toEqual([0, 1, 2, 3, 4, 'five', 6, 7]);
    expect((await it.next(30)).done).toBe(true);
  });

  it('refuses bad sizes and options, as Python does (test_make_pool)', () => {
    expect(() => new ThreadPool({ processes: -1 })).toThrow(
      new RangeError('Number of processes must be at least 1'),
    );
    expect(() => new ThreadPool({ processes: 0 })).toThrow(RangeError);
    expect(() => new ThreadPool({ processes: 'x' as never })).toThrow(TypeError);
    expect(() => new ThreadPool({ maxTasksPerChild: 1 } as never)).toThrow(
      new TypeError("ThreadPool does not take the option 'maxTasksPerChild'"),
    );
    expect(() => new ThreadPool({ initializer: 5 as never })).toThrow(TypeError);
    expect(() => new ThreadPool({ initArgs: 5 as never })).toThrow(TypeError);
    expect(() => pool.apply(5 as never)).toThrow(TypeError);
    expect(() => pool.map(sqr, 5 as never)).toThrow(TypeError);
    expect(() => pool.imap(sqr, null as never)).toThrow(TypeError);
  });

  it('map waits for every chunk, then rejects with the first failure (test_map_no_failfast)', async () => {
    let ran = 0;
    const res = pool.map(
      (x: number) => {
        ran++;
        if (x === 0) throw new Error('first');
        return x;
      },
      range(20),
      { chunksize: 1 },
    );
    await expect(res).rejects.toThrow('first');
    expect(ran).toBe(20);
  });
});

describe('what a ThreadPool adds', () => {
  it('runs closures on shared objects: nothing is copied', async () => {
    const seen = new Map<number, number>();
    const shared = { total: 0 };
    await pool.map((x: number) => {
      shared.total += x;
      seen.set(x, x * 2);
    }, range(10));
    expect(shared.total).toBe(45);
    expect(seen.get(9)).toBe(18);
    const obj = { n: 1 };
    expect(await pool.apply((o: { n: number }) => o, [obj])).toBe(obj);
  });

  it('has at most `processes` tasks in progress, and starts the next when one ends', async () => {
    const small = new ThreadPool({ processes: 3 });
    const gates = range(6).map(() => gate());
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const all = small.map(
      async (i: number) => {
        started.push(i);
        running++;
        most = Math.max(most, running);
        await gates[i]?.promise;
        running--;
      },
      range(6),
      { chunksize: 1 },
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    gates[1]?.open();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2, 3]);
    for (const g of gates) g.open();
    await all;
    expect(most).toBe(3);
    await small.terminate();
  });

  it('runs the initializer once per lane before any task, and breaks when it throws', async () => {
    const calls: string[] = [];
    const p = new ThreadPool({
      processes: 2,
      initializer: (tag: string) => calls.push(`init ${tag}`),
      initArgs: ['x'],
    });
    await p.apply(() => calls.push('task'));
    expect(calls.slice(0, 2)).toEqual(['init x', 'init x']);
    expect(calls).toContain('task');
    await p.terminate();
    const broken = new ThreadPool({
      processes: 1,
      initializer: () => {
        throw new Error('no setup');
      },
    });
    const err: unknown = await broken.apply(sqr, [2]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrokenPoolError);
    expect((err as Error).cause).toEqual(new Error('no setup'));
    await broken.terminate();
  });

  it('takes task references, importing their modules', async () => {
    const square = taskRef<(x: number) => number>(
      new URL('../fixtures/tasks.mjs', import.meta.url),
      'square',
    );
    expect(await pool.map(square, [1, 2, 3])).toEqual([1, 4, 9]);
  });
});

describe('ThreadPool lifecycle (test_terminate, test_context)', () => {
  it('close() refuses new tasks and lets queued ones run; join() before close() refuses', async () => {
    await expect(pool.join()).rejects.toThrow(new StateError('Pool is still running'));
    const res = pool.map(sqr, range(10));
    pool.close();
    expect(() => pool.apply(sqr, [1])).toThrow(new StateError('Pool not running'));
    expect(await res).toEqual(range(10).map(sqr));
    await pool.join();
    expect(String(pool)).toBe('<ThreadPool state=CLOSE pool_size=4>');
  });

  it('terminate() cancels tasks not started and waits for those in progress', async () => {
    const small = new ThreadPool({ processes: 1 });
    const g = gate();
    const started = gate();
    let finished = false;
    const running = small.apply(async () => {
      started.open();
      await g.promise;
      finished = true;
      return 'ran';
    });
    await started.promise;
    const queued = small.apply(sqr, [3]);
    const done = small.terminate();
    await expect(queued).rejects.toBeInstanceOf(CancelledError);
    g.open();
    await done;
    expect(finished).toBe(true);
    await expect(running).resolves.toBe('ran');
    await small.join();
    expect(String(small)).toBe('<ThreadPool state=TERMINATE pool_size=1>');
  });

  it('await using terminates it', async () => {
    let outer: ThreadPool | undefined;
    {
      await using p = new ThreadPool({ processes: 2 });
      outer = p;
      expect(await p.apply(sqr, [4])).toBe(16);
    }
    expect(() => outer?.apply(sqr, [1])).toThrow(StateError);
  });
});
