/**
 * `pool.stats()` wait-time and run-time percentiles (no Python counterpart).
 * Durations are only bounded from below, by tasks that spin for a known time.
 */
import { getContext } from '@multiprocessing/process';
import { Pool, type LatencyPercentiles } from '@multiprocessing/pool';
import { range, startMethods, tasks, within } from '../helpers.js';

const kSlowMs = 300;

function expectOrdered(p: LatencyPercentiles): void {
  expect(p.p50).toBeLessThanOrEqual(p.p90);
  expect(p.p90).toBeLessThanOrEqual(p.p99);
  expect(p.p99).toBeLessThanOrEqual(p.max);
}

describe.each(startMethods)('Pool stats() latency percentiles [%s]', (method) => {
  let pool: Pool | undefined;
  afterEach(async () => {
    if (pool) await within(pool.terminate(), 30_000, 'pool.terminate()');
    pool = undefined;
  });

  it('are zeros on a pool that has run nothing', () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    const stats = pool.stats();
    expect(stats.waitTime).toEqual({ p50: 0, p90: 0, p99: 0, max: 0 });
    expect(stats.runTime).toEqual({ p50: 0, p90: 0, p99: 0, max: 0 });
  });

  it('runTime shows one slow task among many fast ones in max, not in p50', async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    for (const x of range(99)) await within(pool.apply(tasks.square, [x]), 30_000, 'pool.apply(square)');
    expect(pool.stats().runTime.max).toBeGreaterThan(0);
    await within(pool.apply(tasks.spin, [kSlowMs]), 30_000, 'pool.apply(spin)');
    const { runTime, waitTime } = pool.stats();
    // The slow task's result came at least kSlowMs after its dispatch.
    expect(runTime.max).toBeGreaterThanOrEqual(kSlowMs);
    // The median of 100 tasks is a tiny one (a tiny task would have to wait
    // for its result as long as the spin, 50 times over, to move it).
    expect(runTime.p50).toBeLessThan(runTime.max);
    expectOrdered(runTime);
    expectOrdered(waitTime);
  });

  it('waitTime shows a task that queued behind slow ones', async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    // The one worker holds at most two tasks before it has measured any, so
    // the third waits in the queue until the first has spun for kSlowMs.
    await within(
      Promise.all([0, 1, 2].map(() => pool!.apply(tasks.spin, [kSlowMs]))),
      30_000,
      'three spin tasks',
    );
    const { waitTime, runTime, completed } = pool.stats();
    expect(completed).toBe(3);
    expect(waitTime.max).toBeGreaterThanOrEqual(kSlowMs);
    expect(runTime.p50).toBeGreaterThanOrEqual(kSlowMs);
    expect(runTime.max).toBeGreaterThanOrEqual(kSlowMs);
    expectOrdered(waitTime);
    expectOrdered(runTime);
  });

  it('a map counts each chunk once', async () => {
    pool = new Pool({ processes: 2, context: getContext(method) });
    await within(pool.map(tasks.square, range(40), { chunksize: 10 }), 30_000, 'pool.map(square)');
    const { runTime, waitTime, completed } = pool.stats();
    expect(completed).toBe(4);
    expect(runTime.max).toBeGreaterThan(0);
    expectOrdered(runTime);
    expectOrdered(waitTime);
  });
});
