/**
 * The snapshot `Pool.stats()` returns: workers, queue and task counts, mean
 * wait and run times, their percentiles and the pool's size bounds. No Python counterpart (Python's
 * Pool has no stats).
 */

/**
 * Percentiles of a duration over every task since the pool was made, in ms,
 * from a histogram with log-spaced buckets: each figure is within 1.6 % of
 * the exact nearest-rank percentile (1 µs for durations under 1 µs). `max`
 * is exact. All four are 0 before the first task is counted.
 */
export interface LatencyPercentiles {
  /** The median. */
  readonly p50: number;
  /** 90 % of the tasks took this long or less. */
  readonly p90: number;
  /** 99 % of the tasks took this long or less. */
  readonly p99: number;
  /** The longest. */
  readonly max: number;
}

/** `pool.stats()`. */
export interface PoolStats {
  /** Live workers (including ones starting). */
  readonly workers: number;
  /** Workers with at least one task in flight. */
  readonly busy: number;
  /** Workers with nothing in flight. */
  readonly idle: number;
  /** Tasks (a map chunk counts as one) waiting for a worker. */
  readonly queued: number;
  /** Tasks that finished with a result. */
  readonly completed: number;
  /** Tasks that failed (error, timeout, dead worker). */
  readonly failed: number;
  /** Mean time from a task's submission to its dispatch to a worker, in ms. */
  readonly meanWaitTimeMs: number;
  /** Mean time from dispatch to result, as seen by the pool, in ms. */
  readonly meanRunTimeMs: number;
  /** Workers started since the pool was made (replacements included). */
  readonly workersStarted: number;
  /**
   * Percentiles of the time from a task's submission to its dispatch to a
   * worker, in ms (a map chunk counts as one task). Zeros on a pool that
   * has dispatched nothing yet.
   */
  readonly waitTime: LatencyPercentiles;
  /**
   * Percentiles of the time from dispatch to result, as seen by the pool, in
   * ms (tasks whose result or error came back from the worker). Zeros on a
   * pool that has had no result yet.
   */
  readonly runTime: LatencyPercentiles;
  /** Workers the pool keeps alive even when idle (its `minProcesses` option). */
  readonly minProcesses: number;
  /** Most workers the pool runs at once (its `processes` option). */
  readonly maxProcesses: number;
}
