/**
 * Workers that die while they start (an initializer that exits or throws, a
 * heap too small to boot). Python's Pool respawns them for ever and the
 * caller hangs; here the Pool retries a few times, then breaks with
 * BrokenPoolError, and the executor breaks at once.
 *
 * Starts are counted by the fixture (start n creates `start-n` in a temporary
 * directory), so the bound on restarts is checked without timing.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { types } from 'node:util';
import { getContext } from '@multiprocessing/process';
import {
  BrokenPoolError,
  moduleRef,
  Pool,
  ProcessPoolExecutor,
  WorkerLostError,
} from '@multiprocessing/pool';
import type * as StartupModule from '../fixtures/startup.mjs';
import { range, startMethods, within } from '../helpers.js';

const fx = moduleRef<typeof StartupModule>(new URL('../fixtures/startup.mjs', import.meta.url));

/** Failed starts in a row after which the Pool breaks (kMaxStartFailures). */
const kLimit = 3;
/** Bound on every wait of this file (jest's own timeout is 60 s); far beyond what a passing test needs. */
const kBoundMs = 20_000;

/** `promise`, or a rejection naming `what` once kBoundMs have passed: no test waits for ever. */
function bounded<T>(promise: Promise<T>, what: string): Promise<T> {
  return within(promise, kBoundMs, what);
}

/** The error a promise rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>, what: string): Promise<Error> {
  const outcome = await bounded(
    promise.then(
      (value: unknown) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    ),
    what,
  );
  if (outcome.ok)
    throw new Error(`${what}: resolved with ${JSON.stringify(outcome.value)}, expected a rejection`);
  expect(outcome.error).toBeInstanceOf(Error);
  return outcome.error as Error;
}

let dir = '';
let pool: Pool | undefined;
let executor: ProcessPoolExecutor | undefined;

function starts(): number {
  return readdirSync(dir).filter((name) => name.startsWith('start-')).length;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mp-startup-'));
});

afterEach(async () => {
  if (pool) await bounded(pool.terminate(), 'pool.terminate()');
  if (executor) await bounded(executor.terminateWorkers(), 'executor.terminateWorkers()');
  pool = undefined;
  executor = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** The pool's workers have all exited; none was started after the break. */
async function expectEnded(p: Pool, startedAtBreak: number): Promise<void> {
  p.close();
  await bounded(p.join(), 'join() after the pool broke');
  expect(p.stats().workers).toBe(0);
  expect(p.stats().workersStarted).toBe(startedAtBreak);
}

describe.each(startMethods)('Pool whose workers die while starting [%s]', (method) => {
  it('an initializer that calls process.exit(1) breaks the pool after a bounded number of starts', async () => {
    pool = new Pool({
      processes: 2,
      initializer: fx.exitOnStart,
      initArgs: [dir],
      context: getContext(method),
    });
    const err = await rejection(pool.map(fx.square, range(8), { chunksize: 1 }), 'map');
    expect(err).toBeInstanceOf(BrokenPoolError);
    expect(err.message).toMatch(
      /^3 pool workers in a row failed to start, the pool is not usable anymore: Worker PoolWorker-\d+ exited with code 1 while starting$/,
    );
    const cause = err.cause as WorkerLostError;
    expect(cause).toBeInstanceOf(WorkerLostError);
    expect(cause.exitcode).toBe(1);
    expect(err.message).toContain(cause.message);
    expect(cause.stack).toContain(cause.message);
    // Two workers at first, one replacement per failure until the limit.
    const started = pool.stats().workersStarted;
    expect(started).toBeGreaterThanOrEqual(kLimit);
    expect(started).toBeLessThanOrEqual(2 + kLimit - 1);
    expect(starts()).toBeGreaterThanOrEqual(kLimit);
    expect(starts()).toBeLessThanOrEqual(started);

    // Every new call fails the same way, and starts nothing.
    const again = await rejection(pool.apply(fx.square, [3]), 'apply after the break');
    expect(again).toBeInstanceOf(BrokenPoolError);
    expect(again.message).toBe(err.message);
    expect(again.cause).toBe(cause);
    expect(() => pool?.applyAsync(fx.square, [3])).toThrow(BrokenPoolError);
    await expectEnded(pool, started);
    expect(starts()).toBeLessThanOrEqual(started);
  });

  it('an initializer that throws rejects calls with its error, then breaks the pool', async () => {
    pool = new Pool({
      processes: 1,
      initializer: fx.throwOnStart,
      initArgs: [dir],
      context: getContext(method),
    });
    // One worker at a time, and a failed start restarts only for waiting work:
    // each call starts one worker, until the third failure breaks the pool.
    const errors: Error[] = [];
    for (let i = 0; i < kLimit + 1; i++)
      errors.push(await rejection(pool.apply(fx.square, [i]), `apply ${String(i)}`));
    expect(errors.map((e) => e.constructor.name)).toEqual([
      'RangeError',
      'RangeError',
      'BrokenPoolError',
      'BrokenPoolError',
    ]);
    for (const e of errors.slice(0, 2)) {
      expect(e.message).toBe('startup fixture: initializer failed on purpose');
      expect(e.stack).toContain('startup.mjs');
    }
    const [, , broken, after] = errors as [Error, Error, Error, Error];
    // The dead worker's exit code in the message and the cause; the initializer's error below it.
    expect(broken.message).toMatch(
      /^3 pool workers in a row failed to start, the pool is not usable anymore: Worker PoolWorker-\d+ exited with code 1 while starting: startup fixture: initializer failed on purpose$/,
    );
    const lost = broken.cause as WorkerLostError;
    expect(lost).toBeInstanceOf(WorkerLostError);
    expect(lost.exitcode).toBe(1);
    const cause = lost.cause as Error;
    expect(cause).toBeInstanceOf(RangeError);
    expect(cause.message).toBe('startup fixture: initializer failed on purpose');
    // The child's stack: the line of the initializer that threw.
    expect(cause.stack).toContain('startup.mjs');
    expect(after.cause).toBe(lost);
    expect(starts()).toBe(kLimit);
    await expectEnded(pool, kLimit);
    expect(starts()).toBe(kLimit);
  });

  it('a worker that fails to start once is replaced, and the call succeeds', async () => {
    pool = new Pool({
      processes: 1,
      initializer: fx.exitOnFirstStart,
      initArgs: [dir],
      context: getContext(method),
    });
    expect(await bounded(pool.map(fx.square, range(6), { chunksize: 1 }), 'map')).toEqual([
      0, 1, 4, 9, 16, 25,
    ]);
    expect(starts()).toBe(2);
    expect(await bounded(pool.apply(fx.square, [7]), 'apply')).toBe(49);
    expect(pool.stats().workersStarted).toBe(2);
  });

  it('a successful start resets the count of failed starts', async () => {
    // Starts 1, 2 fail, 3 works; the task kills it; starts 4, 5 fail, 6 works.
    // Counted without reset, start 4 would be the third failure.
    pool = new Pool({
      processes: 1,
      initializer: fx.exitTwiceInThree,
      initArgs: [dir],
      context: getContext(method),
    });
    expect(await bounded(pool.apply(fx.square, [2]), 'first apply')).toBe(4);
    expect(starts()).toBe(3);
    const lost = await rejection(pool.apply(fx.exitWith, [5]), 'apply that exits');
    expect(lost).toBeInstanceOf(WorkerLostError);
    expect(await bounded(pool.apply(fx.square, [3]), 'apply after two more failed starts')).toBe(9);
    expect(starts()).toBe(6);
  });
});

describe('Pool whose workers run out of memory while starting [thread]', () => {
  it('resourceLimits too small to boot breaks the pool after a bounded number of starts', async () => {
    pool = new Pool({
      processes: 2,
      initializer: fx.countOnStart,
      initArgs: [dir],
      resourceLimits: { maxOldGenerationSizeMb: 1 },
    });
    const err = await rejection(pool.map(fx.square, range(8), { chunksize: 1 }), 'map');
    expect(err).toBeInstanceOf(BrokenPoolError);
    expect(err.message).toMatch(
      /^3 pool workers in a row failed to start, the pool is not usable anymore: Worker PoolWorker-\d+ exited with code -?\d+ while starting: .*memory/,
    );
    const cause = err.cause as WorkerLostError;
    expect(cause).toBeInstanceOf(WorkerLostError);
    // The worker's own error, with its stack (made by Node in another realm than jest's: no toBeInstanceOf).
    const oom = cause.cause as Error & { code?: string };
    expect(types.isNativeError(oom)).toBe(true);
    expect(oom.code).toBe('ERR_WORKER_OUT_OF_MEMORY');
    expect(cause.message).toContain(oom.message);
    expect(oom.stack).toContain(oom.message);
    const started = pool.stats().workersStarted;
    expect(started).toBeGreaterThanOrEqual(kLimit);
    expect(started).toBeLessThanOrEqual(2 + kLimit - 1);
    // Such a worker dies before its initializer runs, if not, at most every start counted.
    expect(starts()).toBeLessThanOrEqual(started);
    await expectEnded(pool, started);
  });
});

describe.each(startMethods)('ProcessPoolExecutor whose workers die while starting [%s]', (method) => {
  it('an initializer that calls process.exit(1) breaks the executor at once', async () => {
    executor = new ProcessPoolExecutor({
      maxWorkers: 2,
      initializer: fx.exitOnStart,
      initArgs: [dir],
      context: getContext(method),
    });
    const futures = [executor.submit(fx.square, 2), executor.submit(fx.square, 3)];
    for (const future of futures) {
      const err = await rejection(future.result(), 'future');
      expect(err).toBeInstanceOf(BrokenPoolError);
      const cause = err.cause as WorkerLostError;
      expect(cause).toBeInstanceOf(WorkerLostError);
      expect(cause.message).toMatch(/^Worker PoolWorker-\d+ exited with code 1 while starting$/);
      expect(cause.exitcode).toBe(1);
    }
    let submitError: unknown;
    try {
      executor.submit(fx.square, 4);
    } catch (e) {
      submitError = e;
    }
    expect(submitError).toBeInstanceOf(BrokenPoolError);
    expect((submitError as Error).cause).toBeInstanceOf(WorkerLostError);
    expect(starts()).toBeGreaterThanOrEqual(1);
    expect(starts()).toBeLessThanOrEqual(2);
    await bounded(executor.shutdown(), 'shutdown');
    expect(starts()).toBeLessThanOrEqual(2);
  });

  it("an initializer that throws breaks the executor: the worker's exit code, then its error, as causes", async () => {
    executor = new ProcessPoolExecutor({
      maxWorkers: 1,
      initializer: fx.throwOnStart,
      initArgs: [dir],
      context: getContext(method),
    });
    const err = await rejection(executor.submit(fx.square, 2).result(), 'future');
    expect(err).toBeInstanceOf(BrokenPoolError);
    expect(err.message).toMatch(
      /^A process in the process pool was terminated abruptly while the future was running or pending\. \(worker PoolWorker-\d+ exited with code 1\)$/,
    );
    const lost = err.cause as WorkerLostError;
    expect(lost).toBeInstanceOf(WorkerLostError);
    expect(lost.exitcode).toBe(1);
    expect(lost.message).toMatch(
      /^Worker PoolWorker-\d+ exited with code 1 while starting: startup fixture: initializer failed on purpose$/,
    );
    const cause = lost.cause as Error;
    expect(cause).toBeInstanceOf(RangeError);
    expect(cause.message).toBe('startup fixture: initializer failed on purpose');
    expect(cause.stack).toContain('startup.mjs');
    expect(() => executor?.submit(fx.square, 3)).toThrow(BrokenPoolError);
    await bounded(executor.shutdown(), 'shutdown');
    expect(starts()).toBe(1);
  });
});
