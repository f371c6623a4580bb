/**
 * Python's `buffersize` on imap / imapUnordered and ProcessPoolExecutor#map:
 * the input is read only as far ahead of the consumer as it allows, so an
 * endless generator works; and close()/join() after a partly read buffered
 * imap returns (CPython deadlocked there: cpython#155477).
 */
import { getContext } from '@multiprocessing/process';
import { Pool, ProcessPoolExecutor, StateError } from '@multiprocessing/pool';
import { collect, range, startMethods, tasks, within } from '../helpers.js';

/** An endless 0, 1, 2, … that counts what it produced. */
function counting(): { gen: Generator<number>; produced: () => number } {
  let n = 0;
  function* gen(): Generator<number> {
    for (;;) yield n++;
  }
  return { gen: gen(), produced: () => n };
}

/** An endless async 0, 1, 2, … that counts what it produced. */
function countingAsync(): { gen: AsyncGenerator<number>; produced: () => number } {
  let n = 0;
  async function* gen(): AsyncGenerator<number> {
    for (;;) {
      await Promise.resolve();
      yield n++;
    }
  }
  return { gen: gen(), produced: () => n };
}

async function* asyncRange(n: number, failAt?: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) {
    await Promise.resolve();
    if (i === failAt) throw new Error(`input failed at ${String(i)}`);
    yield i;
  }
}

/** The first `count` values of `it`, then a break (which calls return()). */
async function take<T>(it: AsyncIterable<T>, count: number): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) {
    out.push(x);
    if (out.length === count) break;
  }
  return out;
}

describe.each(startMethods)('imap buffersize [%s]', (method) => {
  let pool: Pool | undefined;
  afterEach(async () => {
    if (pool) await within(pool.terminate(), 30_000, 'pool.terminate()');
    pool = undefined;
  });

  it.each([
    ['imap', 1],
    ['imapUnordered', 1],
    ['imap', 3],
  ] as const)(
    '%s with buffersize 2 (chunksize %d) over an endless generator, stopped after 10 items',
    async (name, chunksize) => {
      pool = new Pool({ processes: 2, context: getContext(method) });
      const { gen, produced } = counting();
      const got = await within(
        take(pool[name](tasks.square, gen, { buffersize: 2, chunksize }), 10),
        30_000,
        `${name} buffersize 2`,
      );
      if (name === 'imap') expect(got).toEqual(range(10).map((x) => x * x));
      else expect(got).toHaveLength(10);
      // At most 2 chunks ahead of what was read, plus the chunk being read.
      expect(produced()).toBeGreaterThanOrEqual(10);
      expect(produced()).toBeLessThanOrEqual(10 + (2 + 1) * chunksize);
      // The pool is still usable.
      expect(await within(pool.apply(tasks.square, [4]), 30_000, 'apply')).toBe(16);
    },
  );

  it('reads no input until results are read: buffersize 1 makes one chunk at a time', async () => {
    pool = new Pool({ processes: 2, context: getContext(method) });
    const { gen, produced } = counting();
    const it = pool.imap(tasks.square, gen, { buffersize: 1 });
    expect(await within(it.next(), 30_000, 'next()')).toEqual({ done: false, value: 0 });
    // Reading result 0 lets chunk 1 be made, and nothing more until it is read.
    expect(await within(it.next(), 30_000, 'next()')).toEqual({ done: false, value: 1 });
    expect(produced()).toBeLessThanOrEqual(3);
    await it.return();
  });

  it('close() then join() after partly reading a buffered imap returns; the chunks made still arrive', async () => {
    pool = new Pool({ processes: 2, context: getContext(method) });
    const { gen, produced } = counting();
    const it = pool.imap(tasks.square, gen, { buffersize: 2 });
    expect(await within(it.next(), 30_000, 'next()')).toEqual({ done: false, value: 0 });
    pool.close();
    await within(pool.join(), 30_000, 'join() after close() (cpython#155477)');
    const read = produced();
    expect(read).toBeLessThanOrEqual(3);
    const rest: number[] = [];
    for await (const y of it) rest.push(y);
    expect(rest).toEqual(
      range(read)
        .slice(1)
        .map((x) => x * x),
    );
    expect(produced()).toBe(read);
  });

  it('close() then join() after breaking out of a buffered imapUnordered returns', async () => {
    pool = new Pool({ processes: 2, context: getContext(method) });
    const { gen } = counting();
    expect(
      await within(take(pool.imapUnordered(tasks.square, gen, { buffersize: 2 }), 3), 30_000, 'take 3'),
    ).toHaveLength(3);
    pool.close();
    await within(pool.join(), 30_000, 'join() after break and close()');
  });

  it('close() then join() after partly reading an unbuffered imap of a finite input returns, with every result', async () => {
    pool = new Pool({ processes: 2, context: getContext(method) });
    const it = pool.imap(tasks.square, range(50));
    expect(await within(it.next(), 30_000, 'next()')).toEqual({ done: false, value: 0 });
    pool.close();
    await within(pool.join(), 30_000, 'join()');
    const rest: number[] = [];
    for await (const y of it) rest.push(y);
    expect(rest).toEqual(
      range(50)
        .slice(1)
        .map((x) => x * x),
    );
  });

  it.each(['imap', 'imapUnordered'] as const)(
    '%s with buffersize 2 over an endless async generator, stopped after 10 items',
    async (name) => {
      pool = new Pool({ processes: 2, context: getContext(method) });
      const { gen, produced } = countingAsync();
      const got = await within(take(pool[name](tasks.square, gen, { buffersize: 2 }), 10), 30_000, name);
      expect(got).toHaveLength(10);
      expect(produced()).toBeGreaterThanOrEqual(10);
      expect(produced()).toBeLessThanOrEqual(10 + 2 + 1);
    },
  );

  it('imap reads an async iterable lazily to its end, in order, and reports its error after the results before it', async () => {
    pool = new Pool({ processes: 2, context: getContext(method) });
    const out: number[] = [];
    for await (const y of pool.imap(tasks.square, asyncRange(30), { chunksize: 4 })) out.push(y);
    expect(out).toEqual(range(30).map((x) => x * x));
    const seen: number[] = [];
    const it = pool.imap(tasks.square, asyncRange(10, 5), { chunksize: 2 });
    await expect(
      within(
        (async () => {
          for await (const y of it) seen.push(y);
        })(),
        30_000,
        'imap over a failing async input',
      ),
    ).rejects.toThrow('input failed at 5');
    expect(seen).toEqual([0, 1, 4, 9]);
  });

  it('close() then join() with an unbuffered imap still reading an async input waits for it', async () => {
    pool = new Pool({ processes: 2, context: getContext(method) });
    const it = pool.imapUnordered(tasks.square, asyncRange(20));
    pool.close();
    await within(pool.join(), 30_000, 'join()');
    const out: number[] = [];
    for await (const y of it) out.push(y);
    expect(out.sort((a, b) => a - b)).toEqual(range(20).map((x) => x * x));
  });

  it('validates buffersize', () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    const p = pool;
    for (const bad of [0, -1, -(2 ** 53)]) {
      expect(() => p.imap(tasks.square, [1], { buffersize: bad })).toThrow(RangeError);
    }
    expect(() => p.imap(tasks.square, [1], { buffersize: 0 })).toThrow(
      'buffersize must be undefined or > 0, got 0',
    );
    for (const bad of [1.5, NaN, Infinity, -Infinity, '2' as unknown as number]) {
      expect(() => p.imapUnordered(tasks.square, [1], { buffersize: bad })).toThrow(TypeError);
    }
    expect(() => p.imap(tasks.square, [1], { buffersize: 1.5 })).toThrow(
      'buffersize must be an integer or undefined, got 1.5',
    );
  });
});

describe.each(startMethods)('ProcessPoolExecutor#map buffersize [%s]', (method) => {
  let executor: ProcessPoolExecutor | undefined;
  afterEach(async () => {
    if (executor) await within(executor.terminateWorkers(), 30_000, 'terminateWorkers()');
    executor = undefined;
  });

  it.each([1, 3])(
    'buffersize 2 (chunksize %d) over an endless generator, stopped after 10 items',
    async (chunksize) => {
      executor = new ProcessPoolExecutor({ maxWorkers: 2, context: getContext(method) });
      const { gen, produced } = counting();
      const results = executor.map(tasks.square, gen, { buffersize: 2, chunksize });
      // Python submits buffersize tasks at the call.
      expect(produced()).toBe(2 * chunksize);
      expect(await within(take(results, 10), 30_000, 'map buffersize 2')).toEqual(
        range(10).map((x) => x * x),
      );
      expect(produced()).toBeGreaterThanOrEqual(10);
      expect(produced()).toBeLessThanOrEqual(10 + (2 + 1) * chunksize);
    },
  );

  it('buffersize 2 over an endless async generator, stopped after 10 items', async () => {
    executor = new ProcessPoolExecutor({ maxWorkers: 2, context: getContext(method) });
    const { gen, produced } = countingAsync();
    const got = await within(take(executor.map(tasks.square, gen, { buffersize: 2 }), 10), 30_000, 'map');
    expect(got).toEqual(range(10).map((x) => x * x));
    expect(produced()).toBeGreaterThanOrEqual(10);
    expect(produced()).toBeLessThanOrEqual(10 + 2 + 1);
  });

  it('an async input without buffersize is read whole, in order; its error rejects the next read', async () => {
    executor = new ProcessPoolExecutor({ maxWorkers: 2, context: getContext(method) });
    const out: number[] = [];
    for await (const y of executor.map(tasks.square, asyncRange(12), { chunksize: 5 })) out.push(y);
    expect(out).toEqual(range(12).map((x) => x * x));
    const failing = executor.map(tasks.square, asyncRange(10, 3), { buffersize: 2 });
    expect(await within(failing.next(), 30_000, 'next()')).toEqual({ done: false, value: 0 });
    await expect(within(collect(failing), 30_000, 'rest')).rejects.toThrow('input failed at 3');
  });

  it('a finite input is read to its end, in order', async () => {
    executor = new ProcessPoolExecutor({ maxWorkers: 2, context: getContext(method) });
    const out: number[] = [];
    for await (const y of executor.map(tasks.square, range(25), { buffersize: 3, chunksize: 2 })) out.push(y);
    expect(out).toEqual(range(25).map((x) => x * x));
  });

  it('shutdown() after partly reading does not wait for the unread input; reading on raises as Python does', async () => {
    executor = new ProcessPoolExecutor({ maxWorkers: 2, context: getContext(method) });
    const { gen } = counting();
    const results = executor.map(tasks.square, gen, { buffersize: 2 });
    expect(await within(results.next(), 30_000, 'next()')).toEqual({ done: false, value: 0 });
    await within(executor.shutdown(), 30_000, 'shutdown()');
    await expect(within(results.next(), 30_000, 'next() after shutdown')).rejects.toThrow(StateError);
  });

  it('validates buffersize', () => {
    executor = new ProcessPoolExecutor({ maxWorkers: 1, context: getContext(method) });
    const e = executor;
    expect(() => e.map(tasks.square, [1], { buffersize: 0 })).toThrow(RangeError);
    expect(() => e.map(tasks.square, [1], { buffersize: -3 })).toThrow(RangeError);
    expect(() => e.map(tasks.square, [1], { buffersize: 2.5 })).toThrow(TypeError);
    expect(() => e.map(tasks.square, [1], { buffersize: NaN })).toThrow(TypeError);
    expect(() => e.map(tasks.square, [1], { buffersize: Infinity })).toThrow(TypeError);
  });
});
