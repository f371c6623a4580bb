/**
 * parity: multiprocessing.Pool.map / starmap / imap / imap_unordered, under
 * both start methods.
 * https://docs.python.org/3/library/multiprocessing.html#multiprocessing.pool.Pool.map
 */
import { getContext } from '@multiprocessing/process';
import { Pool } from '@multiprocessing/pool';
import { collect, range, startMethods, tasks, within } from '../helpers.js';

describe.each(startMethods)('parity: multiprocessing.Pool.map [%s]', (method) => {
  let pool: Pool;
  beforeAll(() => {
    pool = new Pool({ processes: 2, context: getContext(method) });
  });
  afterAll(async () => {
    await within(pool.terminate(), 30_000, 'pool.terminate()');
  });

  it('returns 10 000 results in input order with the default chunksize', async () => {
    const input = range(10_000);
    const out = await within(pool.map(tasks.square, input), 30_000, 'pool.map(tasks.square, …)');
    expect(out).toEqual(input.map((x) => x * x));
  });

  it('returns 10 000 results in input order with chunksize 1', async () => {
    const input = range(10_000);
    const out = await within(
      pool.map(tasks.square, input, { chunksize: 1 }),
      30_000,
      'pool.map(tasks.square, …)',
    );
    expect(out).toEqual(input.map((x) => x * x));
  });

  it('maps a self-contained function value and an async task', async () => {
    expect(
      await within(
        pool.map((x: number) => x + 1, [1, 2, 3]),
        30_000,
        'pool.map(…)',
      ),
    ).toEqual([2, 3, 4]);
    expect(
      await within(
        pool.map(tasks.asyncSquare, range(50), { chunksize: 7 }),
        30_000,
        'pool.map(tasks.asyncSquare, …)',
      ),
    ).toEqual(range(50).map((x) => x * x));
  });

  it('maps any iterable, and an empty one to []', async () => {
    function* gen(): Generator<number> {
      yield 3;
      yield 4;
    }
    expect(await within(pool.map(tasks.square, gen()), 30_000, 'pool.map(tasks.square, …)')).toEqual([9, 16]);
    expect(await within(pool.map(tasks.square, new Set([5])), 30_000, 'pool.map(tasks.square, …)')).toEqual([
      25,
    ]);
    expect(await within(pool.map(tasks.square, []), 30_000, 'pool.map(tasks.square, …)')).toEqual([]);
  });

  it('starmap calls fn(...args) for each argument array', async () => {
    expect(
      await within(
        pool.starmap(tasks.add, [
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
        30_000,
        'pool.starmap(tasks.add, …)',
      ),
    ).toEqual([3, 7, 11]);
    const pairs = range(1000).map((i): [number, number] => [i, i]);
    expect(
      await within(pool.starmap(tasks.add, pairs, { chunksize: 3 }), 30_000, 'pool.starmap(tasks.add, …)'),
    ).toEqual(range(1000).map((i) => 2 * i));
  });

  it('mapAsync and starmapAsync give AsyncResults that are thenable', async () => {
    const r = pool.mapAsync(tasks.square, [1, 2, 3]);
    expect(await within(r, 30_000, 'awaiting r')).toEqual([1, 4, 9]);
    expect(r.ready()).toBe(true);
    expect(r.successful()).toBe(true);
    expect(
      await within(
        pool.starmapAsync(tasks.add, [[1, 1]]).get(),
        30_000,
        'pool.starmapAsync(tasks.add, …).get()',
      ),
    ).toEqual([2]);
  });

  it('reports progress as chunks complete', async () => {
    const seen: [number, number][] = [];
    await within(
      pool.map(tasks.square, range(100), {
        chunksize: 10,
        onProgress: (done, total) => seen.push([done, total]),
      }),
      30_000,
      'pool.map(tasks.square, …)',
    );
    expect(seen).toHaveLength(10);
    expect(seen.at(-1)).toEqual([100, 100]);
    expect(seen.every(([, total]) => total === 100)).toBe(true);
    expect(seen.map(([done]) => done)).toEqual([...seen.map(([done]) => done)].sort((a, b) => a - b));
  });

  it('keeps -0, NaN, Infinity and fractions on the packed path for numbers', async () => {
    const input = range(200).map((i) =>
      i % 4 === 0 ? -0 : i % 4 === 1 ? Number.NaN : i % 4 === 2 ? -Infinity : i / 7,
    );
    const out = await within(
      pool.map(tasks.identity, input, { chunksize: 50 }),
      30_000,
      'pool.map(tasks.identity, …)',
    );
    expect(out).toHaveLength(200);
    out.forEach((x, i) => {
      expect(Object.is(x, input[i])).toBe(true);
    });
    // Numbers in, other values out (and the reverse) still work.
    expect(
      await within(
        pool.map((x: number) => String(x), range(100)),
        30_000,
        'pool.map(…)',
      ),
    ).toEqual(range(100).map(String));
    expect(
      await within(
        pool.map((s: string) => s.length, range(100).map(String)),
        30_000,
        'pool.map(…)',
      ),
    ).toEqual(range(100).map((i) => String(i).length));
  });

  it('a packed chunk whose results turn from numbers to other values part-way keeps them all', async () => {
    // Each chunk of 50 numbers gives numbers for its first 20 items (the
    // first one -0 in the first chunk), then strings.
    const out = await within(
      pool.map((x: number) => (x % 50 < 20 ? -x : `s${x}`), range(200), { chunksize: 50 }),
      30_000,
      'pool.map(…)',
    );
    expect(out).toEqual(range(200).map((x) => (x % 50 < 20 ? -x : `s${x}`)));
    expect(Object.is(out[0], -0)).toBe(true);
  });

  it('packed chunks of numbers and chunks of other values fill one result array in order', async () => {
    // Chunks 0 and 1 give numbers only (fractions and large squares), 2 and 3 strings; then the reverse.
    const numbersFirst = (x: number): number | string => (x < 100 ? x * x * 1e5 + 0.5 : `s${x}`);
    const stringsFirst = (x: number): number | string => (x >= 100 ? -x * 1e9 : `s${x}`);
    for (const fn of [numbersFirst, stringsFirst]) {
      const out = await within(pool.map(fn, range(200), { chunksize: 50 }), 30_000, 'pool.map(…)');
      expect(out).toEqual(range(200).map(fn));
    }
  });

  it('a packed chunk that meets a promise part-way awaits it and goes on in order', async () => {
    const out = await within(
      pool.map((x: number) => (x % 50 === 30 ? Promise.resolve(x * 3) : x * 3), range(200), {
        chunksize: 50,
      }),
      30_000,
      'pool.map(…)',
    );
    expect(out).toEqual(range(200).map((x) => x * 3));
  });

  it('a packed chunk under a per-task timeout returns every result in order', async () => {
    const out = await within(
      pool.map(tasks.square, range(200), { chunksize: 50, timeout: 30 }),
      30_000,
      'pool.map(tasks.square, …)',
    );
    expect(out).toEqual(range(200).map((x) => x * x));
  });

  it('carries Maps, Sets, Dates, bigint, -0 and typed arrays both ways', async () => {
    const values = [
      new Map([[1, 'a']]),
      new Set([1]),
      new Date(5),
      10n,
      -0,
      new Uint8Array([1, 2]),
      undefined,
    ];
    const out = await within(
      pool.map(tasks.identity, values, { chunksize: 1 }),
      30_000,
      'pool.map(tasks.identity, …)',
    );
    expect(out).toEqual(values);
    expect(Object.is(out[4], -0)).toBe(true);
  });
});

describe.each(startMethods)('parity: multiprocessing.Pool.imap [%s]', (method) => {
  let pool: Pool;
  beforeAll(() => {
    pool = new Pool({ processes: 2, context: getContext(method) });
  });
  afterAll(async () => {
    await within(pool.terminate(), 30_000, 'pool.terminate()');
  });

  it('yields results in input order, reading the input lazily', async () => {
    let read = 0;
    function* input(): Generator<number> {
      for (let i = 0; i < 200; i++) {
        read++;
        yield i;
      }
    }
    const out = await within(collect(pool.imap(tasks.square, input())), 30_000, 'pool.imap(tasks.square, …)');
    expect(out).toEqual(range(200).map((x) => x * x));
    expect(read).toBe(200);
  });

  it('yields in order with chunks', async () => {
    const out = await within(
      collect(pool.imap(tasks.asyncSquare, range(101), { chunksize: 10 })),
      30_000,
      'pool.imap(tasks.asyncSquare, …)',
    );
    expect(out).toEqual(range(101).map((x) => x * x));
  });

  it('imapUnordered yields every result once', async () => {
    const out = await within(
      collect(pool.imapUnordered(tasks.square, range(300), { chunksize: 4 })),
      30_000,
      'pool.imapUnordered(tasks.square, …)',
    );
    expect(out.sort((a, b) => a - b)).toEqual(range(300).map((x) => x * x));
  });

  it('a failed chunk rejects at its place, and the stream goes on', async () => {
    const it = pool.imap(tasks.failOn, [0, 1, 2, 3], { chunksize: 1 });
    // failOn takes (x, bad): bad is undefined, so no failure: use starmap-like input instead.
    const plain = await within(collect(it), 30_000, 'pool.imap(tasks.failOn, …)');
    expect(plain).toEqual([0, 1, 2, 3]);
    const failing = pool.imap((x: number) => {
      if (x === 2) throw new RangeError('two');
      return x;
    }, range(5));
    expect(await within(failing.next(), 30_000, 'failing.next()')).toEqual({ done: false, value: 0 });
    expect(await within(failing.next(), 30_000, 'failing.next()')).toEqual({ done: false, value: 1 });
    await expect(within(failing.next(), 30_000, 'failing.next()')).rejects.toThrow(RangeError);
    expect(await within(failing.next(), 30_000, 'failing.next()')).toEqual({ done: false, value: 3 });
    expect(await within(failing.next(), 30_000, 'failing.next()')).toEqual({ done: false, value: 4 });
    expect(await within(failing.next(), 30_000, 'failing.next()')).toEqual({ done: true, value: undefined });
  });

  it('an error from the input comes after the results of the chunks before it', async () => {
    function* input(): Generator<number> {
      for (let i = 0; i < 7; i++) yield i;
      throw new SyntaxError('input broke');
    }
    const out: number[] = [];
    let caught: unknown;
    try {
      const consumed = (async () => {
        for await (const y of pool.imap(tasks.square, input(), { chunksize: 2 })) out.push(y);
      })();
      await within(consumed, 30_000, 'pool.imap(tasks.square, …)');
    } catch (err) {
      caught = err;
    }
    // Chunks [0,1] [2,3] [4,5] complete; [6, <error>] fails at its start, as in Python.
    expect(out).toEqual([0, 1, 4, 9, 16, 25]);
    expect(caught).toBeInstanceOf(SyntaxError);
  });

  it('next(timeout) rejects with TimeoutError when nothing is ready, and the stream goes on', async () => {
    const { TimeoutError } = await import('@multiprocessing/pool');
    const it = pool.imap(tasks.forever, [1]);
    await expect(it.next(0.05)).rejects.toBeInstanceOf(TimeoutError);
    await within(it.return(), 30_000, 'it.return()');
    expect(await within(it.next(), 30_000, 'it.next()')).toEqual({ done: true, value: undefined });
  });

  it('stops reading the input when the consumer breaks', async () => {
    let read = 0;
    function* input(): Generator<number> {
      for (let i = 0; i < 1_000_000; i++) {
        read++;
        yield i;
      }
    }
    const consumed = (async () => {
      for await (const y of pool.imap(tasks.square, input())) {
        if (y === 100) break;
      }
    })();
    await within(consumed, 30_000, 'pool.imap(tasks.square, …) until 100');
    expect(read).toBeLessThan(10_000);
  });
});
