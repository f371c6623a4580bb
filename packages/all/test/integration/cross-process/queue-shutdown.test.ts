// Queues owned by the test process and shut down, or joined, from a child
// process: shutdown() reaches every user whichever side calls it (errors
// cross by their code), and joinThread() in a child resolves only once the
// owner has taken the puts the child streamed.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Event, JoinableQueue, Queue, SimpleQueue } from '@multiprocessing/all';
import { ShutDownError } from '@multiprocessing/queue';
import type * as Fx from '../../fixtures/cross-process/queue-shutdown.mjs';
import { endChildren, exitOf, fixture, spawn, WAIT_S, within } from './helpers.js';

const fx = fixture<typeof Fx>('queue-shutdown.mjs');

afterEach(endChildren);

describe('a queue shut down by a child', () => {
  it('refuses puts and drains, then fails, in the owner; immediate: true drops the items and ends join()', async () => {
    const q = new Queue<number>({ maxsize: 5 });
    const jq = new JoinableQueue<number>();
    const sq = new SimpleQueue<number>();
    for (let i = 0; i < 3; i++) {
      await q.put(i);
      await jq.put(i);
      await sq.put(i);
    }
    expect(await exitOf(spawn(fx('shutDownAll'), [[q, sq], false]))).toBe(0);
    await expect(q.put(9)).rejects.toThrow(ShutDownError);
    expect(() => {
      sq.putSync(9);
    }).toThrow(ShutDownError);
    expect([q.getNowait(), q.getNowait(), q.getNowait()]).toEqual([0, 1, 2]);
    expect([sq.getSync(), sq.getSync(), sq.getSync()]).toEqual([0, 1, 2]);
    expect(() => q.getNowait()).toThrow(ShutDownError);
    await expect(sq.get()).rejects.toThrow(ShutDownError);

    expect(await exitOf(spawn(fx('shutDownAll'), [[jq], true]))).toBe(0);
    expect(jq.qsize()).toBe(0);
    await expect(jq.join(0)).resolves.toBe(true);
    await expect(jq.get()).rejects.toThrow(ShutDownError);
  });
});

describe('a queue shut down by its owner, used from a child', () => {
  it('wakes the put and the get of the child that wait at the owner, with ShutDownError', async () => {
    const full = new Queue<string>({ maxsize: 1 });
    const empty = new Queue<string>({ maxsize: 5 });
    await full.put('a');
    const status = new Queue<unknown>();
    const child = spawn(fx('blockedCalls'), [full, empty, status]);
    // The child's put and get reached the owner before this status.
    await expect(status.get({ timeout: WAIT_S })).resolves.toBe('waiting');
    full.shutdown();
    empty.shutdown();
    await expect(status.get({ timeout: WAIT_S })).resolves.toEqual(['ShutDownError', 'ShutDownError']);
    expect(await exitOf(child)).toBe(0);
    expect(full.getNowait()).toBe('a');
  });

  it('lets the child get what is left, then fails its gets and puts with ShutDownError', async () => {
    const items = new Queue<number>();
    const bounded = new Queue<number>({ maxsize: 5 });
    for (let i = 0; i < 4; i++) await items.put(i);
    items.shutdown();
    bounded.shutdown();
    const status = new Queue<[(number | string)[], string[], string, string]>();
    const child = spawn(fx('afterShutdown'), [items, bounded, status]);
    const [got, puts, streamed, joined] = await status.get({ timeout: WAIT_S });
    expect(got).toEqual([0, 1, 2, 3, 'ShutDownError']);
    expect(puts).toEqual(['ShutDownError', 'ShutDownError', 'ShutDownError']);
    // A put streamed to an unbounded queue does not wait for the owner: its
    // failure comes with the next call the child makes on that queue.
    expect(streamed).toBe('no error');
    expect(joined).toBe('ShutDownError');
    expect(await exitOf(child)).toBe(0);
    expect(items.qsize()).toBe(0);
  });

  it('drops, and counts done, the items a child took ahead and gives back after an immediate shutdown', async () => {
    const n = 200;
    const jq = new JoinableQueue<number>();
    for (let i = 0; i < n; i++) await jq.put(i);
    const status = new Queue<[string, number?]>();
    const go = new Event();
    const child = spawn(fx('holdThroughShutdown'), [jq, 20, status, go]);
    const [took, childQsize = 0] = await status.get({ timeout: WAIT_S });
    expect(took).toBe('took');
    // The child holds items it took ahead of its gets: its qsize() counts them, the owner's does not.
    expect(childQsize - jq.qsize()).toBeGreaterThan(0);
    jq.shutdown({ immediate: true });
    expect(jq.qsize()).toBe(0);
    go.set();
    await expect(status.get({ timeout: WAIT_S })).resolves.toEqual(['idle']);
    // What it gave back went after the items ahead of the status: dropped, not queued.
    expect(jq.qsize()).toBe(0);
    await expect(jq.join(0)).resolves.toBe(true);
    expect(await exitOf(child)).toBe(0);
  });
});

describe('Queue#joinThread in a child', () => {
  let dir: string;
  let server: Server | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mp-join-thread-'));
  });

  afterEach(async () => {
    const s = server;
    server = undefined;
    if (s !== undefined) await within(new Promise((resolve) => s.close(resolve)), 10_000, 'server close');
    rmSync(dir, { recursive: true, force: true });
  });

  it('resolves once the owner has every streamed put: they are all in the queue when it says so', async () => {
    const n = 20_000;
    const q = new Queue<{ i: number; pad: string }>();
    const go = new Event();
    const addr = join(dir, 'signal');
    const s = createServer();
    server = s;
    // The child signals here, outside the queue's owner, once joinThread() has resolved.
    const signalled = new Promise<void>((resolve) => {
      s.once('connection', (socket) => {
        socket.resume();
        socket.on('end', () => {
          resolve();
        });
      });
    });
    await within(new Promise<void>((resolve) => s.listen(addr, resolve)), 10_000, 'listen');
    const child = spawn(fx('putThenJoinThread'), [q, n, 64, addr, go]);
    await within(signalled, WAIT_S * 1000, "the child's signal");
    // The child is still alive (it waits for `go`), so no exit flush has run.
    expect(child.exitcode).toBeNull();
    expect(q.qsize()).toBe(n);
    const got: number[] = [];
    for (let i = 0; i < n; i++) got.push(q.getNowait().i);
    expect(got).toEqual(Array.from({ length: n }, (_, i) => i));
    go.set();
    expect(await exitOf(child)).toBe(0);
  });
});
