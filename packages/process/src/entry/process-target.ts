/**
 * The entry of a `Process` child (Python's `Process.run()` inside
 * `_bootstrap`): loads the target, rebuilds the arguments, awaits the call,
 * then ends the child as Python does: terminate daemonic children, join the
 * others, exit with 0 (or `process.exitCode`). An error ends it with code 1
 * through the bootstrap's report.
 *
 * Plain arguments and an ordinary target take a path that does not load
 * @multiprocessing/core: it keeps a Process start close to a raw worker's.
 *
 * The target is loaded before the arguments are rebuilt, never at the same
 * time: rebuilding a shareable may load the module that registers it, and
 * that module may be one the target module is still importing. That module
 * is loaded with `import()`, so the arguments are instances of the classes
 * the target's own imports see, under tsx as under plain Node.
 */
import { exitChild, failChild } from '../internal/child-ipc.js';
import { children } from '../internal/children.js';
import { childLog } from '../internal/child-log.js';
import { childState } from '../internal/current.js';
import { listenForInterrupt } from '../internal/interrupt.js';
import type { TargetData } from '../process.js';

type Fn = (...args: unknown[]) => unknown;

async function loadTarget(data: TargetData): Promise<Fn | undefined> {
  const spec = data.task;
  if (spec === undefined) return undefined;
  if (spec.kind === 'source') {
    // Core's loadTask does the same (the caller's toTaskSpec already checked
    // the source); compiling here saves loading core. Indirect eval: the
    // function is compiled in the child's global scope.
    const fn: unknown = (0, eval)(`(${spec.source})`);
    if (typeof fn === 'function') return fn as Fn;
  } else {
    const mod = (await import(spec.url)) as Record<string, unknown>;
    if (typeof mod[spec.name] === 'function') return mod[spec.name] as Fn;
  }
  // The unusual cases (a CommonJS module's exports on `default`, the error
  // for a missing export) are core's loadTask.
  const { loadTask } = await import('@multiprocessing/core/internal');
  return (await loadTask(spec)) as Fn;
}

async function argsOf(data: TargetData): Promise<unknown[]> {
  if (data.plain) return data.args as unknown[];
  const { fromPostable, loadRevivers } = await import('@multiprocessing/core/internal');
  await loadRevivers(data.args);
  return fromPostable(data.args) as unknown[];
}

/** A subclass's child: the class imported, an instance given the parent's fields, its run() awaited. */
async function runSubclass(data: TargetData, fn: Fn | undefined): Promise<void> {
  const cls = data.cls;
  if (cls === undefined) return;
  const { importClass, rootClass } = await import('../internal/process-class.js');
  const { runAs } = await import('../process.js');
  const { currentProcess } = await import('../current-process.js');
  const Cls = await importClass(cls);
  const [args, fields] = (await argsOf(data)) as [unknown[], Record<string, unknown>];
  const me = currentProcess();
  // The subclass's constructor does not run again, as Python's unpickling
  // does not call __init__: the base one sets up the Process.
  const p = Reflect.construct(
    rootClass(Cls),
    [{ target: fn, args, name: me.name, daemon: me.daemon }],
    Cls,
  ) as {
    run(): unknown;
  };
  Object.assign(p, fields);
  runAs(p as never);
  await p.run();
}

async function run(): Promise<void> {
  listenForInterrupt();
  const data = childState()?.data as TargetData;
  const fn = await loadTarget(data);
  childLog()?.info('child process calling self.run()');
  if (data.cls !== undefined) {
    await runSubclass(data, fn);
  } else if (fn !== undefined) {
    await fn(...(await argsOf(data)));
  }
  // Python's util._exit_function(): daemonic children are terminated, the
  // others joined.
  childLog()?.info('process shutting down');
  const live = [...children].filter((p) => p.isAlive());
  for (const p of live) if (p.daemon) p.terminate();
  await Promise.all(live.map((p) => p.join()));
  const code = Number(process.exitCode ?? 0);
  exitChild(Number.isInteger(code) ? code : 1);
}

run().catch(failChild);
