// dummy: Python's multiprocessing.dummy over the calling thread. CPython runs
// its process, queue, lock and pool tests with the dummy module too
// (ThreadsMixin); these adapt the ones that say what dummy is.
import { dummy, ThreadPool } from '@multiprocessing/pool';
import { currentProcess as realCurrentProcess } from '@multiprocessing/process';
import { Queue } from '@multiprocessing/queue';
import { StateError } from '@multiprocessing/core';

describe('dummy.Process', () => {
  it('runs its target in this thread with its args as they are, and reports its state', async () => {
    const q = new dummy.Queue<unknown>();
    const shared = { hits: 0 };
    const p = new dummy.Process({
      target: async (obj: { hits: number }, tag: string) => {
        obj.hits++;
        await q.put([tag, String(dummy.currentProcess() === p), dummy.activeChildren().includes(p)]);
      },
      args: [shared, 'x'],
    });
    expect(p.exitcode).toBeNull();
    expect(p.isAlive()).toBe(false);
    expect(String(p)).toMatch(/^<DummyProcess\(Dummy-\d+, initial\)>$/);
    p.start();
    expect(p.isAlive()).toBe(true);
    expect(() => {
      p.start();
    }).toThrow(new StateError('cannot start a process twice'));
    await p.join(30);
    expect(await q.get({ timeout: 30 })).toEqual(['x', 'true', true]);
    expect(shared.hits).toBe(1);
    expect(p.exitcode).toBe(0);
    expect(p.isAlive()).toBe(false);
    expect(dummy.activeChildren()).not.toContain(p);
    expect(dummy.currentProcess()).toBe(realCurrentProcess());
    expect(String(p)).toMatch(/stopped/);
  });

  it('join(timeout) returns while the target still runs; a subclass overrides run()', async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    class Waiter extends dummy.Process {
      override async run(): Promise<void> {
        await held;
      }
    }
    const w = new Waiter({ name: 'waiter' });
    w.start();
    await w.join(0.01);
    expect(w.isAlive()).toBe(true);
    expect(w.name).toBe('waiter');
    release();
    await w.join(Infinity);
    expect(w.exitcode).toBe(0);
    await expect(new dummy.Process().join()).rejects.toThrow(
      new StateError('can only join a started process'),
    );
    expect(() => new dummy.Process({ target: 5 as never })).toThrow(TypeError);
  });

  it('prints an error its target throws, and still exits with 0', async () => {
    const writes: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = (chunk: unknown) => {
      writes.push(String(chunk));
      return true;
    };
    try {
      const p = new dummy.Process({
        target: () => {
          throw new Error('boom');
        },
        name: 'Failing',
      });
      p.start();
      await p.join(30);
      expect(p.exitcode).toBe(0);
    } finally {
      process.stderr.write = write;
    }
    expect(writes.join('')).toMatch(/^Exception in Failing:\nError: boom/);
  });
});

describe('the rest of dummy', () => {
  it('Pool is ThreadPool; Queue, locks and Pipe are the package classes', async () => {
    expect(dummy.Pool).toBe(ThreadPool);
    expect(dummy.Queue).toBe(Queue);
    await using pool = new dummy.Pool({ processes: 2 });
    expect(await pool.map((x: number) => x + 1, [1, 2, 3])).toEqual([2, 3, 4]);
    const lock = new dummy.Lock();
    expect(await lock.acquire()).toBe(true);
    lock.release();
    const [a, b] = dummy.Pipe();
    a.send('ping');
    expect(await b.recv()).toBe('ping');
    a.close();
    b.close();
  });

  it('Manager() is the module, whose list, dict, Namespace, Value and Array are plain in-thread objects', () => {
    const m = dummy.Manager();
    expect(m).toBe(dummy);
    expect(m.list([1, 2])).toEqual([1, 2]);
    expect(m.dict([['a', 1]]).get('a')).toBe(1);
    const ns = new m.Namespace({ x: 1 }) as { x: number };
    expect(ns.x).toBe(1);
    const v = new m.Value('i', 4);
    v.value += 1;
    expect(v.value).toBe(5);
    expect(String(v)).toBe("<Value('i', 5)>");
    const arr = m.Array('i', [1, 2, 3]);
    expect(arr).toBeInstanceOf(Int32Array);
    expect(Array.from(arr)).toEqual([1, 2, 3]);
    expect(() => m.Array('z', [1])).toThrow(
      new RangeError("bad typecode (must be b, B, h, H, i, I, l, L, q, Q, f or d), got 'z'"),
    );
    // Python 3's array.array has no 'c'.
    expect(() => m.Array('c', [1])).toThrow(RangeError);
    expect(dummy.cpuCount()).toBeGreaterThan(0);
    expect(() => {
      dummy.freezeSupport();
    }).not.toThrow();
  });
});
