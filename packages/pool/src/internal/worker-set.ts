/**
 * The live workers of a pool and how many of them it keeps (Python's
 * `Pool._repopulate_pool` and the executor's `_adjust_process_count`): it
 * starts them through the scheduler's launcher, tops them up to the number
 * pool-size.ts wants, stops them, and ends them.
 *
 * Sizing: a Pool keeps `processes` workers from its construction on, as
 * Python's does. An elastic one (`minProcesses` below `processes`, and the
 * executor) keeps `minProcesses` and starts more, up to `processes`, while
 * work waits that no live worker can take; workers above the minimum
 * retire after `idleTimeout` without a task (idle-reaper.ts).
 */
import { runtimeLogger } from '@multiprocessing/core/internal';
import type { JobQueue } from './job-queue.js';
import { startWorker, type WorkerEvents, type WorkerLauncher } from './launcher.js';
import { IdleReaper } from './idle-reaper.js';
import { countsTowardsSize, workersWanted, type SizePolicy } from './pool-size.js';
import type { SchedulerOptions } from './scheduler-options.js';
import type { PoolCounters } from './stats.js';
import type { SlotContext, WorkerSlot } from './worker-slot.js';

/** See the module header. */
export class WorkerSet {
  // Invariant: `all` holds every live worker (not yet seen exiting).
  readonly all = new Set<WorkerSlot>();
  readonly size: SizePolicy;
  /** Retires idle workers above the minimum; undefined unless the pool is elastic with an idleTimeout. */
  readonly reaper: IdleReaper | undefined;

  constructor(
    private readonly opts: SchedulerOptions,
    private readonly launcher: WorkerLauncher,
    private readonly context: SlotContext,
    private readonly events: WorkerEvents,
    private readonly counters: PoolCounters,
    /** Called when the idle timer fires (the scheduler checks its state, then calls {@link WorkerSet.reapIdle}). */
    onIdle: () => void,
  ) {
    const minProcesses = opts.minProcesses ?? (opts.lazy ? 0 : opts.processes);
    const elastic = opts.lazy || minProcesses < opts.processes;
    this.size = {
      processes: opts.processes,
      minProcesses,
      elastic,
      lazy: opts.lazy,
      maxTasksPerChild: opts.maxTasksPerChild,
    };
    this.reaper =
      elastic && opts.idleTimeoutMs !== undefined
        ? new IdleReaper(opts.idleTimeoutMs, minProcesses, onIdle)
        : undefined;
  }

  /** Starts one worker; while the pool runs, it does not keep Node alive until it is given a task. */
  spawn(running: boolean): WorkerSlot {
    const w = startWorker(this.launcher, this.opts, this.context, this.events);
    runtimeLogger()?.debug(`added worker ${w.name}`);
    this.counters.started++;
    this.all.add(w);
    if (running) w.setRef(false);
    return w;
  }

  /** Starts the first `minProcesses` workers, all or none: on a failure those started are terminated. */
  startMinimum(): void {
    const started: WorkerSlot[] = [];
    try {
      for (let i = 0; i < this.size.minProcesses; i++) started.push(this.spawn(true));
    } catch (err) {
      // As Python: the workers already started are terminated, the error propagates.
      for (const w of started) w.launched.terminate();
      throw err;
    }
  }

  /**
   * Starts the workers wanted for `queue` (`steady`: see workersWanted).
   *
   * @throws what launch() throws (an entry file missing); the workers started before stay.
   */
  topUp(queue: JobQueue, steady: boolean, running: boolean): void {
    let active = 0;
    for (const w of this.all) if (countsTowardsSize(w)) active++;
    const want = workersWanted(this.size, this.all, queue, active, steady);
    for (let i = active; i < want; i++) this.spawn(running);
  }

  /** The idle timer fired: workers idle too long above the minimum exit. */
  reapIdle(reaper: IdleReaper): void {
    for (const w of reaper.expired(this.all, performance.now())) {
      // It holds no task and gets none from now on; its exit is not a loss.
      w.retiring = true;
      w.stop();
    }
    reaper.watch(this.all);
  }

  /** Tasks on the workers, sent and not settled. */
  inFlight(): number {
    let n = 0;
    for (const w of this.all) n += w.inFlight.length;
    return n;
  }

  /** Retired workers (maxTasksPerChild, recycled, idle) stop once their last result is in. */
  stopRetired(): void {
    for (const w of this.all) {
      if (w.retiring && !w.stopSent && w.inFlight.length === 0) w.stop();
    }
  }

  /** After close(), once no work is left: every worker holding no task retires and stops. */
  stopIdle(): void {
    for (const w of this.all) {
      if (w.inFlight.length === 0 && !w.stopSent) {
        w.retiring = true;
        w.stop();
      }
    }
  }

  /** Whether the workers keep Node alive (true once the pool closes or ends). */
  setRef(ref: boolean): void {
    for (const w of this.all) w.setRef(ref);
  }

  /** Ends every worker now (SIGTERM semantics, or SIGKILL with `kill`). */
  end(kill: boolean): void {
    for (const w of this.all) {
      w.setRef(true);
      if (kill) w.launched.kill();
      else w.launched.terminate();
    }
  }
}
