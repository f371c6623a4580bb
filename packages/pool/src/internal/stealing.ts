/**
 * Work stealing between thread workers (no Python equivalent: Python's
 * workers pull one task at a time). A thread worker holds its next tasks
 * while one runs; when it is stuck on a long task while another worker is
 * idle, the parent takes back every task it has not claimed yet (see
 * WorkerData.progress) and they go to the front of the queue.
 */
import type { Job } from './job.js';
import { kClaimSlot } from './protocol.js';
import { kStallMs, type WorkerSlot } from './worker-slot.js';

/**
 * Takes back the tasks `w` has posted but not claimed, in order (the caller
 * requeues them); none if it has none, if it is not a thread worker, or if
 * any of them moved buffers into it (those cannot be sent again).
 */
export function takeBackUnclaimed(w: WorkerSlot): Job[] {
  const progress = w.progress;
  if (progress === undefined || w.dead || w.outJobs.length > 0) return [];
  const last = w.sent;
  for (;;) {
    const claimed = Atomics.load(progress, kClaimSlot);
    if (claimed >= last) return [];
    for (const job of w.inFlight) if (job.seq > claimed && w.moved(job)) return [];
    // The worker claims task s with compareExchange(claim, s - 1, s): after
    // this, it fails to claim claimed+1 … last and skips them.
    if (Atomics.compareExchange(progress, kClaimSlot, claimed, last) !== claimed) continue;
    const taken: Job[] = [];
    for (const job of w.inFlight.drain()) {
      if (job.seq <= claimed) {
        w.inFlight.push(job);
      } else {
        // Taken back: it does not count towards maxTasksPerChild.
        w.assigned--;
        taken.push(job);
      }
    }
    return taken;
  }
}

/**
 * Arms a check, kStallMs from now, for thread workers stuck on a long task
 * while others are idle; when it fires, the stuck workers' unclaimed tasks
 * are taken back.
 */
export class StallWatch {
  #timer: NodeJS.Timeout | undefined = undefined;

  constructor(
    /** Thread workers only: the others cannot be robbed. */
    private readonly enabled: boolean,
    /** Called when the check fires: steal from {@link stalledWorkers} if still useful. */
    private readonly onFire: () => void,
  ) {}

  /** Arms the check if some ready worker could take a job at `now` while another holds more than it runs. */
  watch(workers: Iterable<WorkerSlot>, now: number, maxTasks: number | undefined): void {
    if (this.#timer !== undefined || !this.enabled) return;
    // Only between workers that are up: moving tasks from a worker still
    // starting to another one still starting gains nothing.
    let idle = false;
    let loaded = false;
    for (const w of workers) {
      if (!w.ready) continue;
      if (w.inFlight.length === 0 && w.canTake(now, maxTasks)) idle = true;
      else if (w.inFlight.length > w.slots && !w.retiring) loaded = true;
    }
    if (!idle || !loaded) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.onFire();
    }, kStallMs);
    this.#timer.unref();
  }

  cancel(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/**
 * The ready workers holding more jobs than they run at once that have had
 * no result for kStallMs at `now`. A retiring worker (maxTasksPerChild) keeps its last
 * jobs: they are the tasks it was chosen to run before it is replaced, as a
 * Python worker runs its `maxtasksperchild` tasks in a row.
 */
export function* stalledWorkers(workers: Iterable<WorkerSlot>, now: number): Generator<WorkerSlot> {
  for (const w of workers) {
    if (w.ready && !w.retiring && w.inFlight.length > w.slots && now - w.lastDoneAt > kStallMs) yield w;
  }
}
