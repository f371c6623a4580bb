// Every public timeout parameter of the six packages follows one rule (core's
// timeout module): seconds; undefined, null and Infinity wait for ever, as do
// 1e6 and 1e12 (beyond setTimeout's 2^31-1 ms, which Node turns into 1 ms);
// 0 and negatives do not wait; a non-number is a TypeError and NaN a
// RangeError, both naming the argument. The umbrella reaches every package
// without a dependency cycle, so the table lives here.
//
// "Does not fire" is checked by outcome, never by elapsed time: the wait is
// still pending after a short window (in which a wrongly armed 1 ms timer
// would have fired), and once the awaited thing is released it settles with
// the satisfied result, not the timed-out one.
import { within } from '@multiprocessing/test-utils';
import {
  Barrier,
  BaseManager,
  BrokenBarrierError,
  Client,
  Condition,
  EmptyError,
  Event,
  FullError,
  JoinableQueue,
  Listener,
  Lock,
  Manager,
  Pipe,
  Pool,
  Process,
  ProcessPoolExecutor,
  Queue,
  Semaphore,
  TimeoutError,
  type SyncManager,
} from '@multiprocessing/all';

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

interface Fixture {
  /** Starts the wait with this timeout (may throw at once). */
  wait(timeout: unknown): Promise<unknown>;
  /** The outcome of a wait that timed out. */
  timedOut(o: Outcome): boolean;
  /** Satisfies what the wait waits for. */
  release(): unknown;
  /** The outcome of a wait that was satisfied. */
  satisfied(o: Outcome): boolean;
  cleanup?(): unknown;
}

interface Case {
  readonly name: string;
  /** The argument name the errors use. */
  readonly argName?: string;
  /** Only the bad values (a wait cannot be observed). */
  readonly badValuesOnly?: boolean;
  /** An omitted timeout answers at once (Python's `poll()`), so undefined is not "for ever". */
  readonly undefinedIsZero?: boolean;
  setup(): Fixture | Promise<Fixture>;
}

const BOUND_MS = 20_000;

function outcome(start: () => Promise<unknown>): Promise<Outcome> {
  return Promise.resolve()
    .then(start)
    .then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
}

/** A window for a timer wrongly armed with 1 ms (Node's overflow value) to fire. */
function window(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 50));
}

const resolvesTo =
  (value: unknown) =>
  (o: Outcome): boolean =>
    o.ok && o.value === value;
const rejectsWith =
  (cls: new (...args: never[]) => Error) =>
  (o: Outcome): boolean =>
    !o.ok && o.error instanceof cls;
const resolves = (o: Outcome): boolean => o.ok;

/** A task for the pools and Process: waits for the event, returns 1. */
const waitTask = async (ev: Event): Promise<number> => {
  await ev.wait();
  return 1;
};

let pool: Pool | undefined;
let executor: ProcessPoolExecutor | undefined;
let manager: SyncManager | undefined;
const getPool = (): Pool => (pool ??= new Pool({ processes: 2 }));
const getExecutor = (): ProcessPoolExecutor => (executor ??= new ProcessPoolExecutor({ maxWorkers: 2 }));
async function getManager(): Promise<SyncManager> {
  manager ??= await Manager();
  return manager;
}

afterAll(async () => {
  await pool?.terminate();
  await executor?.terminateWorkers();
  await manager?.shutdown();
});

const cases: Case[] = [
  {
    name: 'Lock.acquire({timeout})',
    setup: async () => {
      const lock = new Lock();
      await lock.acquire();
      return {
        wait: (timeout) => lock.acquire({ timeout: timeout as number }),
        timedOut: resolvesTo(false),
        release: () => {
          lock.release();
        },
        satisfied: resolvesTo(true),
      };
    },
  },
  {
    name: 'Semaphore.acquire({timeout})',
    setup: () => {
      const sem = new Semaphore(0);
      return {
        wait: (timeout) => sem.acquire({ timeout: timeout as number }),
        timedOut: resolvesTo(false),
        release: () => {
          sem.release();
        },
        satisfied: resolvesTo(true),
      };
    },
  },
  {
    name: 'Event.wait(timeout)',
    setup: () => {
      const ev = new Event();
      return {
        wait: (timeout) => ev.wait(timeout as number),
        timedOut: resolvesTo(false),
        release: () => {
          ev.set();
        },
        satisfied: resolvesTo(true),
      };
    },
  },
  {
    name: 'Condition.wait(timeout)',
    setup: async () => {
      const cond = new Condition();
      await cond.acquire();
      return {
        wait: (timeout) => cond.wait(timeout as number),
        timedOut: resolvesTo(false),
        release: async () => {
          await cond.acquire();
          cond.notify();
          cond.release();
        },
        satisfied: resolvesTo(true),
        cleanup: () => {
          cond.release();
        },
      };
    },
  },
  {
    name: 'Condition.waitFor(predicate, timeout)',
    setup: async () => {
      const cond = new Condition();
      let ready = false;
      await cond.acquire();
      return {
        wait: (timeout) => cond.waitFor(() => ready, timeout as number),
        timedOut: resolvesTo(false),
        release: async () => {
          await cond.acquire();
          ready = true;
          cond.notifyAll();
          cond.release();
        },
        satisfied: resolvesTo(true),
        cleanup: () => {
          cond.release();
        },
      };
    },
  },
  {
    name: 'Barrier.wait(timeout)',
    setup: () => {
      const barrier = new Barrier(2);
      return {
        wait: (timeout) => barrier.wait(timeout as number),
        timedOut: rejectsWith(BrokenBarrierError),
        // After a timeout the barrier is broken and this wait fails too.
        release: () => barrier.wait().catch(() => undefined),
        satisfied: resolves,
      };
    },
  },
  {
    name: 'new Barrier(parties, {timeout}).wait()',
    setup: () => {
      let barrier: Barrier | undefined;
      return {
        wait: (timeout) => {
          barrier = new Barrier(2, { timeout: timeout as number });
          return barrier.wait();
        },
        timedOut: rejectsWith(BrokenBarrierError),
        release: () => barrier?.wait().catch(() => undefined),
        satisfied: resolves,
      };
    },
  },
  {
    name: 'Queue.get({timeout})',
    setup: () => {
      const q = new Queue<number>();
      return {
        wait: (timeout) => q.get({ timeout: timeout as number }),
        timedOut: rejectsWith(EmptyError),
        release: () => q.put(7),
        satisfied: resolvesTo(7),
        cleanup: () => {
          q.close();
        },
      };
    },
  },
  {
    name: 'Queue.put(item, {timeout})',
    setup: async () => {
      const q = new Queue<number>({ maxsize: 1 });
      await q.put(1);
      return {
        wait: (timeout) => q.put(2, { timeout: timeout as number }),
        timedOut: rejectsWith(FullError),
        release: () => q.get(),
        satisfied: resolves,
        cleanup: () => {
          q.close();
        },
      };
    },
  },
  {
    name: 'JoinableQueue.join(timeout)',
    setup: async () => {
      const q = new JoinableQueue<number>();
      await q.put(1);
      return {
        wait: (timeout) => q.join(timeout as number),
        timedOut: resolvesTo(false),
        release: async () => {
          await q.get();
          q.taskDone();
        },
        satisfied: resolvesTo(true),
        cleanup: () => {
          q.close();
        },
      };
    },
  },
  {
    name: 'Pipe Connection.poll(timeout)',
    undefinedIsZero: true,
    setup: () => {
      const [a, b] = Pipe<number>();
      return {
        wait: (timeout) => a.poll(timeout as number),
        timedOut: resolvesTo(false),
        release: () => {
          b.send(1);
        },
        satisfied: resolvesTo(true),
        cleanup: () => {
          a.close();
          b.close();
        },
      };
    },
  },
  {
    name: 'Process.join(timeout)',
    setup: () => {
      const ev = new Event();
      const p = new Process({ target: waitTask, args: [ev] });
      p.start();
      const exited = (): boolean => p.exitcode !== null;
      return {
        wait: (timeout) => p.join(timeout as number),
        // join resolves either way: a timed-out join leaves the child running.
        timedOut: (o) => o.ok && !exited(),
        release: () => {
          ev.set();
        },
        satisfied: (o) => o.ok && p.exitcode === 0,
        cleanup: async () => {
          p.terminate();
          await p.join();
        },
      };
    },
  },
  {
    name: 'Pool.apply(fn, args, {timeout})',
    setup: () => {
      const ev = new Event();
      return {
        wait: (timeout) => getPool().apply(waitTask, [ev], { timeout: timeout as number }),
        timedOut: rejectsWith(TimeoutError),
        release: () => {
          ev.set();
        },
        satisfied: resolvesTo(1),
      };
    },
  },
  {
    name: 'Pool.map(fn, items, {timeout})',
    setup: () => {
      const ev = new Event();
      return {
        wait: (timeout) => getPool().map(waitTask, [ev], { timeout: timeout as number }),
        timedOut: rejectsWith(TimeoutError),
        release: () => {
          ev.set();
        },
        satisfied: (o) => o.ok && JSON.stringify(o.value) === '[1]',
      };
    },
  },
  {
    name: 'Pool.imap(fn, items, {timeout}).next()',
    setup: () => {
      const ev = new Event();
      return {
        wait: (timeout) =>
          getPool()
            .imap(waitTask, [ev], { timeout: timeout as number })
            .next(),
        timedOut: rejectsWith(TimeoutError),
        release: () => {
          ev.set();
        },
        satisfied: (o) => o.ok && (o.value as IteratorResult<number>).value === 1,
      };
    },
  },
  {
    name: 'IMapIterator.next(timeout)',
    setup: () => {
      const ev = new Event();
      const it = getPool().imap(waitTask, [ev]);
      return {
        wait: (timeout) => it.next(timeout as number),
        timedOut: rejectsWith(TimeoutError),
        release: () => {
          ev.set();
        },
        satisfied: (o) => o.ok && (o.value as IteratorResult<number>).value === 1,
        cleanup: async () => {
          ev.set();
          await it.return();
        },
      };
    },
  },
  {
    name: 'AsyncResult.get(timeout)',
    setup: () => {
      const ev = new Event();
      const result = getPool().applyAsync(waitTask, [ev]);
      return {
        wait: (timeout) => result.get(timeout as number),
        timedOut: rejectsWith(TimeoutError),
        release: () => {
          ev.set();
        },
        satisfied: resolvesTo(1),
        cleanup: async () => {
          ev.set();
          await result.wait();
        },
      };
    },
  },
  {
    name: 'AsyncResult.wait(timeout)',
    setup: () => {
      const ev = new Event();
      const result = getPool().applyAsync(waitTask, [ev]);
      return {
        wait: (timeout) => result.wait(timeout as number),
        timedOut: (o) => o.ok && !result.ready(),
        release: () => {
          ev.set();
        },
        satisfied: (o) => o.ok && result.ready(),
        cleanup: async () => {
          ev.set();
          await result.wait();
        },
      };
    },
  },
  {
    name: 'Future.result(timeout)',
    setup: () => {
      const ev = new Event();
      const future = getExecutor().submit(waitTask, ev);
      return {
        wait: (timeout) => future.result(timeout as number),
        timedOut: rejectsWith(TimeoutError),
        release: () => {
          ev.set();
        },
        satisfied: resolvesTo(1),
        cleanup: async () => {
          ev.set();
          await future.exception();
        },
      };
    },
  },
  {
    name: 'Future.exception(timeout)',
    setup: () => {
      const ev = new Event();
      const future = getExecutor().submit(waitTask, ev);
      return {
        wait: (timeout) => future.exception(timeout as number),
        timedOut: rejectsWith(TimeoutError),
        release: () => {
          ev.set();
        },
        satisfied: resolvesTo(undefined),
        cleanup: async () => {
          ev.set();
          await future.exception();
        },
      };
    },
  },
  {
    name: 'ProcessPoolExecutor.map(fn, items, {timeout})',
    setup: () => {
      const ev = new Event();
      return {
        wait: (timeout) =>
          getExecutor()
            .map(waitTask, [ev], { timeout: timeout as number })
            .next(),
        timedOut: rejectsWith(TimeoutError),
        release: () => {
          ev.set();
        },
        satisfied: (o) => o.ok && (o.value as IteratorResult<number>).value === 1,
        cleanup: () => {
          ev.set();
        },
      };
    },
  },
  {
    name: 'managed Lock.acquire({timeout})',
    setup: async () => {
      const lock = await (await getManager()).Lock();
      await lock.acquire();
      return {
        wait: (timeout) => lock.acquire({ timeout: timeout as number }),
        timedOut: resolvesTo(false),
        release: () => lock.release(),
        satisfied: resolvesTo(true),
      };
    },
  },
  {
    name: 'managed Event.wait(timeout)',
    setup: async () => {
      const ev = await (await getManager()).Event();
      return {
        wait: (timeout) => ev.wait(timeout as number),
        timedOut: resolvesTo(false),
        release: () => ev.set(),
        satisfied: resolvesTo(true),
      };
    },
  },
  {
    name: 'managed Queue.get({timeout})',
    setup: async () => {
      const q = await (await getManager()).Queue<number>();
      return {
        wait: (timeout) => q.get({ timeout: timeout as number }),
        timedOut: rejectsWith(EmptyError),
        release: () => q.put(5),
        satisfied: resolvesTo(5),
      };
    },
  },
  {
    name: 'socket Connection.poll(timeout)',
    undefinedIsZero: true,
    setup: async () => {
      const listener = new Listener({ host: '127.0.0.1', port: 0 });
      const address = await listener.ready();
      const [client, server] = await Promise.all([Client(address), listener.accept()]);
      return {
        wait: (timeout) => client.poll(timeout as number),
        timedOut: resolvesTo(false),
        release: () => {
          server.send(1);
        },
        satisfied: resolvesTo(true),
        cleanup: () => {
          client.close();
          server.close();
          listener.close();
        },
      };
    },
  },
  {
    name: 'BaseManager.join(timeout)',
    setup: async () => {
      const m = new BaseManager();
      await m.start();
      let ended = false;
      return {
        wait: async (timeout) => {
          await m.join(timeout as number);
          return ended;
        },
        // join resolves either way: a timed-out join finds the server running.
        timedOut: resolvesTo(false),
        release: async () => {
          ended = true;
          await m.shutdown();
        },
        satisfied: resolvesTo(true),
        cleanup: () => m.shutdown(),
      };
    },
  },
  {
    name: 'Manager({shutdownTimeout})',
    argName: 'shutdownTimeout',
    badValuesOnly: true,
    setup: () => ({
      wait: async (shutdownTimeout) => {
        const m = await Manager({ shutdownTimeout: shutdownTimeout as number });
        await m.shutdown();
      },
      timedOut: resolves,
      release: () => undefined,
      satisfied: resolves,
    }),
  },
];

const bad: [unknown, (arg: string) => Error][] = [
  [Number.NaN, (arg) => new RangeError(`${arg} must be a number of seconds, got NaN`)],
  ['1', (arg) => new TypeError(`${arg} must be a number of seconds, null or undefined, got string '1'`)],
];
const immediate = [0, -1, 0.2];
const forever = [undefined, null, 1e6, 1e12, Infinity];

describe.each(cases)('timeout of $name', (c) => {
  const argName = c.argName ?? 'timeout';

  it.each(bad)('refuses %p with the one error shape', async (value, expected) => {
    const f = await c.setup();
    try {
      const o = await within(
        outcome(() => f.wait(value)),
        BOUND_MS,
        c.name,
      );
      const want = expected(argName);
      expect(o.ok).toBe(false);
      const error = (o as { error: Error }).error;
      expect(error).toBeInstanceOf(want.constructor);
      expect(error.message).toBe(want.message);
    } finally {
      await f.cleanup?.();
    }
  });

  if (c.badValuesOnly === true) {
    it.each([...immediate, ...forever])('accepts %p', async (value) => {
      const f = await c.setup();
      const o = await within(
        outcome(() => f.wait(value)),
        BOUND_MS,
        c.name,
      );
      expect(o).toEqual({ ok: true, value: undefined });
    });
    return;
  }

  const now = c.undefinedIsZero === true ? [undefined, ...immediate] : immediate;
  const never = c.undefinedIsZero === true ? forever.filter((v) => v !== undefined) : forever;

  it.each(now)('times out with %p', async (value) => {
    const f = await c.setup();
    try {
      const o = await within(
        outcome(() => f.wait(value)),
        BOUND_MS,
        c.name,
      );
      expect({ value, timedOut: f.timedOut(o), o }).toMatchObject({
        value,
        timedOut: true,
      });
    } finally {
      await f.release();
      await f.cleanup?.();
    }
  });

  it.each(never)('does not fire with %p', async (value) => {
    const f = await c.setup();
    try {
      let settled = false;
      const waiting = outcome(() => f.wait(value)).then((o) => {
        settled = true;
        return o;
      });
      await window();
      expect({ value, settledBeforeRelease: settled }).toEqual({
        value,
        settledBeforeRelease: false,
      });
      await f.release();
      const o = await within(waiting, BOUND_MS, c.name);
      expect({ value, satisfied: f.satisfied(o), o }).toMatchObject({
        value,
        satisfied: true,
      });
    } finally {
      await f.cleanup?.();
    }
  });
});
