/**
 * Manager suite: dict set/get from one client, sequential (one round trip
 * at a time) and pipelined (64 in flight), and list appends from 2 worker
 * children; each against Python's Manager run in the same session
 * (python/manager_bench.py). The server of the first rows is a worker thread
 * of this process, so the main thread and the worker threads reach it
 * through the in-process shared-memory channel; the later rows' servers are
 * child processes, reached by Unix socket or TCP. The sequential rows also
 * carry the floor, "raw": a plain Node socket ping-pong between two
 * processes with the same framing (harness/raw-socket.ts), measured
 * interleaved with ours. Medians of 5 repetitions.
 */
import { Manager, type DictProxy } from '@multiprocessing/manager';
import { getContext, moduleRef } from '@multiprocessing/process';
import { measure, measureEach, median, type MeasureOptions } from '../harness/measure.js';
import { runPython } from '../harness/python.js';
import { rawPingPong, type RawPingPong } from '../harness/raw-socket.js';
import type { BenchContext, BenchRow, BenchSuite } from '../harness/types.js';

const fixture = new URL('../../fixtures/manager-append.mjs', import.meta.url);
const tasks = moduleRef<{
  appendMany: (list: unknown, n: number) => Promise<void>;
  appendManyPipelined: (list: unknown, n: number) => Promise<void>;
}>(fixture);

const BATCH = 64;

/** Calls before timing: the first few thousand round trips run cold code on both ends. */
async function warm(fn: () => Promise<unknown>, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await fn();
}

/** Ours and the raw floor, interleaved; ops/s of each. */
async function withFloor(
  ours: () => Promise<unknown>,
  raw: RawPingPong,
  options: MeasureOptions,
  warmup: number,
): Promise<{ ours: number; raw: number }> {
  await warm(ours, warmup);
  await warm(() => raw.roundTrip(), warmup);
  return measureEach({ ours, raw: () => raw.roundTrip() }, options);
}

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
  const warmup = ctx.quick ? 1000 : 5000;
  const options: MeasureOptions = { time, repetitions: reps };
  const py = await runPython('manager_bench.py', ctx.quick ? ['--quick'] : []);
  const rows: BenchRow[] = [];
  const rawUnix = await rawPingPong('unix');
  const rawTcp = await rawPingPong('tcp');
  const floorNote = 'raw: a Node Unix-socket ping-pong between two processes, same framing (the floor)';
  /** `sameProcess`: the client is in the server's own OS process, where the target is a third of Python's. */
  const rttRow = (
    figure: string,
    r: { ours: number; raw: number },
    note: string,
    sameProcess = false,
  ): BenchRow => ({
    figure,
    unit: 'µs',
    higherIsBetter: false,
    ours: 1e6 / r.ours,
    peers: { raw: 1e6 / r.raw },
    python: py?.get_rtt_us,
    target: sameProcess ? '≤ Python / 3' : "≤ Python's",
    met: py?.get_rtt_us === undefined ? undefined : 1e6 / r.ours <= py.get_rtt_us / (sameProcess ? 3 : 1),
    note,
  });
  const opsRow = (figure: string, r: { ours: number; raw: number }, pyOps: number | undefined): BenchRow => ({
    figure,
    unit: 'k ops/s',
    higherIsBetter: true,
    ours: r.ours / 1000,
    peers: { raw: r.raw / 1000 },
    python: pyOps === undefined ? undefined : pyOps / 1000,
  });

  try {
    const manager = await Manager();
    try {
      const d = await manager.dict<string, number>({ k: 0 });
      const set = await withFloor(() => d.set('k', 1), rawUnix, options, warmup);
      const get = await withFloor(() => d.get('k'), rawUnix, options, warmup);
      const setPipe = await measure(() => pipelined(d, 'set'), {
        time,
        repetitions: reps,
        opsPerCall: BATCH,
      });
      const getPipe = await measure(() => pipelined(d, 'get'), {
        time,
        repetitions: reps,
        opsPerCall: BATCH,
      });
      const perWorker = ctx.quick ? 500 : 5000;
      const append2 = await appendRate(manager, perWorker, tasks.appendMany, ctx.quick ? 1 : 3);
      const append2Pipe = await appendRate(manager, perWorker, tasks.appendManyPipelined, ctx.quick ? 1 : 3);
      const pySeq = py === undefined ? undefined : Math.min(py.set_ops ?? NaN, py.get_ops ?? NaN);
      rows.push(
        rttRow(
          'manager: dict get round trip, 1 client, sequential',
          get,
          `server in a worker thread, main-thread client, in-process shared-memory channel; ${floorNote}`,
          true,
        ),
        opsRow('manager: dict set, 1 client, sequential', set, py?.set_ops),
        opsRow('manager: dict get, 1 client, sequential', get, py?.get_ops),
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
          target: '≥ Python',
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
      const set = await withFloor(() => d.set('k', 1), rawUnix, options, warmup);
      const get = await withFloor(() => d.get('k'), rawUnix, options, warmup);
      rows.push(
        rttRow("manager: dict get round trip, server in a child process ['process']", get, floorNote),
        opsRow(
          "manager: dict set, 1 client, sequential, server in a child process ['process']",
          set,
          py?.set_ops,
        ),
        opsRow(
          "manager: dict get, 1 client, sequential, server in a child process ['process']",
          get,
          py?.get_ops,
        ),
      );
    } finally {
      await procManager.shutdown();
    }

    const tcpManager = await Manager({
      context: getContext('process'),
      address: { host: '127.0.0.1', port: 0 },
    });
    try {
      const d = await tcpManager.dict<string, number>({ k: 0 });
      const get = await withFloor(() => d.get('k'), rawTcp, options, warmup);
      rows.push(
        rttRow(
          "manager: dict get round trip, TCP 127.0.0.1, server in a child process ['process']",
          get,
          'raw: the same ping-pong over TCP 127.0.0.1 (TCP_NODELAY); Python column: its Unix-socket round trip',
        ),
      );
    } finally {
      await tcpManager.shutdown();
    }
  } finally {
    await rawUnix.close();
    await rawTcp.close();
  }
  return rows;
}

export const suite: BenchSuite = {
  id: 'manager',
  title: 'Manager: proxies over the server socket',
  run,
};
