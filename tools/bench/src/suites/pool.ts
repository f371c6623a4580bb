/**
 * Pool suite: @multiprocessing/pool against piscina, tinypool, workerpool,
 * threads.js, raw `worker_threads` and Python's multiprocessing.Pool, on the
 * project's target figures: tiny tasks one call each (many in flight), `map`
 * of tiny items with the default chunksize, one task in flight, a CPU-bound
 * speed-up on 2 workers, and pool start-up. Same task module for every Node
 * pool (fixtures/pool-tasks.mjs), same worker count (2).
 */
import { performance } from 'node:perf_hooks';
import { Pool, ProcessPoolExecutor, moduleRef } from '@multiprocessing/pool';
import { median } from '../harness/measure.js';
import { createPeerPool, poolPeers, type PeerPool } from '../harness/peers.js';
import { runPython } from '../harness/python.js';
import type { BenchContext, BenchRow, BenchSuite } from '../harness/types.js';

const fixture = new URL('../../fixtures/pool-tasks.mjs', import.meta.url);
const tasks = moduleRef<{ square(x: number): number; fib(n: number): number }>(fixture);
const WORKERS = 2;

interface Candidate {
  readonly name: string;
  /** Runs `n` calls at once; resolves when all are done. */
  batch(n: number): Promise<unknown>;
  /** One call. */
  one(x: number): Promise<unknown>;
}

function peerCandidate(pool: PeerPool): Candidate {
  return {
    name: pool.peer,
    batch: (n) => {
      const calls: Promise<unknown>[] = [];
      for (let i = 0; i < n; i++) calls.push(pool.run(i));
      return Promise.all(calls);
    },
    one: (x) => pool.run(x),
  };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Tasks/s with a whole batch in flight; ours at 50 000, peers sized to ~`targetMs`. */
async function inFlight(candidates: readonly Candidate[], quick: boolean): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  const targetMs = quick ? 100 : 400;
  for (const c of candidates) {
    await c.batch(200);
    const ms = await timed(() => c.batch(500));
    const sized = Math.min(50_000, Math.max(500, Math.round((500 * targetMs) / Math.max(ms, 0.01))));
    sizes.set(c.name, c.name === 'ours' || c.name === 'ours (executor)' ? (quick ? 10_000 : 50_000) : sized);
  }
  const rates = new Map<string, number[]>(candidates.map((c) => [c.name, []]));
  const repetitions = quick ? 3 : 5;
  for (let r = 0; r < repetitions; r++) {
    for (const c of candidates) {
      const n = sizes.get(c.name) ?? 500;
      rates.get(c.name)?.push((n * 1000) / (await timed(() => c.batch(n))));
    }
  }
  return new Map([...rates].map(([name, xs]) => [name, median(xs)]));
}

/** µs per call with one call in flight at a time. */
async function latency(candidates: readonly Candidate[], quick: boolean): Promise<Map<string, number>> {
  const n = quick ? 200 : 1000;
  const out = new Map<string, number[]>(candidates.map((c) => [c.name, []]));
  for (let r = 0; r < 3; r++) {
    for (const c of candidates) {
      for (let i = 0; i < 50; i++) await c.one(i);
      const ms = await timed(async () => {
        for (let i = 0; i < n; i++) await c.one(i);
      });
      out.get(c.name)?.push((ms * 1000) / n);
    }
  }
  return new Map([...out].map(([name, xs]) => [name, median(xs)]));
}

async function mapRate(pool: Pool, n: number, reps: number): Promise<number> {
  const data = Array.from({ length: n }, (_, i) => i);
  await pool.map(tasks.square, data);
  const rates: number[] = [];
  for (let r = 0; r < reps; r++) rates.push(n / (await timed(() => pool.map(tasks.square, data))) / 1000);
  return median(rates);
}

/** fib(30) × 32 split over 2 workers: runs/s, ours and raw worker_threads. */
async function cpuBound(
  pool: Pool,
  raw: PeerPool,
  quick: boolean,
): Promise<{ ours: number; raw: number; serial: number }> {
  const count = quick ? 8 : 32;
  const input = Array.from({ length: count }, () => 30);
  const ours: number[] = [];
  const rawRates: number[] = [];
  await pool.map(tasks.fib, [25, 25], { chunksize: 1 });
  await Promise.all([raw.run(25), raw.run(25)]);
  for (let r = 0; r < 3; r++) {
    ours.push((count * 1000) / (await timed(() => pool.map(tasks.fib, input, { chunksize: 1 }))));
    rawRates.push((count * 1000) / (await timed(() => Promise.all(input.map((x) => raw.run(x))))));
  }
  const mod = (await import(fixture.href)) as { fib: (n: number) => number };
  const serialMs = await timed(async () => {
    for (let i = 0; i < Math.min(count, 8); i++) mod.fib(30);
    return Promise.resolve();
  });
  return { ours: median(ours), raw: median(rawRates), serial: (Math.min(count, 8) * 1000) / serialMs };
}

/** ms from `new Pool({processes: 2})` to the first result. */
async function startup(quick: boolean): Promise<{ ours: number; piscina: number }> {
  const ours: number[] = [];
  const piscina: number[] = [];
  for (let r = 0; r < (quick ? 3 : 7); r++) {
    const t0 = performance.now();
    const pool = new Pool({ processes: WORKERS });
    await pool.apply(tasks.square, [3]);
    ours.push(performance.now() - t0);
    await pool.terminate();
    const t1 = performance.now();
    const peer = await createPeerPool('piscina', { fixture, name: 'square', threads: WORKERS });
    await peer.run(3);
    piscina.push(performance.now() - t1);
    await peer.destroy();
  }
  return { ours: median(ours), piscina: median(piscina) };
}

export const suite: BenchSuite = {
  id: 'pool',
  title: 'Pool: tiny tasks, map, latency, CPU-bound speed-up and start-up (2 workers)',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const py = await runPython('pool_bench.py', ctx.quick ? ['--quick'] : []);
    const pool = new Pool({ processes: WORKERS });
    const executor = new ProcessPoolExecutor({ maxWorkers: WORKERS });
    const peers: PeerPool[] = [];
    try {
      for (const peer of poolPeers)
        peers.push(await createPeerPool(peer, { fixture, name: 'square', threads: WORKERS }));
      const ours: Candidate = {
        name: 'ours',
        batch: (n) => {
          const calls: Promise<unknown>[] = [];
          for (let i = 0; i < n; i++) calls.push(pool.apply(tasks.square, [i]));
          return Promise.all(calls);
        },
        one: (x) => pool.apply(tasks.square, [x]),
      };
      const oursExecutor: Candidate = {
        name: 'ours (executor)',
        batch: (n) => {
          const calls: PromiseLike<unknown>[] = [];
          for (let i = 0; i < n; i++) calls.push(executor.submit(tasks.square, i));
          return Promise.all(calls);
        },
        one: (x) => Promise.resolve(executor.submit(tasks.square, x)),
      };
      const fast = peers.filter((p) => p.peer !== 'threads.js').map(peerCandidate);
      const slow = peers.filter((p) => p.peer === 'threads.js').map(peerCandidate);
      const tput = await inFlight([ours, oursExecutor, ...fast, ...slow], ctx.quick);
      const lat = await latency([ours, ...fast], ctx.quick);
      const peerRates = (m: Map<string, number>, scale: number): Record<string, number> =>
        Object.fromEntries(
          [...m]
            .filter(([name]) => (poolPeers as readonly string[]).includes(name))
            .map(([name, v]) => [name, v / scale]),
        );

      const map100k = await mapRate(pool, 100_000, ctx.quick ? 3 : 5);
      const map1m = await mapRate(pool, ctx.quick ? 200_000 : 1_000_000, ctx.quick ? 2 : 3);

      const raw = await createPeerPool('raw', { fixture, name: 'fib', threads: WORKERS });
      let cpu: { ours: number; raw: number; serial: number };
      try {
        cpu = await cpuBound(pool, raw, ctx.quick);
      } finally {
        await raw.destroy();
      }
      await pool.terminate();
      const start = await startup(ctx.quick);

      const rows: BenchRow[] = [
        {
          figure: 'pool: tiny tasks, one apply() each, many in flight',
          unit: 'k tasks/s',
          higherIsBetter: true,
          ours: (tput.get('ours') ?? 0) / 1000,
          peers: peerRates(tput, 1000),
          ...(py?.apply_async_tasks_per_s === undefined ? {} : { python: py.apply_async_tasks_per_s / 1000 }),
          target: '≥5× piscina and ≥5× Python',
          note: `ours with ${ctx.quick ? '10 000' : '50 000'} in flight; executor.submit: ${((tput.get('ours (executor)') ?? 0) / 1000).toFixed(1)} k/s; Python: apply_async`,
        },
        {
          figure: 'pool: map of 100 k tiny items, default chunksize',
          unit: 'M items/s',
          higherIsBetter: true,
          ours: map100k,
          ...(py?.map_100k_items_per_s === undefined ? {} : { python: py.map_100k_items_per_s / 1e6 }),
          target: '≥2× Python',
          note: 'no Node peer has map',
        },
        {
          figure: `pool: map of ${ctx.quick ? '200 k' : '1 M'} tiny items, default chunksize`,
          unit: 'M items/s',
          higherIsBetter: true,
          ours: map1m,
          ...(py?.map_1m_items_per_s === undefined ? {} : { python: py.map_1m_items_per_s / 1e6 }),
          target: '≥2× Python',
        },
        {
          figure: 'pool: one task in flight (latency)',
          unit: 'µs',
          higherIsBetter: false,
          ours: lat.get('ours') ?? 0,
          peers: peerRates(lat, 1),
          ...(py?.latency_us === undefined ? {} : { python: py.latency_us }),
          target: '≤ Python / 3',
          note: 'Python: apply_async().get()',
        },
        {
          figure: `pool: CPU-bound fib(30) × ${ctx.quick ? '8' : '32'} on 2 workers`,
          unit: 'runs/s',
          higherIsBetter: true,
          ours: cpu.ours,
          peers: { raw: cpu.raw },
          target: '≥0.95× raw worker_threads',
          note: `one thread serially: ${cpu.serial.toFixed(1)} runs/s`,
        },
        {
          figure: 'pool: start-up, new Pool(2) to the first result',
          unit: 'ms',
          higherIsBetter: false,
          ours: start.ours,
          peers: { piscina: start.piscina },
          ...(py?.startup_ms === undefined ? {} : { python: py.startup_ms }),
          target: '≤ piscina',
          note: `Python's start method: ${String(py?.start_method ?? 'n/a')} (fork copies a process; we start V8 isolates)`,
        },
      ];
      return rows;
    } finally {
      await pool.terminate();
      await executor.terminateWorkers();
      for (const p of peers) await p.destroy();
    }
  },
};
