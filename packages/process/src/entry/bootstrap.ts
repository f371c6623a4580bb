/**
 * The first module every child runs, under both start methods (Python's
 * `spawn.spawn_main` + `Process._bootstrap`). It takes the init data (from
 * `workerData`, or from the first IPC message in a forked child), becomes
 * the child (internal/child-start.ts), then imports the entry. (Core adopts the parent's shared
 * buffers itself, from `workerData`, when it is first loaded.)
 */
import { Worker, isMainThread, workerData } from 'node:worker_threads';
import { attachIpc, exitChild, failChild } from '../internal/child-ipc.js';
import { enterChild } from '../internal/child-start.js';
import { kRuntime, type InitData } from '../internal/protocol.js';

function receiveInit(): Promise<InitData> {
  if (isMainThread) return attachIpc();
  return Promise.resolve((workerData as Record<typeof kRuntime, InitData>)[kRuntime]);
}

/**
 * A forked child must not outlive its parent. 'disconnect' tells an idle
 * child that the parent is gone, but a child busy in a loop never gets to
 * handle it. Where the OS cannot end it (no parent-death signal, see
 * internal/parent-death.ts), this small thread notices the change of parent
 * pid (the child was adopted) and ends the process from outside the busy loop.
 */
function startOrphanWatchdog(parentPid: number): void {
  const watchdog = new Worker(
    `const ppid = require('node:worker_threads').workerData;
     setInterval(() => { if (process.ppid !== ppid) process.kill(process.pid, 'SIGKILL'); }, 200);`,
    { eval: true, workerData: parentPid, resourceLimits: { maxOldGenerationSizeMb: 16 } },
  );
  watchdog.on('error', () => undefined);
  watchdog.unref();
}

async function main(): Promise<void> {
  if (isMainThread) {
    if (process.send === undefined) {
      throw new Error('the @multiprocessing bootstrap must be started by launch()');
    }
    // The parent is gone (it exited or was killed): end, leave no orphan.
    process.on('disconnect', () => {
      exitChild(1);
    });
  }
  const init = await receiveInit();
  if (isMainThread) {
    if (!init.parentDeathSignal) startOrphanWatchdog(init.parent.pid);
    // Adopted already: the parent died before setpriv set the signal.
    else if (process.ppid !== init.parent.pid) process.kill(process.pid, 'SIGKILL');
  }
  await enterChild(init);
  await import(init.entry);
}

main().catch(failChild);
