/**
 * The options a scheduler (scheduler.ts) is made with: what `Pool` and
 * `ProcessPoolExecutor` turn their own options into (pool-setup.ts and
 * executor.ts).
 */
import type { ResourceLimits } from 'node:worker_threads';
import type { TaskSpec } from '@multiprocessing/core/internal';
import type { StartMethod } from '@multiprocessing/process/internal';
import type { WorkerLifecycle } from './lifecycle-options.js';
import type { OutputSink } from './output-lines.js';
import type { OnWorkerLost } from './worker-loss.js';

/** What a scheduler is made with. */
export interface SchedulerOptions {
  readonly processes: number;
  readonly startMethod: StartMethod;
  readonly initializer: TaskSpec | null;
  readonly initArgs: readonly unknown[];
  readonly initArgsPostable: boolean;
  readonly maxTasksPerChild: number | undefined;
  readonly resourceLimits: ResourceLimits | undefined;
  /** `heal` replaces a dead worker and fails only its task; `break` fails everything. */
  readonly onWorkerLost: OnWorkerLost;
  /** Start workers only when work needs them (executor), not all at once (Pool). */
  readonly lazy: boolean;
  /**
   * Workers kept alive; more start when work waits, up to `processes`.
   * @default `processes`, or 0 when `lazy`
   */
  readonly minProcesses?: number;
  /** A worker above `minProcesses` idle this long (ms) exits. @default undefined (never) */
  readonly idleTimeoutMs?: number;
  /**
   * Let a worker hold its next task while one runs (threads only). The
   * executor does not, so `running()` means a worker has started the call.
   */
  readonly prefetch: boolean;
  /** Error for every outstanding call when the pool breaks (executor). */
  readonly brokenError?: (cause: Error) => Error;
  /** Finalizer, maxMemoryPerChild, env, argv, execArgv, workerData; undefined: none set. */
  readonly lifecycle?: WorkerLifecycle | undefined;
  /**
   * How long (ms) a worker asked to abort a task (a timeout, an abort) has
   * to stop it before it is terminated and replaced. @default 0 (at once)
   */
  readonly abortGraceMs?: number;
  /** Tasks each worker runs at once (concurrentTasksPerWorker). @default 1 */
  readonly concurrency?: number;
  /** Where each line of the workers' output goes (captureOutput); undefined: to ours, as is. */
  readonly output?: OutputSink | undefined;
}
