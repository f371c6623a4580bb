/**
 * Beyond Python: `currentTask().signal` tells a running task that its caller
 * gave up (an abort, a timeout). A task that stops in response keeps its
 * worker; one that does not is terminated after `abortGracePeriod`. The
 * caller's promise rejects at once either way.
 */
import { getContext } from '@multiprocessing/process';
import { Pool, TimeoutError } from '@multiprocessing/pool';
import { startMethods, within } from '../helpers.js';
import { endsPool } from '../pool-hooks.js';
import { talk } from '../helpers-talk.js';

/** Aborts `controller` when a task reports 'started'. */
function abortOnStart(controller: AbortController, reason?: unknown): (value: unknown) => void {
  return (value) => {
    if (value === 'started') controller.abort(reason);
  };
}

describe.each(startMethods)('currentTask().signal [%s]', (method) => {
  const t = endsPool();

  it('a task that stops when its call is aborted keeps its worker', async () => {
    // A long grace period: only a worker that did not stop could be replaced.
    t.pool = new Pool({ processes: 1, context: getContext(method), abortGracePeriod: 600 });
    const before = await within(t.pool.apply(talk.identity), 30_000, 'identity before');
    const controller = new AbortController();
    const call = t.pool.apply(talk.stopsWhenAborted, [], {
      signal: controller.signal,
      onEvent: abortOnStart(controller),
    });
    await expect(within(call, 30_000, 'aborted call')).rejects.toMatchObject({ name: 'AbortError' });
    expect(await within(t.pool.apply(talk.identity), 30_000, 'identity after')).toEqual(before);
    expect(await within(t.pool.apply(talk.report), 30_000, 'report')).toEqual({
      started: 1,
      reason: { name: 'AbortError', message: 'This operation was aborted' },
    });
    expect(t.pool.stats().workersStarted).toBe(1);
  });

  it("the task's signal carries the caller's abort reason", async () => {
    t.pool = new Pool({ processes: 1, context: getContext(method), abortGracePeriod: 600 });
    const controller = new AbortController();
    const reason = new RangeError('user pressed stop');
    const call = t.pool.apply(talk.stopsWhenAborted, [], {
      signal: controller.signal,
      onEvent: abortOnStart(controller, reason),
    });
    await expect(within(call, 30_000, 'aborted call')).rejects.toBe(reason);
    expect(await within(t.pool.apply(talk.report), 30_000, 'report')).toEqual({
      started: 1,
      reason: { name: 'RangeError', message: 'user pressed stop' },
    });
  });

  it('a timed-out task sees TimeoutError on its signal and keeps its worker when it stops', async () => {
    t.pool = new Pool({ processes: 1, context: getContext(method), abortGracePeriod: 600 });
    const before = await within(t.pool.apply(talk.identity), 30_000, 'identity before');
    await expect(
      within(t.pool.apply(talk.stopsWhenAborted, [], { timeout: 0.1 }), 30_000, 'timed-out call'),
    ).rejects.toBeInstanceOf(TimeoutError);
    expect(await within(t.pool.apply(talk.identity), 30_000, 'identity after')).toEqual(before);
    const { reason } = await within(t.pool.apply(talk.report), 30_000, 'report');
    expect(reason?.name).toBe('TimeoutError');
    expect(reason?.message).toMatch(
      /^Task timed out after 0.1 s; its worker PoolWorker-\d+ was asked to stop it/,
    );
    expect(t.pool.stats().workersStarted).toBe(1);
  });

  it('the caller is not kept waiting by a task that ignores its signal (abort and timeout)', async () => {
    // The worker keeps running the task for the whole grace period; the calls reject before that.
    t.pool = new Pool({ processes: 2, context: getContext(method), abortGracePeriod: 600 });
    const controller = new AbortController();
    const aborted = t.pool.apply(talk.ignoresAbort, [], {
      signal: controller.signal,
      onEvent: abortOnStart(controller),
    });
    await expect(within(aborted, 30_000, 'aborted call')).rejects.toMatchObject({ name: 'AbortError' });
    await expect(
      within(t.pool.apply(talk.ignoresAbort, [], { timeout: 0.1 }), 30_000, 'timed-out call'),
    ).rejects.toBeInstanceOf(TimeoutError);
    expect(t.pool.stats().workersStarted).toBe(2);
    // terminate() does not wait for the grace periods either (afterEach bounds it).
  });

  it('a task that ignores its signal is replaced after the grace period', async () => {
    t.pool = new Pool({ processes: 1, context: getContext(method), abortGracePeriod: 0.2 });
    const before = await within(t.pool.apply(talk.identity), 30_000, 'identity before');
    const controller = new AbortController();
    const call = t.pool.apply(talk.ignoresAbort, [], {
      signal: controller.signal,
      onEvent: abortOnStart(controller),
    });
    await expect(within(call, 30_000, 'aborted call')).rejects.toMatchObject({ name: 'AbortError' });
    // The next call waits for the replacement: the only worker was busy with the abandoned task.
    const after = await within(t.pool.apply(talk.identity), 30_000, 'identity after');
    expect(after).not.toEqual(before);
    expect(await within(t.pool.apply(talk.report), 30_000, 'report')).toEqual({ started: 0 });
    expect(t.pool.stats().workersStarted).toBe(2);
  });

  it('a timed-out task that ignores its signal is replaced after the grace period', async () => {
    t.pool = new Pool({ processes: 1, context: getContext(method), abortGracePeriod: 0.1 });
    const before = await within(t.pool.apply(talk.identity), 30_000, 'identity before');
    await expect(
      within(t.pool.apply(talk.ignoresAbort, [], { timeout: 0.1 }), 30_000, 'timed-out call'),
    ).rejects.toBeInstanceOf(TimeoutError);
    expect(await within(t.pool.apply(talk.identity), 30_000, 'identity after')).not.toEqual(before);
    expect(t.pool.stats().workersStarted).toBe(2);
  });

  it('abortGracePeriod 0 replaces the worker at once, even for a task that would stop', async () => {
    t.pool = new Pool({ processes: 1, context: getContext(method), abortGracePeriod: 0 });
    const before = await within(t.pool.apply(talk.identity), 30_000, 'identity before');
    const controller = new AbortController();
    const call = t.pool.apply(talk.stopsWhenAborted, [], {
      signal: controller.signal,
      onEvent: abortOnStart(controller),
    });
    await expect(within(call, 30_000, 'aborted call')).rejects.toMatchObject({ name: 'AbortError' });
    expect(await within(t.pool.apply(talk.identity), 30_000, 'identity after')).not.toEqual(before);
    expect(t.pool.stats().workersStarted).toBe(2);
  });

  it('an aborted map chunk runs none of its remaining items and keeps its worker', async () => {
    t.pool = new Pool({ processes: 1, context: getContext(method), abortGracePeriod: 600 });
    const before = await within(t.pool.apply(talk.identity), 30_000, 'identity before');
    const controller = new AbortController();
    const call = t.pool.map(talk.chunkItem, [0, 1, 2, 3], {
      chunksize: 4,
      signal: controller.signal,
      onEvent: abortOnStart(controller),
    });
    await expect(within(call, 30_000, 'aborted map')).rejects.toMatchObject({ name: 'AbortError' });
    expect(await within(t.pool.apply(talk.identity), 30_000, 'identity after')).toEqual(before);
    expect((await within(t.pool.apply(talk.report), 30_000, 'report')).started).toBe(1);
  });

  it('a task aborted while it waits behind another in its worker never runs', async () => {
    t.pool = new Pool({ processes: 1, context: getContext(method), abortGracePeriod: 600 });
    const before = await within(t.pool.apply(talk.identity), 30_000, 'identity before');
    const first = new AbortController();
    const second = new AbortController();
    // Both calls go out in one tick: under threads the worker holds the second while the first runs.
    const running = t.pool.apply(talk.stopsWhenAborted, [], {
      signal: first.signal,
      onEvent: (value) => {
        if (value !== 'started') return;
        second.abort();
        first.abort();
      },
    });
    const waiting = t.pool.apply(talk.stopsWhenAborted, [], { signal: second.signal });
    await expect(within(waiting, 30_000, 'waiting call')).rejects.toMatchObject({ name: 'AbortError' });
    await expect(within(running, 30_000, 'running call')).rejects.toMatchObject({ name: 'AbortError' });
    expect(await within(t.pool.apply(talk.identity), 30_000, 'identity after')).toEqual(before);
    expect((await within(t.pool.apply(talk.report), 30_000, 'report')).started).toBe(1);
    expect(t.pool.stats().workersStarted).toBe(1);
  });

  it('close() and join() finish once an aborted task has stopped', async () => {
    t.pool = new Pool({ processes: 1, context: getContext(method), abortGracePeriod: 600 });
    const controller = new AbortController();
    const call = t.pool.apply(talk.stopsWhenAborted, [], {
      signal: controller.signal,
      onEvent: abortOnStart(controller),
    });
    await expect(within(call, 30_000, 'aborted call')).rejects.toMatchObject({ name: 'AbortError' });
    t.pool.close();
    await within(t.pool.join(), 30_000, 'pool.join()');
  });

  it('currentTask() throws StateError in an initializer', async () => {
    t.pool = new Pool({ processes: 1, context: getContext(method), initializer: talk.initProbe });
    expect(await within(t.pool.apply(talk.readInitProbe), 30_000, 'readInitProbe')).toBe(
      'StateError: currentTask() must be called while a pool task runs, in its worker',
    );
    expect(await within(t.pool.apply(talk.probe), 30_000, 'probe')).toBe('ok');
  });
});
