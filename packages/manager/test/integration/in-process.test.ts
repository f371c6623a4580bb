/**
 * The in-process channel: clients in the server's own process (the main
 * thread and worker threads) reach a thread server without its socket, and
 * everything else still goes by socket.
 */
import { unlinkSync } from 'node:fs';
import {
  BaseManager,
  Manager,
  SyncManager,
  taskRef,
  type Proxied,
  type SyncManager as SyncManagerType,
} from '@multiprocessing/manager';
import { getContext, type Process } from '@multiprocessing/process';
import { Pipe } from '@multiprocessing/queue';
import { rejection, within } from './helpers.js';

const tasksUrl = new URL('../fixtures/tasks.mjs', import.meta.url);
const appendMany = taskRef(tasksUrl, 'appendMany');
const appendWithoutCodec = taskRef(tasksUrl, 'appendWithoutCodec');
const blockerUrl = new URL('../fixtures/blocker.mjs', import.meta.url);
const callBlock = taskRef(blockerUrl, 'callBlock');
const deathUrl = new URL('../fixtures/channel-death.mjs', import.meta.url);
const startAndShare = taskRef(deathUrl, 'startAndShare');
const blockThenSendBig = taskRef(deathUrl, 'blockThenSendBig');

async function runAll(procs: Process[]): Promise<void> {
  for (const p of procs) p.start();
  await within(Promise.all(procs.map((p) => p.join())), 90_000, 'children');
  expect(procs.map((p) => p.exitcode)).toEqual(procs.map(() => 0));
}

/** Removes the server's Unix socket: from then on only the channel reaches the server. */
function unlinkSocket(manager: SyncManagerType): void {
  const address = manager.address;
  if (typeof address !== 'string') throw new Error('expected a Unix socket address');
  unlinkSync(address);
}

describe('a thread server and clients of its own process', () => {
  let manager: SyncManagerType;
  const children: Process[] = [];
  beforeEach(async () => {
    manager = await within(Manager({ context: getContext('thread') }), 20_000, 'Manager(…)');
  });
  afterEach(async () => {
    for (const p of children.splice(0)) if (p.exitcode === null) p.kill();
    await within(manager.shutdown(), 20_000, 'manager.shutdown()');
  });

  it('serves the main thread without the socket', async () => {
    unlinkSocket(manager);
    const d = await manager.dict<string, number>({ a: 1 });
    await d.set('b', 2);
    expect(await d.toObject()).toEqual({ a: 1, b: 2 });
  });

  it('serves worker threads without the socket', async () => {
    const list = await manager.list<string>();
    unlinkSocket(manager);
    const Ctx = getContext('thread').Process;
    const procs = [0, 1].map((w) => new Ctx({ target: appendMany, args: [list, 500, `w${String(w)}`] }));
    children.push(...procs);
    await runAll(procs);
    expect(await list.length()).toBe(1000);
  });

  it('lets a worker thread make small calls without loading the codec', async () => {
    const list = await manager.list<number>();
    unlinkSocket(manager);
    const Ctx = getContext('thread').Process;
    const procs = [new Ctx({ target: appendWithoutCodec, args: [list, 50] })];
    children.push(...procs);
    await runAll(procs);
    expect(await list.length()).toBe(50);
  });

  it('reaches the server from a child process by socket', async () => {
    const list = await manager.list<string>();
    const Ctx = getContext('process').Process;
    const procs = [new Ctx({ target: appendMany, args: [list, 200, 'p'] })];
    children.push(...procs);
    await runAll(procs);
    expect(await list.length()).toBe(200);
  });

  it('keeps many calls in flight, values larger than the ring included', async () => {
    unlinkSocket(manager);
    const d = await manager.dict<number, string>();
    const big = 'x'.repeat(200 * 1024);
    const sets: Promise<void>[] = [];
    for (let i = 0; i < 500; i++) sets.push(d.set(i, i % 100 === 0 ? `${big}${String(i)}` : String(i)));
    await within(Promise.all(sets), 20_000, 'pipelined sets');
    const gets: Promise<string | undefined>[] = [];
    for (let i = 0; i < 500; i++) gets.push(d.get(i));
    const values = await within(Promise.all(gets), 20_000, 'pipelined gets');
    values.forEach((v, i) => {
      expect(v).toBe(i % 100 === 0 ? `${big}${String(i)}` : String(i));
    });
  });

  it('lets connect() with the key use the channel, and refuses another key by socket', async () => {
    const address = manager.address;
    const wrong = new SyncManager({ address, authkey: 'not the key' });
    expect((await rejection(wrong.connect())).name).toBe('AuthenticationError');
    unlinkSocket(manager);
    const good = new SyncManager({ address });
    await within(good.connect(), 20_000, 'good.connect()');
    const ns = await good.Namespace();
    await ns.set('x', 3);
    expect(await ns.get('x')).toBe(3);
  });

  it('rejects a call pending over the channel with EOFError at shutdown', async () => {
    unlinkSocket(manager);
    const q = await manager.Queue<number>();
    const pending = q.get();
    await within(manager.shutdown(), 20_000, 'manager.shutdown()');
    expect((await rejection(pending, 5000)).name).toBe('EOFError');
    expect((await rejection(q.put(1), 5000)).name).toBe('EOFError');
  });
});

interface Blocker {
  block(flag: SharedArrayBuffer): void;
}

class BlockerManager extends BaseManager {
  declare Blocker: () => Promise<Proxied<Blocker>>;
}
BlockerManager.register('Blocker', taskRef(blockerUrl, 'Blocker'));

describe('a thread server that is terminated', () => {
  it("rejects a worker thread's call pending over the channel with EOFError", async () => {
    const manager = new BlockerManager({ context: getContext('thread'), shutdownTimeout: 0.1 });
    await within(manager.start(), 20_000, 'manager.start()');
    const blocker = await manager.Blocker();
    const flag = new SharedArrayBuffer(4);
    const [results, out] = Pipe<string>();
    const child = new (getContext('thread').Process)({ target: callBlock, args: [blocker, flag, out] });
    child.start();
    try {
      // The server's thread is blocked in the call once the flag is set.
      const blocked = Atomics.waitAsync(new Int32Array(flag), 0, 0, 20_000);
      expect(await blocked.value).not.toBe('timed-out');
      await within(manager.shutdown(), 20_000, 'manager.shutdown()');
      expect(await within(results.recv(), 10_000, "the worker's call")).toBe('EOFError');
      await within(child.join(), 20_000, 'child.join()');
    } finally {
      if (child.exitcode === null) child.kill();
      results.close();
    }
  });

  it('lets a worker whose output to the server is buffered end once the server is gone', async () => {
    const manager = new BlockerManager({ context: getContext('thread'), shutdownTimeout: 0.1 });
    await within(manager.start(), 20_000, 'manager.start()');
    const blocker = await manager.Blocker();
    const flag = new SharedArrayBuffer(4);
    const [results, out] = Pipe<string>();
    const child = new (getContext('thread').Process)({
      target: blockThenSendBig,
      args: [blocker, flag, out],
    });
    child.start();
    try {
      const blocked = Atomics.waitAsync(new Int32Array(flag), 0, 0, 20_000);
      expect(await blocked.value).not.toBe('timed-out');
      await within(manager.shutdown(), 20_000, 'manager.shutdown()');
      expect(await within(results.recv(), 10_000, "the worker's calls")).toBe('EOFError,EOFError');
      // The worker's exit drain must not wait for the server that is gone.
      await within(child.join(), 10_000, 'child.join()');
      expect(child.exitcode).toBe(0);
    } finally {
      if (child.exitcode === null) child.kill();
      results.close();
    }
  });
});

describe('a thread server whose starting thread is terminated', () => {
  it("rejects another thread's call pending over the channel with EOFError", async () => {
    const [results, out] = Pipe<Proxied<unknown>>();
    const child = new (getContext('thread').Process)({ target: startAndShare, args: [out] });
    child.start();
    try {
      const q = (await within(results.recv(), 20_000, 'the Queue proxy')) as unknown as {
        get(): Promise<unknown>;
      };
      const pending = q.get();
      // The server's thread ends with the thread that started it, and
      // nobody is left to clear the channel's open word.
      child.terminate();
      await within(child.join(), 20_000, 'child.join()');
      expect((await rejection(pending, 10_000)).name).toBe('EOFError');
    } finally {
      if (child.exitcode === null) child.kill();
      results.close();
    }
  });
});
