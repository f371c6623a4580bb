/**
 * The counters behind `pool.stats()` (no Python equivalent: Python's Pool
 * reports nothing). The scheduler bumps the fields directly on its hot paths.
 */
import type { PoolStats } from '../pool-stats.js';
import { Histogram } from './histogram.js';

/** Running totals of one pool. */
export class PoolCounters {
  /** Tasks that finished with a result. */
  completed = 0;
  /** Tasks that failed. */
  failed = 0;
  /** Tasks settled either way. */
  settled = 0;
  /** Tasks handed to a worker, and their summed wait in the queue (ms). */
  dispatched = 0;
  waitTotal = 0;
  /** Summed dispatch-to-result time of the tasks whose result arrived (ms). */
  runTotal = 0;
  /** Workers started. */
  started = 0;
  /** Each dispatched task's wait in the queue (ms), for the percentiles. */
  readonly wait = new Histogram();
  /** Each result's dispatch-to-result time (ms), for the percentiles. */
  readonly run = new Histogram();

  /**
   * The `stats()` figures, given the live workers' in-flight counts, the
   * queued task count and the pool's size bounds.
   */
  snapshot(
    inFlight: Iterable<number>,
    queued: number,
    minProcesses: number,
    maxProcesses: number,
  ): PoolStats {
    let workers = 0;
    let busy = 0;
    for (const n of inFlight) {
      workers++;
      if (n > 0) busy++;
    }
    return {
      workers,
      busy,
      idle: workers - busy,
      queued,
      completed: this.completed,
      failed: this.failed,
      meanWaitTimeMs: this.dispatched === 0 ? 0 : this.waitTotal / this.dispatched,
      meanRunTimeMs: this.settled === 0 ? 0 : this.runTotal / this.settled,
      workersStarted: this.started,
      waitTime: this.wait.percentiles(),
      runTime: this.run.percentiles(),
      minProcesses,
      maxProcesses,
    };
  }
}
