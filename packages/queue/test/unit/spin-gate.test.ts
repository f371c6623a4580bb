import { PROBE_EVERY, SpinGate } from '../../src/internal/spin-gate.js';

describe('the spin gate', () => {
  it('never opens on one core or while the load says the cores are taken', () => {
    expect(new SpinGate(100, 10, 1, () => 0).begin()).toBe(0);
    expect(new SpinGate(100, 10, 2, () => 2.5).begin()).toBe(0);
    expect(new SpinGate(100, 10, 2, () => 2.4).begin()).toBe(100);
  });

  it('reads the load at most twice a second', () => {
    let reads = 0;
    const gate = new SpinGate(100, 10, 2, () => {
      reads++;
      return 0;
    });
    for (let i = 0; i < 100; i++) {
      if (gate.begin() > 0) gate.end(true);
    }
    expect(reads).toBe(1);
  });

  it('halves the budget after a miss, stops below the minimum, probes, and restores it after a hit', () => {
    const gate = new SpinGate(4000, 250, 4, () => 0);
    const budgets: number[] = [];
    for (let b = gate.begin(); b > 0; b = gate.begin()) {
      budgets.push(b);
      gate.end(false);
    }
    expect(budgets).toEqual([4000, 2000, 1000, 500, 250]);
    // With no budget left, one spin in every PROBE_EVERY probes with the full
    // one, and a probe that misses leaves none.
    for (let round = 0; round < 2; round++) {
      const seen: number[] = [];
      for (let i = 0; i < PROBE_EVERY; i++) {
        const b = gate.begin();
        if (b > 0) {
          seen.push(b);
          gate.end(false);
        }
      }
      expect(seen).toEqual([4000]);
    }
    // A probe that hits restores the full budget.
    for (let i = 0; i < PROBE_EVERY; i++) {
      if (gate.begin() > 0) {
        gate.end(true);
        break;
      }
    }
    expect(gate.begin()).toBe(4000);
    gate.end(true);
    expect(gate.begin()).toBe(4000);
  });
});
