/**
 * cross-process suite: shared objects used from other OS processes (start
 * method 'process'), against Python's multiprocessing measured in the same
 * run (python/cross_process.py). Every object is made in this process, the
 * suite's, and its children reach it through this process's broker. Rows:
 * a Queue child → parent and parent → child (small ints, unbounded as
 * Python's default), 2 children incrementing a Value under `v.getLock()`,
 * and a Pipe round trip between two children whose ends come from here.
 * Each child says it is ready, then waits on an Event, so process start-up
 * is left out; this process times child → parent and the increments, the
 * consuming or pinging child the others. Our repetitions and Python's
 * alternate, one figure at a time.
 */
import { getContext, moduleRef, type Process, type TaskRef } from '@multiprocessing/process';
import { Pipe, Queue } from '@multiprocessing/queue';
import { Event, Value } from '@multiprocessing/value-lock';
import { median } from '../harness/measure.js';
import { runPython } from '../harness/python.js';
import type { BenchContext, BenchRow, BenchSuite } from '../harness/types.js';

const fixture = new URL('../../fixtures/cross-process-tasks.mjs', import.meta.url);
type Fn = (...args: unknown[]) => Promise<void>;
type Target = TaskRef<Fn>;
type Name =
  'produce' | 'consume' | 'consumeAsync' | 'increment' | 'echo' | 'ping' | 'echoAsync' | 'pingAsync';
const tasks = moduleRef<Record<Name, Fn>>(fixture);

/** How long a child may take to start and say it is ready, or to finish, in seconds. */
const READY_S = 30;
const DONE_S = 120;

/** What the children of {@link withChildren} share with this process. */
interface Rig {
  /** Where they say they are ready, then report. */
  readonly out: Queue;
  /** What they wait on once ready. */
  readonly go: Event;
}

/**
 * Starts one child per `[target, args]` (args follow the shared `out` and
 * `go`), runs `body` once all are ready, then joins them. Children still
 * alive after a failure are killed.
 */
async function withChildren<T>(
  children: readonly [Target, readonly unknown[]][],
  body: (rig: Rig) => Promise<T>,
): Promise<T> {
  const { Process } = getContext('process');
  const out = new Queue();
  const go = new Event();
  const procs = children.map(
    ([target, args]) => new Process({ target, args: [args[0], out, go, ...args.slice(1)] }),
  );
  const started: Process[] = [];
  try {
    for (const p of procs) {
      p.start();
      started.push(p);
    }
    const said = await reports(out, procs.length, READY_S);
    const odd = said.find((m) => m !== 'ready');
    if (odd !== undefined) throw new Error(`a child said ${JSON.stringify(odd)} where 'ready' was expected`);
    const result = await body({ out, go });
    for (const p of procs) {
      await p.join(DONE_S);
      if (p.exitcode !== 0) throw new Error(`child ${p.name} ended with exit code ${String(p.exitcode)}`);
    }
    return result;
  } finally {
    for (const p of started) if (p.isAlive()) p.kill();
    for (const p of started) await p.join(DONE_S);
  }
}

/** The next `count` items the children put on `out`, each within `seconds`. */
async function reports(out: Queue, count: number, seconds = DONE_S): Promise<unknown[]> {
  const xs: unknown[] = [];
  for (let i = 0; i < count; i++) xs.push(await out.get({ timeout: seconds }));
  return xs;
}

/** Untimed rounds first, so that neither side runs cold code while timed. */
const WARM = 500;

/** k msgs/s, a child putting `n` ints, this process getting them. */
async function childToParent(n: number): Promise<number> {
  const q = new Queue<number>();
  return withChildren([[tasks.produce, [q, n, WARM]]], async ({ go }) => {
    for (let i = 0; i < WARM; i++) await q.get();
    go.set();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await q.get();
    return n / (performance.now() - t0);
  });
}

/** k msgs/s, this process putting `n` ints, a child getting them (`getSync`, or `await get()`). */
async function parentToChild(n: number, form: 'sync' | 'async'): Promise<number> {
  const q = new Queue<number>();
  const target = form === 'sync' ? tasks.consume : tasks.consumeAsync;
  for (let i = 0; i < WARM; i++) q.putSync(i);
  return withChildren([[target, [q, n, WARM]]], async ({ out, go }) => {
    go.set();
    for (let i = 0; i < n; i++) q.putSync(i);
    const [ms] = await reports(out, 1);
    return n / Number(ms);
  });
}

/** k ops/s, 2 children each making `n` increments of one Value under its lock. */
async function lockedIncrements(n: number): Promise<number> {
  const v = new Value('i', 0);
  const ops = await withChildren<number>(
    [
      [tasks.increment, [v, n, WARM]],
      [tasks.increment, [v, n, WARM]],
    ],
    async ({ out, go }) => {
      const t0 = performance.now();
      go.set();
      await reports(out, 2);
      return (2 * n) / (performance.now() - t0);
    },
  );
  const expected = 2 * (n + WARM);
  if (v.value !== expected) throw new Error(`lost updates: ${String(v.value)} of ${String(expected)}`);
  return ops;
}

/** µs per Pipe round trip between two children (`recvSync`, or `await recv()`, on both sides). */
async function pipeRoundTrip(rounds: number, form: 'sync' | 'async'): Promise<number> {
  const [a, b] = Pipe<number>();
  return withChildren(
    [
      [form === 'sync' ? tasks.echo : tasks.echoAsync, [b, rounds + WARM]],
      [form === 'sync' ? tasks.ping : tasks.pingAsync, [a, rounds, WARM]],
    ],
    async ({ out, go }) => {
      go.set();
      const [us] = await reports(out, 1);
      return Number(us);
    },
  );
}

/**
 * Medians of our candidates and of Python's figure `key`, one repetition of
 * each in turn, so that load on the machine hits them alike. `python` is
 * undefined without python3.
 */
async function interleaved<K extends string>(
  ctx: BenchContext,
  ours: Record<K, () => Promise<number>>,
  key: string,
): Promise<Record<K, number> & { python: number | undefined }> {
  const samples = new Map<string, number[]>();
  const add = (name: string, x: number): void => {
    samples.set(name, [...(samples.get(name) ?? []), x]);
  };
  for (let r = 0; r < (ctx.quick ? 3 : 5); r++) {
    for (const [name, fn] of Object.entries<() => Promise<number>>(ours)) add(name, await fn());
    const py = await runPython('cross_process.py', [...(ctx.quick ? ['--quick'] : []), '--reps=1', key]);
    if (py !== undefined) add('python', py[key] ?? Number.NaN);
  }
  const out: Record<string, number | undefined> = {};
  for (const name of [...Object.keys(ours), 'python']) {
    const xs = samples.get(name);
    out[name] = xs === undefined ? undefined : median(xs);
  }
  return out as Record<K, number> & { python: number | undefined };
}

const perK = (x: number | undefined): number | undefined => (x === undefined ? undefined : x / 1000);

async function run(ctx: BenchContext): Promise<BenchRow[]> {
  // The Python script's counts, but for increments (Python's take microseconds, ours a broker round trip each).
  const up = ctx.quick ? 5_000 : 100_000;
  const down = ctx.quick ? 5_000 : 10_000;
  const incr = ctx.quick ? 300 : 1_000;
  const rounds = ctx.quick ? 300 : 1_000;
  const toParent = await interleaved(ctx, { ours: () => childToParent(up) }, 'up');
  const toChild = await interleaved(
    ctx,
    { sync: () => parentToChild(down, 'sync'), async: () => parentToChild(down, 'async') },
    'down',
  );
  const locked = await interleaved(ctx, { ours: () => lockedIncrements(incr) }, 'locked');
  const pipe = await interleaved(
    ctx,
    { sync: () => pipeRoundTrip(rounds, 'sync'), async: () => pipeRoundTrip(rounds, 'async') },
    'pipe_rtt_us',
  );
  return [
    {
      figure: "cross-process: Queue child → parent, small ints ['process']",
      unit: 'k msgs/s',
      higherIsBetter: true,
      ours: toParent.ours,
      python: perK(toParent.python),
      target: '≥ Python',
      note: 'unbounded queue (Python too): the child streams its puts to our broker; we await get()',
    },
    {
      figure: "cross-process: Queue parent → child, small ints, getSync() ['process']",
      unit: 'k msgs/s',
      higherIsBetter: true,
      ours: toChild.sync,
      python: perK(toChild.python),
      target: '≥0.5× Python',
      note: 'the child takes items ahead of its gets, in batches from our broker (our puts are local); Python: its feeder thread writes the items to a pipe the child reads',
    },
    {
      figure: "cross-process: Queue parent → child, small ints, await get() ['process']",
      unit: 'k msgs/s',
      higherIsBetter: true,
      ours: toChild.async,
      python: perK(toChild.python),
      target: '≥0.5× Python',
      note: 'the same, awaited in the child',
    },
    {
      figure: "cross-process: Value += 1 under v.getLock(), 2 child processes ['process']",
      unit: 'k ops/s',
      higherIsBetter: true,
      ours: locked.ours,
      python: perK(locked.python),
      note: `${String(incr)} per child (Python ${ctx.quick ? '20 000' : '100 000'}); 4 broker round trips per increment (acquire, read, write, release); Python: SemLock and the Value in shared memory`,
    },
    {
      figure: "cross-process: Pipe round trip between 2 child processes, recvSync() ['process']",
      unit: 'µs',
      higherIsBetter: false,
      ours: pipe.sync,
      python: pipe.python,
      target: '≤ Python * 2',
      note: 'both ends made here: each send and recv goes through our broker; Python: a direct socket pair',
    },
    {
      figure: "cross-process: Pipe round trip between 2 child processes, await recv() ['process']",
      unit: 'µs',
      higherIsBetter: false,
      ours: pipe.async,
      python: pipe.python,
      target: '≤ Python * 2',
      note: 'the same, awaited in both children',
    },
  ];
}

export const suite: BenchSuite = {
  id: 'cross-process',
  title: 'Shared objects between OS processes',
  run,
};
