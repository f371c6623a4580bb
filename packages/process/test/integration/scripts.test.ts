import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StartMethod } from '@multiprocessing/process';
import { runNode } from '@multiprocessing/test-utils';
import { pidAlive, waitForPidGone, within } from '../helpers.js';

const script = fileURLToPath(new URL('../fixtures/script.mjs', import.meta.url));
const packageDir = fileURLToPath(new URL('../..', import.meta.url));
// Linux with util-linux's setpriv on PATH: forked children get the parent-death signal.
const hasSetpriv =
  process.platform === 'linux' &&
  (process.env.PATH ?? '').split(delimiter).some((dir) => {
    const path = join(dir, 'setpriv');
    if (dir === '' || !existsSync(path)) return false;
    return execFileSync(path, ['--help'], { encoding: 'utf8' }).includes('--pdeathsig');
  });
const spawned: ChildProcess[] = [];
const pids: number[] = [];

afterEach(() => {
  for (const child of spawned.splice(0)) child.kill('SIGKILL');
  for (const pid of pids.splice(0)) {
    if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
  }
});

/** Starts `node script.mjs scenario method` and resolves with the pid its child reports. */
function startHolding(
  scenario: string,
  method: StartMethod,
  env?: Readonly<Record<string, string>>,
): Promise<{ parent: ChildProcess; childPid: number }> {
  const parent = spawn(process.execPath, [script, scenario, method], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  spawned.push(parent);
  const reported = new Promise<{ parent: ChildProcess; childPid: number }>((resolve) => {
    let out = '';
    parent.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /child (\d+)/.exec(out);
      if (m) {
        const childPid = Number(m[1]);
        pids.push(childPid);
        resolve({ parent, childPid });
      }
    });
  });
  return within(reported, 20_000, `the child pid of scenario ${scenario}`);
}

describe.each<StartMethod>(['thread', 'process'])('programs using Process [%s]', (method) => {
  it("writes the child's output to stdout before join() resolves", async () => {
    const { code, stdout } = await runNode([script, 'stdout-order', method]);
    expect(code).toBe(0);
    const expected = Array.from({ length: 10 }, (_, i) => [
      `child ${String(i)} a`,
      `child ${String(i)} b`,
      `joined ${String(i)}`,
    ]).flat();
    expect(stdout.trim().split('\n')).toEqual(expected);
  });

  it("prints an uncaught error in Python's shape on stderr and exits 1", async () => {
    const { code, stdout, stderr } = await runNode([script, 'error', method]);
    expect(code).toBe(0);
    expect(stdout).toBe('exitcode 1\n');
    expect(stderr).toMatch(/^Process Process-1:\nTypeError: boom\n\s+at fail \(file:.*tasks\.mjs:\d+:\d+\)/);
  });

  it('keeps the program alive until a non-daemon child ends, then exits on its own', async () => {
    const { code, stdout } = await runNode([script, 'no-join', method], { timeoutMs: 20_000 });
    expect(code).toBe(0);
    expect(stdout).toBe('main end\nchild done\n');
  });

  it('ends a daemon child when the program ends', async () => {
    const { code, stdout } = await runNode([script, 'daemon', method], { timeoutMs: 20_000 });
    expect(code).toBe(0);
    const m = /child (\d+)\nmain end\n/.exec(stdout);
    expect(m).not.toBeNull();
    if (method === 'process') await waitForPidGone(Number(m?.[1]), 10);
  });

  it('keeps the program alive while it joins or awaits a daemon child', async () => {
    const { code, stdout } = await runNode([script, 'daemon-join', method], { timeoutMs: 20_000 });
    expect(code).toBe(0);
    expect(stdout).toBe('daemon done\ndaemon awaited\nexited 0\n');
  });

  if (method === 'process') {
    it.each(['hold', 'spin'])('leaves no orphan when the parent is SIGKILLed (%s)', async (scenario) => {
      const { parent, childPid } = await startHolding(scenario, method);
      expect(childPid).not.toBe(parent.pid);
      expect(pidAlive(childPid)).toBe(true);
      parent.kill('SIGKILL');
      await waitForPidGone(childPid, 10);
    });

    // An empty PATH hides setpriv: the child then relies on its watchdog thread.
    it('leaves no orphan when the parent is SIGKILLed (spin, watchdog thread)', async () => {
      const { parent, childPid } = await startHolding('spin', method, { PATH: '' });
      expect(pidAlive(childPid)).toBe(true);
      parent.kill('SIGKILL');
      await waitForPidGone(childPid, 10);
    });

    if (hasSetpriv) {
      it('runs no watchdog thread in a child the parent-death signal guards', async () => {
        const threads = async (env?: Record<string, string>): Promise<number> => {
          const { code, stdout } = await runNode([script, 'threads', method], { env });
          expect(code).toBe(0);
          return Number(/^threads (\d+)$/m.exec(stdout)?.[1]);
        };
        const guarded = await threads();
        const watched = await threads({ PATH: '' });
        expect(guarded).toBeGreaterThan(0);
        expect(guarded).toBeLessThan(watched);
      });
    }
  }

  /** Runs the .ts parent `fixture` under tsx; expects a clean exit and `expected` on stdout. */
  async function underTsx(fixture: string, expected: string): Promise<void> {
    const parent = fileURLToPath(new URL(`../fixtures/ts/${fixture}`, import.meta.url));
    const { code, stdout, stderr } = await runNode(['--import', 'tsx', parent, method], {
      cwd: packageDir,
      timeoutMs: 60_000,
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(expected);
  }

  it('runs a .ts target module from a parent started with tsx', async () => {
    await underTsx('parent.ts', `hello ${method} x2\nexitcode 0\n`);
  });

  it('runs a Process subclass from a .ts module in a parent started with tsx', async () => {
    await underTsx('subclass-parent.ts', `Greeter greets ${method} x2\nexitcode 0\n`);
  });
});

describe('CommonJS consumers', () => {
  it('require() the package (Node ≥ 20.19 require of ESM) and run a Process', async () => {
    const cjs = fileURLToPath(new URL('../fixtures/cjs-consumer.cjs', import.meta.url));
    const { code, stdout } = await runNode([cjs]);
    expect(code).toBe(0);
    expect(stdout).toBe('hello from a CommonJS parent\nexitcode 0\n');
  });
});
