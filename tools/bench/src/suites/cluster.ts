/**
 * Cluster suite: @multiprocessing/cluster against raw BullMQ, on one
 * throwaway redis-server on this machine, in one run. Ours: a Pool on
 * `connectCluster()` and 2 worker hosts, each a process of its own running
 * `serveCluster()` with 1 worker. The peer: 2 processes, each with one BullMQ
 * `Worker`, fed by a `Queue` and awaited through `QueueEvents` in this
 * process. Same task (fixtures/cluster-tasks.mjs), same Redis. It also prints
 * what Redis spends per task and per map chunk (commands, CPU time), so that
 * one can tell how many hosts a Redis serves.
 */
import { performance } from 'node:perf_hooks';
import { moduleRef } from '@multiprocessing/pool';
import { measureEach, median } from '../harness/measure.js';
import type { BenchContext, BenchRow, BenchSuite } from '../harness/types.js';
import { redisServerMissing, redisServerPath } from '../../../scripts/redis-server.mjs';
import { formatCosts, measureRedisCosts } from '../harness/cluster-costs.js';
import { startClusterRig, type ClusterRig } from '../harness/cluster-rig.js';

const tasks = moduleRef<{ square(x: number): number }>(
  new URL('../../fixtures/cluster-tasks.mjs', import.meta.url),
);
/** The peer's column. */
const PEER = 'raw BullMQ';
/** Tasks in flight at once in the tiny-task figure. */
const BATCH = 2000;
const MAP_ITEMS = 100_000;
/** The Worker concurrency of the peer: 8, 50, 100 and 200 gave about the same jobs/s here, 1 fewer. */
const PEER_CONCURRENCY = 100;

/** What the three rows show. */
interface Figures {
  tiny: { ours: number; peer: number };
  map: { ours: number; peer: number; perJob: number; perJobItems: number; chunksize: number };
  latency: { ours: number; peer: number; calls: number };
  /** What Redis spends per map chunk, in words. */
  costs: string;
}

/** The three rows, before their figures. */
const ROWS = [
  {
    figure: `cluster: tiny tasks x => x * x, one apply() each, ${String(BATCH)} in flight`,
    unit: 'k tasks/s',
    higherIsBetter: true,
    target: `≥2× ${PEER}`,
  },
  {
    figure: 'cluster: map of 100 k tiny items, default chunksize',
    unit: 'M items/s',
    higherIsBetter: true,
    target: '≥1 M items/s',
  },
  {
    figure: 'cluster: one task in flight, apply() round trip (latency)',
    unit: 'ms',
    higherIsBetter: false,
    target: `≤ ${PEER}`,
  },
] as const;

/** The rows with no figures, saying why in the first one's note. */
function unmeasured(reason: string): BenchRow[] {
  return ROWS.map((row, i) => ({
    ...row,
    ours: Number.NaN,
    peers: { [PEER]: Number.NaN },
    note: i === 0 ? `not measured: ${reason}` : 'not measured',
  }));
}

function measured(f: Figures): BenchRow[] {
  const [tiny, map, latency] = ROWS;
  const chunks = Math.ceil(MAP_ITEMS / f.map.chunksize);
  return [
    {
      ...tiny,
      ours: f.tiny.ours / 1000,
      peers: { [PEER]: f.tiny.peer / 1000 },
      note:
        `2 hosts × 1 worker vs 2 BullMQ Worker processes (concurrency ${String(PEER_CONCURRENCY)} each); ` +
        `peer: addBulk of ${String(BATCH)} jobs, results via QueueEvents 'completed'`,
    },
    {
      ...map,
      ours: f.map.ours / 1e6,
      peers: { [PEER]: f.map.peer / 1e6 },
      note:
        `peer: addBulk of the same ${String(chunks)} chunks (${String(f.map.chunksize)} items per job); ` +
        `with one job per item it does ${(f.map.perJob / 1000).toFixed(1)} k items/s ` +
        `(addBulk of ${String(f.map.perJobItems)} jobs); ${f.costs}`,
    },
    {
      ...latency,
      ours: f.latency.ours,
      peers: { [PEER]: f.latency.peer },
      note: `median of ${String(f.latency.calls)} calls each; peer: add() then its 'completed' event`,
    },
  ];
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/** Runs one part of the suite, telling stderr how long it took. */
async function phase<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const { ms, value } = await timed(fn);
  console.error(`[cluster] ${what}: ${(ms / 1000).toFixed(1)} s`);
  return value;
}

function check(got: readonly number[], items: readonly number[], who: string): void {
  const bad = items.findIndex((x, i) => got[i] !== x * x);
  if (got.length !== items.length || bad >= 0) {
    throw new Error(`${who} returned wrong results (item ${String(bad)}: ${String(got[bad])})`);
  }
}

async function tinyTasks(rig: ClusterRig, quick: boolean): Promise<Figures['tiny']> {
  const items = Array.from({ length: BATCH }, (_, i) => i);
  const ours = (): Promise<number[]> => Promise.all(items.map((x) => rig.pool.apply(tasks.square, [x])));
  check(await ours(), items, 'ours');
  check(await rig.peer.jobs(items), items, PEER);
  const r = await measureEach(
    { ours, peer: () => rig.peer.jobs(items) },
    { iterations: quick ? 1 : 2, warmup: 0, repetitions: quick ? 3 : 5, opsPerCall: BATCH },
  );
  return { ours: r.ours, peer: r.peer };
}

async function mapItems(rig: ClusterRig, quick: boolean): Promise<Figures['map']> {
  const items = Array.from({ length: MAP_ITEMS }, (_, i) => i);
  // The chunks ours makes by default: ⌈n / (4 × processes)⌉ items each, as Python's Pool.map.
  const chunksize = Math.ceil(MAP_ITEMS / (4 * rig.processes));
  check(await rig.pool.map(tasks.square, items), items, 'ours');
  check(await rig.peer.chunks(items, chunksize), items, PEER);
  const ours: number[] = [];
  const peer: number[] = [];
  for (let r = 0; r < (quick ? 3 : 5); r++) {
    ours.push((MAP_ITEMS * 1000) / (await timed(() => rig.pool.map(tasks.square, items))).ms);
    peer.push((MAP_ITEMS * 1000) / (await timed(() => rig.peer.chunks(items, chunksize))).ms);
  }
  const perJobItems = quick ? 1000 : 5000;
  const small = items.slice(0, perJobItems);
  const perJob: number[] = [];
  for (let r = 0; r < 3; r++) {
    const { ms, value } = await timed(() => rig.peer.jobs(small));
    check(value, small, PEER);
    perJob.push((perJobItems * 1000) / ms);
  }
  return { ours: median(ours), peer: median(peer), perJob: median(perJob), perJobItems, chunksize };
}

async function latency(rig: ClusterRig, quick: boolean): Promise<Figures['latency']> {
  const block = quick ? 40 : 100;
  const ours: number[] = [];
  const peer: number[] = [];
  const oursOne = (): Promise<number> => rig.pool.apply(tasks.square, [3]);
  const peerOne = (): Promise<number> => rig.peer.one(3);
  for (let i = 0; i < 20; i++) {
    await oursOne();
    await peerOne();
  }
  for (let r = 0; r < 3; r++) {
    for (const [one, out] of [
      [oursOne, ours],
      [peerOne, peer],
    ] as const) {
      for (let i = 0; i < block; i++) {
        const { ms, value } = await timed(one);
        if (value !== 9) throw new Error(`a round trip returned ${String(value)}, not 9`);
        out.push(ms);
      }
    }
  }
  return { ours: median(ours), peer: median(peer), calls: ours.length };
}

export const suite: BenchSuite = {
  id: 'cluster',
  title: `Cluster: tiny tasks, map and a round trip on 2 hosts, against ${PEER} (one local Redis)`,
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    if (redisServerPath() === undefined) {
      return unmeasured(redisServerMissing());
    }
    const rig = await phase('start redis-server, 2 hosts and the peer', () =>
      startClusterRig({ hosts: 2, processes: 1, peerConcurrency: PEER_CONCURRENCY }),
    );
    try {
      const tiny = await phase('tiny tasks', () => tinyTasks(rig, ctx.quick));
      const map = await phase('map', () => mapItems(rig, ctx.quick));
      const lat = await phase('round trips', () => latency(rig, ctx.quick));
      const costs = await phase('Redis costs', () => measureRedisCosts(rig, ctx.quick));
      console.error(formatCosts(costs));
      return measured({ tiny, map, latency: lat, costs: costs.summary });
    } finally {
      await phase('stop', () => rig.close());
    }
  },
};
