// The runtime logs its lifecycle events once a program asks for it, in the
// parent and in the children it starts afterwards (they inherit the level
// and stderr, as Python's do), and nothing otherwise.
import { fileURLToPath } from 'node:url';
import { runNode } from '@multiprocessing/test-utils';

const program = fileURLToPath(new URL('../fixtures/logging/program.mjs', import.meta.url));

describe.each(['thread', 'process'])('the runtime’s log under %s', (method) => {
  it('shows a child’s start and exit at INFO, in the child’s name', async () => {
    const { code, stdout, stderr } = await runNode([program, 'INFO', method]);
    expect(code).toBe(0);
    expect(stdout).toBe('done\n');
    const lines = stderr.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        '[INFO/Process-1] child process calling self.run()',
        '[INFO/Process-1] process shutting down',
        '[INFO/Process-1] process exiting with exitcode 0',
        expect.stringMatching(/^\[INFO\/SyncManager-1\] manager serving at /),
        '[INFO/SyncManager-1] manager shutting down',
      ]),
    );
    expect(stderr).not.toContain('[DEBUG/');
  });

  it('adds the pool’s workers and their replacement at DEBUG', async () => {
    const { code, stderr } = await runNode([program, 'DEBUG', method]);
    expect(code).toBe(0);
    const lines = stderr.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        '[DEBUG/MainProcess] added worker PoolWorker-1',
        '[DEBUG/MainProcess] added worker PoolWorker-2',
        '[DEBUG/MainProcess] closing pool',
        '[DEBUG/MainProcess] joining pool',
        expect.stringMatching(/^\[DEBUG\/MainProcess\] cleaning up worker PoolWorker-1 \(exit code 0\)$/),
      ]),
    );
  });

  it('logs nothing when the program did not ask', async () => {
    const { code, stdout, stderr } = await runNode([program, 'off', method]);
    expect(code).toBe(0);
    expect(stdout).toBe('done\n');
    expect(stderr).toBe('');
  });
});
