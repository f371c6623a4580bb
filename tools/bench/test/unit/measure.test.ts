import { measure, measureEach, median } from '../../src/harness/measure.js';

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('ignores NaN and gives NaN for no values', () => {
    expect(median([Number.NaN, 2, 4, 6])).toBe(4);
    expect(Number.isNaN(median([]))).toBe(true);
  });
});

describe('measure', () => {
  it('calls the function warm-up + iterations × repetitions times and returns a rate', async () => {
    let calls = 0;
    const rate = await measure(() => calls++, { iterations: 10, repetitions: 3, warmup: 4 });
    // One extra call detects whether the function is async.
    expect(calls).toBe(1 + 4 + 30);
    expect(rate).toBeGreaterThan(0);
  });

  it('multiplies the rate by opsPerCall', async () => {
    // A call that takes a fixed ~2 ms of busy time: 1 call ≈ 500/s, so 1 000 ops per call ≈ 500 k/s.
    const busy = (): void => {
      const end = performance.now() + 2;
      while (performance.now() < end);
    };
    const single = await measure(busy, { iterations: 5, repetitions: 3, warmup: 0 });
    const batched = await measure(busy, { iterations: 5, repetitions: 3, warmup: 0, opsPerCall: 1000 });
    expect(single).toBeLessThan(600);
    expect(batched).toBeGreaterThan(100 * single);
  });

  it('awaits an async function call by call', async () => {
    let running = 0;
    let maxRunning = 0;
    await measure(
      async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((resolve) => setImmediate(resolve));
        running--;
      },
      { iterations: 20, repetitions: 2 },
    );
    expect(maxRunning).toBe(1);
  });

  it('calibrates the iteration count when none is given', async () => {
    let calls = 0;
    await measure(() => calls++, { time: 20, repetitions: 2 });
    expect(calls).toBeGreaterThan(1000);
  });
});

describe('measureEach', () => {
  it('interleaves the candidates repetition by repetition and returns each rate', async () => {
    const order: string[] = [];
    let current = '';
    const track = (name: string) => (): void => {
      if (current !== name) order.push(name);
      current = name;
    };
    const r = await measureEach(
      { a: track('a'), b: track('b') },
      { iterations: 5, repetitions: 3, warmup: 0 },
    );
    expect(Object.keys(r)).toEqual(['a', 'b']);
    expect(r.a).toBeGreaterThan(0);
    expect(r.b).toBeGreaterThan(0);
    // a and b detection calls, then three rounds of a, b.
    expect(order).toEqual(['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']);
  });
});
