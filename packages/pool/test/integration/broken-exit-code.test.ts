/**
 * BrokenPoolError carries the exit code of the worker whose death broke the
 * pool: in its message (after Python's text, kept as a prefix) and in its
 * cause, a WorkerLostError with `exitcode`. The workers call process.exit(7).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getContext } from '@multiprocessing/process';
import {
  BrokenPoolError,
  moduleRef,
  Pool,
  ProcessPoolExecutor,
  WorkerLostError,
} from '@multiprocessing/pool';
import type * as StartupModule from '../fixtures/startup.mjs';
import { range, startMethods, tasks, within } from '../helpers.js';

const fx = moduleRef<typeof StartupModule>(new URL('../fixtures/startup.mjs', import.meta.url));

const kFuturePrefix =
  'A process in the process pool was terminated abruptly while the future was running or pending.';
const kSubmitPrefix = 'A child process terminated abruptly, the process pool is not usable anymore';

/** The error `promise` rejects with (fails the test if it resolves); bounded. */
async function rejection(promise: PromiseLike<unknown>, what: string): Promise<Error> {
  const outcome = await within(
    Promise.resolve(promise).then(
      (value: unknown) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    ),
    30_000,
    what,
  );
  if (outcome.ok) throw new Error(`${what}: resolved, expected a rejection`);
  return outcome.error as Error;
}

function expectExit7(err: Error, prefix: string): void {
  expect(err).toBeInstanceOf(BrokenPoolError);
  expect(err.message.startsWith(prefix)).toBe(true);
  expect(err.message.slice(prefix.length)).toMatch(/^ \(worker PoolWorker-\d+ exited with code 7\)$/);
  const cause = err.cause as WorkerLostError;
  expect(cause).toBeInstanceOf(WorkerLostError);
  expect(cause.exitcode).toBe(7);
  expect(err.message).toContain(cause.workerName);
}

describe.each(startMethods)('BrokenPoolError carries the exit code [%s]', (method) => {
  let executor: ProcessPoolExecutor | undefined;
  let pool: Pool | undefined;
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mp-exit-code-'));
  });
  afterEach(async () => {
    if (executor) await within(executor.terminateWorkers(), 30_000, 'executor.terminateWorkers()');
    if (pool) await within(pool.terminate(), 30_000, 'pool.terminate()');
    executor = undefined;
    pool = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('an executor whose worker calls process.exit(7) while running a future', async () => {
    executor = new ProcessPoolExecutor({ maxWorkers: 1, context: getContext(method) });
    const dying = executor.submit(tasks.exitWith, 7);
    const pending = range(2).map(() => executor!.submit(tasks.square, 2));
    for (const future of [dying, ...pending]) expectExit7(await rejection(future, 'future'), kFuturePrefix);
    let submitError: unknown;
    try {
      executor.submit(tasks.square, 1);
    } catch (e) {
      submitError = e;
    }
    expectExit7(submitError as Error, kSubmitPrefix);
  });

  it('an executor whose worker calls process.exit(7) while starting', async () => {
    executor = new ProcessPoolExecutor({
      maxWorkers: 1,
      initializer: fx.exitOnStartWith,
      initArgs: [dir, 7],
      context: getContext(method),
    });
    expectExit7(await rejection(executor.submit(fx.square, 2), 'future'), kFuturePrefix);
  });

  it("a Pool's workers failed to start: the last one's exit code", async () => {
    pool = new Pool({
      processes: 1,
      initializer: fx.exitOnStartWith,
      initArgs: [dir, 7],
      context: getContext(method),
    });
    const err = await rejection(pool.apply(fx.square, [3]), 'apply');
    expect(err).toBeInstanceOf(BrokenPoolError);
    expect(err.message).toMatch(
      /^3 pool workers in a row failed to start, the pool is not usable anymore: Worker PoolWorker-\d+ exited with code 7 while starting$/,
    );
    const cause = err.cause as WorkerLostError;
    expect(cause).toBeInstanceOf(WorkerLostError);
    expect(cause.exitcode).toBe(7);
  });
});
