// Starts real child processes through startChild (uses the build).
import { alive, within } from '@multiprocessing/test-utils';
import { startChild, type Child } from '../../dist/harness/children.js';

const fixture = new URL('../fixtures/children/child.mjs', import.meta.url);

describe('startChild', () => {
  let child: Child | undefined;
  afterEach(async () => {
    await child?.stop(0);
    child = undefined;
  });

  it('resolves with the JSON line the child writes, and stop() ends it by closing its stdin', async () => {
    child = await within(startChild(fixture, ['ready', 'a', 'b']), 20_000, 'the child to be ready');
    expect(child.ready).toEqual({ pid: child.pid, args: ['a', 'b'] });
    expect(alive(child.pid)).toBe(true);
    await within(child.stop(), 20_000, 'the child to stop');
    // It ended on its own (code 0): the end of its stdin is its lifeline.
    expect(await child.exited).toBe(0);
    expect(alive(child.pid)).toBe(false);
  });

  it('kills a child that does not end when its stdin does', async () => {
    child = await within(startChild(fixture, ['stubborn']), 20_000, 'the child to be ready');
    await within(child.stop(100), 20_000, 'the child to be killed');
    expect(await child.exited).toBe('SIGKILL');
  });

  it('rejects, naming the child and its output, when it exits before it is ready', async () => {
    await expect(startChild(fixture, ['exits'], { what: 'the test child' })).rejects.toThrow(
      /^the test child exited with 3 before it was ready; its output: half a line$/,
    );
  });

  it('rejects, and ends the child, when its first line is not JSON', async () => {
    await expect(startChild(fixture, ['text'])).rejects.toThrow(
      'child.mjs wrote "hello" where a JSON line was expected',
    );
  });

  it('rejects, and ends the child, when it is not ready in time', async () => {
    await expect(startChild(fixture, ['silent'], { readyMs: 200 })).rejects.toThrow(
      'child.mjs was not ready within 200 ms',
    );
  });

  it('takes only a file: URL', async () => {
    await expect(startChild(new URL('https://example.com/x.mjs'), [])).rejects.toThrow(TypeError);
  });
});
