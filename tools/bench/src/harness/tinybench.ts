/**
 * A thin tinybench wrapper that returns medians, for suites whose calls are
 * long enough (tens of microseconds and up) for per-call timing. For
 * sub-microsecond calls prefer `measure`, which times batches.
 */
import { Bench, type Fn } from 'tinybench';

/** The medians tinybench measured for one task. */
export interface TinybenchResult {
  /** Median throughput, operations per second. */
  readonly opsPerSec: number;
  /** Median latency of one call, in ms. */
  readonly latencyMs: number;
  /** How many calls were sampled. */
  readonly samples: number;
}

/** Options of {@link runTinybench}. */
export interface TinybenchOptions {
  /**
   * Time budget per task, ms.
   * @default 1000
   */
  time?: number;
  /**
   * Minimum calls per task.
   * @default 64
   */
  iterations?: number;
  /**
   * Warm-up budget per task, ms.
   * @default 250
   */
  warmupTime?: number;
}

/**
 * Runs each task through a tinybench `Bench` (one after the other, in the
 * order given) and resolves to its medians by name. A task that throws
 * rejects the whole call with that error.
 *
 * @example
 * const r = await runTinybench({ 'pool: apply [thread]': () => pool.apply(fn, [2]) }, { time: 500 });
 * r['pool: apply [thread]'].latencyMs;
 */
export async function runTinybench<K extends string>(
  tasks: Readonly<Record<K, Fn>>,
  options: TinybenchOptions = {},
): Promise<Record<K, TinybenchResult>> {
  const bench = new Bench({
    time: options.time ?? 1000,
    iterations: options.iterations ?? 64,
    warmupTime: options.warmupTime ?? 250,
    throws: true,
  });
  const names = Object.keys(tasks) as K[];
  for (const name of names) bench.add(name, tasks[name]);
  await bench.run();
  const out = {} as Record<K, TinybenchResult>;
  for (const task of bench.tasks) {
    const result = task.result;
    if (result.state !== 'completed') {
      throw new Error(`tinybench task ${task.name} ended ${result.state}`);
    }
    out[task.name as K] = {
      opsPerSec: result.throughput.p50,
      latencyMs: result.latency.p50,
      samples: result.latency.samplesCount,
    };
  }
  return out;
}
