// A Pipe owned by the test process, with its ends used by child processes:
// two children talk over it, and when the child that used one end exits,
// a receive on the other end fails with EOFError, in the test process or in
// another child. As in Python, the test process closes its own handle of an
// end once a child has it; else that handle keeps the end open.
import { EmptyError, EOFError, Pipe, Queue } from '@multiprocessing/all';
import type * as Fx from '../../fixtures/cross-process/pipe.mjs';
import { endChildren, exitOf, exitsOf, fixture, spawn, within, WAIT_S } from './helpers.js';

const fx = fixture<typeof Fx>('pipe.mjs');

afterEach(endChildren);

it('carries messages both ways between two children holding its two ends', async () => {
  const [left, right] = Pipe();
  const results = new Queue<unknown[]>();
  const n = 200;
  const pinger = spawn(fx('ping'), [left, n, results]);
  const echoer = spawn(fx('echo'), [right]);
  const echoes = await results.get({ timeout: WAIT_S });
  expect(echoes).toEqual(
    Array.from({ length: n }, (_, i) => ({ echo: { i, text: `message ${String(i)}` } })),
  );
  expect(await exitsOf([pinger, echoer])).toEqual([0, 0]);
});

it("rejects the test process's recv with EOFError once the child that used the other end exits", async () => {
  const [mine, theirs] = Pipe();
  const child = spawn(fx('sendAndExit'), [theirs, { last: 'words' }]);
  theirs.close();
  expect(await exitOf(child)).toBe(0);
  await expect(within(mine.recv(), WAIT_S * 1000, 'recv()')).resolves.toEqual({ last: 'words' });
  await expect(within(mine.recv(), WAIT_S * 1000, 'recv() at EOF')).rejects.toBeInstanceOf(EOFError);
});

it("rejects a child's waiting recv with EOFError once the child holding the other end exits", async () => {
  const [a, b] = Pipe();
  const results = new Queue<[string, unknown]>();
  const go = new Queue<unknown>();
  const reader = spawn(fx('recvUntilError'), [a, results]);
  const writer = spawn(fx('sendAndExit'), [b, 'hello', go]);
  b.close();
  await expect(results.get({ timeout: WAIT_S })).resolves.toEqual(['message', 'hello']);
  // While the writer lives, the reader's next recv waits.
  await expect(results.get({ timeout: 0.5 })).rejects.toBeInstanceOf(EmptyError);
  await go.put('exit');
  expect(await exitOf(writer)).toBe(0);
  await expect(results.get({ timeout: WAIT_S })).resolves.toEqual(['error', 'EOFError']);
  expect(await exitOf(reader)).toBe(0);
});
