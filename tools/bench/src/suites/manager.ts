/**
 * Manager suite: dict set/get from one client, sequential (one round trip at
 * a time) and pipelined (64 in flight), and list appends from 2 worker
 * children; each against Python's Manager run in the same session
 * (python/manager_bench.py). Medians of 5 repetitions. The server of the
 * first rows is a worker thread of this process, so the main thread and the
 * worker threads reach it through the in-process shared-memory channel; the
 * last row's server is a child process, reached by its Unix socket.
 */
import { Manager, type DictProxy } from '@multiprocessing/manager';
import { getContext, moduleRef } from '@multiprocessing/process';
import { measure, median } from '../harness/measure.js';
import { runPython } from '../harness/python.js';
import type { BenchContext, BenchRow, BenchSuite } from '../harness/types.js';

const fixture = new URL('../../fixtures/manager-append.mjs', import.meta.url);
const tasks = moduleRef<{
  appendMany: (list: unknown, n: number) => Promise<void>;
  appendManyPipelined: (list: unknown, n: number) => Promise<void>;
}>(fixture);

const BATCH = 64;

async function pipelined(d: DictProxy<string, number>, op: 'set' | 'get'): Promise<void> {
  const calls: Promise<unknown>[] = [];
  for (let i = 0; i < BATCH; i++) calls.push(op === 'set' ? d.set('k', i) : d.get('k'));
  await Promise.all(calls);
}

async function appendRate(
  manager: Awaited<ReturnType<typeof Manager>>,
  perWorker: number,
  fn: typeof tasks.appendMany,
  reps: number,
): Promise<number> {
  const rates: number[] = [];
  for (let r = 0; r < reps; r++) {
    const list = await manager.list<number>();
    const t0 = performance.now();
    const ps = [0, 1].map(() => new (getContext('thread').Process)({ target: fn, args: [list, perWorker] }));
    for (const p of ps) p.start();
    for (const p of ps) await p.join();
    rates.push((2 * perWorker) / ((performance.now() - t0) / 1000));
    if ((await list.length()) !== 2 * perWorker) throw new Error('lost appends');
  }
  return median(rates);
}

async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const time = ctx.quick ? 60 : 300;
  const reps = ctx.quick ? 3 : 5;
  const py = await runPython('manager_bench.py', ctx.quick ? ['--quick'] : []);
  const rows: BenchRow[] = [];

  const manager = await Manager();
  try {
    const d = await manager.dict<string, number>({ k: 0 });
    const setOps = await measure(() => d.set('k', 1), { time, repetitions: reps });
    const getOps = await measure(() => d.get('k'), { time, repetitions: reps });
    const setPipe = await measure(() => pipelined(d, 'set'), { time, repetitions: reps, opsPerCall: BATCH });
    const getPipe = await measure(() => pipelined(d, 'get'), { time, repetitions: reps, opsPerCall: BATCH });
    const perWorker = ctx.quick ? 500 : 5000;
    const append2 = await appendRate(manager, perWorker, tasks.appendMany, ctx.quick ? 1 : 3);
    const append2Pipe = await appendRate(manager, perWorker, tasks.appendManyPipelined, ctx.quick ? 1 : 3);
    const rtt = 1e6 / getOps;
    const pySeq = py === undefined ? undefined : Math.min(py.set_ops ?? NaN, py.get_ops ?? NaN);
    rows.push(
      {
        figure: 'manager: dict get round trip, 1 client, sequential',
        unit: 'µs',
        higherIsBetter: false,
        ours: rtt,
        python: py?.get_rtt_us,
        target: "≤ Python's",
        met: py?.get_rtt_us === undefined ? undefined : rtt <= py.get_rtt_us,
        note: 'server in a worker thread, main-thread client, in-process shared-memory channel',
      },
      {
        figure: 'manager: dict set, 1 client, sequential',
        unit: 'k ops/s',
        higherIsBetter: true,
        ours: setOps / 1000,
        python: py === undefined ? undefined : (py.set_ops ?? NaN) / 1000,
      },
      {
        figure: 'manager: dict get, 1 client, sequential',
        unit: 'k ops/s',
        higherIsBetter: true,
        ours: getOps / 1000,
        python: py === undefined ? undefined : (py.get_ops ?? NaN) / 1000,
      },
      {
        figure: `manager: dict set, 1 client, pipelined (${String(BATCH)} in flight)`,
        unit: 'k ops/s',
        higherIsBetter: true,
        ours: setPipe / 1000,
        python: py === undefined ? undefined : (py.set_ops ?? NaN) / 1000,
        target: "≥5× Python's throughput",
        met: pySeq === undefined ? undefined : setPipe >= 5 * (py?.set_ops ?? Infinity),
        note: 'Python column: its sequential rate (a proxy call blocks, so Python cannot pipeline)',
      },
      {
        figure: `manager: dict get, 1 client, pipelined (${String(BATCH)} in flight)`,
        unit: 'k ops/s',
        higherIsBetter: true,
        ours: getPipe / 1000,
        python: py === undefined ? undefined : (py.get_ops ?? NaN) / 1000,
        target: "≥5× Python's throughput",
        met: py === undefined ? undefined : getPipe >= 5 * (py.get_ops ?? Infinity),
        note: 'Python column: its sequential rate',
      },
      {
        figure: 'manager: list append from 2 workers, sequential, incl. start + join',
        unit: 'k ops/s',
        higherIsBetter: true,
        ours: append2 / 1000,
        python: py === undefined ? undefined : (py.append2_ops ?? NaN) / 1000,
        note: `${String(perWorker)} appends per worker (worker threads, in-process channel); Python: 2 processes`,
      },
      {
        figure: 'manager: list append from 2 workers, pipelined, incl. start + join',
        unit: 'k ops/s',
        higherIsBetter: true,
        ours: append2Pipe / 1000,
        python: py === undefined ? undefined : (py.append2_ops ?? NaN) / 1000,
        note: `${String(BATCH)} in flight per worker; Python column: its sequential rate`,
      },
    );
  } finally {
    await manager.shutdown();
  }

  const procManager = await Manager({ context: getContext('process') });
  try {
    const d = await procManager.dict<string, number>({ k: 0 });
    const getOps = await measure(() => d.get('k'), { time, repetitions: reps });
    rows.push({
      figure: "manager: dict get round trip, server in a child process ['process']",
      unit: 'µs',
      higherIsBetter: false,
      ours: 1e6 / getOps,
      python: py?.get_rtt_us,
      note: 'Unix socket',
    });
  } finally {
    await procManager.shutdown();
  }
  return rows;
}

export const suite: BenchSuite = {
  id: 'manager',
  title: 'Manager: proxies over the in-process channel and the server socket',
  run,
};
