/**
 * The snapshot `Pool.stats()` returns: workers, queue and task counts, mean
 * wait and run times, and the pool's size bounds. No Python counterpart (Python's Pool has no stats).
 */

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
  /** Workers the pool keeps alive even when idle (its `minProcesses` option). */
  readonly minProcesses: number;
  /** Most workers the pool runs at once (its `processes` option). */
  readonly maxProcesses: number;
}
