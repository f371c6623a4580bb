/**
 * Timed loops for suites: run a function many times, time each repetition,
 * report the median rate. Batching many calls per timing keeps the timer's
 * own cost out of sub-microsecond figures, which per-call samplers such as
 * tinybench cannot do.
 */
import { performance } from 'node:perf_hooks';

/** The median of `values` (the mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  const upper = sorted[mid] ?? Number.NaN;
  return n % 2 === 1 ? upper : ((sorted[mid - 1] ?? Number.NaN) + upper) / 2;
}

/** Options of {@link measure} and {@link measureEach}. */
export interface MeasureOptions {
  /**
   * Calls per repetition. When omitted, it is calibrated so that one
   * repetition lasts about {@link MeasureOptions.time} ms (the calibration
   * doubles as the warm-up).
   */
  iterations?: number;
  /**
   * Timed repetitions; the result is their median.
   * @default 5
   */
  repetitions?: number;
  /**
   * Target length of one repetition in ms, used to calibrate `iterations`.
   * @default 200
   */
  time?: number;
  /**
   * Untimed calls before the first repetition, when `iterations` is given.
   * @default min(iterations, 100)
   */
  warmup?: number;
  /**
   * Operations one call performs (e.g. the size of a batch of tasks a call
   * submits and awaits); the rate is multiplied by it.
   * @default 1
   */
  opsPerCall?: number;
}

type Runner = (n: number) => Promise<number>;

/** Returns a function that calls `fn` n times and resolves to the elapsed ms. */
async function makeRunner(fn: () => unknown): Promise<Runner> {
  const first = fn();
  if (isThenable(first)) {
    await first;
    return async (n) => {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await fn();
      return performance.now() - t0;
    };
  }
  return (n) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    return Promise.resolve(performance.now() - t0);
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}

/** Finds a call count whose run lasts about `time` ms; runs the function meanwhile. */
async function calibrate(run: Runner, time: number): Promise<number> {
  let n = 1;
  for (;;) {
    const elapsed = await run(n);
    if (elapsed >= time / 4 || n >= 1 << 30) {
      return Math.max(1, Math.round((n * time) / Math.max(elapsed, 1e-3)));
    }
    n *= elapsed < time / 64 ? 16 : 4;
  }
}

interface Prepared {
  run: Runner;
  iterations: number;
}

async function prepare(fn: () => unknown, options: MeasureOptions): Promise<Prepared> {
  const run = await makeRunner(fn);
  if (options.iterations === undefined) {
    return { run, iterations: await calibrate(run, options.time ?? 200) };
  }
  const iterations = Math.max(1, Math.floor(options.iterations));
  const warmup = options.warmup ?? Math.min(iterations, 100);
  if (warmup > 0) await run(warmup);
  return { run, iterations };
}

function rate(iterations: number, elapsedMs: number, opsPerCall: number): number {
  return (iterations * opsPerCall * 1000) / Math.max(elapsedMs, 1e-6);
}

/**
 * Calls `fn` in a timed loop and resolves to the median rate in operations
 * per second over the repetitions. An async `fn` (one that returns a
 * promise) is awaited call by call.
 *
 * @example
 * const opsPerSec = await measure(() => decode(encode(payload)), { repetitions: 5 });
 * // a batch of 1 000 tasks per call, awaited together:
 * const tasksPerSec = await measure(() => Promise.all(batch.map((x) => pool.run(x))), { iterations: 1, opsPerCall: 1000 });
 */
export async function measure(fn: () => unknown, options: MeasureOptions = {}): Promise<number> {
  const { run, iterations } = await prepare(fn, options);
  const rates: number[] = [];
  const repetitions = Math.max(1, options.repetitions ?? 5);
  for (let r = 0; r < repetitions; r++) {
    rates.push(rate(iterations, await run(iterations), options.opsPerCall ?? 1));
  }
  return median(rates);
}

/**
 * Measures several candidates doing the same job, interleaving their
 * repetitions (A B C, A B C, …) so that a noisy moment on a shared machine
 * hits all of them alike. Resolves to the median ops/s of each, by name.
 * Each candidate is calibrated on its own when `iterations` is omitted.
 */
export async function measureEach<K extends string>(
  candidates: Readonly<Record<K, () => unknown>>,
  options: MeasureOptions = {},
): Promise<Record<K, number>> {
  const names = Object.keys(candidates) as K[];
  const prepared: { name: K; run: Runner; iterations: number; rates: number[] }[] = [];
  for (const name of names) prepared.push({ name, ...(await prepare(candidates[name], options)), rates: [] });
  const repetitions = Math.max(1, options.repetitions ?? 5);
  for (let r = 0; r < repetitions; r++) {
    for (const p of prepared)
      p.rates.push(rate(p.iterations, await p.run(p.iterations), options.opsPerCall ?? 1));
  }
  const out = {} as Record<K, number>;
  for (const p of prepared) out[p.name] = median(p.rates);
  return out;
}
