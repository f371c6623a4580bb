/**
 * maxQueue / onQueueFull, needsDrain and drained(). Tasks wait on a socket
 * gate, so the number of tasks running and waiting is known at every step.
 */
import { getContext } from '@multiprocessing/process';
import { CancelledError, Pool, QueueFullError } from '@multiprocessing/pool';
import { openGate, gateTasks, type Gate } from '../gate.js';
import { range, startMethods, tasks, within } from '../helpers.js';

/** True once `p` has settled; a macrotask turn lets settled callbacks run. */
async function isSettled(p: Promise<unknown>): Promise<boolean> {
  let settled = false;
  p.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

describe.each(startMethods)('Pool maxQueue [%s]', (method) => {
  let pool: Pool | undefined;
  let gate: Gate;
  beforeEach(async () => {
    gate = await openGate();
  });
  afterEach(async () => {
    if (pool) await within(pool.terminate(), 30_000, 'pool.terminate()');
    pool = undefined;
    await gate.close();
  });

  it("'reject': a call beyond maxQueue rejects with QueueFullError naming the limit; nothing of it is queued", async () => {
    pool = new Pool({ processes: 1, maxQueue: 2, context: getContext(method) });
    const a = pool.apply(gateTasks.gated, [gate.path, 'a']);
    await gate.arrived(1);
    const b = pool.apply(gateTasks.gated, [gate.path, 'b']);
    expect(pool.needsDrain).toBe(false);
    // One unit left: a map of two chunks does not fit, and takes none of it.
    const tooBig = pool.starmap(
      gateTasks.gated,
      [
        [gate.path, 'm0'],
        [gate.path, 'm1'],
      ],
      { chunksize: 1 },
    );
    await expect(within(tooBig, 30_000, 'starmap')).rejects.toThrow(QueueFullError);
    const c = pool.apply(gateTasks.gated, [gate.path, 'c']);
    expect(pool.needsDrain).toBe(true);
    const d = pool.apply(tasks.square, [3]);
    const err = (await within(
      d.catch((e: unknown) => e),
      30_000,
      'apply beyond maxQueue',
    )) as QueueFullError;
    expect(err).toBeInstanceOf(QueueFullError);
    expect(err.code).toBe('ERR_MP_QUEUE_FULL');
    expect(err.message).toContain('maxQueue is 2');
    // applyAsync reports it through its AsyncResult and errorCallback.
    let called: unknown;
    const r = pool.applyAsync(tasks.square, [4], { errorCallback: (e) => (called = e) });
    await expect(within(r.get(), 30_000, 'applyAsync')).rejects.toThrow(QueueFullError);
    expect(called).toBeInstanceOf(QueueFullError);

    const drained = pool.drained();
    expect(await isSettled(drained)).toBe(false);
    gate.release('a');
    await within(drained, 30_000, 'drained()');
    expect(pool.needsDrain).toBe(false);
    // Room again: one more fits.
    const e = pool.apply(tasks.square, [5]);
    for (const label of ['b', 'c']) gate.release(label);
    expect(await within(Promise.all([a, b, c, e]), 30_000, 'calls')).toEqual(['a', 'b', 'c', 25]);
    expect(gate.arrivals).toEqual(['a', 'b', 'c']);
  });

  it("'wait': calls beyond maxQueue wait first come first served, a map for all its chunks", async () => {
    pool = new Pool({ processes: 1, maxQueue: 1, onQueueFull: 'wait', context: getContext(method) });
    const a = pool.apply(gateTasks.gated, [gate.path, 'a']);
    await gate.arrived(1);
    const b = pool.apply(gateTasks.gated, [gate.path, 'b']);
    // Full: the map (2 units) waits, and the apply behind it may not pass it.
    const m = pool.starmap(
      gateTasks.gated,
      [
        [gate.path, 'm0'],
        [gate.path, 'm1'],
      ],
      { chunksize: 1 },
    );
    const x = pool.apply(gateTasks.gated, [gate.path, 'x']);
    expect(pool.needsDrain).toBe(true);
    expect(await isSettled(m)).toBe(false);
    gate.release('a');
    await gate.arrived(2);
    gate.release('b');
    await gate.arrived(3);
    gate.release('m0');
    await gate.arrived(4);
    gate.release('m1');
    await gate.arrived(5);
    gate.release('x');
    expect(await within(Promise.all([a, b, m, x]), 30_000, 'calls')).toEqual(['a', 'b', ['m0', 'm1'], 'x']);
    expect(gate.arrivals).toEqual(['a', 'b', 'm0', 'm1', 'x']);
    expect(pool.needsDrain).toBe(false);
  });

  it("'wait': a waiting call's signal aborts its wait, and the calls behind it move up", async () => {
    pool = new Pool({ processes: 1, maxQueue: 0, onQueueFull: 'wait', context: getContext(method) });
    const a = pool.apply(gateTasks.gated, [gate.path, 'a']);
    await gate.arrived(1);
    const controller = new AbortController();
    const waiting = pool.apply(gateTasks.gated, [gate.path, 'never'], { signal: controller.signal });
    const next = pool.apply(gateTasks.gated, [gate.path, 'next']);
    const reason = new Error('stop waiting');
    controller.abort(reason);
    await expect(within(waiting, 30_000, 'aborted wait')).rejects.toBe(reason);
    gate.release('a');
    await gate.arrived(2);
    gate.release('next');
    expect(await within(Promise.all([a, next]), 30_000, 'calls')).toEqual(['a', 'next']);
    expect(gate.arrivals).toEqual(['a', 'next']);
  });

  it("'wait': terminate() rejects waiting calls with CancelledError and resolves drained()", async () => {
    pool = new Pool({ processes: 1, maxQueue: 0, onQueueFull: 'wait', context: getContext(method) });
    const a = pool.apply(gateTasks.gated, [gate.path, 'a']).catch((e: unknown) => e);
    await gate.arrived(1);
    const waiting = pool.map(tasks.square, [1, 2], { chunksize: 2 }).catch((e: unknown) => e);
    const waitingAsync = pool.applyAsync(tasks.square, [3]);
    expect(pool.needsDrain).toBe(true);
    const drained = pool.drained();
    await within(pool.terminate(), 30_000, 'terminate()');
    await within(drained, 30_000, 'drained() after terminate()');
    expect(await within(waiting, 30_000, 'waiting map')).toBeInstanceOf(CancelledError);
    await expect(within(waitingAsync.get(), 30_000, 'waiting applyAsync')).rejects.toThrow(CancelledError);
    expect(await within(a, 30_000, 'running call')).toBeInstanceOf(CancelledError);
    expect(pool.needsDrain).toBe(false);
  });

  it('an imap whose input throws gives back its room exactly once', async () => {
    const p = new Pool({ processes: 1, maxQueue: 0, context: getContext(method) });
    pool = p;
    function* failing(): Generator<number> {
      yield 1;
      yield 2;
      throw new Error('input broke');
    }
    const seen: number[] = [];
    await expect(
      within(
        (async () => {
          for await (const y of p.imap(tasks.square, failing())) seen.push(y);
        })(),
        30_000,
        'imap over a failing input',
      ),
    ).rejects.toThrow('input broke');
    expect(seen).toEqual([1, 4]);
    // The one unit is free again, and only one.
    const a = pool.apply(gateTasks.gated, [gate.path, 'a']);
    await gate.arrived(1);
    await expect(within(pool.apply(tasks.square, [2]), 30_000, 'second apply')).rejects.toThrow(
      QueueFullError,
    );
    gate.release('a');
    expect(await within(a, 30_000, 'apply')).toBe('a');
  });

  it('terminate() rejects an imap that waits for room', async () => {
    pool = new Pool({ processes: 1, maxQueue: 0, context: getContext(method) });
    const a = pool.apply(gateTasks.gated, [gate.path, 'a']).catch((e: unknown) => e);
    await gate.arrived(1);
    const it = pool.imap(tasks.square, range(3));
    const next = it.next().catch((e: unknown) => e);
    expect(await isSettled(next)).toBe(false);
    await within(pool.terminate(), 30_000, 'terminate()');
    expect(await within(next, 30_000, 'imap next() after terminate()')).toBeInstanceOf(CancelledError);
    expect(await within(a, 30_000, 'running call')).toBeInstanceOf(CancelledError);
  });

  it("'wait': close() lets waiting calls run before the workers exit", async () => {
    pool = new Pool({ processes: 1, maxQueue: 0, onQueueFull: 'wait', context: getContext(method) });
    const a = pool.apply(gateTasks.gated, [gate.path, 'a']);
    await gate.arrived(1);
    const b = pool.apply(tasks.square, [7]);
    pool.close();
    const joined = pool.join();
    gate.release('a');
    expect(await within(Promise.all([a, b]), 30_000, 'calls')).toEqual(['a', 49]);
    await within(joined, 30_000, 'join()');
  });

  it('a map whose chunks can never fit rejects in either mode; the default chunksize is made to fit', async () => {
    pool = new Pool({ processes: 1, maxQueue: 1, onQueueFull: 'wait', context: getContext(method) });
    await expect(within(pool.map(tasks.square, range(3), { chunksize: 1 }), 30_000, 'map')).rejects.toThrow(
      /needs 3 tasks, more than the pool ever queues: processes \(1\) \+ maxQueue \(1\)/,
    );
    // Python's rule would make 4 chunks of 25; with room for 2 tasks it makes 2 of 50.
    expect(await within(pool.map(tasks.square, range(100)), 30_000, 'map')).toEqual(
      range(100).map((x) => x * x),
    );
  });

  it('imap takes room chunk by chunk and never rejects; other calls are not starved', async () => {
    pool = new Pool({ processes: 1, maxQueue: 0, context: getContext(method) });
    const results: number[] = [];
    const it = pool.imap(tasks.square, range(20));
    for await (const y of it) {
      results.push(y);
      if (results.length === 5) {
        // The imap holds the pool's only unit now and then: an apply may be rejected, never hang.
        const outcome = await within(
          pool.apply(tasks.square, [3]).catch((e: unknown) => e),
          30_000,
          'apply beside imap',
        );
        if (outcome !== 9) expect(outcome).toBeInstanceOf(QueueFullError);
      }
    }
    expect(results).toEqual(range(20).map((x) => x * x));
    const waitPool = new Pool({
      processes: 1,
      maxQueue: 0,
      onQueueFull: 'wait',
      context: getContext(method),
    });
    try {
      const both = Promise.all([
        (async () => {
          const out: number[] = [];
          for await (const y of waitPool.imapUnordered(tasks.square, range(20))) out.push(y);
          return out.sort((p, q) => p - q);
        })(),
        waitPool.apply(tasks.square, [6]),
      ]);
      expect(await within(both, 30_000, 'imap and apply under maxQueue 0')).toEqual([
        range(20).map((x) => x * x),
        36,
      ]);
    } finally {
      await within(waitPool.terminate(), 30_000, 'terminate()');
    }
  });
});

describe.each(startMethods)('Pool needsDrain without maxQueue [%s]', (method) => {
  let pool: Pool | undefined;
  let gate: Gate;
  beforeEach(async () => {
    gate = await openGate();
  });
  afterEach(async () => {
    if (pool) await within(pool.terminate(), 30_000, 'pool.terminate()');
    pool = undefined;
    await gate.close();
  });

  it('is true once `processes` tasks wait beyond the running ones; drained() resolves as they drain', async () => {
    const p = new Pool({ processes: 2, context: getContext(method) });
    pool = p;
    expect(pool.needsDrain).toBe(false);
    await within(pool.drained(), 30_000, 'drained() at once');
    const calls = ['a', 'b', 'c'].map((label) => p.apply(gateTasks.gated, [gate.path, label]));
    await gate.arrived(2);
    expect(pool.needsDrain).toBe(false);
    calls.push(pool.apply(gateTasks.gated, [gate.path, 'd']));
    expect(pool.needsDrain).toBe(true);
    const drained = pool.drained();
    expect(await isSettled(drained)).toBe(false);
    gate.release(gate.arrivals[0] ?? '');
    await within(drained, 30_000, 'drained()');
    expect(pool.needsDrain).toBe(false);
    for (const label of ['a', 'b', 'c', 'd']) gate.release(label);
    expect(await within(Promise.all(calls), 30_000, 'calls')).toEqual(['a', 'b', 'c', 'd']);
  });
});
