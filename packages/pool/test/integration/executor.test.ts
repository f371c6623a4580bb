/**
 * parity: concurrent.futures.ProcessPoolExecutor and Future.
 * https://docs.python.org/3/library/concurrent.futures.html#processpoolexecutor
 */
import { getContext } from '@multiprocessing/process';
import {
  BrokenPoolError,
  CancelledError,
  Future,
  ProcessPoolExecutor,
  StateError,
  TimeoutError,
  WorkerLostError,
} from '@multiprocessing/pool';
import { collect, range, startMethods, tasks, within } from '../helpers.js';

describe.each(startMethods)('parity: concurrent.futures.ProcessPoolExecutor [%s]', (method) => {
  let executor: ProcessPoolExecutor | undefined;
  afterEach(async () => {
    if (executor) await within(executor.terminateWorkers(), 30_000, 'executor.terminateWorkers()');
    executor = undefined;
  });

  it('submit returns a thenable Future with every state method', async () => {
    executor = new ProcessPoolExecutor({ maxWorkers: 2, context: getContext(method) });
    const future = executor.submit(tasks.add, 2, 3);
    expect(future).toBeInstanceOf(Future);
    expect(future.cancelled()).toBe(false);
    expect(await within(future, 30_000, 'awaiting future')).toBe(5);
    expect(await within(future.result(), 30_000, 'future.result()')).toBe(5);
    expect(await within(future.exception(), 30_000, 'future.exception()')).toBeUndefined();
    expect(future.done()).toBe(true);
    expect(future.running()).toBe(false);
    expect(future.cancel()).toBe(false);
    const order: string[] = [];
    future.addDoneCallback(() => order.push('at once'));
    expect(order).toEqual(['at once']);
  });

  it('result(timeout) and exception(timeout) only limit the wait', async () => {
    executor = new ProcessPoolExecutor({ maxWorkers: 1, context: getContext(method) });
    const flagged = executor.submit(tasks.spin, 300);
    await expect(flagged.result(0.01)).rejects.toBeInstanceOf(TimeoutError);
    await expect(flagged.exception(0.01)).rejects.toBeInstanceOf(TimeoutError);
    expect(await flagged.result(30)).toBe(300);
    const failing = executor.submit(tasks.failOn, 1, 1);
    const err = await within(failing.exception(), 30_000, 'failing.exception()');
    expect(err).toBeInstanceOf(TypeError);
    await expect(within(failing.result(), 30_000, 'failing.result()')).rejects.toThrow('bad item 1');
  });

  it('running() while a worker has it; cancel() only while pending; callbacks in order', async () => {
    executor = new ProcessPoolExecutor({ maxWorkers: 1, context: getContext(method) });
    const first = executor.submit(tasks.spin, 200);
    const second = executor.submit(tasks.square, 3);
    await new Promise((resolve) => setImmediate(resolve));
    expect(first.running()).toBe(true);
    expect(first.cancel()).toBe(false);
    const calls: string[] = [];
    second.addDoneCallback((f) => calls.push(`one:${String(f.cancelled())}`));
    second.addDoneCallback(() => calls.push('two'));
    expect(second.cancel()).toBe(true);
    expect(second.cancel()).toBe(true);
    expect(second.cancelled()).toBe(true);
    expect(second.done()).toBe(true);
    expect(calls).toEqual(['one:true', 'two']);
    await expect(within(second.result(), 30_000, 'second.result()')).rejects.toBeInstanceOf(CancelledError);
    await expect(within(second.exception(), 30_000, 'second.exception()')).rejects.toBeInstanceOf(
      CancelledError,
    );
    expect(await within(first, 30_000, 'awaiting first')).toBe(200);
  });

  it('map yields results in input order, with chunks too', async () => {
    executor = new ProcessPoolExecutor({ maxWorkers: 2, context: getContext(method) });
    expect(await within(collect(executor.map(tasks.square, range(100))), 30_000, 'collect(…)')).toEqual(
      range(100).map((x) => x * x),
    );
    expect(
      await within(collect(executor.map(tasks.square, range(100), { chunksize: 7 })), 30_000, 'collect(…)'),
    ).toEqual(range(100).map((x) => x * x));
    expect(() => executor?.map(tasks.square, [1], { chunksize: 0 })).toThrow(
      new RangeError('chunksize must be >= 1.'),
    );
  });

  it('map raises an error when its item is reached', async () => {
    executor = new ProcessPoolExecutor({ maxWorkers: 2, context: getContext(method) });
    const seen: number[] = [];
    const failing = (x: number): number => {
      if (x === 3) throw new RangeError('three');
      return x;
    };
    const consumed = (async () => {
      for await (const x of executor.map(failing, range(6))) seen.push(x);
    })();
    await expect(within(consumed, 30_000, 'executor.map(failing, …)')).rejects.toThrow('three');
    expect(seen).toEqual([0, 1, 2]);
  });

  it('map timeout counts from the call', async () => {
    executor = new ProcessPoolExecutor({ maxWorkers: 1, context: getContext(method) });
    // A worker up first, so the deadline measures the tasks only.
    await within(executor.submit(tasks.square, 1), 30_000, 'executor.submit(tasks.square, …)');
    const before = Date.now();
    const it = executor.map(tasks.identity, [10], { timeout: 30 });
    expect(await within(it.next(), 30_000, 'it.next()')).toEqual({ done: false, value: 10 });
    const slow = executor.map(tasks.forever, [1], { timeout: 0.3 });
    await expect(within(slow.next(), 30_000, 'slow.next()')).rejects.toBeInstanceOf(TimeoutError);
    expect(Date.now() - before).toBeGreaterThanOrEqual(250);
  });

  it('terminateWorkers() ends running work with BrokenPoolError and cancels the rest', async () => {
    executor = new ProcessPoolExecutor({ maxWorkers: 1, context: getContext(method) });
    const running = executor.submit(tasks.forever);
    const pending = executor.submit(tasks.square, 2);
    await new Promise((resolve) => setImmediate(resolve));
    await within(executor.terminateWorkers(), 30_000, 'executor.terminateWorkers()');
    await expect(within(running, 30_000, 'awaiting running')).rejects.toBeInstanceOf(BrokenPoolError);
    expect(pending.cancelled()).toBe(true);
    expect(() => executor?.submit(tasks.square, 1)).toThrow(StateError);
  });

  it('shutdown refuses later submits and waits for pending work', async () => {
    executor = new ProcessPoolExecutor({ maxWorkers: 2, context: getContext(method) });
    const futures = range(6).map((i) => executor!.submit(tasks.asyncSquare, i));
    await within(executor.shutdown(), 30_000, 'executor.shutdown()');
    expect(futures.every((f) => f.done())).toBe(true);
    expect(await within(Promise.all(futures), 30_000, 'Promise.all(futures)')).toEqual(
      range(6).map((x) => x * x),
    );
    expect(() => executor?.submit(tasks.square, 1)).toThrow(
      new StateError('cannot schedule new futures after shutdown'),
    );
    expect(() => executor?.map(tasks.square, [1])).toThrow('cannot schedule new futures after shutdown');
  });

  it('shutdown with cancelFutures cancels what has not started', async () => {
    executor = new ProcessPoolExecutor({ maxWorkers: 1, context: getContext(method) });
    const running = executor.submit(tasks.spin, 200);
    const pending = range(5).map(() => executor!.submit(tasks.square, 2));
    await new Promise((resolve) => setImmediate(resolve));
    await within(executor.shutdown({ wait: true, cancelFutures: true }), 30_000, 'executor.shutdown(…)');
    expect(await within(running, 30_000, 'awaiting running')).toBe(200);
    expect(pending.every((f) => f.cancelled())).toBe(true);
  });

  it('a dead worker breaks the executor: each pending future gets its own BrokenPoolError', async () => {
    executor = new ProcessPoolExecutor({ maxWorkers: 1, context: getContext(method) });
    const dying = executor.submit(tasks.exitWith, 3);
    const pending = range(3).map(() => executor!.submit(tasks.square, 2));
    const errors = (await within(
      Promise.all([dying, ...pending].map((f) => f.exception())),
      30_000,
      'Promise.all(…)',
    )) as Error[];
    for (const err of errors) {
      expect(err).toBeInstanceOf(BrokenPoolError);
      // Python's text first, then the dead worker's exit code.
      expect(err.message).toMatch(
        /^A process in the process pool was terminated abruptly while the future was running or pending\. \(worker PoolWorker-\d+ exited with code 3\)$/,
      );
      expect(err.cause).toBeInstanceOf(WorkerLostError);
      expect((err.cause as WorkerLostError).exitcode).toBe(3);
    }
    expect(new Set(errors).size).toBe(errors.length);
    expect(() => executor?.submit(tasks.square, 1)).toThrow(BrokenPoolError);
    expect(() => executor?.submit(tasks.square, 1)).toThrow(
      /^A child process terminated abruptly, the process pool is not usable anymore \(worker PoolWorker-\d+ exited with code 3\)$/,
    );
  });

  it('starts workers on demand and recycles them with maxTasksPerChild', async () => {
    executor = new ProcessPoolExecutor({ maxWorkers: 1, maxTasksPerChild: 2, context: getContext(method) });
    const idents: number[] = [];
    for (let i = 0; i < 4; i++)
      idents.push(
        (
          (await within(executor.submit(tasks.whoami), 30_000, 'executor.submit(tasks.whoami)')) as {
            ident: number;
          }
        ).ident,
      );
    expect(new Set(idents).size).toBe(2);
  });

  it('validates its options', () => {
    expect(() => new ProcessPoolExecutor({ maxWorkers: 0 })).toThrow(
      new RangeError('maxWorkers must be greater than 0'),
    );
    expect(() => new ProcessPoolExecutor({ maxWorkers: -1 })).toThrow(RangeError);
    expect(() => new ProcessPoolExecutor({ initializer: 5 as never })).toThrow(TypeError);
  });

  it('await using shuts it down', async () => {
    let outer: ProcessPoolExecutor | undefined;
    {
      await using ex = new ProcessPoolExecutor({ maxWorkers: 1, context: getContext(method) });
      outer = ex;
      expect(await within(ex.submit(tasks.square, 4), 30_000, 'ex.submit(tasks.square, …)')).toBe(16);
    }
    expect(() => outer.submit(tasks.square, 1)).toThrow(StateError);
  });
});
