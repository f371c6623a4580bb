import { BrokenBarrierError, PicklingError } from '@multiprocessing/core';
import { Barrier } from '../../src/barrier.js';

describe('parity: multiprocessing.Barrier', () => {
  it('releases all parties with distinct indexes, over several cycles', async () => {
    const barrier = new Barrier(3);
    expect(barrier.parties).toBe(3);
    for (let cycle = 0; cycle < 3; cycle++) {
      const first = barrier.wait(5);
      const second = barrier.wait(5);
      await Promise.resolve();
      expect(barrier.nWaiting).toBe(2);
      const indexes = await Promise.all([first, second, barrier.wait(5)]);
      expect(indexes.sort()).toEqual([0, 1, 2]);
      expect(barrier.nWaiting).toBe(0);
    }
  });

  it('a single party passes at once with index 0', () => {
    expect(new Barrier(1).waitSync()).toBe(0);
  });

  it('runs the action once per cycle, before release', async () => {
    const g = globalThis as { barrierRuns?: number };
    g.barrierRuns = 0;
    const barrier = new Barrier(2, {
      action: () => {
        (globalThis as { barrierRuns?: number }).barrierRuns! += 1;
      },
    });
    await Promise.all([barrier.wait(), barrier.wait()]);
    await Promise.all([barrier.wait(), barrier.wait()]);
    expect(g.barrierRuns).toBe(2);
    delete g.barrierRuns;
  });

  it('a throwing action breaks the barrier: the runner gets the error, others BrokenBarrierError', async () => {
    const barrier = new Barrier(2, {
      action: () => {
        throw new RangeError('action failed');
      },
    });
    const first = barrier.wait(5);
    await expect(barrier.wait(5)).rejects.toThrow('action failed');
    await expect(first).rejects.toThrow(BrokenBarrierError);
    expect(barrier.broken).toBe(true);
  });

  it('refuses an action that closes over a variable', () => {
    const outer = 1;
    expect(() => new Barrier(2, { action: () => outer })).toThrow(PicklingError);
  });

  it('a timeout breaks the barrier for every waiter (constructor default and per call)', async () => {
    const barrier = new Barrier(3, { timeout: 0.05 });
    const t0 = performance.now();
    const a = barrier.wait(10);
    await expect(barrier.wait()).rejects.toThrow(BrokenBarrierError);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    await expect(a).rejects.toThrow(BrokenBarrierError);
    expect(barrier.broken).toBe(true);
    expect(() => barrier.waitSync()).toThrow(BrokenBarrierError);
    barrier.reset();
    expect(barrier.broken).toBe(false);
    expect(() => barrier.waitSync(0.02)).toThrow(BrokenBarrierError);
  });

  it("wait(null) takes the constructor timeout, as Python's wait(timeout=None) does", async () => {
    const barrier = new Barrier(2, { timeout: 0.05 });
    await expect(barrier.wait(null)).rejects.toThrow(BrokenBarrierError);
    barrier.reset();
    expect(() => barrier.waitSync(null)).toThrow(BrokenBarrierError);
  });

  it('abort() breaks waiting and later parties until reset()', async () => {
    const barrier = new Barrier(2);
    const waiting = barrier.wait();
    await Promise.resolve();
    barrier.abort();
    await expect(waiting).rejects.toThrow(BrokenBarrierError);
    await expect(barrier.wait()).rejects.toMatchObject({ code: 'ERR_MP_BROKEN_BARRIER' });
    expect(barrier.toString()).toBe('<Barrier parties=2 n_waiting=0 broken=true>');
    barrier.reset();
    expect(barrier.toString()).toBe('<Barrier parties=2 n_waiting=0 broken=false>');
    await expect(Promise.all([barrier.wait(), barrier.wait()])).resolves.toHaveLength(2);
  });

  it('reset() with parties waiting breaks them and leaves the barrier usable', async () => {
    const barrier = new Barrier(3);
    const waits = [barrier.wait(), barrier.wait()];
    await Promise.resolve();
    barrier.reset();
    for (const w of waits) await expect(w).rejects.toThrow(BrokenBarrierError);
    expect(barrier.broken).toBe(false);
    const indexes = await Promise.all([barrier.wait(), barrier.wait(), barrier.wait()]);
    expect(indexes.sort()).toEqual([0, 1, 2]);
  });

  it('rejects bad arguments', () => {
    expect(() => new Barrier(0)).toThrow(RangeError);
    expect(() => new Barrier(1.5)).toThrow(TypeError);
    expect(() => new Barrier(2, { timeout: 'x' as never })).toThrow(/timeout/);
    expect(() => new Barrier(2, { action: 5 as never })).toThrow(TypeError);
  });
});
