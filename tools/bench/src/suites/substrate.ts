/**
 * Substrate suite (decision record 0001): tiny tasks `x => x * x` through
 * raw `worker_threads` with one MessageChannel per worker (the substrate the
 * packages build on) against piscina, tinypool, workerpool and threads.js,
 * same worker count, same task module, many tasks in flight and one at a
 * time.
 */
import { availableParallelism } from 'node:os';
import { dirname, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { spawn, Thread, Worker as ThreadsWorker } from 'threads';
import { measureEach, median } from '../harness/measure.js';
import { createPeerPool, poolPeers, type PeerName, type PeerPool } from '../harness/peers.js';
import type { BenchContext, BenchRow, BenchSuite } from '../harness/types.js';

const fixture = new URL('../../fixtures/substrate-square.mjs', import.meta.url);

async function batch(pool: PeerPool, n: number): Promise<number> {
  const calls: Promise<unknown>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) calls.push(pool.run(i));
  await Promise.all(calls);
  return performance.now() - t0;
}

/** Tasks/s with every task of a batch in flight at once; batch sized per peer. */
async function inFlight(pools: readonly PeerPool[], quick: boolean): Promise<Map<PeerName, number>> {
  const sizes = new Map<PeerName, number>();
  for (const pool of pools) {
    await batch(pool, 200);
    const ms = await batch(pool, 500);
    const target = quick ? 100 : 400;
    sizes.set(pool.peer, Math.min(50_000, Math.max(500, Math.round((500 * target) / ms))));
  }
  const rates = new Map<PeerName, number[]>(pools.map((p) => [p.peer, []]));
  const repetitions = quick ? 3 : 5;
  for (let r = 0; r < repetitions; r++) {
    for (const pool of pools) {
      const n = sizes.get(pool.peer) ?? 500;
      rates.get(pool.peer)?.push((n * 1000) / (await batch(pool, n)));
    }
  }
  return new Map([...rates].map(([peer, xs]) => [peer, median(xs)]));
}

/** The most 'message' listeners threads.js held on one worker with `n` calls in flight. */
async function threadsListeners(n: number): Promise<number> {
  // threads.js resolves worker paths against its caller's file only.
  const here = dirname(fileURLToPath(import.meta.url));
  const script = relative(here, fileURLToPath(new URL('../../fixtures/peer-threads.mjs', import.meta.url)));
  const worker = new ThreadsWorker(script, { workerData: { url: fixture.href, name: 'square' } });
  const call = await spawn<(x: number) => Promise<number>>(worker);
  let most = 0;
  // 'newListener' fires just before the listener is added.
  worker.on('newListener', (event: string) => {
    if (event === 'message') most = Math.max(most, worker.listenerCount('message') + 1);
  });
  await Promise.all(Array.from({ length: n }, (_, i) => call(i)));
  await Thread.terminate(call);
  return most;
}

async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const threads = availableParallelism();
  const names: PeerName[] = ['raw', ...poolPeers];
  const pools: PeerPool[] = [];
  try {
    for (const peer of names) pools.push(await createPeerPool(peer, { fixture, name: 'square', threads }));
    const many = await inFlight(pools, ctx.quick);
    const oneByOne = await measureEach(
      Object.fromEntries(pools.map((p) => [p.peer, () => p.run(3)])) as Record<PeerName, () => unknown>,
      ctx.quick ? { time: 100, repetitions: 3 } : { time: 300, repetitions: 5 },
    );
    const listeners = await threadsListeners(100);
    const peersOf = (
      values: ReadonlyMap<PeerName, number>,
      f: (x: number) => number,
    ): Record<string, number> =>
      Object.fromEntries(poolPeers.map((p) => [p, f(values.get(p) ?? Number.NaN)]));
    return [
      {
        figure: `substrate: tiny tasks x => x * x, ${String(threads)} workers, all in flight`,
        unit: 'k tasks/s',
        higherIsBetter: true,
        ours: (many.get('raw') ?? Number.NaN) / 1000,
        peers: peersOf(many, (x) => x / 1000),
        note: `ours = raw worker_threads, one MessageChannel per worker; threads.js held up to ${String(listeners)} 'message' listeners on one worker for 100 calls in flight`,
      },
      {
        figure: `substrate: one task in flight, round trip`,
        unit: 'µs',
        higherIsBetter: false,
        ours: 1e6 / oneByOne.raw,
        peers: peersOf(new Map(Object.entries(oneByOne)) as Map<PeerName, number>, (x) => 1e6 / x),
        note: 'ours = raw worker_threads; each call awaited before the next',
      },
    ];
  } finally {
    await Promise.allSettled(pools.map((p) => p.destroy()));
  }
}

export const suite: BenchSuite = {
  id: 'substrate',
  title: 'worker substrate: raw worker_threads vs piscina, tinypool, workerpool, threads.js',
  run,
};
