/**
 * Beyond Python: `pool.stream(fn, args)` runs a generator (or any function
 * returning an iterable or async iterable) in a worker and streams its values
 * back with credit-based back-pressure.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getContext } from '@multiprocessing/process';
import {
  CancelledError,
  PicklingError,
  Pool,
  StreamIterator,
  TimeoutError,
  WorkerLostError,
  moduleRef,
} from '@multiprocessing/pool';
import type * as StreamTasks from '../fixtures/stream-tasks.mjs';
import { fileURLToPath } from 'node:url';
import { runNode } from '@multiprocessing/test-utils';
import { collect, startMethods, tasks, within } from '../helpers.js';

const streams = moduleRef<typeof StreamTasks>(new URL('../fixtures/stream-tasks.mjs', import.meta.url));

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-stream-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});
let fileCount = 0;
function tempFile(contents = ''): string {
  const file = path.join(dir, `f${String(++fileCount)}`);
  fs.writeFileSync(file, contents);
  return file;
}

/** The count the `tracked` fixture wrote at the start of `file`. */
function readCount(fd: number, buf: Buffer): number {
  fs.readSync(fd, buf, 0, 4, 0);
  return buf.readInt32LE(0);
}

const immediate = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe.each(startMethods)('Pool#stream [%s]', (method) => {
  let pool: Pool | undefined;
  afterEach(async () => {
    if (pool) await within(pool.terminate(), 30_000, 'pool.terminate()');
    pool = undefined;
  });

  it('streams the values of async and sync generators, iterables and async functions, in order', async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    expect(await within(collect(pool.stream(streams.count, [5])), 30_000, 'stream(count)')).toEqual([
      0, 1, 2, 3, 4,
    ]);
    expect(await within(collect(pool.stream(streams.syncCount, [40])), 30_000, 'stream(syncCount)')).toEqual(
      Array.from({ length: 40 }, (_, i) => i),
    );
    expect(await within(collect(pool.stream(streams.squares, [4])), 30_000, 'stream(squares)')).toEqual([
      0, 1, 4, 9,
    ]);
    expect(await within(collect(pool.stream(streams.later, [3])), 30_000, 'stream(later)')).toEqual([
      0, 1, 2,
    ]);
    expect(await within(collect(pool.stream(streams.count, [0])), 30_000, 'stream(count, 0)')).toEqual([]);
    const values = await within(collect(pool.stream(streams.rich)), 30_000, 'stream(rich)');
    expect(values[0]).toEqual({ a: [1, 2] });
    expect(values[1]).toEqual(new Map([['k', 1]]));
    expect(values[2]).toBeInstanceOf(RangeError);
    // A self-contained function value works too.
    const fn = function* (n: number): Generator<number> {
      for (let i = n; i > 0; i--) yield i;
    };
    expect(await within(collect(pool.stream(fn, [3])), 30_000, 'stream(fn)')).toEqual([3, 2, 1]);
    expect(pool.stats().completed).toBe(7);
  });

  it('keeps the worker at most highWaterMark values ahead of a slow consumer of 10 000 values', async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    for (const highWaterMark of [16, 1]) {
      const file = tempFile('\0\0\0\0');
      // Threads: a shared counter; processes: a file both sides read.
      const shared = method === 'thread' ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
      const fd = fs.openSync(file, 'r');
      const buf = Buffer.alloc(4);
      const n = 10_000;
      let consumed = 0;
      let maxAhead = 0;
      try {
        const stream = pool.stream(streams.tracked, [n, shared ?? file], {
          ...(highWaterMark === 16 ? {} : { highWaterMark }),
        });
        await within(
          (async () => {
            for await (const value of stream) {
              expect(value).toBe(consumed);
              consumed++;
              const produced = shared === undefined ? readCount(fd, buf) : Atomics.load(shared, 0);
              maxAhead = Math.max(maxAhead, produced - consumed);
              await immediate();
            }
          })(),
          120_000,
          `stream(tracked) with highWaterMark ${String(highWaterMark)}`,
        );
      } finally {
        fs.closeSync(fd);
      }
      expect(consumed).toBe(n);
      expect(maxAhead).toBeLessThanOrEqual(highWaterMark);
      expect(maxAhead).toBeGreaterThanOrEqual(0);
    }
  });

  it('breaking out of for await runs the generator’s finally in the worker, which serves the next task', async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    const marker = tempFile();
    let worker: unknown;
    let read = 0;
    await within(
      (async () => {
        for await (const value of pool.stream(streams.endless, [marker])) {
          if (read++ === 0) worker = value;
          if (read === 50) break;
        }
      })(),
      30_000,
      'for await … break',
    );
    // return() resolved once the finally block had run.
    expect(fs.readFileSync(marker, 'utf8')).toBe('cleaned');
    const me = await within(pool.apply(tasks.whoami), 30_000, 'pool.apply(tasks.whoami)');
    expect(me.name).toBe(worker);
    expect(pool.stats().workersStarted).toBe(1);
    // Closed before it started: it never runs.
    const unstarted = tempFile();
    const stream = pool.stream(streams.marks, [unstarted]);
    expect(await within(stream.return(), 30_000, 'stream.return()')).toEqual({
      done: true,
      value: undefined,
    });
    expect(await stream.next()).toEqual({ done: true, value: undefined });
    expect(await within(pool.apply(streams.readText, [unstarted]), 30_000, 'readText')).toBe('');
  });

  it('the worker is busy for the whole stream: other tasks go to other workers', async () => {
    pool = new Pool({ processes: 2, context: getContext(method) });
    // Tiny tasks first: both workers would then be given many tasks at once.
    await within(
      pool.map(
        tasks.square,
        Array.from({ length: 2000 }, (_, i) => i),
        { chunksize: 1 },
      ),
      30_000,
      'map',
    );
    const marker = tempFile();
    const stream = pool.stream(streams.endless, [marker], { highWaterMark: 2 });
    // Submitted in the same tick as the stream: none may wait behind it.
    const p = pool;
    const applies = Promise.all(Array.from({ length: 8 }, () => p.apply(tasks.whoami)));
    const first = await within(stream.next(), 30_000, 'stream.next()');
    expect(pool.stats().busy).toBeGreaterThanOrEqual(1);
    const names = await within(applies, 30_000, 'eight applies beside an open stream');
    expect(pool.stats().busy).toBe(1);
    for (const me of names) expect(me.name).not.toBe(first.value);
    await within(stream.return(), 30_000, 'stream.return()');
    expect(pool.stats().busy).toBe(0);
    // close() and join() after a stream that was stopped.
    pool.close();
    await within(pool.join(), 30_000, 'pool.join()');
  });

  it('an error the generator throws rejects next() after the values before it, with its class, message and stack', async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    const values: number[] = [];
    const custom = await within(
      (async () => {
        try {
          for await (const v of pool.stream(streams.failAfter, [3, 'boom'])) values.push(v);
        } catch (err) {
          return err as Error;
        }
        return undefined;
      })(),
      30_000,
      'stream(failAfter)',
    );
    expect(values).toEqual([0, 1, 2]);
    expect(custom).toBeInstanceOf(Error);
    expect(custom?.name).toBe('StreamFailure');
    expect(custom?.message).toBe('boom');
    expect(custom?.stack).toMatch(/stream-tasks\.mjs/);
    const stream = pool.stream(streams.failAfter, [0, 'typed', true]);
    await expect(within(stream.next(), 30_000, 'next()')).rejects.toThrow(new TypeError('typed'));
    expect(await stream.next()).toEqual({ done: true, value: undefined });
    // A task that returns no iterable, and a value that cannot be sent.
    await expect(within(collect(pool.stream(streams.notIterable)), 30_000, 'notIterable')).rejects.toThrow(
      /must return an iterable or an async iterable.*got number/,
    );
    const sent: unknown[] = [];
    await expect(
      within(
        (async () => {
          for await (const v of pool.stream(streams.yieldsFunction)) sent.push(v);
        })(),
        30_000,
        'yieldsFunction',
      ),
    ).rejects.toBeInstanceOf(PicklingError);
    expect(sent).toEqual([1]);
    // A finally that throws when the stream is closed rejects return().
    const bad = pool.stream(streams.badCleanup);
    await within(bad.next(), 30_000, 'next()');
    await expect(within(bad.return(), 30_000, 'return()')).rejects.toThrow(new RangeError('cleanup failed'));
    expect(await within(pool.apply(tasks.square, [7]), 30_000, 'apply')).toBe(49);
    expect(pool.stats().workersStarted).toBe(1);
  });

  it('a worker that dies mid-stream rejects it with WorkerLostError, and is replaced', async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    const values: number[] = [];
    const error = await within(
      (async () => {
        try {
          for await (const v of pool.stream(streams.dieAfterThree, [3], { highWaterMark: 3 })) values.push(v);
        } catch (err) {
          return err;
        }
        return undefined;
      })(),
      30_000,
      'stream(dieAfterThree)',
    );
    expect(values).toEqual([1, 2, 3]);
    expect(error).toBeInstanceOf(WorkerLostError);
    expect((error as WorkerLostError).exitcode).toBe(3);
    expect(await within(pool.apply(tasks.square, [3]), 30_000, 'apply after the loss')).toBe(9);
  });

  it('timeout limits the time for each value, not the consumer’s pauses', async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    const stalled = pool.stream(streams.stallAfter, [2], { timeout: 0.3 });
    expect((await within(stalled.next(), 30_000, 'next()')).value).toBe(0);
    expect((await within(stalled.next(), 30_000, 'next()')).value).toBe(1);
    await expect(within(stalled.next(), 30_000, 'next()')).rejects.toThrow(
      /^Stream value timed out after 0.3 s; its worker PoolWorker-\d+ was terminated and replaced$/,
    );
    expect(await within(pool.apply(tasks.square, [4]), 30_000, 'apply')).toBe(16);
    // The clock stops while the worker waits for the consumer.
    const slow = pool.stream(streams.count, [4], { timeout: 0.5, highWaterMark: 1 });
    const got: number[] = [];
    for await (const v of slow) {
      got.push(v);
      if (got.length === 2) await new Promise((resolve) => setTimeout(resolve, 1500));
    }
    expect(got).toEqual([0, 1, 2, 3]);
    expect(pool.stats().workersStarted).toBe(2);
  });

  it('next(timeout) limits only that wait', async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    const stalled = pool.stream(streams.stallAfter, [1]);
    expect((await within(stalled.next(), 30_000, 'next()')).value).toBe(0);
    await expect(within(stalled.next(0.05), 30_000, 'next(0.05)')).rejects.toBeInstanceOf(TimeoutError);
    await expect(stalled.next('1' as never)).rejects.toThrow(TypeError);
  });

  it('an abort rejects the stream with the reason and replaces its worker', async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    const controller = new AbortController();
    const stream = pool.stream(streams.stallAfter, [1], { signal: controller.signal });
    expect((await within(stream.next(), 30_000, 'next()')).value).toBe(0);
    const pending = stream.next();
    controller.abort();
    await expect(within(pending, 30_000, 'next()')).rejects.toMatchObject({ name: 'AbortError' });
    expect(await stream.next()).toEqual({ done: true, value: undefined });
    expect(await within(pool.apply(tasks.square, [5]), 30_000, 'apply')).toBe(25);
    expect(pool.stats().workersStarted).toBe(2);
    const aborted = pool.stream(streams.count, [3], { signal: AbortSignal.abort() });
    await expect(aborted.next()).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('terminate() ends an open stream with CancelledError', async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    const stream = pool.stream(streams.stallAfter, [1]);
    expect((await within(stream.next(), 30_000, 'next()')).value).toBe(0);
    const pending = expect(within(stream.next(), 30_000, 'next()')).rejects.toBeInstanceOf(CancelledError);
    await within(pool.terminate(), 30_000, 'pool.terminate()');
    await pending;
  });

  it('a stream left half read does not keep the program alive', async () => {
    const script = fileURLToPath(new URL('../fixtures/child-stream.mjs', import.meta.url));
    const { code, stdout } = await runNode([script, method], { timeoutMs: 30_000 });
    expect(stdout.trim()).toBe('[0,1]');
    expect(code).toBe(0);
  });

  it('has a Python-style repr and checks its options', async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    const stream = pool.stream(streams.count, [2], { highWaterMark: 4 });
    expect(stream).toBeInstanceOf(StreamIterator);
    expect(String(stream)).toBe('<StreamIterator highWaterMark=4 finished=false>');
    expect(Object.prototype.toString.call(stream)).toBe('[object StreamIterator]');
    expect(await within(collect(stream), 30_000, 'collect')).toEqual([0, 1]);
    expect(String(stream)).toBe('<StreamIterator highWaterMark=4 finished=true>');
    const p = pool;
    const bounds = 'highWaterMark must be an integer from 1 to 1073741824';
    expect(() => p.stream(streams.count, [1], { highWaterMark: 0 })).toThrow(
      new RangeError(`${bounds}, got 0`),
    );
    expect(() => p.stream(streams.count, [1], { highWaterMark: -1 })).toThrow(RangeError);
    expect(() => p.stream(streams.count, [1], { highWaterMark: Infinity })).toThrow(
      new RangeError(`${bounds}, got Infinity`),
    );
    expect(() => p.stream(streams.count, [1], { highWaterMark: 2 ** 30 + 1 })).toThrow(RangeError);
    expect(() => p.stream(streams.count, [1], { highWaterMark: NaN })).toThrow(
      new TypeError(`${bounds}, got NaN`),
    );
    expect(() => p.stream(streams.count, [1], { highWaterMark: 1.5 })).toThrow(TypeError);
    expect(() => p.stream(streams.count, [1], { highWaterMark: '4' as never })).toThrow(
      new TypeError(`${bounds}, got string`),
    );
    expect(() => p.stream(streams.count, 1 as never)).toThrow(
      new TypeError('args must be an array of arguments'),
    );
    expect(() => p.stream(streams.count, [1], { timeout: 'x' as never })).toThrow(TypeError);
    expect(() => new (StreamIterator as never as new () => unknown)()).toThrow(TypeError);
    pool.close();
    expect(() => p.stream(streams.count, [1])).toThrow('Pool not running');
  });
});
