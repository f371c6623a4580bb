/**
 * The bootstrap's work inside a child, before its entry runs: become the
 * child (`currentProcess()`, `parentProcess()`, the inherited authkey),
 * route uncaught errors to Python's report-and-exit, and carry the parent's
 * loaders (tsx). Run by entry/bootstrap.ts, and by an entry module that a
 * thread child starts on directly (`LaunchOptions.entryBootstraps`), which
 * saves the bootstrap's own module-loading phase.
 */
import { isMainThread, workerData } from 'node:worker_threads';
import { failChild } from './child-ipc.js';
import { setChildLog } from './child-log.js';
import { becomeChild, childState } from './current.js';
import { kRuntime, type InitData } from './protocol.js';

/** Makes this thread or process the child `init` describes; resolves once its loaders are registered. */
export async function enterChild(init: InitData): Promise<void> {
  becomeChild(init);
  process.on('uncaughtException', failChild);
  process.on('unhandledRejection', failChild);
  for (const loader of init.loaders) {
    const mod = (await import(loader.url)) as { register?: () => unknown };
    if (loader.kind === 'register') mod.register?.();
  }
  if (init.log !== undefined) {
    // Only a child whose parent set up logging loads core this early.
    const { applyLogSettings, runtimeLogger } = await import('@multiprocessing/core/internal');
    applyLogSettings(init.log);
    setChildLog(runtimeLogger());
  }
}

/**
 * Called first by an entry module that a thread child may start on directly
 * (`LaunchOptions.entryBootstraps`): does the bootstrap's work from the init
 * data in `workerData`, unless a bootstrap already has (the same entry under
 * 'process', or started without the option). The entry awaits it before any
 * of its modules reads `getLaunchData()` or `currentProcess()`.
 *
 * @throws {Error} in a thread or process that no `launch()` started.
 */
export function startChildEntry(): Promise<void> {
  if (childState() !== undefined) return Promise.resolve();
  const init = isMainThread
    ? undefined
    : (workerData as Record<typeof kRuntime, InitData> | null)?.[kRuntime];
  if (init === undefined) {
    throw new Error('a @multiprocessing child entry must be started by launch()');
  }
  return enterChild(init);
}
