import { bucketLow, bucketOf, Histogram, kBuckets } from '../../src/internal/histogram.js';

/** A deterministic PRNG (mulberry32), so every run checks the same values. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The nearest-rank percentile of `sorted`. */
function exact(sorted: readonly number[], p: number): number {
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1] ?? Number.NaN;
}

/** Within 1.6 % of `want`, or 1 µs under 1 µs. */
function expectClose(got: number, want: number): void {
  const tolerance = Math.max(want * (1 / 64), 2 ** -10);
  expect(Math.abs(got - want)).toBeLessThanOrEqual(tolerance * (1 + 1e-12));
}

function check(values: readonly number[]): void {
  const h = new Histogram();
  for (const v of values) h.record(v);
  const sorted = [...values].sort((a, b) => a - b);
  const stats = h.percentiles();
  expectClose(stats.p50, exact(sorted, 50));
  expectClose(stats.p90, exact(sorted, 90));
  expectClose(stats.p99, exact(sorted, 99));
  expect(stats.max).toBe(sorted[sorted.length - 1]);
  for (const p of [1, 10, 25, 75, 99.9, 100]) expectClose(h.percentile(p), exact(sorted, p));
  expect(stats.p50).toBeLessThanOrEqual(stats.p90);
  expect(stats.p90).toBeLessThanOrEqual(stats.p99);
  expect(stats.p99).toBeLessThanOrEqual(stats.max);
}

describe('Histogram', () => {
  it('reports zeros before anything is recorded', () => {
    const h = new Histogram();
    expect(h.percentiles()).toEqual({ p50: 0, p90: 0, p99: 0, max: 0 });
    expect(h.percentile(50)).toBe(0);
  });

  it('is exact for a single value and for identical values', () => {
    const h = new Histogram();
    h.record(123.456);
    expect(h.percentiles()).toEqual({ p50: 123.456, p90: 123.456, p99: 123.456, max: 123.456 });
    for (let i = 0; i < 99; i++) h.record(123.456);
    expect(h.percentiles()).toEqual({ p50: 123.456, p90: 123.456, p99: 123.456, max: 123.456 });
  });

  it('is within 1.6 % of the exact percentiles on a uniform distribution', () => {
    const rnd = prng(1);
    check(Array.from({ length: 100_000 }, () => rnd() * 1000));
  });

  it('is within 1.6 % on a log-uniform distribution over nine decades', () => {
    const rnd = prng(2);
    check(Array.from({ length: 100_000 }, () => 10 ** (rnd() * 9 - 3)));
  });

  it('is within 1.6 % on an exponential distribution with a long tail', () => {
    const rnd = prng(3);
    check(Array.from({ length: 100_000 }, () => -Math.log(1 - rnd()) * 5));
  });

  it('is within 1.6 % on a bimodal distribution (many fast tasks, a few slow ones)', () => {
    const rnd = prng(4);
    check(Array.from({ length: 50_000 }, (_, i) => (i % 50 === 0 ? 500 + rnd() * 100 : 0.05 + rnd() * 0.01)));
  });

  it('keeps zero, sub-microsecond, huge, negative and NaN inputs in range', () => {
    const h = new Histogram();
    for (const v of [0, 1e-9, 2 ** -11]) h.record(v);
    expect(h.percentiles().max).toBe(2 ** -11);
    expect(h.percentile(100)).toBeLessThanOrEqual(2 ** -11);
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(-5)).toBe(0);
    expect(bucketOf(Number.NaN)).toBe(0);
    expect(bucketOf(1e300)).toBe(kBuckets - 1);
    expect(bucketOf(Infinity)).toBe(kBuckets - 1);
    const big = new Histogram();
    big.record(1e12);
    expect(big.percentiles()).toEqual({ p50: 1e12, p90: 1e12, p99: 1e12, max: 1e12 });
  });

  it('puts every value in the bucket whose bounds hold it, each bucket under 3.2 % wide', () => {
    for (let i = 1; i < kBuckets - 1; i++) {
      const low = bucketLow(i);
      const high = bucketLow(i + 1);
      expect(high).toBeGreaterThan(low);
      expect((high - low) / low).toBeLessThanOrEqual(1 / 32 + 1e-12);
      expect(bucketOf(low)).toBe(i);
      expect(bucketOf((low + high) / 2)).toBe(i);
      expect(bucketOf(high * (1 - 1e-12))).toBe(i);
    }
    expect(bucketOf(2 ** -10)).toBe(1);
    expect(bucketOf(2 ** -10 * (1 - 1e-12))).toBe(0);
  });
});
