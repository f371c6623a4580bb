import { EmptyError, FullError, PicklingError, StateError } from '@multiprocessing/core';
import { Queue } from '../../src/queue.js';
import { within } from '../helpers.js';

describe(Queue, () => {
  it('returns items in FIFO order', async () => {
    const q = new Queue<number>();
    for (let i = 0; i < 100; i++) await q.put(i);
    const out: number[] = [];
    for (let i = 0; i < 100; i++) out.push(await q.get());
    expect(out).toEqual([...Array(100).keys()]);
  });

  it('carries what the codec carries', () => {
    const q = new Queue();
    const item = {
      n: -0,
      big: 2n ** 70n,
      u: [undefined, 1],
      m: new Map<unknown, unknown>([[1, { a: 'b' }]]),
      s: new Set([1, 2]),
      d: new Date(5),
      r: /x+/gi,
      t: new Float64Array([1.5, 2.5]),
      e: new RangeError('boom'),
    };
    q.putSync(item);
    const back = q.getSync() as typeof item;
    expect(Object.is(back.n, -0)).toBe(true);
    expect(back.big).toBe(2n ** 70n);
    expect(back.u).toEqual([undefined, 1]);
    expect(back.m.get(1)).toEqual({ a: 'b' });
    expect([...back.s]).toEqual([1, 2]);
    expect(back.d.getTime()).toBe(5);
    expect(back.r.source).toBe('x+');
    expect([...back.t]).toEqual([1.5, 2.5]);
    expect(back.e.name).toBe('RangeError');
    expect(back.e.message).toBe('boom');
  });

  it('refuses a function inside an item with PicklingError, at put time', async () => {
    const q = new Queue();
    await expect(q.put({ f: () => 1 })).rejects.toThrow(PicklingError);
    expect(() => {
      q.putSync([1, () => 2]);
    }).toThrow(PicklingError);
    expect(q.qsize()).toBe(0);
  });

  it('raises EmptyError from getNowait and get({block: false}) on an empty queue', async () => {
    const q = new Queue();
    expect(() => q.getNowait()).toThrow(EmptyError);
    await expect(q.get({ block: false, timeout: 10 })).rejects.toThrow(EmptyError);
    expect(() => q.getSync({ block: false })).toThrow(EmptyError);
  });

  it('raises FullError from putNowait and put({block: false}) on a full queue', async () => {
    const q = new Queue<number>({ maxsize: 2 });
    q.putNowait(1);
    await q.put(2);
    expect(q.full()).toBe(true);
    expect(() => {
      q.putNowait(3);
    }).toThrow(FullError);
    await expect(q.put(3, { block: false, timeout: 10 })).rejects.toThrow(FullError);
    expect(q.qsize()).toBe(2);
    expect(await q.get()).toBe(1);
    expect(q.full()).toBe(false);
  });

  it('times out a get on an empty queue with EmptyError after about the timeout', async () => {
    const q = new Queue();
    let t = performance.now();
    await expect(q.get({ timeout: 0.05 })).rejects.toThrow(EmptyError);
    expect(performance.now() - t).toBeGreaterThanOrEqual(45);
    t = performance.now();
    expect(() => q.getSync({ timeout: 0.05 })).toThrow(EmptyError);
    expect(performance.now() - t).toBeGreaterThanOrEqual(45);
  });

  it('times out a put on a full queue with FullError after about the timeout', async () => {
    const q = new Queue({ maxsize: 1 });
    q.putSync('a');
    let t = performance.now();
    await expect(q.put('b', { timeout: 0.05 })).rejects.toThrow(FullError);
    expect(performance.now() - t).toBeGreaterThanOrEqual(45);
    t = performance.now();
    expect(() => {
      q.putSync('b', { timeout: 0.05 });
    }).toThrow(FullError);
    expect(performance.now() - t).toBeGreaterThanOrEqual(45);
  });

  it('treats a negative timeout as 0', async () => {
    const q = new Queue({ maxsize: 1 });
    await expect(q.get({ timeout: -5 })).rejects.toThrow(EmptyError);
    q.putSync(1);
    expect(() => {
      q.putSync(2, { timeout: -1 });
    }).toThrow(FullError);
  });

  it('wakes a pending get when an item arrives', async () => {
    const q = new Queue<string>();
    const pending = q.get();
    await q.put('late');
    await expect(within(pending, 5000, 'get')).resolves.toBe('late');
  });

  it('wakes a pending put when room is made', async () => {
    const q = new Queue<number>({ maxsize: 1 });
    await q.put(1);
    const pending = q.put(2);
    expect(await q.get()).toBe(1);
    await within(pending, 5000, 'put');
    expect(await q.get()).toBe(2);
  });

  it('keeps the item of a waiting put intact while the thread puts other items meanwhile', async () => {
    const q = new Queue<unknown>({ maxsize: 1 });
    const other = new Queue<unknown>();
    await q.put('first');
    const waiting = { id: 1, text: 'w'.repeat(300) };
    const pending = q.put(waiting);
    // Same-sized items, encoded while the put above waits for room.
    for (let i = 0; i < 3; i++) other.putSync({ id: 2, text: 'o'.repeat(300) });
    expect(await q.get()).toBe('first');
    await within(pending, 5000, 'put');
    expect(await q.get()).toEqual(waiting);
    expect(other.qsize()).toBe(3);
  });

  it('keeps qsize, empty and full exact after each put and get', async () => {
    const q = new Queue({ maxsize: 3 });
    expect([q.qsize(), q.empty(), q.full()]).toEqual([0, true, false]);
    await q.put(1);
    expect([q.qsize(), q.empty(), q.full()]).toEqual([1, false, false]);
    q.putSync(2);
    q.putNowait(3);
    expect([q.qsize(), q.empty(), q.full()]).toEqual([3, false, true]);
    q.getSync();
    expect(q.qsize()).toBe(2);
    expect(q.maxsize).toBe(3);
  });

  it('is unbounded with maxsize 0 or negative: put never blocks', () => {
    for (const maxsize of [0, -4]) {
      const q = new Queue({ maxsize });
      for (let i = 0; i < 20_000; i++) q.putNowait({ i, pad: 'p'.repeat(20) });
      expect(q.full()).toBe(false);
      expect(q.qsize()).toBe(20_000);
      for (let i = 0; i < 20_000; i++) expect((q.getNowait() as { i: number }).i).toBe(i);
    }
  });

  it('passes a 50 MB item through a queue whose ring starts far smaller', async () => {
    const q = new Queue();
    await q.put('before');
    const big = new Uint8Array(50 * 1024 * 1024);
    big[0] = 1;
    big[big.length - 1] = 2;
    await q.put(big);
    await q.put('after');
    expect(await q.get()).toBe('before');
    const back = (await q.get()) as Uint8Array;
    expect(back.length).toBe(big.length);
    expect([back[0], back[back.length - 1]]).toEqual([1, 2]);
    expect(await q.get()).toBe('after');
  });

  it('rejects puts after close with "Queue is closed"; gets drain, then reject', async () => {
    const q = new Queue<number>();
    await q.put(1);
    await q.put(2);
    q.close();
    q.close();
    await expect(q.put(3)).rejects.toThrow(new StateError('Queue is closed'));
    expect(() => {
      q.putSync(3);
    }).toThrow('Queue is closed');
    expect(await q.get()).toBe(1);
    expect(q.getSync()).toBe(2);
    await expect(q.get()).rejects.toThrow(StateError);
    expect(() => q.getSync()).toThrow('Queue is closed');
    expect(() => q.getNowait()).toThrow('Queue is closed');
  });

  it('rejects a get that is waiting when the queue is closed', async () => {
    const q = new Queue();
    const pending = q.get();
    q.close();
    await expect(within(pending, 5000, 'get')).rejects.toThrow('Queue is closed');
  });

  it('iterates with for await until closed and drained', async () => {
    const q = new Queue<number>();
    for (let i = 0; i < 5; i++) q.putSync(i);
    const seen: number[] = [];
    const loop = (async () => {
      for await (const x of q) {
        seen.push(x);
        if (x === 4)
          setImmediate(() => {
            q.putSync(5);
            q.close();
          });
      }
    })();
    await within(loop, 5000, 'for await');
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('keeps the event loop running while it awaits get()', async () => {
    const q = new Queue<string>();
    let ticks = 0;
    const timer = setInterval(() => {
      ticks++;
      if (ticks === 5) q.putSync('done');
    }, 2);
    try {
      expect(await within(q.get(), 5000, 'get')).toBe('done');
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThanOrEqual(5);
  });

  it('validates its arguments', async () => {
    expect(() => new Queue({ maxsize: 1.5 })).toThrow(TypeError);
    expect(() => new Queue({ maxsize: '3' as unknown as number })).toThrow(TypeError);
    const q = new Queue();
    await expect(q.get({ timeout: 'x' as unknown as number })).rejects.toThrow(TypeError);
    expect(() => q.getSync({ block: 1 as unknown as boolean })).toThrow(TypeError);
  });
});
