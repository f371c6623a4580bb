/**
 * How many workers a pool wants (Python's `Pool._repopulate_pool` and the
 * executor's `_adjust_process_count`). A full Pool wants all `processes`
 * workers all the time, as Python's. An elastic one (fewer `minProcesses`,
 * or the executor) wants its minimum, plus one more worker per waiting task,
 * up to `processes`, while work waits that no live worker can take; it
 * shrinks through idle-reaper.ts.
 */
import type { JobQueue } from './job-queue.js';
import type { WorkerSlot } from './worker-slot.js';

/** A worker that counts towards the pool's size: not retiring, not being ended by the pool. */
export function countsTowardsSize(w: WorkerSlot): boolean {
  return !w.retiring && w.blame === undefined && w.initError === undefined;
}

/** What the wanted size depends on besides the workers and the queue. */
export interface SizePolicy {
  readonly processes: number;
  readonly minProcesses: number;
  /** Sized by demand: the executor, or a Pool with `minProcesses` below `processes`. */
  readonly elastic: boolean;
  /** The executor: a worker holds one task at a time, and only waiting tasks start workers. */
  readonly lazy: boolean;
  readonly maxTasksPerChild: number | undefined;
}

/**
 * The number of workers wanted, given `active` of them count towards the
 * size. `steady`: the pool runs and no worker failed to start lately; if
 * not, workers start only for waiting work, one at a time.
 */
export function workersWanted(
  policy: SizePolicy,
  workers: Iterable<WorkerSlot>,
  queue: JobQueue,
  active: number,
  steady: boolean,
): number {
  const max = policy.processes;
  if (steady && !policy.elastic) return max;
  const floor = steady ? policy.minProcesses : 0;
  if (active >= max || !needsWorker(policy, workers, queue, steady)) return floor;
  // As Python's executor: one more worker per waiting task, up to the maximum.
  const waiting = steady ? queue.length : 1;
  return Math.max(floor, Math.min(max, active + Math.max(1, waiting)));
}

/**
 * True when work waits that no live worker can take now (an idle one
 * would). In a steady elastic Pool, also when a worker holds tasks behind
 * the one it runs: the new worker takes them back once ready (stealing.ts).
 */
function needsWorker(
  policy: SizePolicy,
  workers: Iterable<WorkerSlot>,
  queue: JobQueue,
  steady: boolean,
): boolean {
  const now = performance.now();
  let held = false;
  for (const w of workers) {
    if (w.inFlight.length === 0 && w.canTake(now, policy.maxTasksPerChild)) return false;
    if (w.inFlight.length > 1 && !w.retiring) held = true;
  }
  return queue.hasWork() || (held && steady && !policy.lazy);
}
