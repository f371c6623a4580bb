import { MIN_WINDOW_MS, PROBE_EVERY, SPIN_WINDOW_MS, SpinPolicy } from '../../src/internal/spin.js';
import { SPINNERS, HOST_STATE_BYTES } from '../../src/internal/in-process.js';

function hostState(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(HOST_STATE_BYTES));
}

describe('the channel spin policy', () => {
  it('never spins on one core or while the load says the cores are taken', () => {
    const state = hostState();
    expect(new SpinPolicy(1, () => 0).begin(state)).toBe(0);
    expect(new SpinPolicy(2, () => 2.6).begin(state)).toBe(0);
    expect(Atomics.load(state, SPINNERS)).toBe(0);
  });

  it('lets at most cores - 1 threads of one host spin at once', () => {
    const state = hostState();
    const a = new SpinPolicy(2, () => 0);
    const b = new SpinPolicy(2, () => 0);
    expect(a.begin(state)).toBe(SPIN_WINDOW_MS);
    expect(b.begin(state)).toBe(0);
    expect(Atomics.load(state, SPINNERS)).toBe(1);
    a.end(state, true);
    expect(b.begin(state)).toBe(SPIN_WINDOW_MS);
    b.end(state, true);
    expect(Atomics.load(state, SPINNERS)).toBe(0);
  });

  it('halves the window after a miss, stops below the minimum, probes, and restores it after a hit', () => {
    const state = hostState();
    const p = new SpinPolicy(4, () => 0);
    let ms = p.begin(state);
    const windows: number[] = [];
    while (ms > 0) {
      windows.push(ms);
      p.end(state, false);
      ms = p.begin(state);
    }
    expect(windows[0]).toBe(SPIN_WINDOW_MS);
    for (let i = 1; i < windows.length; i++) expect(windows[i]).toBe((windows[i - 1] ?? 0) / 2);
    expect((windows.at(-1) ?? 0) / 2).toBeLessThan(MIN_WINDOW_MS);
    // With no window left, one spin in every PROBE_EVERY probes with the full one.
    let probes = 0;
    for (let i = 0; i < PROBE_EVERY; i++) {
      const w = p.begin(state);
      if (w > 0) {
        probes++;
        expect(w).toBe(SPIN_WINDOW_MS);
        p.end(state, false);
      }
    }
    expect(probes).toBe(1);
    for (let i = 0; i < PROBE_EVERY; i++) {
      const w = p.begin(state);
      if (w > 0) {
        p.end(state, true);
        break;
      }
    }
    expect(p.begin(state)).toBe(SPIN_WINDOW_MS);
    p.end(state, true);
    expect(Atomics.load(state, SPINNERS)).toBe(0);
  });
});
