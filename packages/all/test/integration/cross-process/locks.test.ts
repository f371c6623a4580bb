// Locks shared between OS processes: a Value's lock keeps concurrent
// read-modify-write increments from four child processes exact, and an
// RLock is re-entrant inside one process but exclusive across processes.
import { Queue, RLock, Value, type AcquireOptions, type Process } from '@multiprocessing/all';
import type * as Fx from '../../fixtures/cross-process/locks.mjs';
import { endChildren, exitsOf, fixture, spawn, WAIT_S } from './helpers.js';

const fx = fixture<typeof Fx>('locks.mjs');

afterEach(endChildren);

describe('a Value incremented by 4 processes under its lock', () => {
  // 4 × 10 000 increments of four blocking round trips each (acquire, read,
  // write, release): minutes on a slow two-core machine.
  const PER_CHILD = 10_000;

  it('ends at exactly 40 000, whether the children use withLockSync or getLock()', async () => {
    const v = new Value('i', 0);
    const children = [
      spawn(fx('addWithLock'), [v, PER_CHILD]),
      spawn(fx('addWithGetLock'), [v, PER_CHILD]),
      spawn(fx('addWithLock'), [v, PER_CHILD]),
      spawn(fx('addWithGetLock'), [v, PER_CHILD]),
    ];
    expect(await exitsOf(children, 280)).toEqual([0, 0, 0, 0]);
    expect(v.value).toBe(4 * PER_CHILD);
  }, 300_000);
});

describe('an RLock used by 2 processes', () => {
  type Command = [string, AcquireOptions?];

  /** A child running lock commands, and how to ask it one. */
  function lockChild(lock: RLock): {
    process: Process;
    ask(op: string, options?: AcquireOptions): Promise<unknown>;
    send(op: string, options?: AcquireOptions): Promise<void>;
    answer(): Promise<unknown>;
    exit(): Promise<void>;
  } {
    const commands = new Queue<Command>();
    const results = new Queue<unknown>();
    const process = spawn(fx('lockCommands'), [lock, commands, results]);
    const answer = (): Promise<unknown> => results.get({ timeout: WAIT_S });
    const send = (op: string, options?: AcquireOptions): Promise<void> =>
      commands.put(options === undefined ? [op] : [op, options]);
    return {
      process,
      async ask(op, options) {
        await send(op, options);
        return answer();
      },
      send,
      answer,
      exit: () => send('exit'),
    };
  }

  it('is re-entrant inside one process and exclusive across them', async () => {
    const rlock = new RLock();
    const a = lockChild(rlock);
    const b = lockChild(rlock);
    const noWait = { block: false };

    await expect(a.ask('acquire')).resolves.toBe(true);
    await expect(a.ask('acquire', noWait)).resolves.toBe(true);
    expect(rlock.locked()).toBe(true);
    await expect(b.ask('acquire', noWait)).resolves.toBe(false);
    await expect(b.ask('acquireSync', { timeout: 0.1 })).resolves.toBe(false);

    // One release of two leaves the lock with A.
    await expect(a.ask('release')).resolves.toBe('released');
    await expect(b.ask('acquire', noWait)).resolves.toBe(false);
    await expect(b.ask('release')).resolves.toBe('StateError');

    // B waits; A's last release hands the lock over.
    await b.send('acquire', { timeout: WAIT_S });
    await expect(a.ask('release')).resolves.toBe('released');
    await expect(b.answer()).resolves.toBe(true);

    await expect(a.ask('acquire', noWait)).resolves.toBe(false);
    await expect(a.ask('release')).resolves.toBe('StateError');
    await expect(b.ask('acquireSync', noWait)).resolves.toBe(true);
    await expect(b.ask('release')).resolves.toBe('released');
    await expect(b.ask('release')).resolves.toBe('released');
    expect(rlock.locked()).toBe(false);
    await expect(a.ask('acquireSync', { timeout: WAIT_S })).resolves.toBe(true);
    await expect(a.ask('release')).resolves.toBe('released');

    await a.exit();
    await b.exit();
    expect(await exitsOf([a.process, b.process])).toEqual([0, 0]);
  });
});
