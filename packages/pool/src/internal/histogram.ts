/**
 * A latency histogram with fixed log-spaced buckets, behind the percentiles
 * of `pool.stats()`. Recording is O(1) and allocates nothing: the bucket of
 * a duration is read off its IEEE-754 bits (the exponent and the top
 * {@link kSubBits} bits of the mantissa), so each power of two is split into
 * 32 buckets, each at most 1/32 (3.1 %) wider than its lower bound. A
 * percentile is reported as the middle of its bucket, clamped to the exact
 * minimum and maximum seen: within 1.6 % of the exact value (or 1 µs for
 * durations under 1 µs, which share one bucket).
 */
import type { LatencyPercentiles } from '../pool-stats.js';

/** Mantissa bits kept: 2^5 = 32 buckets per power of two. */
const kSubBits = 5;
const kSubBuckets = 1 << kSubBits;
/** The smallest duration with a bucket of its own: 2^-10 ms (about 1 µs). */
const kMinExp = -10;
/** Durations of 2^30 ms (about 12 days) and more share the last bucket. */
const kMaxExp = 30;
const kLow = 2 ** kMinExp;
/** Bucket 0 holds everything under kLow (and any NaN or negative input). */
export const kBuckets = 1 + (kMaxExp - kMinExp) * kSubBuckets;
/** The high word of a float64, shifted, minus this is the bucket (kLow → 1). */
const kBase = ((1023 + kMinExp) << kSubBits) - 1;
const kShift = 20 - kSubBits;

// One scratch float shared by every histogram: its high 32 bits hold the
// sign, the 11 exponent bits and the top 20 mantissa bits.
const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
const kHigh = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** The bucket of `ms`. */
export function bucketOf(ms: number): number {
  if (!(ms >= kLow)) return 0;
  scratch[0] = ms;
  const i = ((words[kHigh] ?? 0) >>> kShift) - kBase;
  return i < kBuckets ? i : kBuckets - 1;
}

/** The lower bound of bucket `i` (0 for bucket 0). */
export function bucketLow(i: number): number {
  if (i === 0) return 0;
  const k = i - 1;
  return 2 ** (kMinExp + Math.floor(k / kSubBuckets)) * (1 + (k % kSubBuckets) / kSubBuckets);
}

/** The value reported for bucket `i`: its middle. */
function bucketMid(i: number): number {
  if (i === 0) return kLow / 2;
  const low = bucketLow(i);
  return low + low / (2 * (kSubBuckets + ((i - 1) % kSubBuckets)));
}

const kZero: LatencyPercentiles = Object.freeze({ p50: 0, p90: 0, p99: 0, max: 0 });

/** Durations in ms; see the module header. */
export class Histogram {
  readonly #counts = new Float64Array(kBuckets);
  count = 0;
  min = Infinity;
  max = 0;

  /** Counts one duration (ms). */
  record(ms: number): void {
    this.count++;
    if (ms > this.max) this.max = ms;
    if (ms < this.min) this.min = ms;
    const i = bucketOf(ms);
    this.#counts[i] = (this.#counts[i] ?? 0) + 1;
  }

  /**
   * The value at percentile `p` (0 < p ≤ 100) by the nearest-rank rule: the
   * smallest recorded value with at least p % of the values at or below it,
   * to the bucket's resolution. 0 when nothing was recorded.
   */
  percentile(p: number): number {
    return this.#at([Math.max(1, Math.ceil((p / 100) * this.count))])[0] ?? 0;
  }

  /** p50, p90, p99 and max (all 0 when nothing was recorded). */
  percentiles(): LatencyPercentiles {
    const n = this.count;
    if (n === 0) return kZero;
    const [p50, p90, p99] = this.#at([Math.ceil(0.5 * n), Math.ceil(0.9 * n), Math.ceil(0.99 * n)]);
    return { p50: p50 ?? 0, p90: p90 ?? 0, p99: p99 ?? 0, max: this.max };
  }

  /** The values of ranks `ranks` (ascending, 1-based), in one pass over the buckets. */
  #at(ranks: number[]): number[] {
    const out = ranks.map(() => 0);
    if (this.count === 0) return out;
    const counts = this.#counts;
    let seen = 0;
    let r = 0;
    for (let i = 0; i < kBuckets && r < ranks.length; i++) {
      seen += counts[i] ?? 0;
      while (r < ranks.length && seen >= (ranks[r] ?? 0)) {
        out[r++] = Math.min(this.max, Math.max(this.min, bucketMid(i)));
      }
    }
    return out;
  }
}
