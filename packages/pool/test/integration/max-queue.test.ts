/**
 * maxQueue / onQueueFull, needsDrain and drained(). Tasks wait on a socket
 * gate, so the number of tasks running and waiting is known at every step.
 */
import { getContext } from '@multiprocessing/process';
import { CancelledError, Pool, QueueFullError } from '@multiprocessing/pool';
import { gateTasks } from '../gate.js';
import { poolAndGate } from '../pool-hooks.js';
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
  const t = poolAndGate();

  it("'reject': a call beyond maxQueue rejects with QueueFullError naming the limit; nothing of it is queued", async () => {
    t.pool = new Pool({ processes: 1, maxQueue: 2, context: getContext(method) });
    const a = t.pool.apply(gateTasks.gated, [t.gate.path, 'a']);
    await t.gate.arrived(1);
    const b = t.pool.apply(gateTasks.gated, [t.gate.path, 'b']);
    expect(t.pool.needsDrain).toBe(false);
    // One unit left: a map of two chunks does not fit, and takes none of it.
    const tooBig = t.pool.starmap(
      gateTasks.gated,
      [
        [t.gate.path, 'm0'],
        [t.gate.path, 'm1'],
      ],
      { chunksize: 1 },
    );
    await expect(within(tooBig, 30_000, 'starmap')).rejects.toThrow(QueueFullError);
    const c = t.pool.apply(gateTasks.gated, [t.gate.path, 'c']);
    expect(t.pool.needsDrain).toBe(true);
    const d = t.pool.apply(tasks.square, [3]);
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
    const r = t.pool.applyAsync(tasks.square, [4], { errorCallback: (e) => (called = e) });
    await expect(within(r.get(), 30_000, 'applyAsync')).rejects.toThrow(QueueFullError);
    expect(called).toBeInstanceOf(QueueFullError);

    const drained = t.pool.drained();
    expect(await isSettled(drained)).toBe(false);
    t.gate.release('a');
    await within(drained, 30_000, 'drained()');
    expect(t.pool.needsDrain).toBe(false);
    // Room again: one more fits.
    const e = t.pool.apply(tasks.square, [5]);
    for (const label of ['b', 'c']) t.gate.release(label);
    expect(await within(Promise.all([a, b, c, e]), 30_000, 'calls')).toEqual(['a', 'b', 'c', 25]);
    expect(t.gate.arrivals).toEqual(['a', 'b', 'c']);
  });

  it("'wait': calls beyond maxQueue wait first come first served, a map for all its chunks", async () => {
    t.pool = new Pool({ processes: 1, maxQueue: 1, onQueueFull: 'wait', context: getContext(method) });
    const a = t.pool.apply(gateTasks.gated, [t.gate.path, 'a']);
    await t.gate.arrived(1);
    const b = t.pool.apply(gateTasks.gated, [t.gate.path, 'b']);
    // Full: the map (2 units) waits, and the apply behind it may not pass it.
    const m = t.pool.starmap(
      gateTasks.gated,
      [
        [t.gate.path, 'm0'],
        [t.gate.path, 'm1'],
      ],
      { chunksize: 1 },
    );
    const x = t.pool.apply(gateTasks.gated, [t.gate.path, 'x']);
    expect(t.pool.needsDrain).toBe(true);
    expect(await isSettled(m)).toBe(false);
    t.gate.release('a');
    await t.gate.arrived(2);
    t.gate.release('b');
    await t.gate.arrived(3);
    t.gate.release('m0');
    await t.gate.arrived(4);
    t.gate.release('m1');
    await t.gate.arrived(5);
    t.gate.release('x');
    expect(await within(Promise.all([a, b, m, x]), 30_000, 'calls')).toEqual(['a', 'b', ['m0', 'm1'], 'x']);
    expect(t.gate.arrivals).toEqual(['a', 'b', 'm0', 'm1', 'x']);
    expect(t.pool.needsDrain).toBe(false);
  });

  it("'wait': a waiting call's signal aborts its wait, and the calls behind it move up", async () => {
    t.pool = new Pool({ processes: 1, maxQueue: 0, onQueueFull: 'wait', context: getContext(method) });
    const a = t.pool.apply(gateTasks.gated, [t.gate.path, 'a']);
    await t.gate.arrived(1);
    const controller = new AbortController();
    const waiting = t.pool.apply(gateTasks.gated, [t.gate.path, 'never'], { signal: controller.signal });
    const next = t.pool.apply(gateTasks.gated, [t.gate.path, 'next']);
    const reason = new Error('stop waiting');
    controller.abort(reason);
    await expect(within(waiting, 30_000, 'aborted wait')).rejects.toBe(reason);
    t.gate.release('a');
    await t.gate.arrived(2);
    t.gate.release('next');
    expect(await within(Promise.all([a, next]), 30_000, 'calls')).toEqual(['a', 'next']);
    expect(t.gate.arrivals).toEqual(['a', 'next']);
  });

  it("'wait': terminate() rejects waiting calls with CancelledError and resolves drained()", async () => {
    t.pool = new Pool({ processes: 1, maxQueue: 0, onQueueFull: 'wait', context: getContext(method) });
    const a = t.pool.apply(gateTasks.gated, [t.gate.path, 'a']).catch((e: unknown) => e);
    await t.gate.arrived(1);
    const waiting = t.pool.map(tasks.square, [1, 2], { chunksize: 2 }).catch((e: unknown) => e);
    const waitingAsync = t.pool.applyAsync(tasks.square, [3]);
    expect(t.pool.needsDrain).toBe(true);
    const drained = t.pool.drained();
    await within(t.pool.terminate(), 30_000, 'terminate()');
    await within(drained, 30_000, 'drained() after terminate()');
    expect(await within(waiting, 30_000, 'waiting map')).toBeInstanceOf(CancelledError);
    await expect(within(waitingAsync.get(), 30_000, 'waiting applyAsync')).rejects.toThrow(CancelledError);
    expect(await within(a, 30_000, 'running call')).toBeInstanceOf(CancelledError);
    expect(t.pool.needsDrain).toBe(false);
  });

  it('an imap whose input throws gives back its room exactly once', async () => {
    const p = new Pool({ processes: 1, maxQueue: 0, context: getContext(method) });
    t.pool = p;
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
    const a = t.pool.apply(gateTasks.gated, [t.gate.path, 'a']);
    await t.gate.arrived(1);
    await expect(within(t.pool.apply(tasks.square, [2]), 30_000, 'second apply')).rejects.toThrow(
      QueueFullError,
    );
    t.gate.release('a');
    expect(await within(a, 30_000, 'apply')).toBe('a');
  });

  it('terminate() rejects an imap that waits for room', async () => {
    t.pool = new Pool({ processes: 1, maxQueue: 0, context: getContext(method) });
    const a = t.pool.apply(gateTasks.gated, [t.gate.path, 'a']).catch((e: unknown) => e);
    await t.gate.arrived(1);
    const it = t.pool.imap(tasks.square, range(3));
    const next = it.next().catch((e: unknown) => e);
    expect(await isSettled(next)).toBe(false);
    await within(t.pool.terminate(), 30_000, 'terminate()');
    expect(await within(next, 30_000, 'imap next() after terminate()')).toBeInstanceOf(CancelledError);
    expect(await within(a, 30_000, 'running call')).toBeInstanceOf(CancelledError);
  });

  it("'wait': close() lets waiting calls run before the workers exit", async () => {
    t.pool = new Pool({ processes: 1, maxQueue: 0, onQueueFull: 'wait', context: getContext(method) });
    const a = t.pool.apply(gateTasks.gated, [t.gate.path, 'a']);
    await t.gate.arrived(1);
    const b = t.pool.apply(tasks.square, [7]);
    t.pool.close();
    const joined = t.pool.join();
    t.gate.release('a');
    expect(await within(Promise.all([a, b]), 30_000, 'calls')).toEqual(['a', 49]);
    await within(joined, 30_000, 'join()');
  });

  it('a map whose chunks can never fit rejects in either mode; the default chunksize is made to fit', async () => {
    t.pool = new Pool({ processes: 1, maxQueue: 1, onQueueFull: 'wait', context: getContext(method) });
    await expect(within(t.pool.map(tasks.square, range(3), { chunksize: 1 }), 30_000, 'map')).rejects.toThrow(
      /needs 3 tasks, more than the pool ever queues: processes \(1\) \+ maxQueue \(1\)/,
    );
    // Python's rule would make 4 chunks of 25; with room for 2 tasks it makes 2 of 50.
    expect(await within(t.pool.map(tasks.square, range(100)), 30_000, 'map')).toEqual(
      range(100).map((x) => x * x),
    );
  });

  it('imap takes room chunk by chunk and never rejects; other calls are not starved', async () => {
    t.pool = new Pool({ processes: 1, maxQueue: 0, context: getContext(method) });
    const results: number[] = [];
    const it = t.pool.imap(tasks.square, range(20));
    for await (const y of it) {
      results.push(y);
      if (results.length === 5) {
        // The imap holds the pool's only unit now and then: an apply may be rejected, never hang.
        const outcome = await within(
          t.pool.apply(tasks.square, [3]).catch((e: unknown) => e),
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
  const t = poolAndGate();

  it('is true once `processes` tasks wait beyond the running ones; drained() resolves as they drain', async () => {
    const p = new Pool({ processes: 2, context: getContext(method) });
    t.pool = p;
    expect(t.pool.needsDrain).toBe(false);
    await within(t.pool.drained(), 30_000, 'drained() at once');
    const calls = ['a', 'b', 'c'].map((label) => p.apply(gateTasks.gated, [t.gate.path, label]));
    await t.gate.arrived(2);
    expect(t.pool.needsDrain).toBe(false);
    calls.push(t.pool.apply(gateTasks.gated, [t.gate.path, 'd']));
    expect(t.pool.needsDrain).toBe(true);
    const drained = t.pool.drained();
    expect(await isSettled(drained)).toBe(false);
    t.gate.release(t.gate.arrivals[0] ?? '');
    await within(drained, 30_000, 'drained()');
    expect(t.pool.needsDrain).toBe(false);
    for (const label of ['a', 'b', 'c', 'd']) t.gate.release(label);
    expect(await within(Promise.all(calls), 30_000, 'calls')).toEqual(['a', 'b', 'c', 'd']);
  });
});
