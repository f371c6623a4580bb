/**
 * The lifecycle under the other runtimes the packages claim: Deno (its
 * `node:worker_threads` and `child_process.fork` emulation) and Bun. Each
 * runs test/fixtures/runtime-lifecycle.mjs, which imports the built packages
 * by bare name from the workspace's node_modules, under both start methods.
 * The runtimes are dev dependencies of the workspace: a missing binary fails
 * the test, it never skips.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCommand } from '@multiprocessing/test-utils';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/runtime-lifecycle.mjs', import.meta.url));
const methods = ['thread', 'process'];

interface Runtime {
  name: string;
  /** The binary, relative to the repository root. */
  bin: string;
  args: string[];
}

const runtimes: Runtime[] = [
  // -A: the packages read files, the environment, os.loadavg() and fork.
  // --node-modules-dir=manual: resolve bare names from the existing
  // node_modules (the workspace's symlinks), never install. --no-lock: leave
  // no deno.lock behind. No --unstable-* flag is needed.
  {
    name: 'deno',
    bin: 'node_modules/.bin/deno',
    args: ['run', '-A', '--node-modules-dir=manual', '--no-lock', fixture, ...methods],
  },
  { name: 'bun', bin: 'node_modules/.bin/bun', args: [fixture, ...methods] },
];

function expectedLines(method: string): string[] {
  return [
    'join(timeout) on a live child: null true',
    'after terminate: -15 false',
    'after kill: -9',
    'normal return: 0',
    'exit(3): 3',
    'pool map: [1,4,9,16,25]',
    'pool joined',
  ].map((line) => `${method} ${line}`);
}

describe.each(runtimes)('the Process and Pool lifecycle under $name', ({ name, bin, args }) => {
  it('gives Python exit codes, join(timeout) returns on a live child, and the program exits on its own', async () => {
    const binary = `${repoRoot}${bin}`;
    if (!existsSync(binary)) {
      throw new Error(
        `${name} is not installed at ${binary}: run npm ci at the repository root (it is a dev dependency)`,
      );
    }
    const result = await runCommand(binary, args, {
      cwd: repoRoot,
      env: { NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
      timeoutMs: 60_000,
    });
    expect({
      code: result.code,
      signal: result.signal,
      stdout: result.stdout.split('\n'),
      stderr: result.stderr,
    }).toEqual({
      code: 0,
      signal: null,
      stdout: [...methods.flatMap(expectedLines), 'main end', ''],
      stderr: '',
    });
  }, 90_000);
});
