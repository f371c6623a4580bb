import { runTinybench } from '../../src/harness/tinybench.js';

describe('runTinybench', () => {
  it('returns median throughput and latency for each task by name', async () => {
    const r = await runTinybench(
      {
        sync: () => Math.sqrt(2),
        async: () => new Promise((resolve) => setImmediate(resolve)),
      },
      { time: 30, iterations: 10, warmupTime: 5 },
    );
    expect(Object.keys(r).sort()).toEqual(['async', 'sync']);
    for (const result of Object.values(r)) {
      expect(result.opsPerSec).toBeGreaterThan(0);
      expect(result.latencyMs).toBeGreaterThanOrEqual(0);
      expect(result.samples).toBeGreaterThanOrEqual(10);
    }
  });

  it('rejects with the error of a task that throws', async () => {
    await expect(
      runTinybench(
        {
          boom: () => {
            throw new RangeError('boom');
          },
        },
        { time: 10, iterations: 1, warmupTime: 0 },
      ),
    ).rejects.toThrow('boom');
  });
});
