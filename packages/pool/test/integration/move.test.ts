/**
 * `move()`: a task's result buffers are moved to the caller under the
 * 'thread' start method (the worker's copy is detached) and copied under
 * 'process'. No Python counterpart.
 */
import { getContext } from '@multiprocessing/process';
import { moduleRef, PicklingError, Pool, ProcessPoolExecutor } from '@multiprocessing/pool';
import type * as MoveTasks from '../fixtures/move-tasks.mjs';
import { collect, range, startMethods, within } from '../helpers.js';

const moves = moduleRef<typeof MoveTasks>(new URL('../fixtures/move-tasks.mjs', import.meta.url));

const kItems = 256 * 1024; // 2 MB of float64

/** Realm-independent: jest runs the tests in a vm context. */
function kindOf(value: unknown): string {
  return Object.prototype.toString.call(value);
}

function expectFilled(a: ArrayLike<number>, n: number, seed: number): void {
  expect(a.length).toBe(n);
  expect(a[0]).toBe(seed);
  expect(a[n - 1]).toBe(n - 1 + seed);
}

describe.each(startMethods)('move() [%s]', (method) => {
  const thread = method === 'thread';
  /** What the worker's kept copy of a moved buffer measures afterwards. */
  const left = (bytes: number): number => (thread ? 0 : bytes);
  let pool: Pool;
  beforeAll(() => {
    // One worker, so the second call of a test runs where the first did.
    pool = new Pool({ processes: 1, context: getContext(method) });
  });
  afterAll(async () => {
    await within(pool.terminate(), 30_000, 'pool.terminate()');
  });

  it('apply: a moved typed array reaches the caller and is detached in the worker', async () => {
    const out = await within(pool.apply(moves.moveTyped, ['typed', kItems]), 30_000, 'apply(moveTyped)');
    expect(kindOf(out)).toBe('[object Float64Array]');
    expectFilled(out, kItems, 1);
    expect(await within(pool.apply(moves.keptBytes, ['typed']), 30_000, 'apply(keptBytes)')).toBe(
      left(kItems * 8),
    );
  });

  it('apply: a moved ArrayBuffer', async () => {
    const out = await within(pool.apply(moves.moveBuffer, ['buffer', kItems]), 30_000, 'apply(moveBuffer)');
    expect(kindOf(out)).toBe('[object ArrayBuffer]');
    expectFilled(new Float64Array(out), kItems, 2);
    expect(await within(pool.apply(moves.keptBytes, ['buffer']), 30_000, 'apply(keptBytes)')).toBe(
      left(kItems * 8),
    );
  });

  it('apply: a composite value moves the listed buffers and copies the others', async () => {
    const out = await within(
      pool.apply(moves.moveComposite, ['composite', 1000]),
      30_000,
      'apply(moveComposite)',
    );
    expect(out.label).toBe('three');
    expectFilled(out.a, 1000, 3);
    expect(Array.from(out.b.subarray(0, 3))).toEqual([7, 7, 7]);
    expectFilled(out.c, 1000, 4);
    const bytes = await within(
      pool.apply(moves.keptBytesMany, [['composite', 'composite/b', 'composite/c']]),
      30_000,
      'apply(keptBytesMany)',
    );
    expect(bytes).toEqual([left(8000), left(1000), 8000]);
  });

  it('applyAsync and an async task', async () => {
    const out = await within(
      pool.applyAsync(moves.moveAsync, ['async', 100]).get(),
      30_000,
      'applyAsync(moveAsync)',
    );
    expectFilled(out, 100, 5);
    expect(await within(pool.apply(moves.keptBytes, ['async']), 30_000, 'apply(keptBytes)')).toBe(left(800));
  });

  it('without move() the result is copied and the worker keeps its buffer', async () => {
    const out = await within(pool.apply(moves.copyTyped, ['copied', 100]), 30_000, 'apply(copyTyped)');
    expectFilled(out, 100, 6);
    expect(await within(pool.apply(moves.keptBytes, ['copied']), 30_000, 'apply(keptBytes)')).toBe(800);
  });

  it('a marked value the task does not return moves nothing', async () => {
    const out = await within(
      pool.apply(moves.markOtherThenReturn, ['other', 100]),
      30_000,
      'apply(markOtherThenReturn)',
    );
    expectFilled(out, 100, 8);
    expect(await within(pool.apply(moves.keptBytes, ['other']), 30_000, 'apply(keptBytes)')).toBe(800);
  });

  it('a moved result that cannot be sent fails with PicklingError and moves nothing', async () => {
    const err: unknown = await within(
      pool.apply(moves.moveUnsendable, ['unsendable', 100]).catch((e: unknown) => e),
      30_000,
      'apply(moveUnsendable)',
    );
    expect(err).toBeInstanceOf(PicklingError);
    expect(await within(pool.apply(moves.keptBytes, ['unsendable']), 30_000, 'apply(keptBytes)')).toBe(800);
  });

  it('map and imap: items returned with move() are moved, the others copied', async () => {
    const keys = range(10).map((x) => `item${String(x)}`);
    const expectItems = (out: readonly Float64Array[]): void => {
      expect(out).toHaveLength(10);
      out.forEach((a, x) => {
        expectFilled(a, 4, x * 10);
      });
    };
    const expectKept = async (): Promise<void> => {
      const bytes = await within(pool.apply(moves.keptBytesMany, [keys]), 30_000, 'apply(keptBytesMany)');
      expect(bytes).toEqual(range(10).map((x) => (x % 2 === 0 ? left(32) : 32)));
    };
    expectItems(await within(pool.map(moves.moveItem, range(10), { chunksize: 3 }), 30_000, 'map(moveItem)'));
    await expectKept();
    expectItems(await within(collect(pool.imap(moves.moveItem, range(10))), 30_000, 'imap(moveItem)'));
    await expectKept();
    const unordered = await within(
      collect(pool.imapUnordered(moves.moveItem, range(10), { chunksize: 4 })),
      30_000,
      'imapUnordered(moveItem)',
    );
    expectItems([...unordered].sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0)));
    await expectKept();
  });

  it('a bad move() inside a task rejects the call with TypeError', async () => {
    for (const kind of ['plain-object', 'view-in-list', 'shared'] as const) {
      const err: unknown = await within(
        pool.apply(moves.badMove, [kind]).catch((e: unknown) => e),
        30_000,
        `apply(badMove, ${kind})`,
      );
      expect(err).toBeInstanceOf(TypeError);
      expect((err as Error).message).toMatch(/^move\(/);
    }
    // The worker is unharmed.
    expect(await within(pool.apply(moves.keptBytes, ['none']), 30_000, 'apply(keptBytes)')).toBe(-1);
  });

  it('ProcessPoolExecutor.submit', async () => {
    const executor = new ProcessPoolExecutor({ maxWorkers: 1, context: getContext(method) });
    try {
      const out = await within(
        executor.submit(moves.moveTyped, 'exec', 1000).result(),
        30_000,
        'submit(moveTyped)',
      );
      expectFilled(out, 1000, 1);
      expect(
        await within(executor.submit(moves.keptBytes, 'exec').result(), 30_000, 'submit(keptBytes)'),
      ).toBe(left(8000));
    } finally {
      await within(executor.shutdown(), 30_000, 'executor.shutdown()');
    }
  });
});
