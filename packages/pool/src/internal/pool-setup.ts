/**
 * What `new Pool(options)` checks and builds before it starts: every option
 * validated (a `TypeError`/`RangeError` naming it), and the scheduler's
 * options made from them.
 */
import type { StartMethod } from '@multiprocessing/process/internal';
import { poolBackendOf } from './backend.js';
import { launchPoolWorker, type WorkerLauncher } from './launcher.js';
import { workerLifecycleOption } from './lifecycle-options.js';
import type { SchedulerOptions } from './scheduler-options.js';
import {
  captureOutputOption,
  concurrencyOption,
  constructorOptions,
  initializerOption,
  maxQueueOption,
  maxTasksOption,
  minProcessesOption,
  positiveSecondsOption,
  queueFullOption,
  resourceLimitsOption,
  secondsOption,
  startMethodOf,
  workerCount,
} from './validate.js';
import type { PoolOptions } from '../options.js';

/** How long a worker above `minProcesses` may stay idle by default (ms). */
const kDefaultIdleTimeoutMs = 30_000;

/** A Pool's checked options. */
export interface PoolSetup {
  readonly processes: number;
  readonly startMethod: StartMethod;
  readonly scheduler: SchedulerOptions;
  readonly maxQueue: number;
  readonly onQueueFull: 'reject' | 'wait';
  /** Starts the workers (a context's lanes, or real workers). */
  readonly launcher: WorkerLauncher;
  /** The worker processes `map`'s default chunksize is made for, now. */
  readonly liveProcesses: () => number;
}

/** Checks `options` as `new Pool(options)` takes them. */
export function poolSetup(options: PoolOptions | undefined): PoolSetup {
  const opts = constructorOptions(options);
  const startMethod = startMethodOf(opts.context);
  const backend = poolBackendOf(opts.context);
  backend?.checkOptions(opts);
  const processes = workerCount(
    opts.processes ?? backend?.defaultProcesses(),
    'processes',
    'Number of processes must be at least 1',
  );
  const crossProcess = startMethod === 'process';
  const maxTasksPerChild = maxTasksOption(opts.maxTasksPerChild);
  const init = initializerOption(opts.initializer, opts.initArgs, crossProcess);
  const resourceLimits = resourceLimitsOption(opts.resourceLimits, startMethod);
  const minProcesses = minProcessesOption(opts.minProcesses, processes);
  const idleTimeoutMs = positiveSecondsOption(opts.idleTimeout, 'idleTimeout', kDefaultIdleTimeoutMs);
  const abortGraceMs = secondsOption(opts.abortGracePeriod, 'abortGracePeriod', 1);
  const concurrency = backend?.concurrency ?? concurrencyOption(opts.concurrentTasksPerWorker);
  const output = captureOutputOption(opts.captureOutput);
  const maxQueue = maxQueueOption(opts.maxQueue);
  const onQueueFull = queueFullOption(opts.onQueueFull);
  return {
    processes,
    startMethod,
    scheduler: {
      processes,
      startMethod,
      initializer: init.spec,
      initArgs: init.args,
      initArgsPostable: init.postable,
      maxTasksPerChild,
      resourceLimits,
      onWorkerLost: 'heal',
      lazy: false,
      minProcesses,
      ...(idleTimeoutMs === undefined ? {} : { idleTimeoutMs }),
      prefetch: true,
      lifecycle: workerLifecycleOption(opts, crossProcess),
      abortGraceMs,
      concurrency,
      output,
    },
    maxQueue,
    onQueueFull,
    launcher: backend?.launcher ?? launchPoolWorker,
    liveProcesses: backend === undefined ? () => processes : () => backend.liveProcesses(),
  };
}
