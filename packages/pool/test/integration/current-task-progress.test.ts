/**
 * Beyond Python: `currentTask().progress(value)` in a task reaches the
 * caller's `onEvent` callback, in order, before the call settles, on every
 * call form of the Pool.
 */
import { fileURLToPath } from 'node:url';
import { getContext } from '@multiprocessing/process';
import { PicklingError, Pool } from '@multiprocessing/pool';
import { runNode } from '@multiprocessing/test-utils';
import { collect, range, startMethods, within } from '../helpers.js';
import { talk } from '../helpers-talk.js';

describe.each(startMethods)('currentTask().progress [%s]', (method) => {
  let pool: Pool | undefined;
  afterEach(async () => {
    if (pool) await within(pool.terminate(), 30_000, 'pool.terminate()');
    pool = undefined;
  });

  it('1000 events arrive in order, all before the result', async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    const events: unknown[] = [];
    const call = pool.applyAsync(talk.countUp, [1000], {
      onEvent: (value) => {
        // The call has not settled while its events arrive.
        if (call.ready()) events.push('late');
        events.push(value);
      },
    });
    expect(await within(call.get(), 30_000, 'countUp')).toBe(1000);
    expect(events).toEqual(range(1000));
  });

  it('events of an async task arrive while it runs, in order', async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    const events: unknown[] = [];
    expect(
      await within(
        pool.apply(talk.countUpSlowly, [300], { onEvent: (value) => events.push(value) }),
        30_000,
        'countUpSlowly',
      ),
    ).toBe(300);
    expect(events).toEqual(range(300));
  });

  it('events travel as results do: errors keep their class, Maps stay Maps', async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    const events: { item: number; at: Map<string, number>; err: Error }[] = [];
    await within(
      pool.apply(talk.echoItem, [7], { onEvent: (value) => events.push(value as (typeof events)[0]) }),
      30_000,
      'echoItem',
    );
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event?.item).toBe(7);
    expect(event?.at).toEqual(new Map([['x', 7]]));
    expect(event?.err).toBeInstanceOf(RangeError);
    expect(event?.err.message).toBe('item 7');
  });

  it('every call form takes onEvent', async () => {
    pool = new Pool({ processes: 2, context: getContext(method) });
    const items = range(10);
    const itemsOf = (events: unknown[]): number[] =>
      events.map((e) => (e as { item: number }).item).sort((a, b) => a - b);
    const doubled = items.map((x) => x * 2);
    const pairs = items.map((x) => [x, x] as [number, number]);

    const fromApplyAsync: unknown[] = [];
    expect(
      await within(
        pool.applyAsync(talk.echoPair, [1, 2], { onEvent: (v) => fromApplyAsync.push(v) }),
        30_000,
        'applyAsync',
      ),
    ).toBe(3);
    expect(fromApplyAsync).toEqual([[1, 2]]);

    const fromMap: unknown[] = [];
    expect(
      await within(
        pool.map(talk.echoItem, items, { chunksize: 3, onEvent: (v) => fromMap.push(v) }),
        30_000,
        'map',
      ),
    ).toEqual(doubled);
    expect(itemsOf(fromMap)).toEqual(items);

    const fromMapAsync: unknown[] = [];
    expect(
      await within(
        pool.mapAsync(talk.echoItem, items, { onEvent: (v) => fromMapAsync.push(v) }),
        30_000,
        'mapAsync',
      ),
    ).toEqual(doubled);
    expect(itemsOf(fromMapAsync)).toEqual(items);

    const fromStarmap: unknown[] = [];
    expect(
      await within(
        pool.starmap(talk.echoPair, pairs, { onEvent: (v) => fromStarmap.push(v) }),
        30_000,
        'starmap',
      ),
    ).toEqual(doubled);
    expect(fromStarmap.map((p) => (p as number[])[0]).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(items);

    const fromStarmapAsync: unknown[] = [];
    expect(
      await within(
        pool.starmapAsync(talk.echoPair, pairs, { onEvent: (v) => fromStarmapAsync.push(v) }),
        30_000,
        'starmapAsync',
      ),
    ).toEqual(doubled);
    expect(fromStarmapAsync).toHaveLength(10);

    const fromImap: unknown[] = [];
    expect(
      await within(
        collect(pool.imap(talk.echoItem, items, { onEvent: (v) => fromImap.push(v) })),
        30_000,
        'imap',
      ),
    ).toEqual(doubled);
    expect(itemsOf(fromImap)).toEqual(items);

    const fromUnordered: unknown[] = [];
    const unordered = await within(
      collect(
        pool.imapUnordered(talk.echoItem, items, { chunksize: 2, onEvent: (v) => fromUnordered.push(v) }),
      ),
      30_000,
      'imapUnordered',
    );
    expect(unordered.sort((a, b) => a - b)).toEqual(doubled);
    expect(itemsOf(fromUnordered)).toEqual(items);
  });

  it("an imap item's events come before that item's result", async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    const log: string[] = [];
    for await (const y of pool.imap(talk.echoItem, range(5), {
      onEvent: (v) => log.push(`event ${String((v as { item: number }).item)}`),
    })) {
      log.push(`result ${String(y / 2)}`);
    }
    for (let i = 0; i < 5; i++)
      expect(log.indexOf(`event ${String(i)}`)).toBeLessThan(log.indexOf(`result ${String(i)}`));
  });

  it('without onEvent, progress() is a no-op', async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    expect(await within(pool.apply(talk.countUp, [100]), 30_000, 'countUp')).toBe(100);
    expect(await within(pool.apply(talk.sendsFunction), 30_000, 'sendsFunction')).toBe('unreachable');
  });

  it('a progress value that cannot be sent fails its task with PicklingError; the worker goes on', async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    const before = await within(pool.apply(talk.identity), 30_000, 'identity before');
    const onEvent = (): void => undefined;
    await expect(
      within(pool.apply(talk.sendsFunction, [], { onEvent }), 30_000, 'sendsFunction'),
    ).rejects.toBeInstanceOf(PicklingError);
    await expect(
      within(pool.apply(talk.sendsWeakMap, [], { onEvent }), 30_000, 'sendsWeakMap'),
    ).rejects.toBeInstanceOf(PicklingError);
    expect(await within(pool.apply(talk.identity), 30_000, 'identity after')).toEqual(before);
  });

  it('progress() after the task settled is dropped', async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    const events: unknown[] = [];
    const onEvent = (value: unknown): void => {
      events.push(value);
    };
    expect(await within(pool.apply(talk.callsLater, [], { onEvent }), 30_000, 'callsLater')).toBe('settled');
    // A later round trip: the late event, had it been sent, would have come first.
    await within(pool.apply(talk.countUpSlowly, [3], { onEvent }), 30_000, 'countUpSlowly');
    expect(events).toEqual([0, 1, 2]);
  });

  it('onEvent must be a function (or null or undefined)', async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    expect(() => pool?.applyAsync(talk.countUp, [1], { onEvent: 5 as never })).toThrow(
      new TypeError('onEvent must be a function'),
    );
    expect(() => pool?.mapAsync(talk.countUp, [1], { onEvent: null })).not.toThrow();
    expect(() => pool?.imap(talk.countUp, [1], { onEvent: 'x' as never })).toThrow(TypeError);
    await expect(pool.apply(talk.countUp, [1], { onEvent: {} as never })).rejects.toThrow(
      new TypeError('onEvent must be a function'),
    );
  });

  it('an onEvent that throws is reported as an uncaught exception; the call and the pool go on', async () => {
    const script = fileURLToPath(new URL('../fixtures/child-throwing-onevent.mjs', import.meta.url));
    const { code, stdout, stderr } = await runNode([script, method], { timeoutMs: 30_000 });
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual({
      result: 4,
      seen: [0, 2, 3],
      after: [2, 3],
      uncaught: ['onEvent failed on purpose'],
    });
    expect(code).toBe(0);
  });
});
