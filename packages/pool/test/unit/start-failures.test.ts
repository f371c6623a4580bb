/**
 * The start-up failure policy (src/internal/start-failures.ts), and the
 * scheduler when `launch()` itself refuses to start a worker (mocked: no
 * worker is started here).
 */
import { jest } from '@jest/globals';
import { BrokenPoolError, WorkerLostError } from '@multiprocessing/core';

const refusal = Object.assign(new Error('cannot start a worker: its entry module is missing\nsecond line'), {
  code: 'ERR_MP_ENTRY_NOT_FOUND',
});
let launches = 0;
jest.unstable_mockModule('@multiprocessing/process/internal', () => ({
  launch: () => {
    launches++;
    throw refusal;
  },
}));

const { kMaxStartFailures, StartFailures, startExitError } =
  await import('../../src/internal/start-failures.js');
const { Job } = await import('../../src/internal/job.js');
const { Scheduler } = await import('../../src/internal/scheduler.js');
type SchedulerOptions = ConstructorParameters<typeof Scheduler>[0];

describe('StartFailures', () => {
  it(`breaks after ${String(kMaxStartFailures)} failed starts in a row, with the failure as cause`, () => {
    const failures = new StartFailures();
    const cause = new RangeError('init failed\nat line 2');
    for (let i = 1; i < kMaxStartFailures; i++) expect(failures.failed(cause)).toBeUndefined();
    const broken = failures.failed(cause);
    expect(broken).toBeInstanceOf(BrokenPoolError);
    expect(broken?.message).toBe(
      `${String(kMaxStartFailures)} pool workers in a row failed to start, the pool is not usable anymore: init failed`,
    );
    expect(broken?.cause).toBe(cause);
  });

  it('a successful start resets the count', () => {
    const failures = new StartFailures();
    const cause = new Error('x');
    for (let round = 0; round < 3; round++) {
      for (let i = 1; i < kMaxStartFailures; i++) expect(failures.failed(cause)).toBeUndefined();
      failures.started();
    }
    for (let i = 1; i < kMaxStartFailures; i++) expect(failures.failed(cause)).toBeUndefined();
    expect(failures.failed(cause)).toBeInstanceOf(BrokenPoolError);
  });

  it('startExitError names the exit code and the first line of the worker error', () => {
    const oom = new Error('Worker terminated due to reaching memory limit\nmore');
    const err = startExitError('PoolWorker-7', 0, oom);
    expect(err).toBeInstanceOf(WorkerLostError);
    expect(err.message).toBe(
      'Worker PoolWorker-7 exited with code 0 while starting: Worker terminated due to reaching memory limit',
    );
    expect(err.exitcode).toBe(0);
    expect(err.cause).toBe(oom);
    const bare = startExitError('PoolWorker-8', 1, undefined);
    expect(bare.message).toBe('Worker PoolWorker-8 exited with code 1 while starting');
    expect('cause' in bare).toBe(false);
  });
});

describe('Scheduler when launch() refuses to start a worker', () => {
  const base: SchedulerOptions = {
    processes: 2,
    startMethod: 'thread',
    initializer: null,
    initArgs: [],
    initArgsPostable: false,
    maxTasksPerChild: undefined,
    resourceLimits: undefined,
    onWorkerLost: 'heal',
    lazy: true,
    prefetch: false,
  };

  async function failureOf(
    opts: SchedulerOptions,
  ): Promise<{ error: Error; scheduler: InstanceType<typeof Scheduler> }> {
    const scheduler = new Scheduler(opts);
    const failed = new Promise<Error>((resolve) => {
      const owner = {
        timeoutMs: undefined,
        finished: false,
        settle: (_job: unknown, _ok: boolean, value: unknown) => {
          resolve(value as Error);
        },
        fail: resolve,
      };
      scheduler.enqueue(new Job(scheduler.newJobId(), owner, 0, 0, [], undefined, 0, 1));
    });
    return { error: await failed, scheduler };
  }

  it('the Pool breaks at once, without retrying, with the refusal as cause', async () => {
    launches = 0;
    const { error, scheduler } = await failureOf(base);
    expect(launches).toBe(1);
    expect(error).toBeInstanceOf(BrokenPoolError);
    expect(error.message).toBe(
      'A pool worker could not be started, the pool is not usable anymore: cannot start a worker: its entry module is missing',
    );
    expect(error.cause).toBe(refusal);
    expect(scheduler.broken).toBe(error);
    await scheduler.join();
  });

  it('the executor breaks with its own error around the refusal', async () => {
    launches = 0;
    const { error, scheduler } = await failureOf({
      ...base,
      onWorkerLost: 'break',
      brokenError: (cause) => new BrokenPoolError('executor broken', { cause }),
    });
    expect(launches).toBe(1);
    expect(error).toBeInstanceOf(BrokenPoolError);
    expect(error.message).toBe('executor broken');
    expect(error.cause).toBe(refusal);
    await scheduler.join();
  });
});
