/**
 * Beyond Python: `concurrentTasksPerWorker` lets one worker run several async
 * tasks at once. Every test gates its tasks on a Unix socket: a task
 * connects and says its id when it starts, and finishes only when the test
 * answers, so "started before any finished" needs no timing.
 */
import { getContext } from '@multiprocessing/process';
import { moduleRef, Pool, TimeoutError, WorkerLostError } from '@multiprocessing/pool';
import type * as ConcurrentTasks from '../fixtures/concurrent-tasks.mjs';
import { poolAndGate } from '../pool-hooks.js';
import { startMethods, tasks, within } from '../helpers.js';

const ctasks = moduleRef<typeof ConcurrentTasks>(
  new URL('../fixtures/concurrent-tasks.mjs', import.meta.url),
);

describe.each(startMethods)('Pool concurrentTasksPerWorker [%s]', (method) => {
  const t = poolAndGate();

  it('one worker runs four async tasks at once: all start before any finishes', async () => {
    t.pool = new Pool({ processes: 1, concurrentTasksPerWorker: 4, context: getContext(method) });
    const calls = [0, 1, 2, 3].map((id) => t.pool!.apply(ctasks.gated, [t.gate.path, id]));
    await t.gate.arrived(4);
    expect(t.gate.arrivals.map(Number).sort()).toEqual([0, 1, 2, 3]);
    expect(t.pool.stats()).toMatchObject({ workers: 1, busy: 1, idle: 0 });
    // Finished in reverse order: each call still gets its own result.
    for (const id of [3, 2, 1, 0]) t.gate.release(id);
    const results = await within(Promise.all(calls), 30_000, 'the four gated tasks');
    expect(results.map((r) => r.id)).toEqual([0, 1, 2, 3]);
    expect(new Set(results.map((r) => r.worker)).size).toBe(1);
    expect(t.pool.stats()).toMatchObject({ workersStarted: 1, completed: 4, busy: 0 });
  });

  it('runs no more than that many at once; the next starts when one finishes', async () => {
    t.pool = new Pool({ processes: 1, concurrentTasksPerWorker: 2, context: getContext(method) });
    const calls = [0, 1, 2].map((id) => t.pool!.apply(ctasks.gated, [t.gate.path, id]));
    await t.gate.arrived(2);
    // The third waits for a free slot: answer the first, then it starts.
    t.gate.release(1);
    expect((await within(calls[1]!, 30_000, 'task 1')).id).toBe(1);
    await t.gate.arrived(3);
    expect(t.gate.arrivals.map(Number)).toEqual(
      [0, 1, 2].filter((id) => t.gate.arrivals.map(Number).includes(id)),
    );
    t.gate.release(0);
    t.gate.release(2);
    expect((await within(Promise.all(calls), 30_000, 'the gated tasks')).map((r) => r.id)).toEqual([0, 1, 2]);
  });

  it('map chunks run at once too', async () => {
    t.pool = new Pool({ processes: 1, concurrentTasksPerWorker: 3, context: getContext(method) });
    const call = t.pool.starmap(
      ctasks.gated,
      [0, 1, 2].map((id) => [t.gate.path, id] as [string, number]),
      { chunksize: 1 },
    );
    await t.gate.arrived(3);
    for (const id of [2, 0, 1]) t.gate.release(id);
    expect((await within(call, 30_000, 'pool.starmap(ctasks.gated, …)')).map((r) => r.id)).toEqual([0, 1, 2]);
  });

  it('a worker that dies fails every task it was running; the ones it had not started run elsewhere', async () => {
    t.pool = new Pool({ processes: 1, concurrentTasksPerWorker: 3, context: getContext(method) });
    const a = t.pool.apply(ctasks.gated, [t.gate.path, 0]);
    const b = t.pool.apply(ctasks.gated, [t.gate.path, 1]);
    const exiting = t.pool.apply(ctasks.gated, [t.gate.path, 2, 7]);
    const queued = t.pool.apply(tasks.square, [5]);
    await t.gate.arrived(3);
    t.gate.release(2); // that task exits its worker with code 7
    for (const call of [a, b, exiting]) {
      const err = (await within(
        call.catch((e: unknown) => e),
        30_000,
        'a task of the dead worker',
      )) as WorkerLostError;
      expect(err).toBeInstanceOf(WorkerLostError);
      expect(err.exitcode).toBe(7);
    }
    expect(await within(queued, 30_000, 'the task it had not started')).toBe(25);
    expect(t.pool.stats().workersStarted).toBe(2);
  });

  it('a timeout replaces the shared worker: the task running beside it fails with WorkerLostError caused by the timeout', async () => {
    t.pool = new Pool({ processes: 1, concurrentTasksPerWorker: 2, context: getContext(method) });
    const beside = t.pool.apply(ctasks.gated, [t.gate.path, 0]);
    await t.gate.arrived(1);
    const late = t.pool.apply(tasks.forever, [], { timeout: 0.2 });
    await expect(within(late, 30_000, 'pool.apply(tasks.forever, …)')).rejects.toBeInstanceOf(TimeoutError);
    const err = (await within(
      beside.catch((e: unknown) => e),
      30_000,
      'the task beside it',
    )) as WorkerLostError;
    expect(err).toBeInstanceOf(WorkerLostError);
    expect(err.message).toMatch(/another task running on it at the same time ended with TimeoutError/);
    expect(err.cause).toBeInstanceOf(TimeoutError);
    expect(await within(t.pool.apply(tasks.square, [4]), 30_000, 'pool.apply(tasks.square, …)')).toBe(16);
  });

  it('an abort does the same to the tasks running beside the aborted one', async () => {
    t.pool = new Pool({ processes: 1, concurrentTasksPerWorker: 2, context: getContext(method) });
    const controller = new AbortController();
    const beside = t.pool.apply(ctasks.gated, [t.gate.path, 0]);
    const aborted = t.pool.apply(ctasks.gated, [t.gate.path, 1], { signal: controller.signal });
    await t.gate.arrived(2);
    controller.abort();
    expect(
      (
        (await within(
          aborted.catch((e: unknown) => e),
          30_000,
          'aborted',
        )) as Error
      ).name,
    ).toBe('AbortError');
    const err = (await within(
      beside.catch((e: unknown) => e),
      30_000,
      'beside',
    )) as WorkerLostError;
    expect(err).toBeInstanceOf(WorkerLostError);
    expect((err.cause as Error).name).toBe('AbortError');
  });

  it('maxTasksPerChild counts tasks: a worker that ran its share at once is replaced', async () => {
    t.pool = new Pool({
      processes: 1,
      concurrentTasksPerWorker: 2,
      maxTasksPerChild: 2,
      context: getContext(method),
    });
    const calls = [0, 1, 2, 3].map((id) => t.pool!.apply(ctasks.gated, [t.gate.path, id]));
    // Its replacement starts as soon as it is given its second task, and takes the next two.
    await t.gate.arrived(4);
    for (const id of [0, 1, 2, 3]) t.gate.release(id);
    const results = await within(Promise.all(calls), 30_000, 'the gated tasks');
    expect(results[0]!.worker).toBe(results[1]!.worker);
    expect(results[2]!.worker).toBe(results[3]!.worker);
    expect(results[2]!.worker).not.toBe(results[0]!.worker);
  });

  it('two workers with two slots each share the load and return every result', async () => {
    t.pool = new Pool({ processes: 2, concurrentTasksPerWorker: 2, context: getContext(method) });
    const calls = [0, 1, 2, 3].map((id) => t.pool!.apply(ctasks.gated, [t.gate.path, id]));
    await t.gate.arrived(4);
    for (const id of [0, 1, 2, 3]) t.gate.release(id);
    const results = await within(Promise.all(calls), 30_000, 'the gated tasks');
    expect(results.map((r) => r.id)).toEqual([0, 1, 2, 3]);
    expect(new Set(results.map((r) => r.worker)).size).toBe(2);
    // Sync tasks still run, in order of their results.
    expect(await within(t.pool.map(tasks.square, [1, 2, 3, 4, 5]), 30_000, 'pool.map')).toEqual([
      1, 4, 9, 16, 25,
    ]);
  });
});
