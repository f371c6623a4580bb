/**
 * The grace period of an aborted job, driven with fake launches and fake
 * timers (no worker starts, no clock is waited for): the caller's outcome
 * comes at once, the worker is asked to abort the job, gets no new job
 * meanwhile, and is terminated only when the period ends first.
 */
import { jest } from '@jest/globals';
import { Scheduler } from '../../src/internal/scheduler.js';
import { kPoolMessage } from '../../src/internal/protocol.js';
import { fakeLauncher, outcomeOf, poolOptions, submit, turn, type FakeWorker } from './fake-launch.js';

const graceOptions = { ...poolOptions, processes: 1, abortGraceMs: 1000 };

function only(workers: FakeWorker[], i = 0): FakeWorker {
  const w = workers[i];
  if (w === undefined) throw new Error(`no worker ${String(i)}`);
  return w;
}

function abortMessages(w: FakeWorker): unknown[] {
  return w.posted.filter((m) => (m as unknown[])[1] === 'abort');
}

describe('Scheduler: the grace period of an aborted job', () => {
  beforeEach(() => {
    // Only setTimeout/clearTimeout (the grace timers): turn() still uses the real setImmediate.
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'queueMicrotask', 'nextTick', 'performance', 'Date'] });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('settles the job at once, asks the worker, and keeps it when the job ends within the period', async () => {
    const { launcher, workers } = fakeLauncher();
    const scheduler = new Scheduler(graceOptions, launcher);
    const a = only(workers);
    a.ready();
    const first = submit(scheduler, 1);
    await turn();
    expect(a.claim(1)).toBe(true);
    const reason = new RangeError('stop');
    scheduler.abortJobs([first.job], reason);
    expect(await outcomeOf(first.outcome)).toEqual({ ok: false, value: reason });
    expect(abortMessages(a)).toHaveLength(1);
    expect((abortMessages(a)[0] as unknown[]).slice(0, 3)).toEqual([kPoolMessage, 'abort', first.job.id]);
    // While the worker is stopping the job it gets nothing new.
    const second = submit(scheduler, 2);
    await turn();
    expect(a.jobIds()).toEqual([first.job.id]);
    a.done([first.job.id, 'stopped']);
    await turn();
    expect(a.jobIds()).toEqual([first.job.id, second.job.id]);
    jest.advanceTimersByTime(10_000);
    expect(a.exitcode).toBeNull();
    expect(workers).toHaveLength(1);
    await scheduler.terminate();
  });

  it('terminates and replaces the worker when the period ends first; the next job goes to the replacement', async () => {
    const { launcher, workers } = fakeLauncher();
    const scheduler = new Scheduler(graceOptions, launcher);
    const a = only(workers);
    a.ready();
    const first = submit(scheduler, 1);
    await turn();
    expect(a.claim(1)).toBe(true);
    scheduler.abortJobs([first.job], new Error('gave up'));
    const second = submit(scheduler, 2);
    await turn();
    jest.advanceTimersByTime(999);
    expect(a.exitcode).toBeNull();
    jest.advanceTimersByTime(1);
    expect(a.exitcode).toBe(-15);
    await turn();
    await turn();
    expect(workers).toHaveLength(2);
    const b = only(workers, 1);
    b.ready();
    await turn();
    expect(b.jobIds()).toEqual([second.job.id]);
    await scheduler.terminate();
  });

  it('a job aborted while queued behind another waits for its turn instead of ending the worker', async () => {
    const { launcher, workers } = fakeLauncher();
    const scheduler = new Scheduler(graceOptions, launcher);
    const a = only(workers);
    a.ready();
    const running = submit(scheduler, 1);
    const queued = submit(scheduler, 2);
    await turn();
    // Prefetch: it holds both, runs the first.
    expect(a.jobIds()).toEqual([running.job.id, queued.job.id]);
    expect(a.claim(1)).toBe(true);
    scheduler.abortJobs([queued.job], new Error('not needed'));
    expect((await outcomeOf(queued.outcome)).ok).toBe(false);
    jest.advanceTimersByTime(5000);
    expect(a.exitcode).toBeNull();
    // The worker skips the aborted job when it gets there (its result: the abort error).
    a.done([running.job.id, 'one']);
    expect(await outcomeOf(running.outcome)).toEqual({ ok: true, value: 'one' });
    a.done([queued.job.id, 'skipped']);
    const third = submit(scheduler, 3);
    await turn();
    expect(a.jobIds()).toEqual([running.job.id, queued.job.id, third.job.id]);
    expect(a.exitcode).toBeNull();
    await scheduler.terminate();
  });

  it('with a period of 0 the worker is terminated at once (no abort message)', async () => {
    const { launcher, workers } = fakeLauncher();
    const scheduler = new Scheduler({ ...graceOptions, abortGraceMs: 0 }, launcher);
    const a = only(workers);
    a.ready();
    const first = submit(scheduler, 1);
    await turn();
    expect(a.claim(1)).toBe(true);
    scheduler.abortJobs([first.job], new Error('now'));
    expect(a.exitcode).toBe(-15);
    expect(abortMessages(a)).toEqual([]);
    expect((await outcomeOf(first.outcome)).ok).toBe(false);
    await scheduler.terminate();
  });
});
