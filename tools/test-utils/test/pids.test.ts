// alive: whether a pid names a running process.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { alive, within } from '../src/index.js';

describe('alive', () => {
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child === undefined) return;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await within(exited, 10_000, 'the child to exit');
    }
    child = undefined;
  });

  it('is true for this process and a running child, false once the child has ended', async () => {
    expect(alive(process.pid)).toBe(true);
    const c = spawn(process.execPath, ['-e', 'process.stdin.resume()'], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    child = c;
    await within(once(c, 'spawn'), 10_000, 'the child to start');
    const pid = c.pid ?? 0;
    expect(alive(pid)).toBe(true);
    const exited = once(c, 'exit');
    c.stdin?.end();
    await within(exited, 10_000, 'the child to exit');
    expect(alive(pid)).toBe(false);
  });

  it('refuses a pid that is not a positive integer', () => {
    expect(() => alive(0)).toThrow(new RangeError('pid must be a positive integer, got 0'));
    expect(() => alive(-1)).toThrow(new RangeError('pid must be a positive integer, got -1'));
    expect(() => alive(1.5)).toThrow(new RangeError('pid must be a positive integer, got 1.5'));
    expect(() => alive(NaN)).toThrow(new RangeError('pid must be a positive integer, got NaN'));
  });
});
