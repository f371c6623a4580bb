/**
 * The scheduler's parts driven with fake launches (test/unit/fake-launch.ts):
 * dead workers (heal or break), the start-failure limit, work stealing,
 * stats, and results that arrive out of order. No worker is started.
 */
import { jest } from '@jest/globals';
import { BrokenPoolError, ProcessError, WorkerLostError } from '@multiprocessing/core';
import { kMaxStartFailures } from '../../src/internal/start-failures.js';
import { Scheduler } from '../../src/internal/scheduler.js';
import { takeBackUnclaimed } from '../../src/internal/stealing.js';
import { serializeError } from '@multiprocessing/core/internal';
import { kClaimSlot, kFailed, kOk, kPoolMessage } from '../../src/internal/protocol.js';
import { fakeLauncher, outcomeOf, poolOptions, submit, turn, type FakeWorker } from './fake-launch.js';

const executorOptions = {
  ...poolOptions,
  onWorkerLost: 'break' as const,
  lazy: true,
  prefetch: false,
  brokenError: (cause: Error) => new BrokenPoolError('executor broken', { cause }),
};

/** Ends a scheduler and its fake workers. */
async function end(scheduler: Scheduler): Promise<void> {
  await scheduler.terminate();
}

function at(workers: FakeWorker[], i: number): FakeWorker {
  const w = workers[i];
  if (w === undefined) throw new Error(`no worker ${String(i)}`);
  return w;
}

describe('Scheduler with fake launches: a worker that dies mid-task (heal, the Pool)', () => {
  it('fails only its running task with WorkerLostError; its queued task goes to another worker', async () => {
    const { launcher, workers } = fakeLauncher();
    const scheduler = new Scheduler(poolOptions, launcher);
    expect(workers).toHaveLength(2);
    const [a, b] = [at(workers, 0), at(workers, 1)];
    a.ready();
    b.ready();
    const calls = [submit(scheduler, 1), submit(scheduler, 2), submit(scheduler, 3), submit(scheduler, 4)];
    await turn();
    // Two each (prefetch): a holds 1 and 3, b holds 2 and 4.
    expect(a.jobIds()).toEqual([calls[0]?.job.id, calls[2]?.job.id]);
    expect(b.jobIds()).toEqual([calls[1]?.job.id, calls[3]?.job.id]);
    expect(a.claim(1)).toBe(true);
    const crash = new Error('segfault in a native addon');
    a.exit(1, crash);
    await turn();
    await turn();
    // A replacement starts and gets the task a had not started.
    expect(workers).toHaveLength(3);
    const c = at(workers, 2);
    expect(c.jobIds()).toEqual([calls[2]?.job.id]);
    const lost = await outcomeOf(calls[0]?.outcome ?? Promise.resolve());
    expect(lost.ok).toBe(false);
    expect(lost.value).toBeInstanceOf(WorkerLostError);
    expect((lost.value as WorkerLostError).message).toBe(
      `Worker ${a.name} exited with code 1 while running a task`,
    );
    expect((lost.value as WorkerLostError).cause).toBe(crash);
    b.done([calls[1]?.job.id ?? 0, 'two'], [calls[3]?.job.id ?? 0, 'four']);
    c.ready();
    c.done([calls[2]?.job.id ?? 0, 'three']);
    expect(await calls[1]?.outcome).toBe('two');
    expect(await calls[2]?.outcome).toBe('three');
    expect(await calls[3]?.outcome).toBe('four');
    expect(scheduler.stats()).toMatchObject({ completed: 3, failed: 1, workersStarted: 3, workers: 2 });
    await end(scheduler);
  });

  it('under processes, the first task without a result is the one that was running', async () => {
    const { launcher, workers } = fakeLauncher();
    const scheduler = new Scheduler(
      { ...poolOptions, processes: 1, startMethod: 'process', prefetch: false },
      launcher,
    );
    const a = at(workers, 0);
    a.ready();
    const first = submit(scheduler, 1);
    await turn();
    expect(a.jobIds()).toEqual([first.job.id]);
    a.exit(3);
    const lost = await outcomeOf(first.outcome);
    expect(lost.value).toBeInstanceOf(WorkerLostError);
    expect((lost.value as WorkerLostError).exitcode).toBe(3);
    expect(workers).toHaveLength(2);
    await end(scheduler);
  });
});

describe('Scheduler with fake launches: a dead worker breaks the executor', () => {
  it('every pending call fails with its own BrokenPoolError caused by the WorkerLostError; no worker starts again', async () => {
    const { launcher, workers } = fakeLauncher();
    const scheduler = new Scheduler(executorOptions, launcher);
    expect(workers).toHaveLength(0); // lazy
    const calls = [submit(scheduler), submit(scheduler), submit(scheduler)];
    await turn();
    expect(workers).toHaveLength(2);
    const [a, b] = [at(workers, 0), at(workers, 1)];
    a.ready();
    b.ready();
    expect(a.claim(1)).toBe(true);
    a.exit(1);
    const outcomes = await Promise.all(calls.map((call) => outcomeOf(call.outcome)));
    const errors = outcomes.map((o) => o.value as BrokenPoolError);
    for (const [i, outcome] of outcomes.entries()) {
      expect(outcome.ok).toBe(false);
      expect(errors[i]).toBeInstanceOf(BrokenPoolError);
      expect(errors[i]?.message).toBe('executor broken');
      expect(errors[i]?.cause).toBeInstanceOf(WorkerLostError);
      expect(errors[i]?.cause).toBe(scheduler.broken);
    }
    // Each future has its own error object.
    expect(new Set(errors).size).toBe(3);
    // The other worker was terminated by the break, and none was started since.
    expect(b.exitcode).toBe(-15);
    await scheduler.join();
    expect(workers).toHaveLength(2);
  });

  it('an idle worker that dies on its own breaks it too', async () => {
    const { launcher, workers } = fakeLauncher();
    const scheduler = new Scheduler(executorOptions, launcher);
    const call = submit(scheduler);
    await turn();
    const a = at(workers, 0);
    a.ready();
    a.done([call.job.id, 'ok']);
    expect(await call.outcome).toBe('ok');
    a.exit(0);
    await turn();
    await turn();
    expect(scheduler.broken).toBeInstanceOf(WorkerLostError);
    expect(scheduler.broken?.message).toBe(`Worker ${a.name} exited with code 0`);
    await scheduler.join();
  });
});

describe('Scheduler with fake launches: workers that die while starting', () => {
  it(`the Pool breaks after ${String(kMaxStartFailures)} failed starts in a row; the call rejects with the failure as cause`, async () => {
    const { launcher, workers } = fakeLauncher();
    const scheduler = new Scheduler({ ...poolOptions, processes: 1 }, launcher);
    const call = submit(scheduler);
    for (let i = 0; i < kMaxStartFailures; i++) {
      await turn();
      expect(workers).toHaveLength(i + 1);
      at(workers, i).exit(1, new RangeError('heap too small'));
      await turn();
    }
    const outcome = await outcomeOf(call.outcome);
    expect(outcome.value).toBeInstanceOf(BrokenPoolError);
    const broken = outcome.value as BrokenPoolError;
    expect(broken.message).toBe(
      `${String(kMaxStartFailures)} pool workers in a row failed to start, the pool is not usable anymore: ` +
        `Worker ${at(workers, kMaxStartFailures - 1).name} exited with code 1 while starting: heap too small`,
    );
    expect(broken.cause).toBeInstanceOf(WorkerLostError);
    expect(workers).toHaveLength(kMaxStartFailures);
    expect(scheduler.broken).toBe(broken);
    await scheduler.join();
  });

  it('a worker that starts resets the count; the task that waited runs on it', async () => {
    const { launcher, workers } = fakeLauncher();
    const scheduler = new Scheduler({ ...poolOptions, processes: 1 }, launcher);
    const call = submit(scheduler);
    for (let round = 0; round < 2; round++) {
      for (let i = 1; i < kMaxStartFailures; i++) {
        await turn();
        workers.at(-1)?.exit(1);
        await turn();
      }
      await turn();
      workers.at(-1)?.ready();
    }
    expect(scheduler.broken).toBeUndefined();
    const last = at(workers, workers.length - 1);
    expect(last.jobIds()).toEqual([call.job.id]);
    last.done([call.job.id, 'ran']);
    expect(await call.outcome).toBe('ran');
    await end(scheduler);
  });

  it('the executor breaks at the first failed start', async () => {
    const { launcher, workers } = fakeLauncher();
    const scheduler = new Scheduler({ ...executorOptions, processes: 1 }, launcher);
    const call = submit(scheduler);
    await turn();
    at(workers, 0).exit(1);
    const outcome = await outcomeOf(call.outcome);
    expect(outcome.value).toBeInstanceOf(BrokenPoolError);
    expect((outcome.value as Error).cause).toBeInstanceOf(WorkerLostError);
    expect(workers).toHaveLength(1);
    await scheduler.join();
  });
});

describe('Scheduler with fake launches: work stealing between ready thread workers', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('takes back the unclaimed task of a stuck worker and gives it to the idle one', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick', 'setImmediate'] });
    const { launcher, workers } = fakeLauncher();
    const scheduler = new Scheduler(poolOptions, launcher);
    const [a, b] = [at(workers, 0), at(workers, 1)];
    a.ready();
    b.ready();
    const calls = [submit(scheduler, 1), submit(scheduler, 2), submit(scheduler, 3), submit(scheduler, 4)];
    await turn();
    expect(a.jobIds()).toEqual([calls[0]?.job.id, calls[2]?.job.id]);
    // a runs task 1 for long; b finishes both of its tasks and is idle.
    expect(a.claim(1)).toBe(true);
    b.claim(1);
    b.claim(2);
    b.done([calls[1]?.job.id ?? 0, 2], [calls[3]?.job.id ?? 0, 4]);
    expect(b.jobIds()).toHaveLength(2);
    jest.advanceTimersByTime(10);
    await turn();
    // Task 3 was taken back from a (its claim slot moved past it) and sent to b.
    expect(Atomics.load(a.progress ?? new Int32Array(1), kClaimSlot)).toBe(2);
    expect(a.claim(2)).toBe(false);
    expect(b.jobIds()).toEqual([calls[1]?.job.id, calls[3]?.job.id, calls[2]?.job.id]);
    b.done([calls[2]?.job.id ?? 0, 3]);
    a.done([calls[0]?.job.id ?? 0, 1]);
    expect(await Promise.all(calls.map((c) => c.outcome))).toEqual([1, 2, 3, 4]);
    await end(scheduler);
  });

  it('takeBackUnclaimed leaves claimed tasks and returns the others in order', async () => {
    const { launcher, workers } = fakeLauncher();
    const scheduler = new Scheduler({ ...poolOptions, processes: 1 }, launcher);
    const a = at(workers, 0);
    const calls = [submit(scheduler), submit(scheduler)];
    await turn();
    // Only the stealing function is under test here: reach the slot through a job.
    const slot = calls[0]?.job.worker;
    if (slot === undefined) throw new Error('not dispatched');
    expect(a.claim(1)).toBe(true);
    const taken = takeBackUnclaimed(slot);
    expect(taken).toEqual([calls[1]?.job]);
    expect([...slot.inFlight]).toEqual([calls[0]?.job]);
    expect(takeBackUnclaimed(slot)).toEqual([]);
    await end(scheduler);
  });
});

describe('Scheduler with fake launches: stats', () => {
  it('counts workers, busy and idle ones, queued, completed and failed tasks', async () => {
    const { launcher, workers } = fakeLauncher();
    const scheduler = new Scheduler({ ...poolOptions, prefetch: false, startMethod: 'process' }, launcher);
    const [a, b] = [at(workers, 0), at(workers, 1)];
    a.ready();
    b.ready();
    const calls = [submit(scheduler), submit(scheduler), submit(scheduler)];
    expect(scheduler.stats()).toMatchObject({
      workers: 2,
      busy: 0,
      idle: 2,
      queued: 3,
      completed: 0,
      failed: 0,
    });
    await turn();
    expect(scheduler.stats()).toMatchObject({ workers: 2, busy: 2, idle: 0, queued: 1, workersStarted: 2 });
    a.done([calls[0]?.job.id ?? 0, 'x']);
    await calls[0]?.outcome;
    a.emit([kPoolMessage, 'done', [calls[2]?.job.id, kFailed, serializeError(new RangeError('bad'))]]);
    expect((await outcomeOf(calls[2]?.outcome ?? Promise.resolve())).value).toBeInstanceOf(RangeError);
    expect(scheduler.stats()).toMatchObject({
      workers: 2,
      busy: 1,
      idle: 1,
      queued: 0,
      completed: 1,
      failed: 1,
    });
    b.done([calls[1]?.job.id ?? 0, 'y']);
    await calls[1]?.outcome;
    const stats = scheduler.stats();
    expect(stats).toMatchObject({ busy: 0, idle: 2, completed: 2, failed: 1, workersStarted: 2 });
    expect(stats.meanWaitTimeMs).toBeGreaterThanOrEqual(0);
    expect(stats.meanRunTimeMs).toBeGreaterThanOrEqual(0);
    await end(scheduler);
  });
});

describe('Scheduler with fake launches: results out of order', () => {
  it('a task the worker skipped over rejects with ProcessError instead of staying pending', async () => {
    const { launcher, workers } = fakeLauncher();
    const scheduler = new Scheduler({ ...poolOptions, processes: 1 }, launcher);
    const a = at(workers, 0);
    a.ready();
    const [first, second] = [submit(scheduler), submit(scheduler)];
    await turn();
    expect(a.jobIds()).toEqual([first.job.id, second.job.id]);
    a.emit([kPoolMessage, 'done', [second.job.id, kOk, 'second', 999_999, kOk, 'nobody']]);
    const skipped = await outcomeOf(first.outcome);
    expect(skipped.value).toBeInstanceOf(ProcessError);
    expect((skipped.value as Error).message).toMatch(/sent the result of a later task first/);
    expect(await second.outcome).toBe('second');
    expect(scheduler.stats()).toMatchObject({ busy: 0, completed: 1, failed: 1 });
    await end(scheduler);
  });
});
