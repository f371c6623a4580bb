/**
 * parity: concurrent.futures.wait and concurrent.futures.as_completed, driven
 * with futures settled by hand (no worker): CPython's test_wait and
 * test_as_completed cases, adapted. A cancelled future here is always
 * "cancelled and notified" (ours has no state in between).
 * https://docs.python.org/3/library/concurrent.futures.html#module-functions
 */
import { jest } from '@jest/globals';
import { TimeoutError } from '@multiprocessing/core';
import { asCompleted, type AsCompletedItem } from '../../src/as-completed.js';
import { createFuture, Future, type FutureControl } from '../../src/future.js';
import { ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION, wait, type ReturnWhen } from '../../src/wait.js';

function pending<T = unknown>(): FutureControl<T> {
  return createFuture<T>(() => true);
}

function running<T = unknown>(): FutureControl<T> {
  const c = pending<T>();
  c.setRunning();
  return c;
}

function successful(value: unknown = 42): Future<unknown> {
  const c = pending();
  c.setResult(value);
  return c.future;
}

function failed(error: unknown = new RangeError('failed on purpose')): Future<unknown> {
  const c = pending();
  c.setException(error);
  return c.future;
}

function cancelled(): Future<unknown> {
  const c = pending();
  c.future.cancel();
  return c.future;
}

// Timers started by the code under test and neither fired nor cleared yet
// (counted through spies, as jest itself starts timers while a test runs).
const liveTimers = new Set<unknown>();
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
beforeEach(() => {
  liveTimers.clear();
  jest.spyOn(globalThis, 'setTimeout').mockImplementation((fn: () => void, ms?: number) => {
    const handle = realSetTimeout(() => {
      liveTimers.delete(handle);
      fn();
    }, ms);
    liveTimers.add(handle);
    return handle;
  });
  jest.spyOn(globalThis, 'clearTimeout').mockImplementation((handle?: string | number | NodeJS.Timeout) => {
    liveTimers.delete(handle);
    realClearTimeout(handle);
  });
});
afterEach(() => {
  jest.restoreAllMocks();
});

/** Timers of the code under test alive now (to check that none is left behind). */
function timers(): number {
  return liveTimers.size;
}

/** Lets every queued promise job run. */
function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The futures `asCompleted` yields until it ends, or until it rejects (then `error` is set). */
async function drain<F extends Future<unknown>>(
  it: AsyncIterable<AsCompletedItem<F>>,
): Promise<{ futures: F[]; error?: unknown }> {
  const futures: F[] = [];
  try {
    for await (const { future } of it) futures.push(future);
  } catch (error) {
    return { futures, error };
  }
  return { futures };
}

describe('parity: concurrent.futures.wait', () => {
  it('counts a future given twice once (bpo-20369)', async () => {
    const f = successful();
    const { done, notDone } = await wait([f, f], { returnWhen: ALL_COMPLETED });
    expect(done).toEqual(new Set([f]));
    expect(notDone).toEqual(new Set());
  });

  it('FIRST_COMPLETED returns when one future finishes', async () => {
    const f1 = pending();
    const f2 = running();
    const promise = wait([f1.future, f2.future], { returnWhen: FIRST_COMPLETED });
    await flush();
    f1.setResult(42);
    const { done, notDone } = await promise;
    expect(done).toEqual(new Set([f1.future]));
    expect(notDone).toEqual(new Set([f2.future]));
  });

  it('FIRST_COMPLETED returns at once when some are already done (cancelled ones count)', async () => {
    const c = cancelled();
    const s = successful();
    const f1 = running();
    const { done, notDone } = await wait([c, s, f1.future], { returnWhen: FIRST_COMPLETED });
    expect(done).toEqual(new Set([c, s]));
    expect(notDone).toEqual(new Set([f1.future]));
  });

  it('FIRST_COMPLETED counts a cancellation as a completion', async () => {
    const f1 = pending();
    const f2 = running();
    const promise = wait([f1.future, f2.future], { returnWhen: FIRST_COMPLETED });
    await flush();
    expect(f1.future.cancel()).toBe(true);
    const { done, notDone } = await promise;
    expect(done).toEqual(new Set([f1.future]));
    expect(notDone).toEqual(new Set([f2.future]));
  });

  it('FIRST_EXCEPTION returns when a future raises, with the ones done before it', async () => {
    const f1 = running();
    const f2 = running();
    const f3 = running();
    const promise = wait([f1.future, f2.future, f3.future], { returnWhen: FIRST_EXCEPTION });
    let settled = false;
    void promise.then(() => (settled = true));
    f1.setResult(42);
    await flush();
    expect(settled).toBe(false);
    f2.setException(new RangeError('raised on purpose'));
    const { done, notDone } = await promise;
    expect(done).toEqual(new Set([f1.future, f2.future]));
    expect(notDone).toEqual(new Set([f3.future]));
  });

  it('FIRST_EXCEPTION does not count a cancelled future as an exception', async () => {
    const f1 = pending();
    const f2 = running();
    const f3 = running();
    const promise = wait([cancelled(), f1.future, f2.future, f3.future], { returnWhen: FIRST_EXCEPTION });
    let settled = false;
    void promise.then(() => (settled = true));
    f1.future.cancel();
    await flush();
    expect(settled).toBe(false);
    f2.setException(undefined);
    const { done, notDone } = await promise;
    expect(done.has(f2.future)).toBe(true);
    expect(done.has(f1.future)).toBe(true);
    expect(done.size).toBe(3);
    expect(notDone).toEqual(new Set([f3.future]));
  });

  it('FIRST_EXCEPTION with some already complete, one of them failed, returns at once', async () => {
    const s = successful();
    const c = cancelled();
    const e = failed();
    const f2 = running();
    const { done, notDone } = await wait([s, c, e, f2.future], { returnWhen: FIRST_EXCEPTION });
    expect(done).toEqual(new Set([s, c, e]));
    expect(notDone).toEqual(new Set([f2.future]));
  });

  it('FIRST_EXCEPTION with no exception waits for every future, like ALL_COMPLETED', async () => {
    const s = successful();
    const c = cancelled();
    const f1 = running();
    const f2 = pending();
    const promise = wait([s, c, f1.future, f2.future], { returnWhen: FIRST_EXCEPTION });
    f1.setResult(1);
    f2.future.cancel();
    const { done, notDone } = await promise;
    expect(done).toEqual(new Set([s, c, f1.future, f2.future]));
    expect(notDone.size).toBe(0);
  });

  it('ALL_COMPLETED (the default) waits for every future, failures and cancellations included', async () => {
    const f1 = running();
    const f2 = running();
    const f3 = pending();
    const already = [successful(), cancelled(), failed()];
    const promise = wait([...already, f1.future, f2.future, f3.future]);
    let settled = false;
    void promise.then(() => (settled = true));
    f1.setException(new Error('x'));
    f3.future.cancel();
    await flush();
    expect(settled).toBe(false);
    f2.setResult(2);
    const { done, notDone } = await promise;
    expect(done).toEqual(new Set([...already, f1.future, f2.future, f3.future]));
    expect(notDone.size).toBe(0);
  });

  it('a timeout resolves with the futures done so far, and leaves no timer', async () => {
    const before = timers();
    const f1 = running();
    const f2 = running();
    const promise = wait([successful(), f1.future, f2.future], { timeout: 0.05 });
    f1.setResult(1);
    expect(timers()).toBe(before + 1);
    const { done, notDone } = await promise;
    expect(done.has(f1.future)).toBe(true);
    expect(done.size).toBe(2);
    expect(notDone).toEqual(new Set([f2.future]));
    expect(timers()).toBe(before);
  });

  it('clears its timer when the futures finish first', async () => {
    const before = timers();
    const f1 = running();
    const promise = wait([f1.future], { timeout: 3600 });
    expect(timers()).toBe(before + 1);
    f1.setResult(1);
    await promise;
    expect(timers()).toBe(before);
  });

  it.each([0, -1])('timeout %s returns the current state at once', async (timeout) => {
    const before = timers();
    const f1 = running();
    const s = successful();
    const { done, notDone } = await wait([s, f1.future], { timeout });
    expect(done).toEqual(new Set([s]));
    expect(notDone).toEqual(new Set([f1.future]));
    expect(timers()).toBe(before);
  });

  it.each([undefined, null, Infinity])('timeout %s waits with no limit and no timer', async (timeout) => {
    const before = timers();
    const f1 = running();
    const promise = wait([f1.future], { timeout });
    expect(timers()).toBe(before);
    f1.setResult(1);
    expect((await promise).done).toEqual(new Set([f1.future]));
  });

  it('an empty fs resolves at once with two empty sets', async () => {
    const { done, notDone } = await wait([]);
    expect(done.size + notDone.size).toBe(0);
  });

  it('takes any iterable, a Set and a generator included', async () => {
    const s = successful();
    function* gen(): Generator<Future<unknown>> {
      yield s;
      yield s;
    }
    expect((await wait(new Set([s]))).done).toEqual(new Set([s]));
    expect((await wait(gen())).done).toEqual(new Set([s]));
  });

  it("has Python's constant values", () => {
    expect([FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED]).toEqual([
      'FIRST_COMPLETED',
      'FIRST_EXCEPTION',
      'ALL_COMPLETED',
    ]);
  });

  it('rejects a bad returnWhen, even when every future is done', async () => {
    const s = successful();
    await expect(wait([s], { returnWhen: 'bogus' as ReturnWhen })).rejects.toThrow(
      new RangeError(
        "Invalid return condition: 'bogus' (returnWhen must be 'FIRST_COMPLETED', 'FIRST_EXCEPTION' or 'ALL_COMPLETED')",
      ),
    );
    await expect(wait([], { returnWhen: 'first_completed' as ReturnWhen })).rejects.toThrow(RangeError);
    await expect(wait([s], { returnWhen: 1 as unknown as ReturnWhen })).rejects.toThrow(
      new TypeError("returnWhen must be 'FIRST_COMPLETED', 'FIRST_EXCEPTION' or 'ALL_COMPLETED', got number"),
    );
    await expect(wait([s], { returnWhen: null as unknown as ReturnWhen })).rejects.toThrow(TypeError);
  });

  it('rejects a bad timeout, fs or options', async () => {
    const s = successful();
    await expect(wait([s], { timeout: NaN })).rejects.toThrow(RangeError);
    await expect(wait([s], { timeout: NaN })).rejects.toThrow(/timeout/);
    await expect(wait([s], { timeout: '1' as unknown as number })).rejects.toThrow(TypeError);
    await expect(wait(s as unknown as Future<unknown>[])).rejects.toThrow(
      new TypeError('fs must be an iterable of Futures, got a Future'),
    );
    await expect(wait(null as unknown as Future<unknown>[])).rejects.toThrow(
      new TypeError('fs must be an iterable of Futures, got null'),
    );
    await expect(wait('ab' as unknown as Future<unknown>[])).rejects.toThrow(TypeError);
    await expect(wait([s, Promise.resolve(1)] as unknown as Future<unknown>[])).rejects.toThrow(
      new TypeError('fs[1] must be a Future, got a Promise'),
    );
    await expect(wait([s], 5 as unknown as object)).rejects.toThrow(
      new TypeError('options must be an object'),
    );
  });
});

describe('parity: concurrent.futures.as_completed', () => {
  it('yields every future, the done ones first, then in completion order', async () => {
    const c = cancelled();
    const e = failed();
    const s = successful();
    const f1 = running();
    const f2 = running();
    const f3 = pending();
    const it = asCompleted([c, f1.future, e, f2.future, s, f3.future]);
    const first = await it.next();
    f2.setResult(2);
    f3.future.cancel();
    f1.setException(new Error('late'));
    const rest = await drain(it);
    expect([first.value?.future, ...rest.futures]).toEqual([c, e, s, f2.future, f3.future, f1.future]);
    expect(rest.error).toBeUndefined();
  });

  it('yields a future given several times once (bpo-20367), from any iterable', async () => {
    const f1 = running();
    function* repeat(): Generator<Future<unknown>> {
      for (let i = 0; i < 3; i++) yield f1.future;
    }
    const it = asCompleted(repeat());
    const result = drain(it);
    f1.setResult(1);
    expect((await result).futures).toEqual([f1.future]);
  });

  it('the loop variable is the Future itself, never its result', async () => {
    const f1 = running<number>();
    f1.setResult(7);
    for await (const item of asCompleted([f1.future])) {
      expect(item.future).toBe(f1.future);
      expect(item.future).toBeInstanceOf(Future);
    }
  });

  it("timeout 0 yields the done futures, then throws TimeoutError with Python's message", async () => {
    const c = cancelled();
    const p = pending();
    const r = running();
    const s = successful();
    const out = await drain(asCompleted([c, p.future, r.future, s], { timeout: 0 }));
    expect(out.futures).toEqual([c, s]);
    expect(out.error).toBeInstanceOf(TimeoutError);
    expect((out.error as Error).message).toBe('2 (of 4) futures unfinished');
  });

  it('a timeout passes while one future is still running: the others are yielded, then TimeoutError', async () => {
    const before = timers();
    const already = [cancelled(), failed(), successful()];
    const late = running();
    const it = asCompleted([...already, late.future], { timeout: 0.05 });
    const out = await drain(it);
    expect(out.futures).toEqual(already);
    expect(out.error).toBeInstanceOf(TimeoutError);
    expect((out.error as Error).message).toBe('1 (of 4) futures unfinished');
    expect(timers()).toBe(before);
    // The iterator is over, as a Python generator is after it raised.
    late.setResult(1);
    expect(await it.next()).toEqual({ done: true, value: undefined });
  });

  it('counts futures done but not yet yielded as unfinished, as Python does', async () => {
    const f1 = running();
    const f2 = running();
    const f3 = running();
    const it = asCompleted([f1.future, f2.future, f3.future], { timeout: 0.05 });
    const first = it.next();
    f1.setResult(1);
    expect((await first).value?.future).toBe(f1.future);
    const out = await drain(it);
    expect(out.futures).toEqual([]);
    expect((out.error as Error).message).toBe('2 (of 3) futures unfinished');
  });

  it('yields what arrived before the deadline even when the wait timed out', async () => {
    const f1 = running();
    const f2 = running();
    const it = asCompleted([f1.future, f2.future], { timeout: 3600 });
    const first = it.next();
    f1.setResult(1);
    f2.setResult(2);
    expect((await first).value?.future).toBe(f1.future);
    expect((await it.next()).value?.future).toBe(f2.future);
    expect((await it.next()).done).toBe(true);
  });

  it('stops watching the futures and clears its timer when the loop breaks', async () => {
    const before = timers();
    const f1 = running();
    const f2 = running();
    const it = asCompleted([successful(), f1.future, f2.future], { timeout: 3600 });
    for await (const { future } of it) {
      expect(future.done()).toBe(true);
      break;
    }
    expect(timers()).toBe(before);
    f1.setResult(1);
    expect(await it.next()).toEqual({ done: true, value: undefined });
    // return() while a next() waits ends that next() too.
    const it2 = asCompleted([f2.future], { timeout: 3600 });
    const waiting = it2.next();
    await flush();
    expect(timers()).toBe(before + 1);
    await it2.return?.();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(timers()).toBe(before);
  });

  it('serves next() calls made without awaiting, in order', async () => {
    const f1 = running();
    const f2 = running();
    const it = asCompleted([f1.future, f2.future]);
    const calls = [it.next(), it.next(), it.next()];
    f2.setResult(2);
    f1.setResult(1);
    const results = await Promise.all(calls);
    expect(results.map((r) => r.value?.future)).toEqual([f2.future, f1.future, undefined]);
    expect(results[2]?.done).toBe(true);
  });

  it.each([undefined, null, Infinity])('timeout %s has no limit and no timer', async (timeout) => {
    const before = timers();
    const f1 = running();
    const it = asCompleted([f1.future], { timeout });
    const next = it.next();
    await flush();
    expect(timers()).toBe(before);
    f1.setResult(1);
    expect((await next).value?.future).toBe(f1.future);
  });

  it('an empty fs ends at once', async () => {
    expect(await asCompleted([]).next()).toEqual({ done: true, value: undefined });
  });

  it('throws at the call for a bad fs, timeout or options', () => {
    const s = successful();
    expect(() => asCompleted(s as unknown as Future<unknown>[])).toThrow(
      new TypeError('fs must be an iterable of Futures, got a Future'),
    );
    expect(() => asCompleted([1] as unknown as Future<unknown>[])).toThrow(
      new TypeError('fs[0] must be a Future, got number'),
    );
    expect(() => asCompleted([s], { timeout: NaN })).toThrow(RangeError);
    expect(() => asCompleted([s], { timeout: 'x' as unknown as number })).toThrow(/timeout/);
    expect(() => asCompleted([s], 'x' as unknown as object)).toThrow(TypeError);
  });
});

describe('asCompleted types', () => {
  it('types the loop variable as the Future (a bare thenable would be typed as its result)', async () => {
    const f1 = running<number>();
    const f2 = running<string>();
    f1.setResult(1);
    f2.setResult('two');
    const futures: (Future<number> | Future<string>)[] = [f1.future, f2.future];
    const seen: (Future<number> | Future<string>)[] = [];
    for await (const { future } of asCompleted(futures)) {
      // Compiles only if `future` is typed as a Future (a result would not fit).
      const typed: Future<number> | Future<string> = future;
      seen.push(typed);
    }
    expect(seen).toEqual(futures);
    // Why the wrapper: `for await` types its variable as the awaited item, so
    // a bare Future would be typed as its result (a number here).
    const bare = async (items: AsyncIterable<Future<number>>): Promise<number[]> => {
      const out: number[] = [];
      for await (const x of items) out.push(x);
      return out;
    };
    expect(typeof bare).toBe('function');
    const { done, notDone } = await wait(futures);
    const typedDone: Set<Future<number> | Future<string>> = done;
    expect(typedDone.size + notDone.size).toBe(2);
  });
});
