// Shared objects that travel further than one hop: a Queue passed on by a
// child to its own child, a Lock made in a child and sent back to the test
// process, and a Queue whose owner (a child) exits while others wait on it.
import { EmptyError, EOFError, Lock, Queue } from '@multiprocessing/all';
import type * as Fx from '../../fixtures/cross-process/forwarding.mjs';
import { endChildren, exitOf, fixture, spawn, within, WAIT_S } from './helpers.js';

const fx = fixture<typeof Fx>('forwarding.mjs');

afterEach(endChildren);

it('reaches a grandchild: a Queue the child received and passed on still reaches its owner', async () => {
  const q = new Queue<Fx.Whoami>();
  const child = spawn(fx('viaChild'), [q]);
  const got = await q.get({ timeout: WAIT_S });
  expect(got).toEqual({ pid: expect.any(Number) as number, parentPid: child.pid, isQueue: true });
  expect([process.pid, child.pid]).not.toContain(got.pid);
  expect(await exitOf(child)).toBe(0);
});

it('comes back: a Lock made and held in a child arrives in a queue item as a Lock that child owns', async () => {
  const out = new Queue<unknown>();
  const commands = new Queue<string>();
  const child = spawn(fx('lockFromChild'), [out, commands]);
  const next = (): Promise<unknown> => out.get({ timeout: WAIT_S });
  const { lock, pid } = (await next()) as Fx.LockMessage;
  expect(pid).toBe(child.pid);
  expect(lock).toBeInstanceOf(Lock);
  await expect(lock.acquire({ block: false })).resolves.toBe(false);
  await commands.put('release');
  await expect(next()).resolves.toBe('released');
  await expect(lock.acquire({ timeout: WAIT_S })).resolves.toBe(true);
  await commands.put('locked');
  await expect(next()).resolves.toBe(true);
  lock.release();
  await commands.put('locked');
  await expect(next()).resolves.toBe(false);
  await commands.put('exit');
  expect(await exitOf(child)).toBe(0);
  // Its owner has gone.
  await expect(within(lock.acquire({ timeout: 5 }), WAIT_S * 1000, 'acquire()')).rejects.toBeInstanceOf(
    EOFError,
  );
});

describe.each(['async', 'sync'] as const)('the owner of a Queue exiting (%s get)', (mode) => {
  it("rejects a child's waiting get, and the test process's, with EOFError", async () => {
    const handoff = new Queue<Queue>();
    const go = new Queue<unknown>();
    const results = new Queue<string[]>();
    const owner = spawn(fx('queueOwner'), [handoff, go]);
    const q = await handoff.get({ timeout: WAIT_S });
    expect(q).toBeInstanceOf(Queue);
    const waiter = spawn(fx('waitOnQueue'), [q, mode, results]);
    await expect(results.get({ timeout: WAIT_S })).resolves.toEqual(['waiting']);
    // While the owner lives, the waiter's get waits.
    await expect(results.get({ timeout: 0.5 })).rejects.toBeInstanceOf(EmptyError);
    // The test process waits too; its outcome is kept until the owner has gone.
    const mine = q.get({ timeout: WAIT_S }).then(
      (item) => ({ item }),
      (err: unknown) => ({ err }),
    );
    await go.put('exit');
    expect(await exitOf(owner)).toBe(0);
    const outcome = await within(mine, (WAIT_S + 5) * 1000, "the test process's get()");
    expect(outcome).toEqual({ err: expect.any(EOFError) as EOFError });
    // The waiting call names what it waited on and whose it was, as a later call does.
    expect((outcome as { err: Error }).err.message).toBe(
      `the process that owns this Queue (pid ${String(owner.pid)}) has ended`,
    );
    await expect(results.get({ timeout: WAIT_S })).resolves.toEqual(['error', 'EOFError']);
    expect(await exitOf(waiter)).toBe(0);
  });
});
