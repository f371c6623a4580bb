/**
 * Checks of the options that say how each worker is started and ended
 * (`PoolWorkerOptions`): finalizer, memory limit, environment, arguments and
 * data. Shared by `Pool` and `ProcessPoolExecutor`.
 */
import { timeoutMs, toPostable, type TaskSpec } from '@multiprocessing/core/internal';
import type { PoolWorkerOptions } from '../options.js';
import { initializerOption } from './validate.js';

/** The checked form of `PoolWorkerOptions`, as the scheduler and the launcher use it. */
export interface WorkerLifecycle {
  readonly finalizer: TaskSpec | null;
  readonly finalizerArgs: readonly unknown[];
  readonly finalizerArgsPostable: boolean;
  /** undefined: no limit. */
  readonly finalizerTimeoutMs: number | undefined;
  /** 0: no limit. */
  readonly maxMemoryBytes: number;
  readonly env: Readonly<Record<string, string>> | undefined;
  readonly argv: readonly string[] | undefined;
  readonly execArgv: readonly string[] | undefined;
  readonly workerData: unknown;
  readonly workerDataPostable: boolean;
}

/** The finalizer's time limit when none is given, in seconds. */
export const kDefaultFinalizerTimeout = 5;

const kMiB = 1024 * 1024;

/** finalizerTimeout: seconds ≥ 0, or Infinity for none. */
export function finalizerTimeoutOption(value: unknown): number | undefined {
  if (value === undefined || value === null) return kDefaultFinalizerTimeout * 1000;
  if (typeof value === 'number' && value < 0) {
    throw new RangeError(`finalizerTimeout must be a number of seconds ≥ 0, got ${String(value)}`);
  }
  return timeoutMs(value, 'finalizerTimeout');
}

/** maxMemoryPerChild: MiB > 0 (Infinity: no limit) as bytes; 0 for none. */
export function maxMemoryOption(value: unknown): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number') {
    throw new TypeError(`maxMemoryPerChild must be a number of MiB or undefined, got ${typeof value}`);
  }
  if (Number.isNaN(value) || value <= 0) {
    throw new RangeError(`maxMemoryPerChild must be a number of MiB greater than 0, got ${String(value)}`);
  }
  const bytes = value * kMiB;
  return Number.isFinite(bytes) ? bytes : 0;
}

/** An array of strings (argv, execArgv), or undefined. */
export function stringArrayOption(value: unknown, argName: string): readonly string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new TypeError(`${argName} must be an array of strings`);
  const items = value as unknown[];
  for (let i = 0; i < items.length; i++) {
    if (typeof items[i] !== 'string') {
      throw new TypeError(`${argName}[${String(i)}] must be a string, got ${typeof items[i]}`);
    }
  }
  return items.slice() as string[];
}

/** env: an object whose own values are all strings (copied), or undefined. */
export function envOption(value: unknown): Readonly<Record<string, string>> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(
      `env must be an object of strings, got ${Array.isArray(value) ? 'an array' : typeof value}`,
    );
  }
  const env: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new TypeError(`env.${key} must be a string, got ${typeof v}`);
    env[key] = v;
  }
  return env;
}

/**
 * Checks the options of `PoolWorkerOptions`; undefined when none is set (the
 * workers start as before, with nothing more in their launch data).
 */
export function workerLifecycleOption(
  opts: PoolWorkerOptions,
  crossProcess: boolean,
): WorkerLifecycle | undefined {
  const fin = initializerOption(opts.finalizer, opts.finalizerArgs, crossProcess, [
    'finalizer',
    'finalizerArgs',
  ]);
  const finalizerTimeoutMs = finalizerTimeoutOption(opts.finalizerTimeout);
  const maxMemoryBytes = maxMemoryOption(opts.maxMemoryPerChild);
  const env = envOption(opts.env);
  const argv = stringArrayOption(opts.argv, 'argv');
  const execArgv = stringArrayOption(opts.execArgv, 'execArgv');
  const data =
    opts.workerData === undefined ? undefined : toPostable(opts.workerData, 'workerData', { crossProcess });
  if (
    fin.spec === null &&
    maxMemoryBytes === 0 &&
    env === undefined &&
    argv === undefined &&
    execArgv === undefined &&
    data === undefined
  ) {
    return undefined;
  }
  return {
    finalizer: fin.spec,
    finalizerArgs: fin.args,
    finalizerArgsPostable: fin.postable,
    finalizerTimeoutMs,
    maxMemoryBytes,
    env,
    argv,
    execArgv,
    workerData: data?.value,
    workerDataPostable: data !== undefined && !data.plain,
  };
}
