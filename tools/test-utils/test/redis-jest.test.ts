// describeWithRedis and startRedis seen from a whole jest run, in a child
// process: what a run without redis-server reports, in CI and out of it, and
// that a server a test leaves running ends with the jest process.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describeWithRedis, redisCommands, runNode, withinSeconds } from '../src/index.js';

const cwd = fileURLToPath(new URL('..', import.meta.url));
const jestArgs = [
  '--experimental-vm-modules',
  '--no-warnings=ExperimentalWarning',
  fileURLToPath(new URL('../../../node_modules/jest/bin/jest.js', import.meta.url)),
  '--config',
  fileURLToPath(new URL('fixtures/jest.config.js', import.meta.url)),
];
const nowhere = { REDIS_SERVER_PATH: '/nonexistent/redis-server', FORCE_COLOR: '0' };

describe('describeWithRedis without redis-server', () => {
  it('outside CI: warns on stderr and reports the tests as skipped, saying why', async () => {
    const run = await runNode([...jestArgs, 'uses-redis'], { cwd, env: { ...nowhere, CI: '' } });
    expect(run.stderr).toContain('WARNING: redis-server is missing, so the cluster tests');
    expect(run.stderr).toContain('did NOT run');
    expect(run.stderr).toContain('sudo apt-get install -y redis-server');
    expect(run.stderr).toMatch(/Tests: +2 skipped, 2 total/);
    expect(run.code).toBe(0);
  });

  it('under CI: every test fails, saying how to install redis-server', async () => {
    const run = await runNode([...jestArgs, 'uses-redis'], { cwd, env: { ...nowhere, CI: 'true' } });
    expect(run.stderr).toContain(
      'redis-server was not found (REDIS_SERVER_PATH=/nonexistent/redis-server is not an executable file). ' +
        'Install it with `sudo apt-get install -y redis-server`.',
    );
    expect(run.stderr).toMatch(/Tests: +2 failed, 2 total/);
    expect(run.code).toBe(1);
  });
});

describeWithRedis('a server a test leaves running', () => {
  it('is killed, and its dir removed, when the jest process exits', async () => {
    const child = spawn(process.execPath, [...jestArgs, 'left-running'], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: '', FORCE_COLOR: '0' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    let held: Socket | undefined;
    try {
      const lines = createInterface({ input: child.stdout });
      const line = (async () => {
        for await (const l of lines) if (l.startsWith('LEFT-RUNNING ')) return l;
        throw new Error(`the child printed no LEFT-RUNNING line:\n${stderr}`);
      })();
      const left = JSON.parse((await withinSeconds(line, 60, 'the LEFT-RUNNING line')).slice(13)) as {
        port: number;
        dir: string;
      };
      held = connect({ host: '127.0.0.1', port: left.port });
      held.on('error', () => undefined); // a reset when the server dies is expected
      await withinSeconds(once(held, 'connect'), 10, 'the connection to the server');
      const closed = once(held, 'close');
      expect(await redisCommands(left.port, [['RPUSH', 'go', '1']])).toEqual([1]);
      const [code] = await withinSeconds(exited, 60, 'the child jest run');
      expect({ code, stderr }).toEqual({ code: 0, stderr: expect.stringMatching(/Tests: +1 passed/) });
      await withinSeconds(closed, 10, 'the server closing the held connection');
      expect(existsSync(left.dir)).toBe(false);
    } finally {
      child.kill('SIGKILL');
      held?.destroy();
    }
  });
});
