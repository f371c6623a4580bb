/**
 * stream suite: items per second that `pool.stream` delivers from an async
 * generator in a worker to a `for await` loop in the parent (default
 * highWaterMark, and a large one), against the same items put on a bounded
 * `Queue` by a `Process` and read with `await queue.get()` (the peer; both
 * are worker threads, and neither's start-up is timed). Python has no
 * counterpart. Samples are interleaved; each figure is a median.
 */
import { performance } from 'node:perf_hooks';
import { Process, moduleRef } from '@multiprocessing/process';
import { Pool } from '@multiprocessing/pool';
import { Queue } from '@multiprocessing/queue';
import { median } from '../harness/measure.js';
import type { BenchContext, BenchRow, BenchSuite } from '../harness/types.js';

const fixture = new URL('../../fixtures/stream-items.mjs', import.meta.url);
const tasks = moduleRef<{
  count: (n: number) => AsyncGenerator<number>;
  putAll: (q: Queue, n: number) => void;
}>(fixture);

/** Items/s of one stream of `n` values. */
async function streamSample(pool: Pool, n: number, highWaterMark: number): Promise<number> {
  const t0 = performance.now();
  let seen = 0;
  for await (const _ of pool.stream(tasks.count, [n], { highWaterMark })) seen++;
  const ms = performance.now() - t0;
  if (seen !== n) throw new Error(`stream delivered ${String(seen)} of ${String(n)} items`);
  return (n * 1000) / ms;
}

/** Items/s of `n` items a Process puts on a Queue (timed from its first item). */
async function queueSample(n: number): Promise<number> {
  const q = new Queue<unknown>({ maxsize: 1000 });
  const p = new Process({ target: tasks.putAll, args: [q, n] });
  p.start();
  try {
    await q.get();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await q.get();
    const ms = performance.now() - t0;
    return (n * 1000) / ms;
  } finally {
    await p.join();
    q.close();
  }
}

async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const n = ctx.quick ? 10_000 : 100_000;
  const rounds = ctx.quick ? 3 : 5;
  const pool = new Pool({ processes: 1 });
  const samples: Record<'hwm16' | 'hwm1024' | 'queue', number[]> = { hwm16: [], hwm1024: [], queue: [] };
  try {
    // Warm-up: module loading on both sides.
    await streamSample(pool, 1000, 16);
    await queueSample(1000);
    for (let r = 0; r < rounds; r++) {
      samples.hwm16.push(await streamSample(pool, n, 16));
      samples.hwm1024.push(await streamSample(pool, n, 1024));
      samples.queue.push(await queueSample(n));
    }
  } finally {
    await pool.terminate();
  }
  const queue = median(samples.queue) / 1000;
  const note = `${String(n / 1000)} k small ints; the peer is a bounded Queue (maxsize 1000) filled by a Process`;
  return [
    {
      figure: 'pool: streamed generator (highWaterMark 16)',
      unit: 'k items/s',
      higherIsBetter: true,
      ours: median(samples.hwm16) / 1000,
      peers: { 'Queue + Process': queue },
      note,
    },
    {
      figure: 'pool: streamed generator (highWaterMark 1024)',
      unit: 'k items/s',
      higherIsBetter: true,
      ours: median(samples.hwm1024) / 1000,
      peers: { 'Queue + Process': queue },
      note,
    },
  ];
}

export const suite: BenchSuite = { id: 'stream', title: 'Pool.stream against a Queue fed by a Process', run };
