/**
 * How a forked child is ended when its parent dies, even while its main
 * thread is stuck in a loop. On Linux the kernel does it: the child is
 * started through util-linux's `setpriv --pdeathsig KILL`, which sets the
 * parent-death signal (`prctl(PR_SET_PDEATHSIG)`) and then execs node in the
 * same process, so the child is SIGKILLed the moment its parent dies and runs
 * no code of its own for it. Elsewhere (no setpriv, another OS, Bun, Deno,
 * or a launch from a worker thread, whose end would fire the signal) the
 * bootstrap starts a small watchdog thread instead.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { runtime } from './runtime-state.js';

/** How to fork a child: the program to run and the arguments before the module path. */
export interface ForkCommand {
  /** `undefined`: node itself (`process.execPath`), or what setExecutable() chose. */
  readonly execPath: string | undefined;
  readonly execArgv: string[];
  /** True when the OS ends the child on its parent's death (no watchdog thread needed). */
  readonly parentDeathSignal: boolean;
}

/**
 * The first setpriv on `pathVar` (a `PATH` value; only absolute entries)
 * that supports `--pdeathsig`, or null. Runs each candidate's `--help` once.
 */
export function setprivOnPath(pathVar: string): string | null {
  for (const dir of pathVar.split(delimiter)) {
    // Only absolute entries: a relative one would run whatever the cwd holds.
    if (!isAbsolute(dir)) continue;
    const path = join(dir, 'setpriv');
    if (!existsSync(path)) continue;
    try {
      // BusyBox's setpriv and util-linux before 2.33 have no --pdeathsig.
      const help = execFileSync(path, ['--help'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 10_000,
      });
      if (help.includes('--pdeathsig')) return path;
    } catch {
      // Not runnable: keep looking.
    }
  }
  return null;
}

// Invariant: `setpriv` is looked up once per thread: undefined until then,
// null when it is missing or cannot set the parent-death signal.
let setpriv: string | null | undefined;

/** The setpriv this program forks through, or null (cached). */
function findSetpriv(): string | null {
  if (setpriv !== undefined) return setpriv;
  const usable =
    process.platform === 'linux' && !('bun' in process.versions) && !('deno' in process.versions);
  setpriv = usable ? setprivOnPath(process.env.PATH ?? '') : null;
  return setpriv;
}

/**
 * The command that forks a child running node with `execArgv`: through
 * setpriv when the parent-death signal is available (main thread only: the
 * signal fires when the forking *thread* ends), else node itself.
 */
export function forkCommand(execArgv: readonly string[]): ForkCommand {
  const wrapper = isMainThread ? findSetpriv() : null;
  const node = runtime.executable;
  if (wrapper === null) return { execPath: node, execArgv: [...execArgv], parentDeathSignal: false };
  return {
    execPath: wrapper,
    execArgv: ['--pdeathsig', 'KILL', '--', node ?? process.execPath, ...execArgv],
    parentDeathSignal: true,
  };
}
