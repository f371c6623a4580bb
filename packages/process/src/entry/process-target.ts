/**
 * The entry of a `Process` child (Python's `Process.run()` inside
 * `_bootstrap`): loads the target, rebuilds the arguments, awaits the call,
 * then ends the child as Python does: terminate daemonic children, join the
 * others, exit with 0 (or `process.exitCode`). An error ends it with code 1
 * through the bootstrap's report.
 *
 * The target is loaded before the arguments are rebuilt: rebuilding a
 * shareable may load the module that registers it, and that module may be
 * one the target module is still importing.
 */
import { exitChild, failChild } from '../internal/child-ipc.js';
import { children } from '../internal/children.js';
import { childState } from '../internal/current.js';
import type { TargetData } from '../process.js';
import { fromPostable, loadTask } from '@multiprocessing/core';

type Fn = (...args: unknown[]) => unknown;

async function run(): Promise<void> {
  const data = childState()?.data as TargetData;
  const fn = (await loadTask(data.task)) as Fn;
  const args = (data.plain ? data.args : fromPostable(data.args)) as unknown[];
  await fn(...args);
  // Python's util._exit_function(): daemonic children are terminated, the
  // others joined.
  const live = [...children].filter((p) => p.isAlive());
  for (const p of live) if (p.daemon) p.terminate();
  await Promise.all(live.map((p) => p.join()));
  const code = Number(process.exitCode ?? 0);
  exitChild(Number.isInteger(code) ? code : 1);
}

run().catch(failChild);
