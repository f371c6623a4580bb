/**
 * How an elastic pool shrinks (no Python equivalent: Python's Pool keeps
 * every worker until it is closed). A worker that has had no task for the
 * pool's `idleTimeout`, while the pool has more workers than its
 * `minProcesses`, is retired: it gets no more tasks and is asked to exit,
 * which it does at once since it holds none. One unref'd timer per pool,
 * armed for the worker idle the longest, so nothing is done per task and
 * an idle pool never keeps Node alive.
 */
import { startTimer, type Timer } from '@multiprocessing/core/internal';
import { countsTowardsSize } from './pool-size.js';
import type { WorkerSlot } from './worker-slot.js';

/** A worker up and holding nothing: it has been idle since `lastDoneAt`. */
function isIdle(w: WorkerSlot): boolean {
  return w.ready && !w.dead && !w.stopSent && w.inFlight.length === 0 && countsTowardsSize(w);
}

/** See the module header. */
export class IdleReaper {
  #timer: Timer | undefined = undefined;

  constructor(
    /** How long a worker may stay idle, in ms. */
    private readonly idleMs: number,
    /** Workers never retired for idleness. */
    private readonly minWorkers: number,
    /** Called when the timer fires: retire {@link IdleReaper.expired}, then {@link IdleReaper.watch} again. */
    private readonly onFire: () => void,
  ) {}

  /** Arms the timer for the worker idle the longest, if the pool has more workers than its minimum. */
  watch(workers: Iterable<WorkerSlot>): void {
    if (this.#timer !== undefined) return;
    let size = 0;
    let oldest: number | undefined;
    for (const w of workers) {
      if (!countsTowardsSize(w)) continue;
      size++;
      if (isIdle(w) && (oldest === undefined || w.lastDoneAt < oldest)) oldest = w.lastDoneAt;
    }
    if (oldest === undefined || size <= this.minWorkers) return;
    const delay = Math.max(0, Math.ceil(oldest + this.idleMs - performance.now()));
    this.#timer = startTimer(
      delay,
      () => {
        this.#timer = undefined;
        this.onFire();
      },
      { unref: true },
    );
  }

  /**
   * The workers to retire at `now`: those idle for `idleMs` or more, the
   * longest idle first, as many as the pool has above its minimum.
   */
  expired(workers: Iterable<WorkerSlot>, now: number): WorkerSlot[] {
    let size = 0;
    const idle: WorkerSlot[] = [];
    for (const w of workers) {
      if (!countsTowardsSize(w)) continue;
      size++;
      if (isIdle(w) && now - w.lastDoneAt >= this.idleMs) idle.push(w);
    }
    const excess = size - this.minWorkers;
    if (excess <= 0 || idle.length === 0) return [];
    idle.sort((a, b) => a.lastDoneAt - b.lastDoneAt);
    return idle.slice(0, excess);
  }

  /** Stops the timer (the pool closes, terminates or breaks). */
  cancel(): void {
    this.#timer?.clear();
    this.#timer = undefined;
  }
}
