/**
 * The `finalizer` option: a task each worker runs before it exits cleanly
 * (close()+join(), maxTasksPerChild and maxMemoryPerChild recycling), not on
 * terminate(). A failing or overrunning finalizer is a FinalizerWarning.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getContext } from '@multiprocessing/process';
import { FinalizerWarning, moduleRef, Pool, ProcessPoolExecutor, TimeoutError } from '@multiprocessing/pool';
import type * as LifecycleTasks from '../fixtures/lifecycle-tasks.mjs';
import { startMethods, within } from '../helpers.js';

const life = moduleRef<typeof LifecycleTasks>(new URL('../fixtures/lifecycle-tasks.mjs', import.meta.url));

/** The lines of `file` (none if it does not exist), sorted. */
function lines(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).sort();
}

/** Collects the FinalizerWarnings emitted while it is installed. */
function catchWarnings(): { warnings: FinalizerWarning[]; stop: () => void } {
  const warnings: FinalizerWarning[] = [];
  const listener = (w: Error): void => {
    if (w instanceof FinalizerWarning) warnings.push(w);
  };
  process.on('warning', listener);
  return {
    warnings,
    stop: () => {
      process.off('warning', listener);
    },
  };
}

/** One turn of the event loop: process.emitWarning emits on the next tick. */
function turn(): Promise<void> {
  return new Promise((resolve) => {
    setImmediate(resolve);
  });
}

describe.each(startMethods)('Pool finalizer [%s]', (method) => {
  let pool: Pool | undefined;
  let dir: string;
  let file: string;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mp-finalizer-'));
    file = join(dir, 'log');
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    process.off('unhandledRejection', onUnhandled);
    if (pool) await within(pool.terminate(), 30_000, 'pool.terminate()');
    pool = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs once in every worker on close() + join(), with finalizerArgs; async finalizers are awaited', async () => {
    pool = new Pool({
      processes: 2,
      finalizer: life.appendNameLater,
      finalizerArgs: [file, 'bye'],
      context: getContext(method),
    });
    const who = await within(pool.apply(life.whoami), 30_000, 'pool.apply(whoami)');
    expect(lines(file)).toEqual([]);
    pool.close();
    await within(pool.join(), 30_000, 'pool.join()');
    const got = lines(file);
    expect(got).toHaveLength(2);
    expect(new Set(got).size).toBe(2);
    expect(got.every((l) => l.startsWith('bye PoolWorker-'))).toBe(true);
    expect(got).toContain(`bye ${who.name}`);
  });

  it('runs in a worker replaced by maxTasksPerChild', async () => {
    pool = new Pool({
      processes: 1,
      maxTasksPerChild: 1,
      finalizer: life.appendName,
      finalizerArgs: [file, 'done'],
      context: getContext(method),
    });
    const names: string[] = [];
    for (let i = 0; i < 3; i++) {
      names.push((await within(pool.apply(life.whoami), 30_000, 'pool.apply(whoami)')).name);
    }
    expect(new Set(names).size).toBe(3);
    pool.close();
    await within(pool.join(), 30_000, 'pool.join()');
    // The three that ran a task, and the replacement of the last (which ran none).
    const got = lines(file);
    for (const name of names) expect(got).toContain(`done ${name}`);
    expect(got).toHaveLength(4);
  });

  it('does not run on terminate()', async () => {
    pool = new Pool({
      processes: 1,
      finalizer: life.appendName,
      finalizerArgs: [file, 'never'],
      context: getContext(method),
    });
    await within(pool.apply(life.whoami), 30_000, 'pool.apply(whoami)');
    await within(pool.terminate(), 30_000, 'pool.terminate()');
    expect(lines(file)).toEqual([]);
  });

  it.each([
    ['throws', life.throwError, RangeError],
    ['rejects', life.rejectLater, TypeError],
  ] as const)(
    'a finalizer that %s is a FinalizerWarning; the worker exits and join() resolves',
    async (_, fn, cls) => {
      const caught = catchWarnings();
      try {
        pool = new Pool({
          processes: 2,
          finalizer: fn,
          finalizerArgs: ['cleanup failed'],
          context: getContext(method),
        });
        await within(pool.apply(life.whoami), 30_000, 'pool.apply(whoami)');
        pool.close();
        await within(pool.join(), 30_000, 'pool.join()');
        await turn();
        expect(caught.warnings).toHaveLength(2);
        const w = caught.warnings[0]!;
        expect(w.name).toBe('FinalizerWarning');
        expect(w.code).toBe('ERR_MP_FINALIZER');
        expect(w.worker).toMatch(/^PoolWorker-\d+$/);
        expect(w.message).toBe(`The finalizer of worker ${w.worker} failed: cleanup failed`);
        expect(w.cause).toBeInstanceOf(cls);
        expect((w.cause as Error).message).toBe('cleanup failed');
        expect(new Set(caught.warnings.map((x) => x.worker)).size).toBe(2);
        expect(unhandled).toEqual([]);
      } finally {
        caught.stop();
      }
    },
  );

  it.each([
    ['never settles', life.hang],
    ['loops for ever', life.spinForever],
  ] as const)('a finalizer that %s is terminated after finalizerTimeout, with a warning', async (_, fn) => {
    const caught = catchWarnings();
    try {
      pool = new Pool({ processes: 1, finalizer: fn, finalizerTimeout: 0.2, context: getContext(method) });
      await within(pool.apply(life.whoami), 30_000, 'pool.apply(whoami)');
      pool.close();
      await within(pool.join(), 30_000, 'pool.join()');
      await turn();
      expect(caught.warnings).toHaveLength(1);
      const w = caught.warnings[0]!;
      expect(w.message).toBe(`The finalizer of worker ${w.worker} timed out; the worker was terminated`);
      expect(w.cause).toBeInstanceOf(TimeoutError);
      expect((w.cause as Error).message).toBe('the finalizer ran for more than 0.2 s');
      expect(unhandled).toEqual([]);
    } finally {
      caught.stop();
    }
  });

  it('a finalizer that cannot be loaded is a FinalizerWarning', async () => {
    const caught = catchWarnings();
    try {
      const missing = moduleRef<{ gone: () => void }>(
        new URL('../fixtures/no-such-module.mjs', import.meta.url),
      );
      pool = new Pool({ processes: 1, finalizer: missing.gone, context: getContext(method) });
      await within(pool.apply(life.whoami), 30_000, 'pool.apply(whoami)');
      pool.close();
      await within(pool.join(), 30_000, 'pool.join()');
      await turn();
      expect(caught.warnings).toHaveLength(1);
      expect(caught.warnings[0]!.message).toMatch(/^The finalizer of worker PoolWorker-\d+ failed: /);
    } finally {
      caught.stop();
    }
  });

  it('ProcessPoolExecutor runs it in each worker on shutdown()', async () => {
    const executor = new ProcessPoolExecutor({
      maxWorkers: 1,
      finalizer: life.appendName,
      finalizerArgs: [file, 'exec'],
      context: getContext(method),
    });
    try {
      const who = await within(executor.submit(life.whoami).result(), 30_000, 'future.result()');
      await within(executor.shutdown(), 30_000, 'executor.shutdown()');
      expect(lines(file)).toEqual([`exec ${who.name}`]);
    } finally {
      await executor.shutdown({ wait: false, cancelFutures: true });
    }
  });
});
