/**
 * parity: concurrent.futures.wait / as_completed with real executors, under
 * each start method and with futures of a thread executor and a process
 * executor mixed in one call. A future that must stay unfinished runs
 * tasks.forever (it ends only when its worker is terminated), so no result
 * depends on timing.
 * https://docs.python.org/3/library/concurrent.futures.html#module-functions
 */
import { getContext } from '@multiprocessing/process';
import {
  ALL_COMPLETED,
  asCompleted,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  Future,
  ProcessPoolExecutor,
  TimeoutError,
  wait,
} from '@multiprocessing/pool';
import { startMethods, tasks, within } from '../helpers.js';

const other = { thread: 'process', process: 'thread' } as const;

describe.each(startMethods)('parity: concurrent.futures.wait and as_completed [%s]', (method) => {
  let executors: ProcessPoolExecutor[] = [];
  afterEach(async () => {
    for (const e of executors) await within(e.terminateWorkers(), 30_000, 'terminateWorkers()');
    executors = [];
  });
  function executor(maxWorkers: number, m: 'thread' | 'process' = method): ProcessPoolExecutor {
    const e = new ProcessPoolExecutor({ maxWorkers, context: getContext(m) });
    executors.push(e);
    return e;
  }

  it('FIRST_COMPLETED, FIRST_EXCEPTION and ALL_COMPLETED over futures of two executors', async () => {
    const a = executor(2);
    const b = executor(2, other[method]);
    const stuck = a.submit(tasks.forever);
    const quick = b.submit(tasks.square, 6);
    const first = await within(
      wait([stuck, quick], { returnWhen: FIRST_COMPLETED }),
      30_000,
      'FIRST_COMPLETED',
    );
    expect(first.done).toEqual(new Set([quick]));
    expect(first.notDone).toEqual(new Set([stuck]));
    expect(await quick).toBe(36);

    const failing = b.submit(tasks.failOn, 1, 1);
    const ex = await within(
      wait([quick, stuck, failing], { returnWhen: FIRST_EXCEPTION }),
      30_000,
      'FIRST_EXCEPTION',
    );
    expect(ex.done).toEqual(new Set([quick, failing]));
    expect(ex.notDone).toEqual(new Set([stuck]));

    const all = await within(
      wait([quick, failing, stuck, quick], { returnWhen: ALL_COMPLETED, timeout: 0.2 }),
      30_000,
      'ALL_COMPLETED with a timeout',
    );
    expect(all.done).toEqual(new Set([quick, failing]));
    expect(all.notDone).toEqual(new Set([stuck]));
  });

  it('a cancelled future counts as done, and not as an exception', async () => {
    const a = executor(1);
    const stuck = a.submit(tasks.forever);
    const queued = a.submit(tasks.square, 2);
    expect(queued.cancel()).toBe(true);
    const { done, notDone } = await within(
      wait([stuck, queued], { returnWhen: FIRST_EXCEPTION, timeout: 0 }),
      30_000,
      'wait',
    );
    expect(done).toEqual(new Set([queued]));
    expect(notDone).toEqual(new Set([stuck]));
  });

  it('asCompleted yields Futures as they complete, then times out on the one left (timeout 0)', async () => {
    const a = executor(2);
    const b = executor(1, other[method]);
    const stuck = a.submit(tasks.forever);
    const done = b.submit(tasks.add, 1, 2);
    await within(done, 30_000, 'first future');
    const failing = a.submit(tasks.failOn, 3, 3);
    const seen: Future<unknown>[] = [];
    // No timeout: the loop waits for the failing future, then stops itself.
    for await (const { future } of asCompleted([stuck, done, failing, done])) {
      expect(future).toBeInstanceOf(Future);
      expect(future.done()).toBe(true);
      seen.push(future);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([done, failing]);
    // Timeout 0: the done futures, then TimeoutError for the one left.
    const again: Future<unknown>[] = [];
    let error: unknown;
    try {
      for await (const { future } of asCompleted([stuck, done, failing], { timeout: 0 })) again.push(future);
    } catch (e) {
      error = e;
    }
    expect(again).toEqual([done, failing]);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe('1 (of 3) futures unfinished');
    expect(stuck.done()).toBe(false);
  });
});
