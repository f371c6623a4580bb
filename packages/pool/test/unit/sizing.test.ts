/**
 * Pool sizing driven with fake launches (test/unit/fake-launch.ts): an
 * elastic scheduler starts workers on demand, retires idle ones above its
 * minimum without loss or failure, replaces dead workers only when needed;
 * and the checks of minProcesses and idleTimeout.
 */
import { BrokenPoolError } from '@multiprocessing/core';
import { until } from '@multiprocessing/test-utils';
import { kMaxStartFailures } from '../../src/internal/start-failures.js';
import { Scheduler, type SchedulerOptions } from '../../src/internal/scheduler.js';
import { Pool } from '../../src/pool.js';
import { ProcessPoolExecutor } from '../../src/executor.js';
import { fakeLauncher, outcomeOf, poolOptions, submit, turn, type FakeWorker } from './fake-launch.js';

function at(workers: FakeWorker[], i: number): FakeWorker {
  const w = workers[i];
  if (w === undefined) throw new Error(`no worker ${String(i)}`);
  return w;
}

/** True when the pool asked `w` to exit. */
function stopped(w: FakeWorker): boolean {
  return w.posted.some((m) => (m as unknown[])[1] === 'stop');
}

const elastic = (over: Partial<SchedulerOptions>): SchedulerOptions => ({
  ...poolOptions,
  minProcesses: 0,
  ...over,
});

describe('Scheduler sizing with fake launches', () => {
  it('minProcesses 0 starts no worker until work comes, then one per waiting task up to processes', async () => {
    const { launcher, workers } = fakeLauncher();
    const scheduler = new Scheduler(elastic({ processes: 3 }), launcher);
    expect(workers).toHaveLength(0);
    expect(scheduler.stats()).toMatchObject({ workers: 0, minProcesses: 0, maxProcesses: 3 });
    const calls = [submit(scheduler, 1), submit(scheduler, 2)];
    await turn();
    expect(workers).toHaveLength(2);
    expect(at(workers, 0).jobIds()).toEqual([calls[0]?.job.id]);
    expect(at(workers, 1).jobIds()).toEqual([calls[1]?.job.id]);
    await scheduler.terminate();
  });

  it('starts a worker for tasks held behind a running one; it gets them once ready', async () => {
    const { launcher, workers } = fakeLauncher();
    const scheduler = new Scheduler(elastic({ processes: 2, minProcesses: 1 }), launcher);
    const a = at(workers, 0);
    a.ready();
    const calls = [submit(scheduler, 1), submit(scheduler, 2)];
    await turn();
    // a holds both (prefetch); a second worker starts for the one waiting.
    expect(a.jobIds()).toEqual([calls[0]?.job.id, calls[1]?.job.id]);
    expect(workers).toHaveLength(2);
    expect(a.claim(1)).toBe(true);
    at(workers, 1).ready();
    // a runs long (no result): its unclaimed task is taken back for the new worker.
    await until(() => at(workers, 1).jobIds().length === 1, 'the task to move to the new worker', 10_000, 5);
    expect(at(workers, 1).jobIds()).toEqual([calls[1]?.job.id]);
    await scheduler.terminate();
  });

  it('retires an idle worker above the minimum; a task arriving while it exits goes to a new one', async () => {
    const { launcher, workers } = fakeLauncher();
    const scheduler = new Scheduler(elastic({ processes: 1, idleTimeoutMs: 20 }), launcher);
    const first = submit(scheduler, 1);
    await turn();
    const a = at(workers, 0);
    a.ready();
    a.done([first.job.id, 'one']);
    expect(await first.outcome).toBe('one');
    await until(() => stopped(a), 'the idle worker to be asked to exit', 10_000, 5);
    // It has not exited yet: a task submitted now must not go to it.
    const second = submit(scheduler, 2);
    await turn();
    expect(workers).toHaveLength(2);
    const b = at(workers, 1);
    expect(b.jobIds()).toEqual([second.job.id]);
    expect(a.jobIds()).toEqual([first.job.id]);
    a.exit(0);
    await turn();
    await turn();
    expect(workers).toHaveLength(2);
    b.ready();
    b.done([second.job.id, 'two']);
    expect(await second.outcome).toBe('two');
    expect(scheduler.stats()).toMatchObject({ workers: 1, completed: 2, failed: 0, workersStarted: 2 });
    await scheduler.terminate();
  });

  it('keeps minProcesses workers: of two idle ones only the longest idle retires', async () => {
    const { launcher, workers } = fakeLauncher();
    const options = elastic({ processes: 2, minProcesses: 1, idleTimeoutMs: 20, startMethod: 'process' });
    const scheduler = new Scheduler(options, launcher);
    const a = at(workers, 0);
    a.ready();
    const calls = [submit(scheduler, 1), submit(scheduler, 2)];
    await turn();
    // One task at a time under processes: the second waits, and a worker starts for it.
    expect(a.jobIds()).toEqual([calls[0]?.job.id]);
    expect(workers).toHaveLength(2);
    const b = at(workers, 1);
    b.ready();
    await turn();
    expect(b.jobIds()).toEqual([calls[1]?.job.id]);
    a.done([calls[0]?.job.id ?? 0, 'a']);
    b.done([calls[1]?.job.id ?? 0, 'b']);
    expect(await Promise.all(calls.map((c) => c.outcome))).toEqual(['a', 'b']);
    await until(() => stopped(a), 'the longest idle worker to be asked to exit', 10_000, 5);
    expect(stopped(b)).toBe(false);
    a.exit(0);
    await until(() => scheduler.stats().workers === 1, 'the retired worker to be gone', 10_000, 5);
    // Three idle timeouts later b is still there and nothing was started: the pool is at its minimum.
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(stopped(b)).toBe(false);
    expect(workers).toHaveLength(2);
    expect(scheduler.stats()).toMatchObject({ workers: 1, failed: 0, completed: 2 });
    await scheduler.terminate();
  });

  it('replaces a dead worker only below minProcesses or when work waits', async () => {
    const { launcher, workers } = fakeLauncher();
    const scheduler = new Scheduler(
      elastic({ processes: 3, minProcesses: 1, startMethod: 'process' }),
      launcher,
    );
    const a = at(workers, 0);
    a.ready();
    const calls = [submit(scheduler, 1), submit(scheduler, 2)];
    await turn();
    const b = at(workers, 1);
    b.ready();
    await turn();
    a.done([calls[0]?.job.id ?? 0, 'a']);
    b.done([calls[1]?.job.id ?? 0, 'b']);
    expect(await Promise.all(calls.map((c) => c.outcome))).toEqual(['a', 'b']);
    expect(workers).toHaveLength(2);
    // An idle worker dies: one is left, the minimum; nothing starts.
    b.exit(1);
    await turn();
    await turn();
    expect(workers).toHaveLength(2);
    // The last one dies: below the minimum, a replacement starts.
    a.exit(1);
    await turn();
    await turn();
    expect(workers).toHaveLength(3);
    expect(scheduler.stats()).toMatchObject({ workers: 1, failed: 0 });
    // Work that waits while the only worker is busy starts one more.
    const c = at(workers, 2);
    c.ready();
    const more = [submit(scheduler, 3), submit(scheduler, 4)];
    await turn();
    expect(workers).toHaveLength(4);
    expect(c.jobIds()).toEqual([more[0]?.job.id]);
    await scheduler.terminate();
  });

  it('maxTasksPerChild: a retiring worker is replaced only when work waits', async () => {
    const { launcher, workers } = fakeLauncher();
    const scheduler = new Scheduler(elastic({ processes: 1, maxTasksPerChild: 1 }), launcher);
    const first = submit(scheduler, 1);
    await turn();
    const a = at(workers, 0);
    a.ready();
    expect(a.jobIds()).toEqual([first.job.id]);
    // It retires after this task, but nothing waits: no replacement yet.
    expect(workers).toHaveLength(1);
    a.done([first.job.id, 'a']);
    expect(await first.outcome).toBe('a');
    await turn();
    expect(stopped(a)).toBe(true);
    const second = submit(scheduler, 2);
    await turn();
    expect(workers).toHaveLength(2);
    const b = at(workers, 1);
    expect(b.jobIds()).toEqual([second.job.id]);
    a.exit(0);
    b.ready();
    b.done([second.job.id, 'b']);
    expect(await second.outcome).toBe('b');
    expect(scheduler.stats()).toMatchObject({ failed: 0, completed: 2 });
    await scheduler.terminate();
  });

  it(`breaks after ${String(kMaxStartFailures)} failed starts in a row, as a full pool does`, async () => {
    const { launcher, workers } = fakeLauncher();
    const scheduler = new Scheduler(elastic({ processes: 2, idleTimeoutMs: 10 }), launcher);
    const call = submit(scheduler);
    await turn();
    for (let i = 0; i < kMaxStartFailures; i++) {
      workers.at(-1)?.exit(1, new RangeError('heap too small'));
      await turn();
      await turn();
    }
    const out = await outcomeOf(call.outcome);
    expect(out.value).toBeInstanceOf(BrokenPoolError);
    await scheduler.terminate();
  });

  it('an executor worker retired for idleness does not break the executor', async () => {
    const { launcher, workers } = fakeLauncher();
    const scheduler = new Scheduler(
      {
        ...poolOptions,
        onWorkerLost: 'break',
        lazy: true,
        prefetch: false,
        idleTimeoutMs: 20,
        brokenError: (cause: Error) => new BrokenPoolError('executor broken', { cause }),
      },
      launcher,
    );
    const first = submit(scheduler, 1);
    await turn();
    const a = at(workers, 0);
    a.ready();
    a.done([first.job.id, 1]);
    await first.outcome;
    await until(() => stopped(a), 'the idle worker to be asked to exit', 10_000, 5);
    a.exit(0);
    await turn();
    await turn();
    expect(scheduler.broken).toBeUndefined();
    const second = submit(scheduler, 2);
    await turn();
    const b = at(workers, 1);
    b.ready();
    b.done([second.job.id, 2]);
    expect(await second.outcome).toBe(2);
    await scheduler.terminate();
  });

  it('the default scheduler starts every worker at once and never asks an idle one to exit', async () => {
    const { launcher, workers } = fakeLauncher();
    const scheduler = new Scheduler({ ...poolOptions, idleTimeoutMs: 1 }, launcher);
    expect(workers).toHaveLength(2);
    for (const w of workers) w.ready();
    const call = submit(scheduler);
    await turn();
    const holder = workers.find((w) => w.jobIds().length > 0);
    holder?.done([call.job.id, 0]);
    await call.outcome;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(workers.some(stopped)).toBe(false);
    expect(scheduler.stats()).toMatchObject({ workers: 2, minProcesses: 2, maxProcesses: 2 });
    await scheduler.terminate();
  });
});

describe('minProcesses and idleTimeout checks', () => {
  it('minProcesses is an integer from 0 to processes: RangeError naming both, TypeError for a non-number', () => {
    for (const bad of [-1, 3, 1.5, NaN, Infinity, -Infinity, 2 ** 53]) {
      expect(() => new Pool({ processes: 2, minProcesses: bad })).toThrow(
        new RangeError(`minProcesses must be an integer from 0 to processes (2), got ${String(bad)}`),
      );
    }
    expect(() => new Pool({ processes: 2, minProcesses: '1' as never })).toThrow(
      new TypeError('minProcesses must be an integer from 0 to processes (2), got string'),
    );
    expect(() => new Pool({ processes: 2, minProcesses: 1n as never })).toThrow(TypeError);
  });

  it('idleTimeout is a number of seconds greater than 0 (Infinity allowed)', () => {
    for (const bad of [0, -1, NaN, -Infinity]) {
      expect(() => new Pool({ processes: 1, minProcesses: 0, idleTimeout: bad })).toThrow(
        new RangeError(`idleTimeout must be a number of seconds greater than 0, got ${String(bad)}`),
      );
      expect(() => new ProcessPoolExecutor({ maxWorkers: 1, idleTimeout: bad })).toThrow(RangeError);
    }
    expect(() => new Pool({ processes: 1, idleTimeout: '5' as never })).toThrow(
      new TypeError('idleTimeout must be a number of seconds greater than 0, got string'),
    );
    expect(() => new ProcessPoolExecutor({ maxWorkers: 1, idleTimeout: {} as never })).toThrow(TypeError);
  });

  it('valid sizes start minProcesses workers (none for 0) and report the bounds', async () => {
    const none = new Pool({ processes: 2, minProcesses: 0, idleTimeout: Infinity });
    expect(none.stats()).toMatchObject({ workers: 0, workersStarted: 0, minProcesses: 0, maxProcesses: 2 });
    const huge = new Pool({ processes: 4096, minProcesses: 0, idleTimeout: 1e12 });
    expect(huge.stats()).toMatchObject({ workers: 0, minProcesses: 0, maxProcesses: 4096 });
    await none.terminate();
    await huge.terminate();
  });
});
