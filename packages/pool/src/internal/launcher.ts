/**
 * How the pool starts a worker: the seam between the scheduler and
 * `launch()` of `@multiprocessing/process/internal` (decision 0006). The
 * scheduler is given a {@link WorkerLauncher}; unit tests give it fake
 * launches (a message emitter and an exit promise) to drive dead workers,
 * start failures and stealing without starting a thread.
 */
import type { ResourceLimits } from 'node:worker_threads';
import { launch, type Launched, type StartMethod } from '@multiprocessing/process/internal';
import { poolWorkerEntry } from './entry-path.js';
import type { WorkerData } from './protocol.js';

/** What the scheduler asks for when it starts a worker. */
export interface WorkerRequest {
  readonly name: string;
  readonly startMethod: StartMethod;
  readonly data: WorkerData;
  /** Thread start method only. */
  readonly resourceLimits: ResourceLimits | undefined;
}

/** Starts one pool worker; throws when it cannot be started at all (an entry file missing). */
export type WorkerLauncher = (request: WorkerRequest) => Launched;

/** The real launcher: a pool worker entry under `launch()`, daemonic. */
export const launchPoolWorker: WorkerLauncher = (request) =>
  launch({
    entry: poolWorkerEntry(),
    startMethod: request.startMethod,
    name: request.name,
    data: request.data,
    daemon: true,
    ...(request.resourceLimits !== undefined ? { resourceLimits: request.resourceLimits } : {}),
  });
