/**
 * maxMemoryPerChild in the scheduler, with fake workers: a worker that
 * reports `recycle` gets no more jobs, gives back those it has not claimed
 * (threads), is replaced, and is stopped once its last job is done.
 */
import { Scheduler } from '../../src/internal/scheduler.js';
import { kPoolMessage } from '../../src/internal/protocol.js';
import { fakeLauncher, poolOptions, submit, turn, type FakeWorker } from './fake-launch.js';

function at(workers: FakeWorker[], i: number): FakeWorker {
  const w = workers[i];
  if (w === undefined) throw new Error(`no worker ${String(i)}`);
  return w;
}

const stopped = (w: FakeWorker): boolean => w.posted.some((m) => (m as unknown[])[1] === 'stop');

describe('Scheduler: a worker whose heap passed maxMemoryPerChild', () => {
  it('gives back its unclaimed jobs to a replacement and stops after its running one', async () => {
    const { launcher, workers } = fakeLauncher();
    const scheduler = new Scheduler({ ...poolOptions, processes: 1 }, launcher);
    const a = at(workers, 0);
    a.ready();
    const calls = [submit(scheduler), submit(scheduler)];
    await turn();
    // Under threads a worker holds its next job while one runs.
    expect(a.jobIds()).toEqual([calls[0]?.job.id, calls[1]?.job.id]);
    expect(a.claim(1)).toBe(true);
    a.emit([kPoolMessage, 'recycle']);
    await turn();
    expect(workers).toHaveLength(2);
    const b = at(workers, 1);
    // The job it had not claimed went to the replacement; it cannot claim it anymore.
    expect(a.claim(2)).toBe(false);
    expect(b.jobIds()).toEqual([calls[1]?.job.id]);
    expect(stopped(a)).toBe(false);
    a.done([calls[0]?.job.id ?? 0, 'first']);
    await turn();
    expect(stopped(a)).toBe(true);
    b.ready();
    b.done([calls[1]?.job.id ?? 0, 'second']);
    expect(await Promise.all(calls.map((c) => c.outcome))).toEqual(['first', 'second']);
    // Later work goes to the replacement only.
    const later = submit(scheduler);
    await turn();
    expect(b.jobIds()).toEqual([calls[1]?.job.id, later.job.id]);
    expect(a.jobIds()).toEqual([calls[0]?.job.id, calls[1]?.job.id]);
    await scheduler.terminate();
  });

  it('is replaced once however many times it reports', async () => {
    const { launcher, workers } = fakeLauncher();
    const scheduler = new Scheduler({ ...poolOptions, processes: 1, startMethod: 'process' }, launcher);
    const a = at(workers, 0);
    a.ready();
    a.emit([kPoolMessage, 'recycle']);
    a.emit([kPoolMessage, 'recycle']);
    await turn();
    expect(workers).toHaveLength(2);
    expect(stopped(a)).toBe(true);
    await scheduler.terminate();
  });
});
