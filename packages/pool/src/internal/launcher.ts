/**
 * How the pool starts a worker (Python's `Pool._repopulate_pool`): the seam
 * between the scheduler and `launch()` of `@multiprocessing/process/internal`
 * (decision 0006). The scheduler is given a {@link WorkerLauncher}; unit
 * tests give it fake launches (a message emitter and an exit promise) to
 * drive dead workers, start failures and stealing without starting a thread.
 */
import type { ResourceLimits } from 'node:worker_threads';
import type { TaskSpec } from '@multiprocessing/core/internal';
import { launch, type Launched, type StartMethod } from '@multiprocessing/process/internal';
import { poolWorkerEntry } from './entry-path.js';
import type { WorkerLifecycle } from './lifecycle-options.js';
import { WorkerOutput, type OutputSink } from './output-lines.js';
import { kPoolMessage, kProgressSlots, type WorkerData } from './protocol.js';
import { WorkerSlot, type SlotContext } from './worker-slot.js';

/** What the scheduler asks for when it starts a worker. */
export interface WorkerRequest {
  readonly name: string;
  readonly startMethod: StartMethod;
  readonly data: WorkerData;
  /** Thread start method only. */
  readonly resourceLimits: ResourceLimits | undefined;
  /** The workers' env, extra argv and Node options (undefined: inherited). */
  readonly env?: Readonly<Record<string, string>> | undefined;
  readonly argv?: readonly string[] | undefined;
  readonly execArgv?: readonly string[] | undefined;
  /** Takes the worker's stdout/stderr chunks instead of letting them reach ours (captureOutput). */
  readonly output?: (stream: 'stdout' | 'stderr', chunk: Buffer | string) => void;
}

/** Starts one pool worker; throws when it cannot be started at all (an entry file missing). */
export type WorkerLauncher = (request: WorkerRequest) => Launched;

/** The real launcher: a pool worker entry under `launch()`, daemonic. */
export const launchPoolWorker: WorkerLauncher = (request) =>
  launch({
    entry: poolWorkerEntry(),
    // 'thread': the worker starts on the entry's bundle, which does the bootstrap's work (worker-start.ts).
    entryBootstraps: true,
    startMethod: request.startMethod,
    name: request.name,
    data: request.data,
    daemon: true,
    ...(request.resourceLimits !== undefined ? { resourceLimits: request.resourceLimits } : {}),
    ...(request.env !== undefined ? { env: request.env } : {}),
    ...(request.argv !== undefined ? { argv: request.argv } : {}),
    ...(request.execArgv !== undefined ? { execArgv: request.execArgv } : {}),
    ...(request.output !== undefined ? { output: request.output } : {}),
  });

/** What every worker of one pool is started with. */
export interface WorkerSpec {
  readonly startMethod: StartMethod;
  readonly initializer: TaskSpec | null;
  readonly initArgs: readonly unknown[];
  readonly initArgsPostable: boolean;
  readonly resourceLimits: ResourceLimits | undefined;
  readonly prefetch: boolean;
  /** Finalizer, memory limit, env, argv, execArgv, workerData; undefined: none set. */
  readonly lifecycle?: WorkerLifecycle | undefined;
  /** Tasks each worker runs at once (concurrentTasksPerWorker). @default 1 */
  readonly concurrency?: number;
  /** Where each line of the workers' output goes (captureOutput); undefined: to ours, as is. */
  readonly output?: OutputSink | undefined;
}

/** Where a worker's messages and its end go. */
export interface WorkerEvents {
  message(w: WorkerSlot, message: unknown): void;
  /** After its last message; `launchError` if its `exited` promise rejected. */
  exit(w: WorkerSlot, code: number, launchError?: unknown): void;
}

let workerCounter = 0;

/** Starts a worker with `launcher` and wraps it in a slot wired to `events`; throws what `launcher` throws. */
export function startWorker(
  launcher: WorkerLauncher,
  spec: WorkerSpec,
  context: SlotContext,
  events: WorkerEvents,
): WorkerSlot {
  const thread = spec.startMethod === 'thread';
  const progress = thread ? new SharedArrayBuffer(kProgressSlots * 4) : null;
  const life = spec.lifecycle;
  const concurrency = spec.concurrency ?? 1;
  const data: WorkerData = {
    progress,
    initializer: spec.initializer,
    initArgs: spec.initArgs,
    initArgsPostable: spec.initArgsPostable,
    crossProcess: !thread,
    kind: kPoolMessage,
    finalizer: life?.finalizer ?? null,
    finalizerArgs: life?.finalizerArgs ?? [],
    finalizerArgsPostable: life?.finalizerArgsPostable ?? false,
    maxMemoryBytes: life?.maxMemoryBytes ?? 0,
    workerData: life?.workerData,
    workerDataPostable: life?.workerDataPostable ?? false,
    concurrency,
  };
  const name = `PoolWorker-${String(++workerCounter)}`;
  const output = spec.output === undefined ? undefined : new WorkerOutput(name, spec.output);
  const launched = launcher({
    name,
    startMethod: spec.startMethod,
    data,
    resourceLimits: thread ? spec.resourceLimits : undefined,
    env: life?.env,
    argv: life?.argv,
    execArgv: life?.execArgv,
    ...(output === undefined
      ? {}
      : {
          output: (stream: 'stdout' | 'stderr', chunk: Buffer | string) => {
            output.write(stream, chunk);
          },
        }),
  });
  const w = new WorkerSlot(
    launched,
    progress === null ? undefined : new Int32Array(progress),
    progress !== null && spec.prefetch,
    context,
    concurrency,
  );
  launched.onMessage((message) => {
    events.message(w, message);
  });
  launched.exited.then(
    (code) => {
      // `exited` waits for the last chunk of its output: the partial last lines go now.
      output?.end();
      // Let messages that raced the exit event arrive first.
      setImmediate(() => {
        events.exit(w, code);
      });
    },
    (err: unknown) => {
      output?.end();
      setImmediate(() => {
        events.exit(w, launched.exitcode ?? 1, err);
      });
    },
  );
  return w;
}
