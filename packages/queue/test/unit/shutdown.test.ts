// shutdown() on every queue kind (Python's queue.Queue.shutdown, which the
// main branch's multiprocessing.Queue mirrors), and the ring's part of it.
import { encode, EmptyError, ShutDownError, StateError } from '@multiprocessing/core';
import { JoinableQueue } from '../../src/joinable-queue.js';
import { Queue } from '../../src/queue.js';
import { SimpleQueue } from '../../src/simple-queue.js';
import { CLOSED, SharedRing } from '../../src/internal/ring.js';
import { shutDown } from '../../src/internal/ring-shutdown.js';
import { within } from '../helpers.js';

const shutDownError = new ShutDownError('Queue is shut down');

describe('parity: queue.Queue.shutdown', () => {
  it('refuses every put form with ShutDownError; gets take what is left, then throw it', async () => {
    const q = new Queue<number>();
    for (const i of [1, 2, 3]) await q.put(i);
    q.shutdown();
    q.shutdown();
    await expect(q.put(4)).rejects.toThrow(shutDownError);
    expect(() => {
      q.putSync(4);
    }).toThrow(ShutDownError);
    expect(() => {
      q.putNowait(4);
    }).toThrow(ShutDownError);
    expect(q.qsize()).toBe(3);
    expect(await q.get()).toBe(1);
    expect(q.getSync()).toBe(2);
    expect(q.getNowait()).toBe(3);
    await expect(q.get()).rejects.toThrow(shutDownError);
    await expect(q.get({ timeout: 30 })).rejects.toThrow(ShutDownError);
    expect(() => q.getSync()).toThrow(ShutDownError);
    expect(() => q.getNowait()).toThrow(ShutDownError);
  });

  it('drops the items left with immediate: true, and every get throws at once', async () => {
    const q = new Queue<number>({ maxsize: 5 });
    for (const i of [1, 2, 3]) await q.put(i);
    q.shutdown({ immediate: true });
    expect([q.qsize(), q.empty(), q.full()]).toEqual([0, true, false]);
    await expect(q.get()).rejects.toThrow(shutDownError);
    expect(() => q.getNowait()).toThrow(ShutDownError);
    await expect(q.put(4)).rejects.toThrow(ShutDownError);
  });

  it('drops what an earlier shutdown left to drain when an immediate one follows', async () => {
    const q = new Queue<number>();
    for (const i of [1, 2]) await q.put(i);
    q.shutdown();
    expect(q.getNowait()).toBe(1);
    q.shutdown({ immediate: true });
    expect(() => q.getNowait()).toThrow(ShutDownError);
  });

  it('wakes a get waiting on the empty queue, which rejects with ShutDownError', async () => {
    const q = new Queue();
    const pending = q.get();
    const timed = q.get({ timeout: 60 });
    q.shutdown();
    await expect(within(pending, 5000, 'get')).rejects.toThrow(shutDownError);
    await expect(within(timed, 5000, 'get with a timeout')).rejects.toThrow(ShutDownError);
  });

  it('wakes a put waiting for room, which rejects with ShutDownError and puts nothing', async () => {
    const q = new Queue<string>({ maxsize: 1 });
    await q.put('a');
    const pending = q.put('b');
    const timed = q.put('c', { timeout: 60 });
    q.shutdown();
    await expect(within(pending, 5000, 'put')).rejects.toThrow(shutDownError);
    await expect(within(timed, 5000, 'put with a timeout')).rejects.toThrow(ShutDownError);
    expect(q.getNowait()).toBe('a');
    expect(() => q.getNowait()).toThrow(ShutDownError);
  });

  it('ends a for await loop once the queue is drained', async () => {
    const q = new Queue<number>();
    for (let i = 0; i < 3; i++) q.putSync(i);
    q.shutdown();
    const seen: number[] = [];
    await within(
      (async () => {
        for await (const x of q) seen.push(x);
      })(),
      5000,
      'for await',
    );
    expect(seen).toEqual([0, 1, 2]);
  });

  it('throws ShutDownError, not "Queue is closed", once both closed and shut down', async () => {
    const a = new Queue<number>();
    a.putSync(1);
    a.close();
    a.shutdown();
    expect(() => {
      a.putSync(2);
    }).toThrow(ShutDownError);
    expect(a.getNowait()).toBe(1);
    expect(() => a.getNowait()).toThrow(ShutDownError);
    const b = new Queue<number>();
    b.shutdown();
    b.close();
    await expect(b.get()).rejects.toThrow(ShutDownError);
    const c = new Queue<number>();
    c.close();
    expect(() => c.getNowait()).toThrow(new StateError('Queue is closed'));
  });

  it('validates its options', () => {
    const q = new Queue();
    expect(() => {
      q.shutdown('now' as never);
    }).toThrow(new TypeError('options must be an object like {immediate}'));
    expect(() => {
      q.shutdown({ immediate: 1 as unknown as boolean });
    }).toThrow(/^immediate must be a boolean/);
    // A bad call shuts nothing down.
    q.putSync(1);
    expect(q.getNowait()).toBe(1);
    expect(() => q.getNowait()).toThrow(EmptyError);
  });
});

describe('JoinableQueue#shutdown', () => {
  it('counts each dropped item as done with immediate: true, so join() returns', async () => {
    const q = new JoinableQueue<number>();
    for (let i = 0; i < 4; i++) await q.put(i);
    expect(await q.get()).toBe(0);
    const joining = q.join();
    q.shutdown({ immediate: true });
    expect(q.toString()).toBe('<JoinableQueue qsize=0 maxsize=0 unfinished=1 shutdown>');
    // The item taken before the shutdown is not done yet.
    expect(await q.join(0)).toBe(false);
    q.taskDone();
    await expect(within(joining, 5000, 'join')).resolves.toBe(true);
    expect(() => {
      q.taskDone();
    }).toThrow('task_done() called too many times');
  });

  it('leaves the task count alone without immediate: the items left still need taskDone()', async () => {
    const q = new JoinableQueue<number>();
    for (let i = 0; i < 2; i++) await q.put(i);
    q.shutdown();
    expect(String(q)).toBe('<JoinableQueue qsize=2 maxsize=0 unfinished=2 shutdown>');
    expect(await q.join(0)).toBe(false);
    for (let i = 0; i < 2; i++) {
      await q.get();
      q.taskDone();
    }
    expect(await q.join(0)).toBe(true);
    await expect(q.get()).rejects.toThrow(ShutDownError);
  });
});

describe('SimpleQueue#shutdown', () => {
  it('refuses puts; gets drain, then throw ShutDownError; immediate drops the rest', async () => {
    const q = new SimpleQueue<number>();
    await q.put(1);
    q.putSync(2);
    const other = new SimpleQueue<number>();
    const pending = other.get();
    q.shutdown();
    other.shutdown({ immediate: true });
    await expect(q.put(3)).rejects.toThrow(shutDownError);
    expect(() => {
      q.putSync(3);
    }).toThrow(ShutDownError);
    expect(await q.get()).toBe(1);
    q.shutdown({ immediate: true });
    expect(q.empty()).toBe(true);
    await expect(q.get()).rejects.toThrow(ShutDownError);
    expect(() => q.getSync()).toThrow(ShutDownError);
    await expect(within(pending, 5000, 'get')).rejects.toThrow(ShutDownError);
    expect(String(q)).toBe('<SimpleQueue empty=true shutdown>');
    expect(() => {
      q.shutdown(null as never);
    }).toThrow(TypeError);
  });
});

describe('SharedRing after an immediate shutdown', () => {
  it('drops frames given back and counts them done, but takes them back after a plain shutdown', () => {
    const ring = SharedRing.create(0, 64);
    for (const v of ['a', 'b', 'c']) ring.putSync(encode(v).slice(), undefined, true, true);
    const taken = [ring.getSync(undefined, true), ring.getSync(undefined, true)];
    expect(taken).toEqual(['a', 'b']);
    shutDown(ring, false);
    ring.putBack([encode('b').slice()]);
    expect(ring.count()).toBe(2);
    expect(ring.getSync(undefined, true)).toBe('b');
    shutDown(ring, true);
    expect([ring.count(), ring.unfinished()]).toEqual([0, 2]);
    ring.putBack([encode('b').slice()]);
    expect([ring.count(), ring.unfinished()]).toEqual([0, 1]);
    expect(ring.getSync(undefined, true)).toBe(CLOSED);
  });
});

describe('Queue#joinThread and Queue#cancelJoinThread', () => {
  it('resolves at once in the process that made the queue: a put is in the queue when it resolves', async () => {
    const q = new Queue<number>();
    for (let i = 0; i < 5; i++) void q.put(i);
    q.putSync(5);
    q.cancelJoinThread();
    await within(q.joinThread(), 5000, 'joinThread');
    expect(q.qsize()).toBe(6);
    expect(q.getNowait()).toBe(0);
  });

  it('needs no close() first, and leaves the queue open', async () => {
    const q = new JoinableQueue<number>();
    await within(q.joinThread(), 5000, 'joinThread');
    await q.put(1);
    expect(q.getNowait()).toBe(1);
    expect(String(q)).toBe('<JoinableQueue qsize=0 maxsize=0 unfinished=1>');
  });
});
